import { bearerChallenge, CATALOG_SCOPE, grantCovers, MAX_SCOPES, mountSourceAccess, parseScopes, requiredAccess } from './token-auth';

// Spec: protocol.md §6 (scopes may repeat and hold several space-separated values; grants
// are intersections; method → action table of distribution's appendAccessRecords, delete
// separate from push; a mount's `from` needs pull) and reliability.md §1 (zot GHSA-qg67).

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseScopes', () => {
  it('splits repeated parameters and space-separated values, merging actions per resource', () => {
    expect(parseScopes(['repository:team/app:pull repository:team/app:push', 'repository:other/x:pull,delete', 'registry:catalog:*'])).toEqual([
      { type: 'repository', name: 'team/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'other/x', actions: ['pull', 'delete'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
  });

  it('treats the deprecated repository(plugin) class as repository', () => {
    expect(parseScopes(['repository(plugin):team/app:pull'])).toEqual([{ type: 'repository', name: 'team/app', actions: ['pull'] }]);
  });

  it.each([['repository:Team/App:pull'], ['repository:a/../b:pull'], ['repository::pull'], ['nonsense'], ['registry:other:*'], ['user:bob:read'], ['']])(
    'drops %j (invalid name or unknown resource) instead of failing the request',
    (value) => {
      expect(parseScopes([value])).toEqual([]);
    },
  );

  it(`keeps at most ${MAX_SCOPES} resources, so that 200 scopes cost bounded work (reliability §4(a) #28)`, () => {
    const many = Array.from({ length: 200 }, (_, i) => `repository:team/app-${i}:pull`);
    const parsed = parseScopes([many.join(' ')]);
    expect(parsed).toHaveLength(MAX_SCOPES);
    expect(parsed[0]!.name).toBe('team/app-0');
    expect(parseScopes([...many, 'repository:team/app-0:push']).find((s) => s.name === 'team/app-0')!.actions).toEqual(['pull', 'push']);
  });

  it('keeps a repository whose actions are empty (a scope may ask for nothing)', () => {
    expect(parseScopes(['repository:team/app:'])).toEqual([{ type: 'repository', name: 'team/app', actions: [] }]);
  });
});

describe('requiredAccess', () => {
  const manifest = { kind: 'manifest', name: 'team/app', reference: 'latest' } as const;
  const blob = { kind: 'blob', name: 'team/app', digest: DIGEST } as const;

  it.each([
    ['GET', manifest, ['pull']],
    ['HEAD', manifest, ['pull']],
    ['PUT', manifest, ['pull', 'push']],
    ['DELETE', manifest, ['delete']],
    ['GET', blob, ['pull']],
    ['DELETE', blob, ['delete']],
    ['POST', { kind: 'uploads', name: 'team/app' }, ['pull', 'push']],
    ['PATCH', { kind: 'upload', name: 'team/app', uploadId: 'u' }, ['pull', 'push']],
    ['PUT', { kind: 'upload', name: 'team/app', uploadId: 'u' }, ['pull', 'push']],
    // Cancelling an upload belongs to pushing (protocol.md §6, recommended deviation).
    ['DELETE', { kind: 'upload', name: 'team/app', uploadId: 'u' }, ['pull', 'push']],
    ['GET', { kind: 'tags', name: 'team/app' }, ['pull']],
    ['GET', { kind: 'referrers', name: 'team/app', digest: DIGEST }, ['pull']],
  ] as const)('%s %j needs %j on the repository', (method, route, actions) => {
    expect(requiredAccess(route, method)).toEqual([{ type: 'repository', name: 'team/app', actions }]);
  });

  it('asks for nothing on /v2/ and for registry:catalog:* on the catalog', () => {
    expect(requiredAccess({ kind: 'base' }, 'GET')).toEqual([]);
    expect(requiredAccess({ kind: 'catalog' }, 'GET')).toEqual([CATALOG_SCOPE]);
  });

  it('wants pull on the source of a well-formed mount, apart from what the request needs', () => {
    const uploads = { kind: 'uploads', name: 'team/app' } as const;
    expect(mountSourceAccess(uploads, 'POST', { mount: DIGEST, from: 'other/base' })).toEqual({ type: 'repository', name: 'other/base', actions: ['pull'] });
    expect(mountSourceAccess(uploads, 'POST', { mount: 'nope', from: 'other/base' })).toBeUndefined();
    expect(mountSourceAccess(uploads, 'POST', { mount: DIGEST, from: 'Bad Name' })).toBeUndefined();
    expect(mountSourceAccess(uploads, 'POST', { mount: DIGEST })).toBeUndefined();
    expect(mountSourceAccess(uploads, 'POST', { mount: DIGEST, from: 'team/app' })).toEqual({ type: 'repository', name: 'team/app', actions: ['pull'] });
    expect(mountSourceAccess({ kind: 'upload', name: 'team/app', uploadId: 'u' }, 'PUT', { mount: DIGEST, from: 'other/base' })).toBeUndefined();
  });
});

describe('bearerChallenge', () => {
  it('carries an absolute realm, the service and every needed scope in one space-separated value', () => {
    expect(
      bearerChallenge({
        realm: 'https://reg.example/token',
        service: 'reg.example',
        scopes: [
          { type: 'repository', name: 'dst/app', actions: ['pull', 'push'] },
          { type: 'repository', name: 'src/app', actions: ['pull'] },
        ],
        error: 'insufficient_scope',
      }),
    ).toBe('Bearer realm="https://reg.example/token",service="reg.example",scope="repository:dst/app:pull,push repository:src/app:pull",error="insufficient_scope"');
  });

  it('has no scope for /v2/ and escapes quotes', () => {
    expect(bearerChallenge({ realm: 'http://h/token', service: 'a"b' })).toBe('Bearer realm="http://h/token",service="a\\"b"');
  });
});

describe('grantCovers', () => {
  const granted = [
    { type: 'repository', name: 'team/app', actions: ['pull', 'push'] },
    { type: 'registry', name: 'catalog', actions: ['*'] },
  ];

  it('needs every action of every scope', () => {
    expect(grantCovers(granted, [{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }])).toBe(true);
    expect(grantCovers(granted, [{ type: 'repository', name: 'team/app', actions: ['delete'] }])).toBe(false);
    expect(grantCovers(granted, [{ type: 'repository', name: 'team/other', actions: ['pull'] }])).toBe(false);
    expect(grantCovers(granted, [CATALOG_SCOPE])).toBe(true);
    expect(grantCovers([], [])).toBe(true);
  });

  it('does not confuse resource types or prefixes', () => {
    expect(grantCovers(granted, [{ type: 'repository', name: 'catalog', actions: ['pull'] }])).toBe(false);
    expect(grantCovers(granted, [{ type: 'repository', name: 'team/ap', actions: ['pull'] }])).toBe(false);
    expect(grantCovers(granted, [{ type: 'repository', name: 'team/app', actions: ['pull'] }])).toBe(true);
  });
});
