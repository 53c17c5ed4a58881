import { Role } from '@wharf/authz';

import { adminRegistry, createRobot, createUser, expectInvalidToken, grantOf, requestToken, unique, userWithRole, type TestUser } from './support/access-fixtures';
import { ApiClient, errorCode, type ApiResponse } from './support/api-client';
import { adminClient, Cast, expectInvalid, organizationRows, tokenClient, type Operation } from './support/api-org-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Organizations, members, teams and roles through the management API (issue 5), on the real
 * server and PostgreSQL: every endpoint, refusals for every role of the Harbor matrix
 * (features.md §2), IDOR attempts with another organization's ids (GHSA-wqpf-jx24-7hmp), a
 * deleted name taken again (reliability.md §4c row 23), bad inputs (§4a rows 30, 31) and
 * paging. Robots are in api-robots.integration-spec.ts.
 */

interface OrgJson {
  name: string;
  description: string;
  public: boolean;
  role: Role | null;
  repositoryCount: number;
  createdAt: string;
}
interface Page<T> {
  items: T[];
  nextCursor?: string;
}
interface MemberJson {
  name: string;
  role: Role;
}
interface TeamJson {
  id: string;
  name: string;
  role: Role;
}

describe('management API: organizations, members, teams', () => {
  let app: TestApp;
  let cast: Cast;
  let admin: ApiClient;

  beforeAll(async () => {
    // Every robot call below is a failed Bearer login: keep the throttle out of the answers.
    app = await startTestApp({ authenticate: false, env: { WHARF_LOGIN_MAX_FAILURES: '100000', WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } });
    cast = await Cast.create(app);
    admin = await adminClient(app);
  });
  afterAll(async () => app?.close());

  /** Every page of a listing, following nextCursor. */
  async function allPages<T>(client: ApiClient, path: string): Promise<{ pages: T[][]; items: T[] }> {
    const pages: T[][] = [];
    let cursor: string | undefined;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const response = await client.get<Page<T>>(`${path}${cursor ? `${separator}cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items);
      cursor = response.body.nextCursor;
      if (pages.length > 100) throw new Error('paging does not end');
    } while (cursor);
    return { pages, items: pages.flat() };
  }

  const names = (page: { items: { name: string }[] }) => page.items.map((item) => item.name);

  describe('permissions: every endpoint × every caller (Harbor matrix, features.md §2)', () => {
    const G = Role.Guest;
    const PA = Role.Admin;
    const read = (name: string, minimum: Role, path: (org: { name: string; teamId: string }) => string, audience: Operation['audience'] = 'signed-in'): Operation => ({
      name,
      audience,
      minimum,
      reads: true,
      ok: 200,
      call: (client, org) => client.get(path(org)),
    });
    const write = (name: string, ok: number, call: Operation['call']): Operation => ({ name, audience: 'signed-in', minimum: PA, reads: false, ok, call });

    const operations: Operation[] = [
      read('GET /orgs/{org}', Role.LimitedGuest, (org) => `/api/v1/orgs/${org.name}`, 'anyone'),
      write('PATCH /orgs/{org} (GHSA-hw28-333w-qxp3: maintainers may not)', 200, (client, org) => client.patch(`/api/v1/orgs/${org.name}`, { public: true, description: 'changed' })),
      write('DELETE /orgs/{org}', 204, (client, org) => client.delete(`/api/v1/orgs/${org.name}?force=true`)),
      read('GET /orgs/{org}/members', G, (org) => `/api/v1/orgs/${org.name}/members`),
      write('PUT /orgs/{org}/members/{user} (add)', 200, (client, org) => client.put(`/api/v1/orgs/${org.name}/members/${org.outsider.username}`, { role: 'developer' })),
      write('PUT /orgs/{org}/members/{user} (change)', 200, (client, org) => client.put(`/api/v1/orgs/${org.name}/members/${org.member.username}`, { role: 'admin' })),
      write('DELETE /orgs/{org}/members/{user}', 204, (client, org) => client.delete(`/api/v1/orgs/${org.name}/members/${org.member.username}`)),
      read('GET /orgs/{org}/teams', G, (org) => `/api/v1/orgs/${org.name}/teams`),
      write('POST /orgs/{org}/teams', 201, (client, org) => client.post(`/api/v1/orgs/${org.name}/teams`, { name: 'release', role: 'maintainer' })),
      write('PATCH /orgs/{org}/teams/{id}', 200, (client, org) => client.patch(`/api/v1/orgs/${org.name}/teams/${org.teamId}`, { role: 'admin' })),
      write('DELETE /orgs/{org}/teams/{id}', 204, (client, org) => client.delete(`/api/v1/orgs/${org.name}/teams/${org.teamId}`)),
      read('GET /orgs/{org}/teams/{id}/members', G, (org) => `/api/v1/orgs/${org.name}/teams/${org.teamId}/members`),
      write('PUT /orgs/{org}/teams/{id}/members/{user}', 204, (client, org) => client.put(`/api/v1/orgs/${org.name}/teams/${org.teamId}/members/${org.outsider.username}`)),
      write('DELETE /orgs/{org}/teams/{id}/members/{user}', 204, (client, org) => client.delete(`/api/v1/orgs/${org.name}/teams/${org.teamId}/members/${org.teamMember.username}`)),
    ];

    it.each(operations.map((operation) => [operation.name, operation] as const))('%s', async (_name, operation) => {
      const seen = await cast.sweep(operation);
      // Spelled out once more, so that the expectations are visible in the test itself.
      if (operation.minimum === PA) {
        expect(seen).toMatchObject({ anonymous: 401, robot: 401, 'non-member': 404, 'limited-guest': 403, guest: 403, developer: 403, maintainer: 403, 'admin read token': 403 });
      } else if (operation.minimum === G) {
        expect(seen).toMatchObject({ anonymous: 401, robot: 401, 'non-member': 404, 'limited-guest': 403, guest: 200, developer: 200, maintainer: 200, admin: 200 });
      } else {
        expect(seen).toMatchObject({ anonymous: 404, robot: 401, 'non-member': 404, 'limited-guest': 200, guest: 200, maintainer: 200, admin: 200 });
      }
    });

    it('leaves the organization as the admin asked: the writes above really happened', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      expect((await client.patch(`/api/v1/orgs/${org.name}`, { public: true, description: 'new' })).body).toMatchObject({ name: org.name, public: true, description: 'new', role: 'admin' });
      expect((await client.put(`/api/v1/orgs/${org.name}/members/${org.outsider.username}`, { role: 'developer' })).body).toEqual({ name: org.outsider.username, role: 'developer' });
      expect((await client.delete(`/api/v1/orgs/${org.name}/members/${org.member.username}`)).status).toBe(204);
      expect((await client.put(`/api/v1/orgs/${org.name}/teams/${org.teamId}/members/${org.outsider.username}`)).status).toBe(204);
      expect((await client.delete(`/api/v1/orgs/${org.name}/teams/${org.teamId}/members/${org.teamMember.username}`)).status).toBe(204);
      const rows = await organizationRows(app, org.name);
      expect(rows).toContain(`namespace ${org.name} true new`);
      expect(rows).toContain(`member ${org.outsider.id} developer`);
      expect(rows.some((row) => row.startsWith(`member ${org.member.id} `))).toBe(false);
      expect(rows).toContain(`team member ${org.teamId} ${org.outsider.id}`);
      expect(rows).not.toContain(`team member ${org.teamId} ${org.teamMember.id}`);
    });

    it('answers a public organization to anyone, and still nothing more than reading it', async () => {
      const org = await cast.organization();
      await app.identity.organizations.updateSettings(await app.admin(), org.name, { public: true });
      const anonymous = new ApiClient(app.url);
      const outsider = cast.clients['non-member'];
      for (const client of [anonymous, outsider]) {
        expect((await client.get<OrgJson>(`/api/v1/orgs/${org.name}`)).body).toMatchObject({ name: org.name, public: true, role: null });
      }
      // Members, teams and robots are not public: signed-in outsiders see the organization, so 403.
      expect((await outsider.get(`/api/v1/orgs/${org.name}/members`)).status).toBe(403);
      expect((await outsider.get(`/api/v1/orgs/${org.name}/teams`)).status).toBe(403);
      expect((await anonymous.get(`/api/v1/orgs/${org.name}/members`)).status).toBe(401);
      const before = await organizationRows(app, org.name);
      expect((await outsider.patch(`/api/v1/orgs/${org.name}`, { public: false })).status).toBe(403);
      expect((await outsider.delete(`/api/v1/orgs/${org.name}?force=true`)).status).toBe(403);
      expect((await outsider.put(`/api/v1/orgs/${org.name}/members/${cast.users['non-member'].username}`, { role: 'admin' })).status).toBe(403);
      expect(await organizationRows(app, org.name)).toEqual(before);
    });

    it('lets a read-write token of an organization admin write, within its scope', async () => {
      const org = await cast.organization();
      const token = await tokenClient(app, cast.users[Role.Admin], 'read-write');
      expect((await token.patch(`/api/v1/orgs/${org.name}`, { description: 'by token' })).status).toBe(200);
      expect((await token.put(`/api/v1/orgs/${org.name}/members/${org.outsider.username}`, { role: 'guest' })).status).toBe(200);
      // Deleting needs the read-write-delete scope.
      expect((await token.delete(`/api/v1/orgs/${org.name}`)).status).toBe(403);
      expect(await organizationRows(app, org.name)).toContain(`namespace ${org.name} false by token`);
      // A token limited to other namespaces acts like an outsider here.
      const elsewhere = await tokenClient(app, cast.users[Role.Admin], 'read-write', { namespaces: [unique('other')] });
      expect((await elsewhere.get(`/api/v1/orgs/${org.name}`)).status).toBe(404);
      expect((await elsewhere.patch(`/api/v1/orgs/${org.name}`, { description: 'no' })).status).toBe(404);
    });

    it('answers a private organization to outsiders exactly like one that does not exist', async () => {
      const org = await cast.organization();
      for (const client of [new ApiClient(app.url), cast.clients['non-member']]) {
        const existing = await client.get(`/api/v1/orgs/${org.name}`);
        const missing = await client.get(`/api/v1/orgs/${unique('nothing')}`);
        expect(existing.status).toBe(404);
        expect(existing.body).toEqual(missing.body);
      }
      const signedIn = cast.clients['non-member'];
      for (const path of ['members', 'teams', `teams/${org.teamId}/members`]) {
        const existing = await signedIn.get(`/api/v1/orgs/${org.name}/${path}`);
        const missing = await signedIn.get(`/api/v1/orgs/${unique('nothing')}/${path}`);
        expect({ status: existing.status, body: existing.body }).toEqual({ status: 404, body: missing.body });
      }
    });

    it('refuses a session write without its CSRF token, or from another origin', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const before = await organizationRows(app, org.name);
      for (const headers of [{ 'X-CSRF-Token': '' }, { 'X-CSRF-Token': 'forged' }, { Origin: 'https://evil.example' }] as Record<string, string>[]) {
        for (const response of [
          await client.patch(`/api/v1/orgs/${org.name}`, { public: true }, headers),
          await client.put(`/api/v1/orgs/${org.name}/members/${org.outsider.username}`, { role: 'admin' }, headers),
          await client.post(`/api/v1/orgs/${org.name}/robots`, { name: 'csrf', rules: [{ pattern: '**', actions: ['push'] }] }, headers),
          await client.delete(`/api/v1/orgs/${org.name}?force=true`, headers),
        ]) {
          expect({ status: response.status, code: errorCode(response) }).toEqual({ status: 403, code: 'csrf_failed' });
        }
      }
      expect(await organizationRows(app, org.name)).toEqual(before);
    });

    it("does not treat a user's personal namespace as an organization", async () => {
      const user = cast.users[Role.Admin];
      const self = cast.clients[Role.Admin];
      expect((await self.get(`/api/v1/orgs/${user.username}`)).status).toBe(404);
      expect((await self.get(`/api/v1/orgs/${user.username}/members`)).status).toBe(404);
      expect((await admin.delete(`/api/v1/orgs/${user.username}`)).status).toBe(404);
      expect(await app.query('SELECT kind FROM namespace WHERE name = $1', [user.username])).toEqual([{ kind: 'user' }]);
    });
  });

  describe("the caller's permissions on an organization, for the portal to show only usable controls", () => {
    // Harbor's matrix (features.md §2), written out here independently of libs/authz.
    const management: Record<Role, string[]> = {
      [Role.LimitedGuest]: ['namespace:read'],
      [Role.Guest]: ['member:read', 'namespace:read', 'robot:read'],
      [Role.Developer]: ['member:read', 'namespace:read', 'robot:read'],
      [Role.Maintainer]: ['member:read', 'namespace:read', 'robot:read'],
      [Role.Admin]: ['member:manage', 'member:read', 'namespace:delete', 'namespace:read', 'namespace:update', 'robot:manage', 'robot:read'],
    };
    const pushers = new Set<Role>([Role.Developer, Role.Maintainer, Role.Admin]);

    it.each(Object.values(Role))('answers what a %s may do', async (role) => {
      const org = await cast.organization('perm');
      const response = await cast.clients[role].get<{ permissions: string[]; role: string }>(`/api/v1/orgs/${org.name}`);
      expect(response.status).toBe(200);
      expect(response.body.role).toBe(role);
      expect(response.body.permissions.filter((p) => /^(namespace|member|robot):/.test(p)).sort()).toEqual(management[role]);
      expect(response.body.permissions.includes('repository:push')).toBe(pushers.has(role));
    });
  });

  describe('GET /api/v1/roles', () => {
    it('explains the five roles, weakest first, with exactly the permissions of the Harbor matrix', async () => {
      const response = await new ApiClient(app.url).get<{ items: { role: Role; title: string; description: string; permissions: string[] }[] }>('/api/v1/roles');
      expect(response.status).toBe(200);
      const READ = ['namespace:read', 'repository:read', 'repository:pull'];
      const GUEST = ['namespace:read', 'member:read', 'robot:read', 'repository:read', 'repository:pull'];
      const DEVELOPER = [...GUEST, 'repository:push', 'repository:update'];
      const MAINTAINER = [...DEVELOPER, 'repository:delete', 'artifact:delete', 'tag:delete'];
      const ADMIN = [...MAINTAINER, 'namespace:update', 'namespace:delete', 'member:manage', 'robot:manage'];
      const sorted = (list: string[]) => [...list].sort();
      expect(response.body.items.map((item) => [item.role, sorted(item.permissions)])).toEqual([
        ['limited-guest', sorted(READ)],
        ['guest', sorted(GUEST)],
        ['developer', sorted(DEVELOPER)],
        ['maintainer', sorted(MAINTAINER)],
        ['admin', sorted(ADMIN)],
      ]);
      for (const item of response.body.items) {
        expect(item.title.length).toBeGreaterThan(0);
        expect(item.description.length).toBeGreaterThan(20);
      }
    });
  });

  describe('listing organizations', () => {
    let prefix: string;
    /** Member of `${prefix}-direct` (developer) and of `${prefix}-viateam` through a maintainer team only. */
    let member: TestUser;
    let memberClient: ApiClient;

    beforeAll(async () => {
      prefix = unique('lst');
      const root = await app.admin();
      for (const [suffix, isPublic] of [
        ['direct', false],
        ['hidden', false],
        ['open', true],
        ['viateam', false],
      ] as const) {
        await app.identity.organizations.create(root, { name: `${prefix}-${suffix}`, public: isPublic, description: `the ${suffix} one` });
      }
      member = await userWithRole(app, `${prefix}-direct`, Role.Developer);
      const team = await app.identity.organizations.createTeam(root, `${prefix}-viateam`, { name: 'ops', role: Role.Maintainer });
      await app.identity.organizations.addTeamMember(root, `${prefix}-viateam`, team.id, member.username);
      memberClient = await new ApiClient(app.url).signIn(member.username, member.password);
      const registry = await adminRegistry(app, `${prefix}-direct/a`, `${prefix}-direct/b/c`, `${prefix}-open/x`, `${prefix}-open/secret`);
      await registry.pushImage(`${prefix}-direct/a`, 'v1');
      await registry.pushImage(`${prefix}-direct/b/c`, 'v1');
      await registry.pushImage(`${prefix}-open/x`, 'v1');
      // A private repository in the public organization: outsiders do not even count it.
      await registry.pushImage(`${prefix}-open/secret`, 'v1');
      await app.identity.organizations.setRepositoryVisibility(root, `${prefix}-open/secret`, false);
    });

    it('shows each caller what they may see, with their role and the repository count', async () => {
      const anonymous = await new ApiClient(app.url).get<Page<OrgJson>>(`/api/v1/orgs?q=${prefix}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toEqual({
        items: [{ name: `${prefix}-open`, description: 'the open one', public: true, role: null, repositoryCount: 1, permissions: ['namespace:read'], createdAt: expect.any(String) }],
      });

      const outsider = await cast.clients['non-member'].get<Page<OrgJson>>(`/api/v1/orgs?q=${prefix}`);
      expect(names(outsider.body)).toEqual([`${prefix}-open`]);

      const mine = await memberClient.get<Page<OrgJson>>(`/api/v1/orgs?q=${prefix}`);
      expect(mine.body.items.map((org) => [org.name, org.role, org.repositoryCount, org.public])).toEqual([
        [`${prefix}-direct`, 'developer', 2, false],
        [`${prefix}-open`, null, 1, true],
        [`${prefix}-viateam`, 'maintainer', 0, false],
      ]);

      const everything = await admin.get<Page<OrgJson>>(`/api/v1/orgs?q=${prefix}`);
      expect(everything.body.items.map((org) => [org.name, org.role, org.repositoryCount])).toEqual([
        [`${prefix}-direct`, 'admin', 2],
        [`${prefix}-hidden`, 'admin', 0],
        [`${prefix}-open`, 'admin', 2],
        [`${prefix}-viateam`, 'admin', 0],
      ]);
      // The same counts one organization at a time; a member of it counts its private repositories.
      expect((await new ApiClient(app.url).get<OrgJson>(`/api/v1/orgs/${prefix}-open`)).body.repositoryCount).toBe(1);
      expect((await admin.get<OrgJson>(`/api/v1/orgs/${prefix}-open`)).body.repositoryCount).toBe(2);
      const openGuest = await userWithRole(app, `${prefix}-open`, Role.LimitedGuest);
      const guestClient = await new ApiClient(app.url).signIn(openGuest.username, openGuest.password);
      expect((await guestClient.get<OrgJson>(`/api/v1/orgs/${prefix}-open`)).body).toMatchObject({ role: 'limited-guest', repositoryCount: 2 });
      expect((await memberClient.get<OrgJson>(`/api/v1/orgs/${prefix}-direct`)).body).toMatchObject({ role: 'developer', repositoryCount: 2 });
    });

    it('keeps a token limited to some namespaces to them, filling each page all the same', async () => {
      const root = await app.admin();
      const p = unique('lim');
      for (const suffix of ['a', 'b', 'c', 'd', 'e']) await app.identity.organizations.create(root, { name: `${p}-${suffix}` });
      const user = await createUser(app);
      for (const suffix of ['a', 'b', 'c', 'd', 'e']) await app.identity.organizations.setMember(root, `${p}-${suffix}`, user.username, Role.Guest);
      const limited = await tokenClient(app, user, 'read', { namespaces: [`${p}-b`, `${p}-e`] });
      const first = await limited.get<Page<OrgJson>>(`/api/v1/orgs?q=${p}&limit=1`);
      expect(names(first.body)).toEqual([`${p}-b`]);
      expect(first.body.nextCursor).toBeDefined();
      const second = await limited.get<Page<OrgJson>>(`/api/v1/orgs?q=${p}&limit=1&cursor=${first.body.nextCursor}`);
      expect(names(second.body)).toEqual([`${p}-e`]);
      expect(second.body.nextCursor).toBeUndefined();
      const unlimited = await tokenClient(app, user, 'read');
      expect(names((await unlimited.get<Page<OrgJson>>(`/api/v1/orgs?q=${p}`)).body)).toEqual(['a', 'b', 'c', 'd', 'e'].map((s) => `${p}-${s}`));
    });

    it('filters by a literal substring: `_` and `%` are no wildcards (CVE-2026-110697)', async () => {
      const p = unique('lit');
      const root = await app.admin();
      for (const name of [`${p}a_c`, `${p}abc`, `${p}axc`]) await app.identity.organizations.create(root, { name, public: true });
      expect(names((await admin.get<Page<OrgJson>>(`/api/v1/orgs?q=${p}a_c`)).body)).toEqual([`${p}a_c`]);
      expect(names((await admin.get<Page<OrgJson>>(`/api/v1/orgs?q=${encodeURIComponent(`${p}a%c`)}`)).body)).toEqual([]);
      expect(names((await admin.get<Page<OrgJson>>(`/api/v1/orgs?q=${p}`)).body)).toEqual([`${p}a_c`, `${p}abc`, `${p}axc`]);
      // Names are lower-case: so is the filter.
      expect(names((await admin.get<Page<OrgJson>>(`/api/v1/orgs?q=${p.toUpperCase()}ABC`)).body)).toEqual([`${p}abc`]);
    });

    describe('paging', () => {
      let p: string;
      let all: string[];

      beforeAll(async () => {
        p = unique('pg');
        all = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((s) => `${p}-${s}`);
        const root = await app.admin();
        // Created out of order: the listing orders by name.
        for (const name of [...all].reverse()) await app.identity.organizations.create(root, { name });
      });

      it.each([1, 2, 3, 6, 7, 8, 100])('walks every organization exactly once with limit=%i', async (limit) => {
        const { pages, items } = await allPages<OrgJson>(admin, `/api/v1/orgs?q=${p}&limit=${limit}`);
        expect(items.map((org) => org.name)).toEqual(all);
        expect(pages.length).toBe(Math.ceil(all.length / limit));
        // No empty last page: the cursor is left out when nothing follows.
        for (const page of pages) expect(page.length).toBeGreaterThan(0);
      });

      it('walks backwards with order=desc, and refuses a cursor of the other order', async () => {
        const { items } = await allPages<OrgJson>(admin, `/api/v1/orgs?q=${p}&limit=3&order=desc&sort=name`);
        expect(items.map((org) => org.name)).toEqual([...all].reverse());
        const ascending = await admin.get<Page<OrgJson>>(`/api/v1/orgs?q=${p}&limit=3`);
        expectInvalid(await admin.get(`/api/v1/orgs?q=${p}&order=desc&cursor=${ascending.body.nextCursor}`), 'cursor');
      });

      it('continues after the row a cursor points at, even once that row is gone', async () => {
        const root = await app.admin();
        const extra = `${p}-c0`;
        await app.identity.organizations.create(root, { name: extra });
        const first = await admin.get<Page<OrgJson>>(`/api/v1/orgs?q=${p}&limit=4`);
        expect(names(first.body)).toEqual([...all.slice(0, 3), extra]);
        await app.identity.organizations.delete(root, extra);
        const rest = await admin.get<Page<OrgJson>>(`/api/v1/orgs?q=${p}&limit=4&cursor=${first.body.nextCursor}`);
        expect(names(rest.body)).toEqual(all.slice(3));
        expect(rest.body.nextCursor).toBeUndefined();
      });

      it('answers an empty page without a cursor when nothing matches', async () => {
        expect((await admin.get(`/api/v1/orgs?q=${unique('none')}`)).body).toEqual({ items: [] });
      });

      it.each([
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=-1', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=1.5', 'limit'],
        ['cursor=not-a-cursor', 'cursor'],
        ['cursor=%27%3B--', 'cursor'],
        [`cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
        [`cursor=${Buffer.from('["asc",1]').toString('base64url')}`, 'cursor'],
        [`cursor=${Buffer.from('["asc","x","y"]').toString('base64url')}`, 'cursor'],
        ['sort=created', 'sort'],
        ['order=up', 'order'],
        ['unknown=1', 'unknown'],
      ])('refuses ?%s naming %s', async (query, field) => {
        expectInvalid(await admin.get(`/api/v1/orgs?${query}`), field);
      });

      it('refuses a filter longer than 255 characters', async () => {
        expectInvalid(await admin.get(`/api/v1/orgs?q=${'a'.repeat(256)}`), 'q');
      });
    });

    it('refuses SQL in sort and order at once, without running it (GHSA-rh89-vvrg-fg64, §4a row 31)', async () => {
      for (const query of ['sort=name;select pg_sleep(5)', 'sort=name%3Bselect%20pg_sleep(5)', 'order=asc,(select pg_sleep(5))', "order=asc';select pg_sleep(5)--"]) {
        const started = Date.now();
        const response = await admin.get(`/api/v1/orgs?${query}`);
        expectInvalid(response, query.split('=')[0]!);
        expect(Date.now() - started).toBeLessThan(2000);
      }
      expect(await app.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()")).toEqual([{ n: 0 }]);
    });
  });

  describe('creating an organization', () => {
    it('makes the creator its admin, and answers 201 with the organization', async () => {
      const user = await createUser(app);
      const client = await new ApiClient(app.url).signIn(user.username, user.password);
      const name = unique('new');
      const response = await client.post<OrgJson>('/api/v1/orgs', { name, public: true, description: 'ours' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ name, description: 'ours', public: true, role: 'admin', repositoryCount: 0, permissions: expect.arrayContaining(['namespace:delete', 'robot:manage', 'repository:push']), createdAt: expect.any(String) });
      expect(await app.query('SELECT n.kind, n.public, m.user_id::text, m.role FROM namespace n JOIN org_member m ON m.namespace_id = n.id WHERE n.name = $1', [name])).toEqual([
        { kind: 'organization', public: true, user_id: user.id, role: 'admin' },
      ]);
      const privateName = unique('new');
      expect((await client.post<OrgJson>('/api/v1/orgs', { name: privateName })).body).toMatchObject({ public: false, description: '' });
    });

    it('refuses a name taken by a user or an organization with 409', async () => {
      const user = await createUser(app);
      const taken = await admin.post('/api/v1/orgs', { name: user.username });
      expect({ status: taken.status, code: errorCode(taken) }).toEqual({ status: 409, code: 'conflict' });
      const name = unique('dup');
      expect((await admin.post('/api/v1/orgs', { name })).status).toBe(201);
      const again = await cast.clients.developer.post('/api/v1/orgs', { name });
      expect({ status: again.status, code: errorCode(again) }).toEqual({ status: 409, code: 'conflict' });
      expect(await app.query('SELECT count(*)::int AS n FROM org_member m JOIN namespace n ON n.id = m.namespace_id WHERE n.name = $1', [name])).toEqual([{ n: 1 }]);
    });

    it('refuses anonymous callers, robots and read tokens, and accepts a read-write token', async () => {
      const name = unique('who');
      expect((await new ApiClient(app.url).post('/api/v1/orgs', { name })).status).toBe(401);
      const robotOrg = await cast.organization();
      expect((await new ApiClient(app.url).withToken(robotOrg.robot.password).post('/api/v1/orgs', { name })).status).toBe(401);
      expect((await cast.clients['admin read token'].post('/api/v1/orgs', { name })).status).toBe(403);
      expect(await app.query('SELECT name FROM namespace WHERE name = $1', [name])).toEqual([]);
      const user = await createUser(app);
      const writer = await tokenClient(app, user, 'read-write');
      expect((await writer.post('/api/v1/orgs', { name })).body).toMatchObject({ name, role: 'admin' });
      expect(await app.query('SELECT m.user_id::text FROM org_member m JOIN namespace n ON n.id = m.namespace_id WHERE n.name = $1', [name])).toEqual([{ user_id: user.id }]);
    });

    it.each([
      ['ownerId', { name: 'x', ownerId: '1' }, 'ownerId'],
      ['orgId', { name: 'x', orgId: '1' }, 'orgId'],
      ['isAdmin', { name: 'x', isAdmin: true }, 'isAdmin'],
      ['members', { name: 'x', members: [{ name: 'admin', role: 'admin' }] }, 'members'],
      ['a name with spaces', { name: 'Has Spaces' }, 'name'],
      ['a name starting with a separator', { name: '-leading' }, 'name'],
      ['a name of 256 characters', { name: 'a'.repeat(256) }, 'name'],
      ['a number for a name', { name: 42 }, 'name'],
      ['no name', {}, 'name'],
      ['a string for public', { name: 'x', public: 'yes' }, 'public'],
      ['null for public', { name: 'x', public: null }, 'public'],
      ['a number for description', { name: 'x', description: 7 }, 'description'],
      ['a description of 4097 characters', { name: 'x', description: 'd'.repeat(4097) }, 'description'],
    ])('refuses %s naming the field, creating nothing (§4a row 30)', async (_label, body, field) => {
      const before = await app.query('SELECT count(*)::int AS n FROM namespace');
      expectInvalid(await cast.clients.developer.post('/api/v1/orgs', body), field);
      expect(await app.query('SELECT count(*)::int AS n FROM namespace')).toEqual(before);
    });
  });

  describe('settings', () => {
    it('changes visibility and description, one at a time or together', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      expect((await client.patch<OrgJson>(`/api/v1/orgs/${org.name}`, { description: 'first' })).body).toMatchObject({ public: false, description: 'first' });
      expect((await client.patch<OrgJson>(`/api/v1/orgs/${org.name}`, { public: true })).body).toMatchObject({ public: true, description: 'first' });
      expect((await client.patch<OrgJson>(`/api/v1/orgs/${org.name}`, {})).body).toMatchObject({ public: true, description: 'first' });
      expect(await app.query('SELECT public, description FROM namespace WHERE name = $1', [org.name])).toEqual([{ public: true, description: 'first' }]);
      // Public now: anyone pulls.
      expect((await new ApiClient(app.url).get(`/api/v1/orgs/${org.name}`)).status).toBe(200);
    });

    it.each([
      [{ isAdmin: true }, 'isAdmin'],
      [{ name: 'renamed' }, 'name'],
      [{ ownerId: '1' }, 'ownerId'],
      [{ public: 'true' }, 'public'],
      [{ public: null }, 'public'],
      [{ description: null }, 'description'],
    ])('refuses %j naming %s, changing nothing', async (body, field) => {
      const org = await cast.organization();
      const before = await organizationRows(app, org.name);
      expectInvalid(await cast.clients[Role.Admin].patch(`/api/v1/orgs/${org.name}`, body), field);
      expect(await organizationRows(app, org.name)).toEqual(before);
    });
  });

  describe('deleting an organization', () => {
    it('refuses while it holds repositories unless forced, then frees the name for someone who inherits nothing (§4c row 23)', async () => {
      const name = unique('gone');
      const creator = await createUser(app);
      const creatorClient = await new ApiClient(app.url).signIn(creator.username, creator.password);
      expect((await creatorClient.post('/api/v1/orgs', { name })).status).toBe(201);
      const developer = await createUser(app);
      expect((await creatorClient.put(`/api/v1/orgs/${name}/members/${developer.username}`, { role: 'developer' })).status).toBe(200);
      const team = await creatorClient.post<TeamJson>(`/api/v1/orgs/${name}/teams`, { name: 'old team', role: 'maintainer' });
      expect((await creatorClient.put(`/api/v1/orgs/${name}/teams/${team.body.id}/members/${developer.username}`)).status).toBe(204);
      const robot = await createRobot(app, name, [{ pattern: '**', actions: ['pull', 'push'] }], 'old');
      const registry = await adminRegistry(app, `${name}/app`);
      await registry.pushImage(`${name}/app`, 'v1');
      expect(await grantOf(app, robot, `repository:${name}/app:pull`)).toEqual([{ type: 'repository', name: `${name}/app`, actions: ['pull'] }]);
      // An upload left unfinished: its bytes must go with the organization.
      const started = await registry.startUpload(`${name}/app`);
      expect(started.status).toBe(202);
      const partial = Buffer.alloc(12_345, 7);
      const patched = await registry.request(started.header('location')!, { method: 'PATCH', body: partial, headers: { 'Content-Type': 'application/octet-stream' } });
      expect(patched.status).toBe(202);
      expect(await app.objectSizes()).toContain(partial.length);

      for (const query of ['', '?force=false']) {
        const refused = await creatorClient.delete(`/api/v1/orgs/${name}${query}`);
        expect({ status: refused.status, code: errorCode(refused) }).toEqual({ status: 409, code: 'conflict' });
      }
      expectInvalid(await creatorClient.delete(`/api/v1/orgs/${name}?force=yes`), 'force');
      expect(await app.query('SELECT name FROM repository WHERE name = $1', [`${name}/app`])).toEqual([{ name: `${name}/app` }]);

      expect((await creatorClient.delete(`/api/v1/orgs/${name}?force=true`)).status).toBe(204);
      expect((await creatorClient.get(`/api/v1/orgs/${name}`)).status).toBe(404);
      expect(await organizationRows(app, name)).toEqual([]);
      expect(await app.query("SELECT name FROM repository WHERE split_part(name, '/', 1) = $1", [name])).toEqual([]);
      expect(await app.objectSizes()).not.toContain(partial.length);
      expect(await app.query('SELECT count(*)::int AS n FROM upload')).toEqual([{ n: 0 }]);

      // Someone else takes the name: nothing of the old organization comes with it.
      const heir = await createUser(app);
      const heirClient = await new ApiClient(app.url).signIn(heir.username, heir.password);
      const recreated = await heirClient.post<OrgJson>('/api/v1/orgs', { name });
      expect(recreated.status).toBe(201);
      expect(recreated.body).toMatchObject({ name, repositoryCount: 0, role: 'admin', public: false });
      expect((await heirClient.get<Page<MemberJson>>(`/api/v1/orgs/${name}/members`)).body).toEqual({ items: [{ name: heir.username, role: 'admin' }] });
      expect((await heirClient.get(`/api/v1/orgs/${name}/teams`)).body).toEqual({ items: [] });
      expect((await heirClient.get(`/api/v1/orgs/${name}/robots`)).body).toEqual({ items: [] });
      expect(await organizationRows(app, name)).toEqual([`member ${heir.id} admin`, `namespace ${name} false `]);
      // The old members and robot have no way in.
      const developerClient = await new ApiClient(app.url).signIn(developer.username, developer.password);
      expect((await developerClient.get(`/api/v1/orgs/${name}`)).status).toBe(404);
      expect((await creatorClient.get(`/api/v1/orgs/${name}`)).status).toBe(404);
      expect(await grantOf(app, developer, `repository:${name}/app:pull,push`)).toEqual([]);
      expect((await requestToken(app, robot, [`repository:${name}/app:pull`])).status).toBe(401);
      // The token issued for the old organization does not reach the new one; a new token finds nothing there.
      expectInvalidToken(await registry.request(`/v2/${name}/app/tags/list`));
      const tags = await (await adminRegistry(app, `${name}/app`)).request(`/v2/${name}/app/tags/list`);
      expect(tags.status).toBe(404);
    });

    it('deletes an organization without repositories without force', async () => {
      const org = await cast.organization();
      expect((await cast.clients[Role.Admin].delete(`/api/v1/orgs/${org.name}`)).status).toBe(204);
      expect(await organizationRows(app, org.name)).toEqual([]);
    });
  });

  describe('members', () => {
    it('adds, changes and removes members; the role takes effect at the token service', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const user = await createUser(app);
      await adminRegistry(app, `${org.name}/app`).then((registry) => registry.pushImage(`${org.name}/app`, 'v1'));
      expect(await grantOf(app, user, `repository:${org.name}/app:pull,push`)).toEqual([]);

      const added = await client.put(`/api/v1/orgs/${org.name}/members/${user.username}`, { role: 'developer' });
      expect({ status: added.status, body: added.body }).toEqual({ status: 200, body: { name: user.username, role: 'developer' } });
      expect(await grantOf(app, user, `repository:${org.name}/app:pull,push`)).toEqual([{ type: 'repository', name: `${org.name}/app`, actions: ['pull', 'push'] }]);

      expect((await client.put(`/api/v1/orgs/${org.name}/members/${user.username}`, { role: 'limited-guest' })).body).toEqual({ name: user.username, role: 'limited-guest' });
      expect(await grantOf(app, user, `repository:${org.name}/app:pull,push`)).toEqual([{ type: 'repository', name: `${org.name}/app`, actions: ['pull'] }]);
      expect(await app.query('SELECT role FROM org_member m JOIN namespace n ON n.id = m.namespace_id WHERE n.name = $1 AND m.user_id = $2', [org.name, user.id])).toEqual([
        { role: 'limited-guest' },
      ]);

      expect((await client.delete(`/api/v1/orgs/${org.name}/members/${user.username}`)).status).toBe(204);
      expect(await grantOf(app, user, `repository:${org.name}/app:pull`)).toEqual([]);
      const again = await client.delete(`/api/v1/orgs/${org.name}/members/${user.username}`);
      expect({ status: again.status, code: errorCode(again) }).toEqual({ status: 404, code: 'not_found' });
    });

    it('keeps the last direct admin: demoting or removing them answers 409 and changes nothing, and of two admins demoting each other at once one stays', async () => {
      const name = unique('owned');
      const creator = await createUser(app);
      const creatorClient = await new ApiClient(app.url).signIn(creator.username, creator.password);
      expect((await creatorClient.post('/api/v1/orgs', { name })).status).toBe(201);
      const adminsOf = async () =>
        (await app.query<{ name: string }>("SELECT u.name FROM org_member m JOIN namespace n ON n.id = m.namespace_id JOIN app_user u ON u.id = m.user_id WHERE n.name = $1 AND m.role = 'admin' ORDER BY u.name", [name])).map((row) => row.name);

      for (const refused of [await creatorClient.put(`/api/v1/orgs/${name}/members/${creator.username}`, { role: 'developer' }), await creatorClient.delete(`/api/v1/orgs/${name}/members/${creator.username}`)]) {
        expect({ status: refused.status, code: errorCode(refused) }).toEqual({ status: 409, code: 'conflict' });
      }
      expect(await adminsOf()).toEqual([creator.username]);
      // A system administrator is held to the same rule.
      const bySystem = await admin.delete(`/api/v1/orgs/${name}/members/${creator.username}`);
      expect(bySystem.status).toBe(409);

      const second = await createUser(app);
      expect((await creatorClient.put(`/api/v1/orgs/${name}/members/${second.username}`, { role: 'admin' })).status).toBe(200);
      const secondClient = await new ApiClient(app.url).signIn(second.username, second.password);
      const demotions = await Promise.all([
        creatorClient.put(`/api/v1/orgs/${name}/members/${second.username}`, { role: 'guest' }),
        secondClient.put(`/api/v1/orgs/${name}/members/${creator.username}`, { role: 'guest' }),
      ]);
      expect(demotions.map((response) => response.status).sort()).toEqual([200, 409]);
      expect(await adminsOf()).toHaveLength(1);

      // With another admin, the former last one may step down.
      const [remaining] = await adminsOf();
      const remainingClient = remaining === creator.username ? creatorClient : secondClient;
      const other = remaining === creator.username ? second : creator;
      expect((await remainingClient.put(`/api/v1/orgs/${name}/members/${other.username}`, { role: 'admin' })).status).toBe(200);
      expect((await remainingClient.delete(`/api/v1/orgs/${name}/members/${remaining}`)).status).toBe(204);
      expect(await adminsOf()).toEqual([other.username]);
    });

    it('lists direct members by name, paged', async () => {
      const org = await cast.organization();
      const { pages, items } = await allPages<MemberJson>(cast.clients.guest, `/api/v1/orgs/${org.name}/members?limit=2`);
      const expected = [...Object.entries(cast.users).filter(([who]) => who !== 'non-member').map(([role, user]) => ({ name: user.username, role })), { name: org.member.username, role: 'guest' }];
      expected.push({ name: 'admin', role: 'admin' });
      expect(items).toEqual(expected.sort((a, b) => (a.name < b.name ? -1 : 1)));
      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
      expectInvalid(await cast.clients.guest.get(`/api/v1/orgs/${org.name}/members?limit=0`), 'limit');
      expectInvalid(await cast.clients.guest.get(`/api/v1/orgs/${org.name}/members?cursor=${Buffer.from('[1]').toString('base64url')}`), 'cursor');
    });

    it.each([
      [{ role: 'owner' }, 'role'],
      [{ role: 'Admin' }, 'role'],
      [{}, 'role'],
      [{ role: 'developer', isAdmin: true }, 'isAdmin'],
      [{ role: 'developer', orgId: '1' }, 'orgId'],
      [{ role: 'developer', userId: '1' }, 'userId'],
    ])('refuses %j naming %s', async (body, field) => {
      const org = await cast.organization();
      const before = await organizationRows(app, org.name);
      expectInvalid(await cast.clients[Role.Admin].put(`/api/v1/orgs/${org.name}/members/${org.outsider.username}`, body), field);
      expect(await organizationRows(app, org.name)).toEqual(before);
    });

    it('answers 404 for a user who does not exist or is no member', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      expect((await client.put(`/api/v1/orgs/${org.name}/members/${unique('ghost')}`, { role: 'guest' })).status).toBe(404);
      expect((await client.delete(`/api/v1/orgs/${org.name}/members/${org.outsider.username}`)).status).toBe(404);
      expect((await client.delete(`/api/v1/orgs/${org.name}/members/${unique('ghost')}`)).status).toBe(404);
    });
  });

  describe('teams', () => {
    it('creates, renames, re-roles and deletes teams; a team gives its members its role', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const user = await createUser(app);
      const userClient = await new ApiClient(app.url).signIn(user.username, user.password);

      const created = await client.post<TeamJson>(`/api/v1/orgs/${org.name}/teams`, { name: 'Release engineering', role: 'developer' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.stringMatching(/^\d+$/), name: 'Release engineering', role: 'developer' });
      const teamId = created.body.id;
      const duplicate = await client.post(`/api/v1/orgs/${org.name}/teams`, { name: 'Release engineering', role: 'guest' });
      expect({ status: duplicate.status, code: errorCode(duplicate) }).toEqual({ status: 409, code: 'conflict' });

      expect((await userClient.get(`/api/v1/orgs/${org.name}`)).status).toBe(404);
      expect((await client.put(`/api/v1/orgs/${org.name}/teams/${teamId}/members/${user.username}`)).status).toBe(204);
      expect((await userClient.get<OrgJson>(`/api/v1/orgs/${org.name}`)).body.role).toBe('developer');
      expect((await client.get(`/api/v1/orgs/${org.name}/teams/${teamId}/members`)).body).toEqual({ items: [{ name: user.username, role: 'developer' }] });
      // Adding twice is no error and no second row.
      expect((await client.put(`/api/v1/orgs/${org.name}/teams/${teamId}/members/${user.username}`)).status).toBe(204);
      expect(await app.query('SELECT count(*)::int AS n FROM team_member WHERE team_id = $1', [teamId])).toEqual([{ n: 1 }]);

      const updated = await client.patch<TeamJson>(`/api/v1/orgs/${org.name}/teams/${teamId}`, { name: 'Releases', role: 'maintainer' });
      expect(updated.body).toEqual({ id: teamId, name: 'Releases', role: 'maintainer' });
      expect((await userClient.get<OrgJson>(`/api/v1/orgs/${org.name}`)).body.role).toBe('maintainer');
      expect((await client.patch<TeamJson>(`/api/v1/orgs/${org.name}/teams/${teamId}`, { role: 'guest' })).body).toEqual({ id: teamId, name: 'Releases', role: 'guest' });
      const clash = await client.patch(`/api/v1/orgs/${org.name}/teams/${teamId}`, { name: 'builders' });
      expect({ status: clash.status, code: errorCode(clash) }).toEqual({ status: 409, code: 'conflict' });

      expect((await client.get<{ items: TeamJson[] }>(`/api/v1/orgs/${org.name}/teams`)).body.items.map((team) => [team.name, team.role])).toEqual([
        ['Releases', 'guest'],
        ['builders', 'guest'],
      ]);

      expect((await client.delete(`/api/v1/orgs/${org.name}/teams/${teamId}/members/${user.username}`)).status).toBe(204);
      expect((await client.delete(`/api/v1/orgs/${org.name}/teams/${teamId}/members/${user.username}`)).status).toBe(404);
      expect((await userClient.get(`/api/v1/orgs/${org.name}`)).status).toBe(404);

      expect((await client.delete(`/api/v1/orgs/${org.name}/teams/${teamId}`)).status).toBe(204);
      expect((await client.get(`/api/v1/orgs/${org.name}/teams/${teamId}/members`)).status).toBe(404);
      expect((await client.delete(`/api/v1/orgs/${org.name}/teams/${teamId}`)).status).toBe(404);
      expect(await app.query('SELECT id FROM team WHERE id = $1', [teamId])).toEqual([]);
    });

    it.each(['abc', '0', '-1', '1.5', '99999999999999999999999', '1%20OR%201=1'])('answers 404 for team id %s, never 500', async (teamId) => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const before = await organizationRows(app, org.name);
      const answers = [
        await client.patch(`/api/v1/orgs/${org.name}/teams/${teamId}`, { role: 'admin' }),
        await client.delete(`/api/v1/orgs/${org.name}/teams/${teamId}`),
        await client.get(`/api/v1/orgs/${org.name}/teams/${teamId}/members`),
        await client.put(`/api/v1/orgs/${org.name}/teams/${teamId}/members/${org.outsider.username}`),
        await client.delete(`/api/v1/orgs/${org.name}/teams/${teamId}/members/${org.teamMember.username}`),
      ];
      expect(answers.map((answer) => [answer.status, errorCode(answer)])).toEqual(answers.map(() => [404, 'not_found']));
      expect(await organizationRows(app, org.name)).toEqual(before);
    });

    it.each([
      [{ name: 'x', role: 'owner' }, 'role'],
      [{ name: '<script>', role: 'guest' }, 'name'],
      [{ name: '', role: 'guest' }, 'name'],
      [{ role: 'guest' }, 'name'],
      [{ name: 'x', role: 'guest', namespaceId: '1' }, 'namespaceId'],
      [{ name: 'x', role: 'guest', orgId: '1' }, 'orgId'],
    ])('refuses to create the team %j naming %s', async (body, field) => {
      const org = await cast.organization();
      const before = await organizationRows(app, org.name);
      expectInvalid(await cast.clients[Role.Admin].post(`/api/v1/orgs/${org.name}/teams`, body), field);
      expect(await organizationRows(app, org.name)).toEqual(before);
    });

    it.each([
      [{ role: 'owner' }, 'role'],
      [{ role: null }, 'role'],
      [{ name: 'bad/name' }, 'name'],
      [{ name: null }, 'name'],
      [{ id: '1' }, 'id'],
      [{ namespaceId: '1' }, 'namespaceId'],
    ])('refuses to change a team with %j naming %s', async (body, field) => {
      const org = await cast.organization();
      const before = await organizationRows(app, org.name);
      expectInvalid(await cast.clients[Role.Admin].patch(`/api/v1/orgs/${org.name}/teams/${org.teamId}`, body), field);
      expect(await organizationRows(app, org.name)).toEqual(before);
    });
  });

  describe("IDOR: another organization's ids through this organization's path (GHSA-wqpf-jx24-7hmp, §4c row 22)", () => {
    it.each(['the admin of x only', 'an admin of both x and y', 'a system administrator'])('%s reaches none of y’s teams or members through /orgs/x', async (who) => {
      const x = await cast.organization('x');
      const y = await cast.organization('y');
      const yOnly = await createUser(app);
      await app.identity.organizations.setMember(await app.admin(), y.name, yOnly.username, Role.Developer);
      // The cast holds its roles in both; only the path's organization may count.
      let client = who === 'an admin of both x and y' ? cast.clients[Role.Admin] : admin;
      if (who === 'the admin of x only') {
        const xAdmin = await userWithRole(app, x.name, Role.Admin);
        client = await new ApiClient(app.url).signIn(xAdmin.username, xAdmin.password);
      }
      const before = await organizationRows(app, y.name);
      const beforeX = await organizationRows(app, x.name);
      const attempts: Array<[string, () => Promise<ApiResponse>]> = [
        ['PATCH team', () => client.patch(`/api/v1/orgs/${x.name}/teams/${y.teamId}`, { role: 'admin', name: 'taken' })],
        ['DELETE team', () => client.delete(`/api/v1/orgs/${x.name}/teams/${y.teamId}`)],
        ['GET team members', () => client.get(`/api/v1/orgs/${x.name}/teams/${y.teamId}/members`)],
        ['PUT team member', () => client.put(`/api/v1/orgs/${x.name}/teams/${y.teamId}/members/${yOnly.username}`)],
        ['DELETE team member', () => client.delete(`/api/v1/orgs/${x.name}/teams/${y.teamId}/members/${y.teamMember.username}`)],
        ['DELETE member of y only', () => client.delete(`/api/v1/orgs/${x.name}/members/${yOnly.username}`)],
      ];
      for (const [what, attempt] of attempts) {
        const response = await attempt();
        expect({ what, status: response.status, code: errorCode(response) }).toEqual({ what, status: 404, code: 'not_found' });
        expect(JSON.stringify(response.body)).not.toContain('builders');
      }
      expect(await organizationRows(app, y.name)).toEqual(before);
      expect(await organizationRows(app, x.name)).toEqual(beforeX);
    });

    it("is 404 too for someone outside y using y's path", async () => {
      const y = await cast.organization('y');
      const before = await organizationRows(app, y.name);
      const outsider = cast.clients['non-member'];
      for (const response of [
        await outsider.patch(`/api/v1/orgs/${y.name}/teams/${y.teamId}`, { role: 'admin' }),
        await outsider.put(`/api/v1/orgs/${y.name}/teams/${y.teamId}/members/${cast.users['non-member'].username}`),
        await outsider.put(`/api/v1/orgs/${y.name}/members/${cast.users['non-member'].username}`, { role: 'admin' }),
      ]) {
        expect(response.status).toBe(404);
      }
      expect(await organizationRows(app, y.name)).toEqual(before);
    });
  });
});
