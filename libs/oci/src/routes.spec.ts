import { parseRegistryPath, type RegistryRoute } from './routes';

// Spec (protocol.md §0, §1, §8; reliability §4(a) #19, #20): paths are parsed from the right
// (names hold `/` and words like `blobs` or `manifests`), `/v2` = `/v2/`, uploads with or
// without a trailing slash, segments percent-decoded, then the name validated (§5).
// `parseRegistryPath` receives the path after `/v2/`, without the query string.

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const UUID = '5f0e8d1c-3b2a-4c5d-9e8f-0a1b2c3d4e5f';

const ok = (route: RegistryRoute) => ({ ok: true, route });

describe('parseRegistryPath', () => {
  describe('base and catalog', () => {
    it.each(['', '/'])('%j is the base route (/v2 and /v2/)', (path) => {
      expect(parseRegistryPath(path)).toEqual(ok({ kind: 'base' }));
    });

    it.each(['_catalog', '%5Fcatalog', '%5fcatalog', '_c%61talog'])('parses %s as the catalog (percent-decoded)', (path) => {
      expect(parseRegistryPath(path)).toEqual(ok({ kind: 'catalog' }));
    });
  });

  describe('the route table', () => {
    it.each<[string, RegistryRoute]>([
      ['team/app/tags/list', { kind: 'tags', name: 'team/app' }],
      ['team/app/manifests/latest', { kind: 'manifest', name: 'team/app', reference: 'latest' }],
      [`team/app/manifests/${DIGEST}`, { kind: 'manifest', name: 'team/app', reference: DIGEST }],
      [`team/app/blobs/${DIGEST}`, { kind: 'blob', name: 'team/app', digest: DIGEST }],
      ['team/app/blobs/uploads/', { kind: 'uploads', name: 'team/app' }],
      ['team/app/blobs/uploads', { kind: 'uploads', name: 'team/app' }],
      [`team/app/blobs/uploads/${UUID}`, { kind: 'upload', name: 'team/app', uploadId: UUID }],
      [`team/app/referrers/${DIGEST}`, { kind: 'referrers', name: 'team/app', digest: DIGEST }],
      ['app/tags/list', { kind: 'tags', name: 'app' }],
      ['a/b/c/d/e/manifests/v1', { kind: 'manifest', name: 'a/b/c/d/e', reference: 'v1' }],
    ])('%s', (path, route) => {
      expect(parseRegistryPath(path)).toEqual(ok(route));
    });
  });

  describe('names that contain route keywords', () => {
    it.each<[string, RegistryRoute]>([
      [`blobs/blobs/${DIGEST}`, { kind: 'blob', name: 'blobs', digest: DIGEST }],
      ['blobs/manifests/latest', { kind: 'manifest', name: 'blobs', reference: 'latest' }],
      ['manifests/manifests/latest', { kind: 'manifest', name: 'manifests', reference: 'latest' }],
      [`manifests/blobs/${DIGEST}`, { kind: 'blob', name: 'manifests', digest: DIGEST }],
      ['uploads/blobs/uploads/', { kind: 'uploads', name: 'uploads' }],
      ['blobs/blobs/uploads/', { kind: 'uploads', name: 'blobs' }],
      ['blobs/blobs/uploads', { kind: 'uploads', name: 'blobs' }],
      ['tags/tags/list', { kind: 'tags', name: 'tags' }],
      ['list/tags/list', { kind: 'tags', name: 'list' }],
      ['tags/list/tags/list', { kind: 'tags', name: 'tags/list' }],
      ['referrers/manifests/x', { kind: 'manifest', name: 'referrers', reference: 'x' }],
      ['team/blobs/manifests/latest', { kind: 'manifest', name: 'team/blobs', reference: 'latest' }],
      ['team/manifests/tags/list', { kind: 'tags', name: 'team/manifests' }],
      ['team/tags/manifests/list', { kind: 'manifest', name: 'team/tags', reference: 'list' }],
      ['team/blobs/uploads/manifests/latest', { kind: 'manifest', name: 'team/blobs/uploads', reference: 'latest' }],
      [`team/blobs/uploads/blobs/${DIGEST}`, { kind: 'blob', name: 'team/blobs/uploads', digest: DIGEST }],
      ['team/blobs/uploads/blobs/uploads/', { kind: 'uploads', name: 'team/blobs/uploads' }],
      ['team/blobs/uploads/blobs/uploads', { kind: 'uploads', name: 'team/blobs/uploads' }],
      [`team/blobs/uploads/blobs/uploads/${UUID}`, { kind: 'upload', name: 'team/blobs/uploads', uploadId: UUID }],
      [`team/manifests/blobs/uploads/${UUID}`, { kind: 'upload', name: 'team/manifests', uploadId: UUID }],
      [`team/referrers/referrers/${DIGEST}`, { kind: 'referrers', name: 'team/referrers', digest: DIGEST }],
      [`a/blobs/manifests/tags/list/uploads/blobs/${DIGEST}`, { kind: 'blob', name: 'a/blobs/manifests/tags/list/uploads', digest: DIGEST }],
    ])('%s', (path, route) => {
      expect(parseRegistryPath(path)).toEqual(ok(route));
    });

    // "uploads" is a keyword only after "blobs": an upload whose id reads "uploads" still parses.
    it('reads blobs/uploads/<id> even when the id is a keyword', () => {
      expect(parseRegistryPath('team/blobs/uploads/uploads')).toEqual(ok({ kind: 'upload', name: 'team', uploadId: 'uploads' }));
      expect(parseRegistryPath('team/blobs/uploads/manifests')).toEqual(ok({ kind: 'upload', name: 'team', uploadId: 'manifests' }));
    });
  });

  describe('percent-decoding', () => {
    it.each<[string, RegistryRoute]>([
      [`team/app/blobs/sha256%3A${DIGEST.slice(7)}`, { kind: 'blob', name: 'team/app', digest: DIGEST }],
      [`team/app/manifests/sha256%3a${DIGEST.slice(7)}`, { kind: 'manifest', name: 'team/app', reference: DIGEST }],
      [`team/app/referrers/sha256%3A${DIGEST.slice(7)}`, { kind: 'referrers', name: 'team/app', digest: DIGEST }],
      ['t%65am/app/manifests/latest', { kind: 'manifest', name: 'team/app', reference: 'latest' }],
      ['team/app/%6Danifests/latest', { kind: 'manifest', name: 'team/app', reference: 'latest' }],
      ['team/app/tags/%6Cist', { kind: 'tags', name: 'team/app' }],
      // An encoded slash inside the name yields the same name (as Go's decoded URL.Path does).
      ['team%2Fapp/manifests/latest', { kind: 'manifest', name: 'team/app', reference: 'latest' }],
    ])('%s', (path, route) => {
      expect(parseRegistryPath(path)).toEqual(ok(route));
    });

    it.each([
      ['%2e%2e as a component', 'team/%2e%2e/app/manifests/latest', 'team/../app'],
      ['%2E%2E as a component', '%2E%2E/manifests/latest', '..'],
      ['%2e%2e inside an encoded path', 'team%2F%2e%2e%2Fx/blobs/uploads/', 'team/../x'],
      ['encoded uppercase', 'te%41m/manifests/latest', 'teAm'],
      ['encoded empty component', 'team%2F%2Fapp/tags/list', 'team//app'],
      ['encoded trailing slash', 'team%2F/tags/list', 'team/'],
      ['encoded space', 'team%20app/tags/list', 'team app'],
      ['encoded NUL', 'team%00/tags/list', 'team\u0000'],
    ])('refuses a name with %s', (_label, path, name) => {
      expect(parseRegistryPath(path)).toEqual({ ok: false, reason: 'bad-name', name });
    });

    // Decoded trailing segments are opaque values; their grammar is checked by the handlers
    // (parseDigest / parseReference), which never build a storage key from them.
    it.each<[string, RegistryRoute]>([
      ['team/app/blobs/sha256%3A..%2F..%2Fx', { kind: 'blob', name: 'team/app', digest: 'sha256:../../x' }],
      ['team/app/manifests/%2e%2e', { kind: 'manifest', name: 'team/app', reference: '..' }],
      ['team/app/blobs/uploads/%2e%2e', { kind: 'upload', name: 'team/app', uploadId: '..' }],
    ])('hands decoded values over as they are: %s', (path, route) => {
      expect(parseRegistryPath(path)).toEqual(ok(route));
    });

    it.each(['team%zz/manifests/latest', 'team/app/manifests/%E0%A4%A', 'team/app/blobs/%'])('malformed escapes (%s) are no route', (path) => {
      expect(parseRegistryPath(path)).toEqual({ ok: false, reason: 'no-route' });
    });
  });

  describe('invalid names', () => {
    it.each([
      ['uppercase', 'Team/app/manifests/latest', 'Team/app'],
      ['double slash', 'team//app/manifests/latest', 'team//app'],
      ['leading slash (/v2//team)', '/team/app/tags/list', '/team/app'],
      ['dot-dot', 'team/../app/blobs/uploads/', 'team/../app'],
      ['dot', './app/tags/list', './app'],
      ['leading separator', '-app/tags/list', '-app'],
      ['trailing separator', 'app_/tags/list', 'app_'],
      ['triple underscore', 'a___b/tags/list', 'a___b'],
      ['_catalog as a repository', '_catalog/manifests/latest', '_catalog'],
      ['colon', 'localhost:5000/app/manifests/latest', 'localhost:5000/app'],
    ])('%s', (_label, path, name) => {
      expect(parseRegistryPath(path)).toEqual({ ok: false, reason: 'bad-name', name });
    });

    it('refuses names longer than 255 characters', () => {
      const name = `${'a'.repeat(127)}/${'b'.repeat(128)}`;
      expect(name).toHaveLength(256);
      expect(parseRegistryPath(`${name}/tags/list`)).toEqual({ ok: false, reason: 'bad-name', name });
      const fits = name.slice(1);
      expect(parseRegistryPath(`${fits}/tags/list`)).toEqual(ok({ kind: 'tags', name: fits }));
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['a bare name', 'team/app'],
      ['a single segment', 'team'],
      ['tags without list', 'team/app/tags'],
      ['tags/other', 'team/app/tags/other'],
      ['tags/list with a trailing slash', 'team/app/tags/list/'],
      ['manifests without a reference', 'team/app/manifests'],
      ['an extra segment after the reference', 'team/app/manifests/latest/extra'],
      ['blobs without a digest', 'team/app/blobs'],
      ['an extra segment after the upload id', `team/app/blobs/uploads/${UUID}/x`],
      ['a trailing slash after the upload id', `team/app/blobs/uploads/${UUID}/`],
      ['two trailing slashes on uploads', 'team/app/blobs/uploads//'],
      ['referrers without a digest', 'team/app/referrers'],
      ['an unknown keyword', `team/app/layers/${DIGEST}`],
      ['keywords without a name: manifests', 'manifests/latest'],
      ['keywords without a name: blobs', `blobs/${DIGEST}`],
      ['keywords without a name: uploads', 'blobs/uploads/'],
      ['keywords without a name: uploads without slash', 'blobs/uploads'],
      ['keywords without a name: upload id', `blobs/uploads/${UUID}`],
      ['keywords without a name: tags', 'tags/list'],
      ['keywords without a name: referrers', `referrers/${DIGEST}`],
      ['catalog with a trailing slash', '_catalog/'],
      ['catalog under a name', 'team/_catalog'],
      ['double slash only', '//'],
      ['keywords are case-sensitive', 'team/app/Manifests/latest'],
      ['TAGS/LIST', 'team/app/TAGS/LIST'],
    ])('%s (%j)', (_label, path) => {
      expect(parseRegistryPath(path)).toEqual({ ok: false, reason: 'no-route' });
    });
  });

  it('hands the reference over without validating it (GET of a bad tag must be 404, not 400)', () => {
    expect(parseRegistryPath('team/app/manifests/.INVALID_MANIFEST_NAME')).toEqual(
      ok({ kind: 'manifest', name: 'team/app', reference: '.INVALID_MANIFEST_NAME' }),
    );
  });

  it('keeps tags case-sensitive', () => {
    expect(parseRegistryPath('team/app/manifests/Latest')).toEqual(ok({ kind: 'manifest', name: 'team/app', reference: 'Latest' }));
  });
});
