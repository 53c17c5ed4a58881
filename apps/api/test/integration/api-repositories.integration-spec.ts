import { Role } from '@wharf/authz';

import { createOrganization, createUser, principalOf, unique } from './support/access-fixtures';
import { ApiClient, errorCode, type ApiResponse } from './support/api-client';
import { adminClient, Cast, errorOf, expectInvalid, type Who } from './support/api-org-fixtures';
import { RegistryClient, sha256 } from './support/registry-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Repositories through the management API (issue 5): addressing a name with slashes as one
 * URL-encoded segment, listing what each caller may see with every sort, filter and keyset
 * paging, description and visibility per role (features.md §2), deletion, storage usage, a
 * non-member answered exactly like a missing repository (reliability.md §1, CVE-2019-19030)
 * and bad sorts, orders and cursors (§4(a) rows 30, 31).
 */

interface RepositoryJson {
  name: string;
  namespace: string;
  description: string;
  public: boolean;
  publicOverride: boolean | null;
  tagCount: number;
  lastPushedAt: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor?: string;
}
interface UsageJson {
  repositories: number;
  logicalBytes: number;
  deduplicatedBytes: number;
  blobs: number;
  manifestBytes: number;
  manifests: number;
}
interface PushedImage {
  digest: string;
  manifest: Buffer;
  /** Digest → size of every blob the manifest references, read from the pushed bytes. */
  blobs: Map<string, number>;
}

const path = (name: string) => `/api/v1/repositories/${encodeURIComponent(name)}`;

describe('management API: repositories', () => {
  let app: TestApp;
  let registry: RegistryClient;
  let cast: Cast;
  let admin: ApiClient;
  /** A private organization where the cast holds its roles. */
  let org: string;
  /** A public organization. */
  let pub: string;
  const pushed = new Map<string, PushedImage[]>();

  /** Pushes an image with RegistryClient; remembers its manifest and blobs. */
  async function push(name: string, tag: string, layers: string[]): Promise<PushedImage> {
    const { digest, manifest } = await registry.pushImage(name, tag, layers);
    const parsed = JSON.parse(manifest.toString('utf8')) as { config: { digest: string; size: number }; layers: { digest: string; size: number }[] };
    const image = { digest, manifest, blobs: new Map([parsed.config, ...parsed.layers].map((d) => [d.digest, d.size])) };
    pushed.set(name, [...(pushed.get(name) ?? []), image]);
    return image;
  }

  /** Every page of a listing, following nextCursor; names in the order received. */
  async function allNames(client: ApiClient, query: string): Promise<{ names: string[]; pages: number }> {
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await client.get<Page<RepositoryJson>>(`/api/v1/repositories?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      names.push(...response.body.items.map((item) => item.name));
      cursor = response.body.nextCursor;
      pages++;
    } while (cursor !== undefined);
    return { names, pages };
  }

  const lastPushed = async (name: string) =>
    (await app.query<{ at: Date }>('SELECT max(m.pushed_at) AS at FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = $1', [name]))[0]!.at.toISOString();

  const descriptionOf = async (name: string) => (await app.query<{ description: string }>('SELECT description FROM repository WHERE name = $1', [name]))[0]?.description;

  /** Names whose effective visibility is public, straight from the tables. */
  const publicNames = async () =>
    (await app.query<{ name: string }>('SELECT r.name FROM repository r JOIN namespace n ON n.id = r.namespace_id WHERE COALESCE(r.public, n.public) ORDER BY r.name COLLATE "C"')).map(
      (row) => row.name,
    );

  beforeAll(async () => {
    app = await startTestApp({ env: { WHARF_LOGIN_MAX_FAILURES: '100000', WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } });
    registry = new RegistryClient(app.url);
    cast = await Cast.create(app);
    admin = await adminClient(app);
    org = (await cast.organization('repos')).name;
    pub = unique('pub');
    await createOrganization(app, pub, { public: true });
    // Pushed one after the other: their last push times are in this order.
    await push(`${org}/alpha`, 'latest', ['alpha-layer']);
    await push(`${org}/zeta`, 'latest', ['zeta-layer']);
    await push(`${org}/team/app`, 'v1', ['app-layer-1']);
    await push(`${org}/team/app`, 'v2', ['app-layer-2']);
    await push(`${org}/open`, 'latest', ['open-layer']);
    await app.identity.organizations.setRepositoryVisibility(await app.admin(), `${org}/open`, true);
    await push(`${pub}/web`, 'latest', ['web-layer']);
    await push(`${pub}/secret`, 'latest', ['secret-layer']);
    await app.identity.organizations.setRepositoryVisibility(await app.admin(), `${pub}/secret`, false);
  });
  afterAll(async () => app?.close());

  describe('addressing', () => {
    it('takes the full name as one URL-encoded path segment (%2F, any case) and answers every field', async () => {
      const name = `${org}/team/app`;
      const response = await admin.get<RepositoryJson>(path(name));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        name,
        namespace: org,
        description: '',
        public: false,
        publicOverride: null,
        tagCount: 2,
        lastPushedAt: await lastPushed(name),
        permissions: expect.arrayContaining(['repository:delete', 'tag:delete']),
      });
      const lower = await admin.get<RepositoryJson>(`/api/v1/repositories/${org}%2fteam%2fapp`);
      expect(lower.status).toBe(200);
      expect(lower.body).toEqual(response.body);
    });

    it('matches no route for an unencoded name, and refuses a name outside the grammar with 400', async () => {
      const unencoded = await admin.get(`/api/v1/repositories/${org}/team/app`);
      expect({ status: unencoded.status, code: errorCode(unencoded) }).toEqual({ status: 404, code: 'not_found' });
      for (const bad of [`${org}%2F..%2Fzeta`, `${org}%2FTeam%2Fapp`, `${org}%2F%2Fzeta`, `${org}%2Fzeta%2F`, encodeURIComponent(`${org}/${'a'.repeat(300)}`)]) {
        expectInvalid(await admin.get(`/api/v1/repositories/${bad}`), 'name');
        expectInvalid(await admin.get(`/api/v1/repositories/${bad}/tags`), 'name');
      }
    });

    it('shows the effective visibility and the override', async () => {
      expect((await admin.get<RepositoryJson>(path(`${org}/open`))).body).toMatchObject({ public: true, publicOverride: true });
      expect((await admin.get<RepositoryJson>(path(`${pub}/web`))).body).toMatchObject({ public: true, publicOverride: null });
      expect((await admin.get<RepositoryJson>(path(`${pub}/secret`))).body).toMatchObject({ public: false, publicOverride: false });
    });
  });

  describe('listing', () => {
    const ours = () => [`${org}/alpha`, `${org}/open`, `${org}/team/app`, `${org}/zeta`];

    it('sorts by name in byte order, both ways, each repository once across pages of every size', async () => {
      for (const limit of [1, 2, 3, 100]) {
        const ascending = await allNames(admin, `namespace=${org}&limit=${limit}`);
        expect(ascending.names).toEqual(ours());
        expect(ascending.pages).toBe(Math.max(1, Math.ceil(4 / limit)));
        expect((await allNames(admin, `namespace=${org}&limit=${limit}&sort=name&order=desc`)).names).toEqual([...ours()].reverse());
      }
    });

    it('sorts by last push, newest first by default, both ways', async () => {
      const newestFirst = [`${org}/open`, `${org}/team/app`, `${org}/zeta`, `${org}/alpha`];
      for (const limit of [1, 3, 100]) {
        expect((await allNames(admin, `namespace=${org}&sort=pushed&limit=${limit}`)).names).toEqual(newestFirst);
        expect((await allNames(admin, `namespace=${org}&sort=pushed&order=asc&limit=${limit}`)).names).toEqual([...newestFirst].reverse());
      }
    });

    it('answers every field in a listing', async () => {
      const response = await admin.get<Page<RepositoryJson>>(`/api/v1/repositories?namespace=${org}&q=team`);
      expect(response.body).toEqual({
        items: [{ name: `${org}/team/app`, namespace: org, description: '', public: false, publicOverride: null, tagCount: 2, lastPushedAt: await lastPushed(`${org}/team/app`) }],
      });
    });

    it('filters by a literal, case-insensitive substring of the name and by namespace', async () => {
      expect((await allNames(admin, `namespace=${org}&q=TEAM%2FA`)).names).toEqual([`${org}/team/app`]);
      // The organization's name is `repos` and hex digits: no t in it.
      expect((await allNames(admin, `namespace=${org}&q=T&limit=1`)).names).toEqual([`${org}/team/app`, `${org}/zeta`]);
      // `%` and `_` are no wildcards.
      expect((await allNames(admin, `namespace=${org}&q=%25`)).names).toEqual([]);
      expect((await allNames(admin, `namespace=${org}&q=_`)).names).toEqual([]);
      expect((await allNames(admin, `q=${pub}`)).names).toEqual([`${pub}/secret`, `${pub}/web`]);
      expect((await allNames(admin, `namespace=${unique('nobody')}`)).names).toEqual([]);
    });

    it.each<Who>(['anonymous', 'non-member'])('shows a caller who is %s public repositories only, across pages that skip the others', async (who) => {
      const client = cast.clients[who];
      const expected = await publicNames();
      expect(expected).toEqual(expect.arrayContaining([`${org}/open`, `${pub}/web`]));
      expect(expected).not.toContain(`${pub}/secret`);
      for (const limit of [1, 2, 100]) expect((await allNames(client, `limit=${limit}`)).names).toEqual(expected);
      expect((await allNames(client, `namespace=${org}&limit=1`)).names).toEqual([`${org}/open`]);
      expect((await allNames(client, `namespace=${pub}&sort=pushed&limit=1`)).names).toEqual([`${pub}/web`]);
    });

    it('narrows a personal access token limited to some repositories to those (and public content), page after page', async () => {
      const owner = await principalOf(app, cast.users[Role.Admin]);
      const { secret } = await app.identity.accounts.createPersonalToken(owner, { name: unique('limited'), scope: 'read', repositories: [`${org}/team/*`] });
      const client = new ApiClient(app.url).withToken(secret);
      for (const limit of [1, 100]) expect((await allNames(client, `namespace=${org}&limit=${limit}`)).names).toEqual([`${org}/open`, `${org}/team/app`]);
      expect((await client.get(path(`${org}/alpha`))).status).toBe(404);
      expect((await client.get(path(`${org}/team/app`))).status).toBe(200);
    });

    it('shows every member, limited guests included, the whole organization', async () => {
      for (const role of [Role.LimitedGuest, Role.Guest, Role.Developer]) {
        expect((await allNames(cast.clients[role], `namespace=${org}&limit=2`)).names).toEqual(ours());
        expect((await allNames(cast.clients[role], `namespace=${pub}`)).names).toEqual([`${pub}/web`]);
      }
    });
  });

  describe('refusing bad sorts, orders, limits and cursors (§4(a) rows 30, 31)', () => {
    it('refuses a sort or order outside the allow-list, and SQL in them, before any query', async () => {
      expectInvalid(await admin.get('/api/v1/repositories?sort=size'), 'sort');
      expectInvalid(await admin.get('/api/v1/repositories?sort=created_at'), 'sort');
      expectInvalid(await admin.get('/api/v1/repositories?sort=name&sort=pushed'), 'sort');
      expectInvalid(await admin.get('/api/v1/repositories?order=sideways'), 'order');
      const started = Date.now();
      const injected = await admin.get(`/api/v1/repositories?sort=${encodeURIComponent('name;select pg_sleep(5)')}`);
      expect(Date.now() - started).toBeLessThan(4000);
      expectInvalid(injected, 'sort');
      expectInvalid(await admin.get(`/api/v1/repositories?order=${encodeURIComponent("asc, (select pg_sleep(5))")}`), 'order');
    });

    it('refuses a limit outside 1..100, an unknown parameter and NUL in a filter', async () => {
      for (const limit of ['0', '101', '-1', 'abc', '1.5']) expectInvalid(await admin.get(`/api/v1/repositories?limit=${limit}`), 'limit');
      expectInvalid(await admin.get('/api/v1/repositories?owner=1'), 'owner');
      expectInvalid(await admin.get('/api/v1/repositories?q=a%00b'), 'q');
    });

    it('refuses a garbage cursor, a cursor of another sort and a cursor holding the wrong kinds of values', async () => {
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const cursor of ['!!!', 'abc', encode({ a: 1 }), encode(['name']), encode(['pushed', 'not a time', 'x']), encode(['pushed', '2024-13-45T00:00:00.000000Z', 'x']), encode(['name', 5])]) {
        expectInvalid(await admin.get(`/api/v1/repositories?cursor=${encodeURIComponent(cursor)}`), 'cursor');
      }
      const first = await admin.get<Page<RepositoryJson>>(`/api/v1/repositories?namespace=${org}&limit=1`);
      expectInvalid(await admin.get(`/api/v1/repositories?namespace=${org}&sort=pushed&cursor=${first.body.nextCursor}`), 'cursor');
      // A well-formed cursor is only ever a keyset value: SQL in it is compared, never run.
      const quoted = await admin.get<Page<RepositoryJson>>(`/api/v1/repositories?namespace=${org}&cursor=${encode(['name', `${org}/b' OR '1'='1`])}`);
      expect(quoted.status).toBe(200);
      expect(quoted.body.items.map((item) => item.name)).toEqual([`${org}/open`, `${org}/team/app`, `${org}/zeta`]);
    });
  });

  describe('what the caller may do, for the portal to show only usable controls', () => {
    // Harbor's matrix (features.md §2), written out here independently of libs/authz.
    const expected: Record<Role, string[]> = {
      [Role.LimitedGuest]: ['repository:read', 'repository:pull'],
      [Role.Guest]: ['repository:read', 'repository:pull'],
      [Role.Developer]: ['repository:read', 'repository:pull', 'repository:push', 'repository:update'],
      [Role.Maintainer]: ['repository:read', 'repository:pull', 'repository:push', 'repository:update', 'repository:delete', 'artifact:delete', 'tag:delete'],
      [Role.Admin]: ['repository:read', 'repository:pull', 'repository:push', 'repository:update', 'repository:delete', 'artifact:delete', 'tag:delete'],
    };
    const repositoryPermissions = (permissions: string[]) => permissions.filter((p) => /^(repository|artifact|tag):/.test(p)).sort();

    it.each(Object.values(Role))('lists the repository permissions of a %s on GET of one repository', async (role) => {
      const response = await cast.clients[role].get<RepositoryJson & { permissions: string[] }>(`/api/v1/repositories/${encodeURIComponent(`${org}/alpha`)}`);
      expect(response.status).toBe(200);
      expect(repositoryPermissions(response.body.permissions)).toEqual([...expected[role]].sort());
    });

    it('gives an anonymous caller of a public repository read and pull only', async () => {
      const response = await cast.clients.anonymous.get<RepositoryJson & { permissions: string[] }>(`/api/v1/repositories/${encodeURIComponent(`${pub}/web`)}`);
      expect(response.status).toBe(200);
      expect(response.body.permissions.sort()).toEqual(['namespace:read', 'repository:pull', 'repository:read']);
    });
  });

  describe('a caller who may not see a repository', () => {
    const endpoints = (name: string) => [path(name), `${path(name)}/tags`, `${path(name)}/artifacts`, `${path(name)}/usage`, `${path(name)}/artifacts/${sha256('x')}`];

    it.each<Who>(['non-member', 'anonymous'])('gets, as %s, the answer a missing repository gets, on every endpoint', async (who) => {
      const client = cast.clients[who];
      const missingInOrg = endpoints(`${org}/nope`);
      const missingNamespace = endpoints(`${unique('ghost')}/app`);
      for (const [i, url] of endpoints(`${org}/team/app`).entries()) {
        const hidden = await client.get(url);
        expect({ status: hidden.status, body: hidden.body }).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'repository not found' } } });
        for (const other of [missingInOrg[i]!, missingNamespace[i]!]) {
          const missing = await client.get(other);
          expect({ status: missing.status, body: missing.body }).toEqual({ status: hidden.status, body: hidden.body });
        }
      }
    });

    it('gets 404 for changes too, and nothing changes', async () => {
      const response = await cast.clients['non-member'].patch(path(`${org}/team/app`), { description: 'owned' });
      expect({ status: response.status, code: errorCode(response) }).toEqual({ status: 404, code: 'not_found' });
      const deleted = await cast.clients['non-member'].delete(path(`${org}/team/app`));
      expect({ status: deleted.status, code: errorCode(deleted) }).toEqual({ status: 404, code: 'not_found' });
      expect(await descriptionOf(`${org}/team/app`)).toBe('');
      expect((await cast.clients.anonymous.delete(path(`${org}/team/app`))).status).toBe(401);
    });

    it('is a robot: it has no way into the management API', async () => {
      expect((await cast.clients.robot.get(path(`${org}/team/app`))).status).toBe(401);
    });
  });

  describe('description', () => {
    const markdown = '# App\n\n<img src=x onerror="alert(1)"> **bold** — ünïcødé 🚢\n';

    it.each<[Who, number]>([
      [Role.LimitedGuest, 403],
      [Role.Guest, 403],
      ['admin read token', 403],
      [Role.Developer, 200],
      [Role.Maintainer, 200],
      [Role.Admin, 200],
    ])('as %s: %d', async (who, status) => {
      const name = `${org}/alpha`;
      await app.query("UPDATE repository SET description = '' WHERE name = $1", [name]);
      const text = `${markdown}by ${who}`;
      const response = await cast.clients[who].patch<RepositoryJson>(path(name), { description: text });
      expect(response.status).toBe(status);
      if (status === 200) {
        expect(response.body).toMatchObject({ name, description: text, public: false, publicOverride: null });
        // Stored exactly as sent: the portal sanitises when it renders.
        expect(await descriptionOf(name)).toBe(text);
        expect((await cast.clients[Role.LimitedGuest].get<RepositoryJson>(path(name))).body.description).toBe(text);
      } else {
        expect(errorCode(response)).toBe('forbidden');
        expect(await descriptionOf(name)).toBe('');
      }
    });

    it('takes up to 64 KiB in UTF-8 bytes, not characters', async () => {
      const name = `${org}/zeta`;
      const fits = 'é'.repeat(32 * 1024);
      expect((await cast.clients[Role.Developer].patch(path(name), { description: fits })).status).toBe(200);
      expect(await descriptionOf(name)).toBe(fits);
      expectInvalid(await cast.clients[Role.Developer].patch(path(name), { description: `${fits}é` }), 'description');
      expect(await descriptionOf(name)).toBe(fits);
      expect((await cast.clients[Role.Developer].patch(path(name), { description: '' })).status).toBe(200);
      expect(await descriptionOf(name)).toBe('');
    });

    it('refuses NUL, a non-string, and unknown fields (no mass assignment)', async () => {
      const name = `${org}/zeta`;
      const developer = cast.clients[Role.Developer];
      expectInvalid(await developer.patch(path(name), { description: 'a\u0000b' }), 'description');
      expectInvalid(await developer.patch(path(name), { description: 5 }), 'description');
      expectInvalid(await developer.patch(path(name), { description: 'x', namespaceId: '1' }), 'namespaceId');
      expectInvalid(await developer.patch(path(name), { name: `${pub}/zeta` }), 'name');
      expect(await app.query('SELECT name FROM repository WHERE name = $1', [`${pub}/zeta`])).toEqual([]);
      expect(await descriptionOf(name)).toBe('');
    });
  });

  describe('visibility override', () => {
    const name = () => `${org}/zeta`;
    const overrideOf = async () => (await app.query<{ public: boolean | null }>('SELECT public FROM repository WHERE name = $1', [name()]))[0]!.public;

    it.each<Who>([Role.Developer, Role.Maintainer])('is refused to a %s (an organization setting, Harbor #20409)', async (who) => {
      const response = await cast.clients[who].patch(path(name()), { public: true });
      expect({ status: response.status, code: errorCode(response) }).toEqual({ status: 403, code: 'forbidden' });
      expect(await overrideOf()).toBeNull();
    });

    it('checks every permission before changing anything', async () => {
      const response = await cast.clients[Role.Developer].patch(path(name()), { description: 'half', public: true });
      expect(response.status).toBe(403);
      expect(await descriptionOf(name())).toBe('');
      expect(await overrideOf()).toBeNull();
    });

    it('is set and cleared by an organization admin; anonymous callers follow it', async () => {
      const orgAdmin = cast.clients[Role.Admin];
      expect((await cast.clients.anonymous.get(path(name()))).status).toBe(404);
      const opened = await orgAdmin.patch<RepositoryJson>(path(name()), { public: true, description: 'now public' });
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ public: true, publicOverride: true, description: 'now public' });
      expect(await overrideOf()).toBe(true);
      expect((await cast.clients.anonymous.get<RepositoryJson>(path(name()))).body).toMatchObject({ name: name(), public: true });
      expect((await allNames(cast.clients.anonymous, `namespace=${org}`)).names).toEqual([`${org}/open`, name()]);

      const cleared = await orgAdmin.patch<RepositoryJson>(path(name()), { public: null });
      expect(cleared.body).toMatchObject({ public: false, publicOverride: null, description: 'now public' });
      expect(await overrideOf()).toBeNull();
      expect((await cast.clients.anonymous.get(path(name()))).status).toBe(404);
      await orgAdmin.patch(path(name()), { description: '' });
    });

    it('refuses a value that is not true, false or null', async () => {
      expectInvalid(await cast.clients[Role.Admin].patch(path(name()), { public: 'yes' }), 'public');
      expectInvalid(await cast.clients[Role.Admin].patch(path(name()), { public: 1 }), 'public');
      expect(await overrideOf()).toBeNull();
    });

    it('does not exist for a personal namespace', async () => {
      const owner = await createUser(app);
      const name = `${owner.username}/tools`;
      await push(name, 'latest', ['tools-layer']);
      const client = await new ApiClient(app.url).signIn(owner.username, owner.password);
      expectInvalid(await client.patch(path(name), { public: true }), 'public');
      expect((await client.patch<RepositoryJson>(path(name), { description: 'mine' })).body).toMatchObject({ namespace: owner.username, description: 'mine' });
    });
  });

  describe('deletion', () => {
    it('is for maintainers and up; it removes tags, manifests, links and uploads, and leaves shared blobs to the others', async () => {
      const name = `${org}/doomed`;
      const image = await push(name, 'v1', ['alpha-layer', 'doomed-layer']);
      await push(name, 'v2', ['doomed-layer-2']);
      const upload = await registry.startUpload(name);
      const shared = sha256('alpha-layer');
      const rowsOf = async () =>
        (
          await app.query<{ v: string }>(
            `SELECT 'manifest ' || m.digest AS v FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = $1
             UNION ALL SELECT 'tag ' || t.name FROM tag t JOIN repository r ON r.id = t.repository_id WHERE r.name = $1
             UNION ALL SELECT 'link ' || rb.digest FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id WHERE r.name = $1
             UNION ALL SELECT 'upload ' || u.id FROM upload u JOIN repository r ON r.id = u.repository_id WHERE r.name = $1
             UNION ALL SELECT 'repository ' || name FROM repository WHERE name = $1 ORDER BY 1`,
            [name],
          )
        ).map((row) => row.v);
      const before = await rowsOf();
      expect(before).toContain(`upload ${upload.split('/').pop()!.split('?')[0]}`);
      expect(before.filter((row) => row.startsWith('manifest '))).toHaveLength(2);

      for (const who of [Role.LimitedGuest, Role.Guest, Role.Developer, 'admin read token'] as const) {
        const response = await cast.clients[who].delete(path(name));
        expect({ who, status: response.status, code: errorCode(response) }).toEqual({ who, status: 403, code: 'forbidden' });
        expect(await rowsOf()).toEqual(before);
      }

      const deleted = await cast.clients[Role.Maintainer].delete(path(name));
      expect(deleted.status).toBe(204);
      expect(await rowsOf()).toEqual([]);
      expect((await cast.clients[Role.Maintainer].get(path(name))).status).toBe(404);
      // Blobs are deduplicated: the layer shared with another repository stays, and so do the others' bytes.
      expect((await app.query('SELECT digest FROM blob WHERE digest = ANY($1::text[])', [[...image.blobs.keys()]])).length).toBe(image.blobs.size);
      const blob = await registry.request(`/v2/${org}/alpha/blobs/${shared}`, { method: 'GET' });
      expect({ status: blob.status, body: blob.body.toString() }).toEqual({ status: 200, body: 'alpha-layer' });
      expect((await registry.request(`/v2/${name}/manifests/v1`, { method: 'GET' })).status).toBe(404);

      // The name can be pushed to again, and starts empty.
      await push(name, 'fresh', ['fresh-layer']);
      expect((await admin.get<RepositoryJson>(path(name))).body).toMatchObject({ tagCount: 1, description: '' });
      expect((await admin.delete(path(name))).status).toBe(204);
    });

    it('answers 404 for a repository that does not exist', async () => {
      const response = await cast.clients[Role.Admin].delete(path(`${org}/never`));
      expect({ status: response.status, code: errorCode(response) }).toEqual({ status: 404, code: 'not_found' });
    });
  });

  describe('storage usage', () => {
    let usageOrg: string;

    const sum = (sizes: Iterable<number>) => [...sizes].reduce((a, b) => a + b, 0);
    const blobsOf = (name: string) => new Map((pushed.get(name) ?? []).flatMap((image) => [...image.blobs]));
    const manifestBytesOf = (name: string) => sum((pushed.get(name) ?? []).map((image) => image.manifest.length));

    beforeAll(async () => {
      usageOrg = (await cast.organization('usage')).name;
      await push(`${usageOrg}/one`, 'v1', ['shared-by-both', 'only-in-one']);
      await push(`${usageOrg}/one`, 'v2', ['shared-by-both', 'one-again-longer']);
      await push(`${usageOrg}/two`, 'v1', ['shared-by-both', 'only-in-two-even-longer']);
    });

    it('of a repository: each blob it links once, the same logical and deduplicated, plus its manifests', async () => {
      const name = `${usageOrg}/one`;
      const blobs = blobsOf(name);
      expect(blobs.size).toBe(4); // one config shared by both images, three layers
      const response = await cast.clients[Role.LimitedGuest].get<UsageJson>(`${path(name)}/usage`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        repositories: 1,
        logicalBytes: sum(blobs.values()),
        deduplicatedBytes: sum(blobs.values()),
        blobs: 4,
        manifestBytes: manifestBytesOf(name),
        manifests: 2,
      });
    });

    it('of an organization: logical sums its repositories, deduplicated counts each blob once', async () => {
      const one = blobsOf(`${usageOrg}/one`);
      const two = blobsOf(`${usageOrg}/two`);
      const distinct = new Map([...one, ...two]);
      expect(distinct.size).toBe(5);
      const response = await cast.clients[Role.Guest].get<UsageJson>(`/api/v1/orgs/${usageOrg}/usage`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        repositories: 2,
        logicalBytes: sum(one.values()) + sum(two.values()),
        deduplicatedBytes: sum(distinct.values()),
        blobs: 5,
        manifestBytes: manifestBytesOf(`${usageOrg}/one`) + manifestBytesOf(`${usageOrg}/two`),
        manifests: 3,
      });
      expect(response.body.deduplicatedBytes).toBeLessThan(response.body.logicalBytes);
    });

    it('counts for each caller only the repositories it may read', async () => {
      const web = blobsOf(`${pub}/web`);
      const all = new Map([...web, ...blobsOf(`${pub}/secret`)]);
      const anonymous = await cast.clients.anonymous.get<UsageJson>(`/api/v1/orgs/${pub}/usage`);
      expect(anonymous.body).toMatchObject({ repositories: 1, logicalBytes: sum(web.values()), manifestBytes: manifestBytesOf(`${pub}/web`) });
      const everything = await admin.get<UsageJson>(`/api/v1/orgs/${pub}/usage`);
      expect(everything.body).toMatchObject({ repositories: 2, deduplicatedBytes: sum(all.values()) });
    });

    it('of an organization the caller may not see is 404, like one that does not exist', async () => {
      const hidden = await cast.clients['non-member'].get(`/api/v1/orgs/${usageOrg}/usage`);
      const missing = await cast.clients['non-member'].get(`/api/v1/orgs/${unique('ghost')}/usage`);
      expect({ status: hidden.status, body: hidden.body }).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'organization not found' } } });
      expect({ status: missing.status, body: missing.body }).toEqual({ status: hidden.status, body: hidden.body });
      expect(errorOf((await cast.clients.anonymous.get(`/api/v1/orgs/${usageOrg}/usage`)) as ApiResponse).code).toBe('not_found');
    });
  });
});
