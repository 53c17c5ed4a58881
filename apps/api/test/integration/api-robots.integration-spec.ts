import { Role } from '@wharf/authz';

import { adminRegistry, basic, createRobot, createUser, decodeToken, grantOf, postToken, registryAs, requestToken, unique, userWithRole, type TestRobot } from './support/access-fixtures';
import { ApiClient, errorCode, type ApiResponse } from './support/api-client';
import { adminClient, Cast, expectInvalid, organizationRows, tokenClient, type Operation } from './support/api-org-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Robot accounts through the management API (issue 5), on the real server and PostgreSQL:
 * every endpoint and every caller of the Harbor matrix (features.md §2), secrets shown once
 * and never listed, a robot never holding more than whoever made or edited it
 * (GHSA-xx9w-464f-7h6f), rotation ending the old secret at once (proven at GET /token),
 * another organization's robot ids (GHSA-wqpf-jx24-7hmp), `a_c` versus `abc`
 * (CVE-2026-110697), unknown fields (§4a row 30), and the whole flow without the CLI.
 *
 * Robots themselves cannot call the management API at all: they have no session (sign-in
 * refuses them) and no personal access token (their secret is no Bearer token here).
 */

interface RuleJson {
  pattern: string;
  actions: string[];
}
interface RobotJson {
  id: string;
  name: string;
  username: string;
  description: string;
  rules: RuleJson[];
  expiresAt: string | null;
  expired: boolean;
  disabled: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}
interface RobotWithSecretJson extends RobotJson {
  secret: string;
}

const ROBOT_KEYS = ['createdAt', 'description', 'disabled', 'expired', 'expiresAt', 'id', 'lastUsedAt', 'name', 'rules', 'username'];

describe('management API: robot accounts', () => {
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

  /** The robot's credentials as GET /token sees them. */
  const credentials = (robot: { username: string; secret: string }): TestRobot => ({ id: '', username: robot.username, password: robot.secret });

  /** The status of GET /token for a robot asking to pull and push `repository`. */
  const tokenStatus = async (robot: TestRobot, repository: string) => (await requestToken(app, robot, [`repository:${repository}:pull,push`])).status;

  describe('permissions: every endpoint × every caller (Harbor matrix, features.md §2)', () => {
    const write = (name: string, ok: number, call: Operation['call']): Operation => ({ name, audience: 'signed-in', minimum: Role.Admin, reads: false, ok, call });
    const operations: Operation[] = [
      { name: 'GET /orgs/{org}/robots', audience: 'signed-in', minimum: Role.Guest, reads: true, ok: 200, call: (client, org) => client.get(`/api/v1/orgs/${org.name}/robots`) },
      write('POST /orgs/{org}/robots', 201, (client, org) => client.post(`/api/v1/orgs/${org.name}/robots`, { name: 'minted', rules: [{ pattern: '**', actions: ['pull'] }] })),
      write('PATCH /orgs/{org}/robots/{id}', 200, (client, org) => client.patch(`/api/v1/orgs/${org.name}/robots/${org.robot.id}`, { rules: [{ pattern: '**', actions: ['delete'] }] })),
      write('POST /orgs/{org}/robots/{id}/secret', 200, (client, org) => client.post(`/api/v1/orgs/${org.name}/robots/${org.robot.id}/secret`)),
      write('DELETE /orgs/{org}/robots/{id}', 204, (client, org) => client.delete(`/api/v1/orgs/${org.name}/robots/${org.robot.id}`)),
    ];

    it.each(operations.map((operation) => [operation.name, operation] as const))('%s', async (_name, operation) => {
      const seen = await cast.sweep(operation);
      expect(seen).toMatchObject({
        anonymous: 401,
        robot: 401,
        'non-member': 404,
        'limited-guest': 403,
        guest: operation.reads ? 200 : 403,
        developer: operation.reads ? 200 : 403,
        maintainer: operation.reads ? 200 : 403,
        'admin read token': operation.reads ? 200 : 403,
        admin: operation.ok,
      });
    });

    it('keeps robots out of the management API entirely: no session, no Bearer, no Basic', async () => {
      const org = await cast.organization();
      const secret = org.robot.password;
      const signIn = await new ApiClient(app.url).post('/api/v1/session', { username: org.robot.username, password: secret });
      expect({ status: signIn.status, code: errorCode(signIn) }).toEqual({ status: 401, code: 'unauthenticated' });
      expect(signIn.headers.getSetCookie()).toEqual([]);
      const before = await organizationRows(app, org.name);
      const asBearer = new ApiClient(app.url).withToken(secret);
      const basicHeader = { Authorization: basic(org.robot) };
      for (const [method, path, body] of [
        ['GET', '/api/v1/orgs', undefined],
        ['GET', `/api/v1/orgs/${org.name}/robots`, undefined],
        ['POST', `/api/v1/orgs/${org.name}/robots`, { name: 'child', rules: [{ pattern: '**', actions: ['push'] }] }],
        ['PUT', `/api/v1/orgs/${org.name}/members/${org.outsider.username}`, { role: 'admin' }],
      ] as const) {
        for (const response of [await asBearer.request(method, path, body), await new ApiClient(app.url).request(method, path, body, basicHeader)]) {
          expect({ path, status: response.status, code: errorCode(response) }).toEqual({ path, status: 401, code: 'unauthenticated' });
        }
      }
      expect(await organizationRows(app, org.name)).toEqual(before);
    });
  });

  describe('creating', () => {
    it('answers 201 with the secret once; lists show everything but the secret and its hash', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const created = await client.post<RobotWithSecretJson>(`/api/v1/orgs/${org.name}/robots`, {
        name: 'deploy',
        description: 'pushes releases',
        rules: [
          { pattern: 'app', actions: ['push'] },
          { pattern: 'tools/**', actions: ['pull', 'delete'] },
        ],
        expiresAt,
      });
      expect(created.status).toBe(201);
      expect(Object.keys(created.body).sort()).toEqual([...ROBOT_KEYS, 'secret'].sort());
      expect(created.body).toMatchObject({
        name: 'deploy',
        username: `robot$${org.name}+deploy`,
        description: 'pushes releases',
        // Push and delete imply pull.
        rules: [
          { pattern: 'app', actions: ['pull', 'push'] },
          { pattern: 'tools/**', actions: ['pull', 'delete'] },
        ],
        expiresAt,
        expired: false,
        disabled: false,
        lastUsedAt: null,
      });
      const secret = created.body.secret;
      expect(secret).toMatch(/^wharf_robot_/);
      const [stored] = await app.query<{ secret_hash: string; created_by: string }>('SELECT secret_hash, created_by::text FROM robot WHERE id = $1', [created.body.id]);
      expect(stored!.secret_hash).not.toContain(secret);
      expect(stored!.created_by).toBe(cast.users[Role.Admin].id);

      expect(await tokenStatus(credentials(created.body), `${org.name}/app`)).toBe(200);
      for (const reader of [client, cast.clients.guest, cast.clients['admin read token']]) {
        const listed = await reader.get<{ items: RobotJson[] }>(`/api/v1/orgs/${org.name}/robots`);
        expect(listed.status).toBe(200);
        const text = JSON.stringify(listed.body);
        expect(text).not.toContain(secret);
        expect(text).not.toContain(stored!.secret_hash);
        expect(listed.body.items.map((robot) => robot.name)).toEqual(['ci', 'deploy']);
        for (const robot of listed.body.items) expect(Object.keys(robot).sort()).toEqual(ROBOT_KEYS);
        expect(listed.body.items[1]).toEqual({ ...created.body, secret: undefined, lastUsedAt: expect.any(String) });
      }
    });

    it('refuses a taken name with 409, and the same name in another organization is fine', async () => {
      const org = await cast.organization();
      const other = await cast.organization();
      const client = cast.clients[Role.Admin];
      const taken = await client.post(`/api/v1/orgs/${org.name}/robots`, { name: 'ci', rules: [{ pattern: '**', actions: ['pull'] }] });
      expect({ status: taken.status, code: errorCode(taken) }).toEqual({ status: 409, code: 'conflict' });
      expect((await client.post(`/api/v1/orgs/${other.name}/robots`, { name: 'twin', rules: [{ pattern: '**', actions: ['pull'] }] })).status).toBe(201);
      expect((await client.post(`/api/v1/orgs/${org.name}/robots`, { name: 'twin', rules: [{ pattern: '**', actions: ['pull'] }] })).status).toBe(201);
    });

    const rule = { pattern: '**', actions: ['pull'] };
    it.each([
      ['orgId', { name: 'r', rules: [rule], orgId: '1' }, 'orgId'],
      ['namespaceId', { name: 'r', rules: [rule], namespaceId: '1' }, 'namespaceId'],
      ['ownerId', { name: 'r', rules: [rule], ownerId: '1' }, 'ownerId'],
      ['isAdmin', { name: 'r', rules: [rule], isAdmin: true }, 'isAdmin'],
      ['secret', { name: 'r', rules: [rule], secret: 'chosen-by-me' }, 'secret'],
      ['a field inside a rule', { name: 'r', rules: [{ ...rule, namespace: 'other' }] }, 'rules.0.namespace'],
      ['no rules', { name: 'r', rules: [] }, 'rules'],
      ['rules missing', { name: 'r' }, 'rules'],
      ['rules not a list', { name: 'r', rules: 'all' }, 'rules'],
      ['101 rules', { name: 'r', rules: Array.from({ length: 101 }, () => rule) }, 'rules'],
      ['an unknown action', { name: 'r', rules: [{ pattern: '**', actions: ['admin'] }] }, 'rules.0.actions'],
      ['no action', { name: 'r', rules: [{ pattern: '**', actions: [] }] }, 'rules.0.actions'],
      ['a bad pattern', { name: 'r', rules: [rule, { pattern: 'App!', actions: ['pull'] }] }, 'rules.1.pattern'],
      ['an empty pattern', { name: 'r', rules: [{ pattern: '', actions: ['pull'] }] }, 'rules.0.pattern'],
      ['a bad name', { name: 'R2 D2', rules: [rule] }, 'name'],
      ['a name with $ or +', { name: 'a+b', rules: [rule] }, 'name'],
      ['a past expiry', { name: 'r', rules: [rule], expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
      ['an expiry that is no date', { name: 'r', rules: [rule], expiresAt: 'tomorrow' }, 'expiresAt'],
      ['a null expiry', { name: 'r', rules: [rule], expiresAt: null }, 'expiresAt'],
    ])('refuses %s naming the field, creating nothing', async (_label, body, field) => {
      const org = await cast.organization();
      const before = await organizationRows(app, org.name);
      expectInvalid(await cast.clients[Role.Admin].post(`/api/v1/orgs/${org.name}/robots`, body), field);
      expect(await organizationRows(app, org.name)).toEqual(before);
    });
  });

  describe('never more than its creator or editor (GHSA-xx9w-464f-7h6f)', () => {
    it("refuses rules beyond a token's scope, at creation and at every change that empowers the robot", async () => {
      const org = await cast.organization();
      const readWrite = await tokenClient(app, cast.users[Role.Admin], 'read-write');
      const withDelete = [{ pattern: 'app', actions: ['delete'] }];
      const refused = await readWrite.post(`/api/v1/orgs/${org.name}/robots`, { name: 'deleter', rules: withDelete });
      expect({ status: refused.status, code: errorCode(refused) }).toEqual({ status: 403, code: 'forbidden' });
      const pusher = await readWrite.post<RobotWithSecretJson>(`/api/v1/orgs/${org.name}/robots`, { name: 'pusher', rules: [{ pattern: 'app', actions: ['push'] }] });
      expect(pusher.status).toBe(201);
      expect((await readWrite.patch(`/api/v1/orgs/${org.name}/robots/${pusher.body.id}`, { rules: withDelete })).status).toBe(403);

      // A robot with delete, made by the organization admin in person.
      const deleter = await cast.clients[Role.Admin].post<RobotWithSecretJson>(`/api/v1/orgs/${org.name}/robots`, { name: 'deleter', rules: withDelete });
      expect(deleter.status).toBe(201);
      const before = await organizationRows(app, org.name);
      // Learning its secret, re-enabling it or extending its life would hand the token's holder delete.
      expect((await readWrite.post(`/api/v1/orgs/${org.name}/robots/${deleter.body.id}/secret`)).status).toBe(403);
      expect((await readWrite.patch(`/api/v1/orgs/${org.name}/robots/${deleter.body.id}`, { disabled: false })).status).toBe(403);
      expect((await readWrite.patch(`/api/v1/orgs/${org.name}/robots/${deleter.body.id}`, { expiresAt: null })).status).toBe(403);
      expect(await organizationRows(app, org.name)).toEqual(before);
      expect(await tokenStatus(credentials(deleter.body), `${org.name}/app`)).toBe(200);
      // Restricting it or describing it gives nothing away.
      expect((await readWrite.patch<RobotJson>(`/api/v1/orgs/${org.name}/robots/${deleter.body.id}`, { description: 'on hold', disabled: true })).body).toMatchObject({
        description: 'on hold',
        disabled: true,
      });
      expect(await tokenStatus(credentials(deleter.body), `${org.name}/app`)).toBe(401);
      // The same calls with a read-write-delete token pass.
      const full = await tokenClient(app, cast.users[Role.Admin], 'read-write-delete');
      expect((await full.patch(`/api/v1/orgs/${org.name}/robots/${deleter.body.id}`, { disabled: false })).status).toBe(200);
      expect((await full.post(`/api/v1/orgs/${org.name}/robots/${deleter.body.id}/secret`)).status).toBe(200);
    });

    it("gives a robot of x nothing in y: patterns stay inside x, and y's robots are not reachable through x", async () => {
      const x = await cast.organization('x');
      const y = await cast.organization('y');
      const xAdmin = await userWithRole(app, x.name, Role.Admin);
      const client = await new ApiClient(app.url).signIn(xAdmin.username, xAdmin.password);
      const robot = await client.post<RobotWithSecretJson>(`/api/v1/orgs/${x.name}/robots`, {
        name: 'wide',
        rules: [
          { pattern: '**', actions: ['push', 'delete'] },
          { pattern: `${y.name}/*`, actions: ['push'] },
          { pattern: `../${y.name}/*`, actions: ['push'] },
        ],
      });
      expect(robot.status).toBe(201);
      await (await adminRegistry(app, `${y.name}/app`)).pushImage(`${y.name}/app`, 'v1');
      // `y/*` names x/y/..., never y's repositories.
      expect(await grantOf(app, credentials(robot.body), `repository:${y.name}/app:pull,push,delete`, `repository:${x.name}/${y.name}/app:pull,push`)).toEqual([
        { type: 'repository', name: `${x.name}/${y.name}/app`, actions: ['pull', 'push'] },
      ]);
      const yBefore = await organizationRows(app, y.name);
      const patched = await client.patch(`/api/v1/orgs/${x.name}/robots/${y.robot.id}`, { rules: [{ pattern: '**', actions: ['push', 'delete'] }] });
      expect({ status: patched.status, code: errorCode(patched) }).toEqual({ status: 404, code: 'not_found' });
      expect(await organizationRows(app, y.name)).toEqual(yBefore);
    });
  });

  describe('changing, rotating, disabling, deleting', () => {
    it('replaces rules and expiry; null expiry means never, a past one expires it now', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const robot = await createRobot(app, org.name, [{ pattern: 'app', actions: ['pull'] }], 'changing');
      expect(await grantOf(app, robot, `repository:${org.name}/app:pull,push`)).toEqual([{ type: 'repository', name: `${org.name}/app`, actions: ['pull'] }]);

      const later = new Date(Date.now() + 86_400_000).toISOString();
      const changed = await client.patch<RobotJson>(`/api/v1/orgs/${org.name}/robots/${robot.id}`, { rules: [{ pattern: 'app', actions: ['push'] }], expiresAt: later });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ id: robot.id, rules: [{ pattern: 'app', actions: ['pull', 'push'] }], expiresAt: later, expired: false });
      expect(Object.keys(changed.body).sort()).toEqual(ROBOT_KEYS);
      expect(await grantOf(app, robot, `repository:${org.name}/app:pull,push`)).toEqual([{ type: 'repository', name: `${org.name}/app`, actions: ['pull', 'push'] }]);

      expect((await client.patch<RobotJson>(`/api/v1/orgs/${org.name}/robots/${robot.id}`, { expiresAt: null })).body).toMatchObject({ expiresAt: null, expired: false });
      expect(await app.query('SELECT expires_at FROM robot WHERE id = $1', [robot.id])).toEqual([{ expires_at: null }]);
      const past = new Date(Date.now() - 1000).toISOString();
      expect((await client.patch<RobotJson>(`/api/v1/orgs/${org.name}/robots/${robot.id}`, { expiresAt: past })).body).toMatchObject({ expiresAt: past, expired: true });
      expect(await tokenStatus(robot, `${org.name}/app`)).toBe(401);
    });

    it('rotates the secret: the new one is shown once, the old one and its refresh tokens stop at once', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const old = org.robot;
      expect(await tokenStatus(old, `${org.name}/app`)).toBe(200);
      const offline = await requestToken(app, old, [`repository:${org.name}/app:pull`], { offline_token: 'true', client_id: 'ci' });
      const refreshToken = offline.json<{ refresh_token: string }>().refresh_token;
      expect(refreshToken).toBeDefined();

      const rotated = await client.post<RobotWithSecretJson>(`/api/v1/orgs/${org.name}/robots/${old.id}/secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.body).toMatchObject({ id: old.id, name: 'ci', username: old.username });
      expect(rotated.body.secret).toMatch(/^wharf_robot_/);
      expect(rotated.body.secret).not.toBe(old.password);

      expect(await tokenStatus(old, `${org.name}/app`)).toBe(401);
      expect((await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken, service: 'wharf', scope: `repository:${org.name}/app:pull` })).status).toBe(401);
      const fresh = credentials(rotated.body);
      expect(await grantOf(app, fresh, `repository:${org.name}/app:pull,push`)).toEqual([{ type: 'repository', name: `${org.name}/app`, actions: ['pull', 'push'] }]);
      // Never shown again.
      expect(JSON.stringify((await client.get(`/api/v1/orgs/${org.name}/robots`)).body)).not.toContain(rotated.body.secret);
    });

    it('disables and enables; deletes, after which the robot is gone for good', async () => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const robot = org.robot;
      expect((await client.patch<RobotJson>(`/api/v1/orgs/${org.name}/robots/${robot.id}`, { disabled: true })).body.disabled).toBe(true);
      expect(await tokenStatus(robot, `${org.name}/app`)).toBe(401);
      expect((await client.patch<RobotJson>(`/api/v1/orgs/${org.name}/robots/${robot.id}`, { disabled: false })).body.disabled).toBe(false);
      expect(await tokenStatus(robot, `${org.name}/app`)).toBe(200);

      expect((await client.delete(`/api/v1/orgs/${org.name}/robots/${robot.id}`)).status).toBe(204);
      expect(await tokenStatus(robot, `${org.name}/app`)).toBe(401);
      expect((await client.get<{ items: RobotJson[] }>(`/api/v1/orgs/${org.name}/robots`)).body.items).toEqual([]);
      expect(await app.query('SELECT id FROM robot WHERE id = $1', [robot.id])).toEqual([]);
      for (const response of [
        await client.delete(`/api/v1/orgs/${org.name}/robots/${robot.id}`),
        await client.patch(`/api/v1/orgs/${org.name}/robots/${robot.id}`, { disabled: false }),
        await client.post(`/api/v1/orgs/${org.name}/robots/${robot.id}/secret`),
      ]) {
        expect({ status: response.status, code: errorCode(response) }).toEqual({ status: 404, code: 'not_found' });
      }
    });

    it.each([
      ['secretHash', { secretHash: 'x' }, 'secretHash'],
      ['secret', { secret: 'mine' }, 'secret'],
      ['namespaceId', { namespaceId: '1' }, 'namespaceId'],
      ['orgId', { orgId: '1' }, 'orgId'],
      ['name', { name: 'renamed' }, 'name'],
      ['a field inside a rule', { rules: [{ pattern: '**', actions: ['pull'], org: 'y' }] }, 'rules.0.org'],
      ['empty rules', { rules: [] }, 'rules'],
      ['null rules', { rules: null }, 'rules'],
      ['a string for disabled', { disabled: 'yes' }, 'disabled'],
      ['null disabled', { disabled: null }, 'disabled'],
      ['an expiry that is no date', { expiresAt: 'soon' }, 'expiresAt'],
      ['an unknown action', { rules: [{ pattern: '**', actions: ['pull', 'manage'] }] }, 'rules.0.actions'],
    ])('refuses a change with %s naming the field, changing nothing', async (_label, body, field) => {
      const org = await cast.organization();
      const before = await organizationRows(app, org.name);
      expectInvalid(await cast.clients[Role.Admin].patch(`/api/v1/orgs/${org.name}/robots/${org.robot.id}`, body), field);
      expect(await organizationRows(app, org.name)).toEqual(before);
    });

    it.each(['abc', '0', '-1', '99999999999999999999999', '1%20OR%201=1'])('answers 404 for robot id %s, never 500', async (id) => {
      const org = await cast.organization();
      const client = cast.clients[Role.Admin];
      const before = await organizationRows(app, org.name);
      const answers: ApiResponse[] = [
        await client.patch(`/api/v1/orgs/${org.name}/robots/${id}`, { disabled: true }),
        await client.post(`/api/v1/orgs/${org.name}/robots/${id}/secret`),
        await client.delete(`/api/v1/orgs/${org.name}/robots/${id}`),
      ];
      expect(answers.map((answer) => [answer.status, errorCode(answer)])).toEqual(answers.map(() => [404, 'not_found']));
      expect(await organizationRows(app, org.name)).toEqual(before);
    });
  });

  describe("IDOR: another organization's robot ids through this organization's path (GHSA-wqpf-jx24-7hmp, §4c rows 18, 22)", () => {
    it.each(['the admin of x only', 'an admin of both x and y', 'a system administrator'])('%s reaches none of y’s robots through /orgs/x', async (who) => {
      const x = await cast.organization('x');
      const y = await cast.organization('y');
      let client = who === 'an admin of both x and y' ? cast.clients[Role.Admin] : admin;
      if (who === 'the admin of x only') {
        const xAdmin = await userWithRole(app, x.name, Role.Admin);
        client = await new ApiClient(app.url).signIn(xAdmin.username, xAdmin.password);
      }
      const yBefore = await organizationRows(app, y.name);
      const xBefore = await organizationRows(app, x.name);
      for (const [what, attempt] of [
        ['PATCH rules', () => client.patch(`/api/v1/orgs/${x.name}/robots/${y.robot.id}`, { rules: [{ pattern: '**', actions: ['push', 'delete'] }] })],
        ['PATCH enable', () => client.patch(`/api/v1/orgs/${x.name}/robots/${y.robot.id}`, { disabled: false, expiresAt: null })],
        ['rotate', () => client.post(`/api/v1/orgs/${x.name}/robots/${y.robot.id}/secret`)],
        ['DELETE', () => client.delete(`/api/v1/orgs/${x.name}/robots/${y.robot.id}`)],
      ] as Array<[string, () => Promise<ApiResponse>]>) {
        const response = await attempt();
        expect({ what, status: response.status, code: errorCode(response) }).toEqual({ what, status: 404, code: 'not_found' });
        expect(JSON.stringify(response.body)).not.toMatch(/wharf_robot_/);
      }
      expect(await organizationRows(app, y.name)).toEqual(yBefore);
      expect(await organizationRows(app, x.name)).toEqual(xBefore);
      // y's robot still works with its own secret.
      expect(await tokenStatus(y.robot, `${y.name}/app`)).toBe(200);
    });
  });

  it('never shows the robots of `abc` to `a_c` (CVE-2026-110697)', async () => {
    const p = unique('cve');
    const root = await app.admin();
    await app.identity.organizations.create(root, { name: `${p}abc` });
    await app.identity.organizations.create(root, { name: `${p}a_c` });
    await createRobot(app, `${p}abc`, [{ pattern: '**', actions: ['pull'] }], 'leaky');
    const own = await createRobot(app, `${p}a_c`, [{ pattern: '**', actions: ['pull'] }], 'own');
    const aUnderscoreC = await userWithRole(app, `${p}a_c`, Role.Admin);
    const client = await new ApiClient(app.url).signIn(aUnderscoreC.username, aUnderscoreC.password);
    const listed = await client.get<{ items: RobotJson[] }>(`/api/v1/orgs/${p}a_c/robots`);
    expect(listed.body.items.map((robot) => robot.username)).toEqual([own.username]);
    expect(JSON.stringify(listed.body)).not.toContain('leaky');
    expect((await client.get(`/api/v1/orgs/${p}abc/robots`)).status).toBe(404);
    // Not even the system administrator sees them mixed.
    expect((await admin.get<{ items: RobotJson[] }>(`/api/v1/orgs/${p}a_c/robots`)).body.items.map((robot) => robot.name)).toEqual(['own']);
  });

  it('works end to end without the CLI: org, member, robot, then a registry token and a push for the robot', async () => {
    const name = unique('flow');
    const created = await admin.post('/api/v1/orgs', { name, description: 'set up by API only' });
    expect(created.status).toBe(201);
    const developer = await createUser(app);
    expect((await admin.put(`/api/v1/orgs/${name}/members/${developer.username}`, { role: 'developer' })).status).toBe(200);
    const robot = await admin.post<RobotWithSecretJson>(`/api/v1/orgs/${name}/robots`, { name: 'ci', rules: [{ pattern: 'app', actions: ['push'] }] });
    expect(robot.status).toBe(201);
    expect(robot.body.username).toBe(`robot$${name}+ci`);

    // Exactly as docker login does: Basic credentials at GET /token, with fetch.
    const query = new URLSearchParams({ service: 'wharf', scope: `repository:${name}/app:pull,push` });
    const response = await fetch(`${app.url}/token?${query}`, { headers: { Authorization: `Basic ${Buffer.from(`${robot.body.username}:${robot.body.secret}`).toString('base64')}` } });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(decodeToken(token).payload.access).toEqual([{ type: 'repository', name: `${name}/app`, actions: ['pull', 'push'] }]);
    const pushed = await registryAs(app, token).pushImage(`${name}/app`, 'v1');
    expect(await app.query('SELECT m.digest FROM tag t JOIN manifest m ON m.id = t.manifest_id JOIN repository r ON r.id = t.repository_id WHERE r.name = $1', [`${name}/app`])).toEqual([
      { digest: pushed.digest },
    ]);
    // Only where its rule says: not in another repository of the organization.
    expect(await grantOf(app, credentials(robot.body), `repository:${name}/other:pull,push`)).toEqual([]);
    // The member pulls what the robot pushed; the organization counts the repository.
    expect(await grantOf(app, developer, `repository:${name}/app:pull`)).toEqual([{ type: 'repository', name: `${name}/app`, actions: ['pull'] }]);
    expect((await admin.get<{ repositoryCount: number }>(`/api/v1/orgs/${name}`)).body.repositoryCount).toBe(1);
    expect((await admin.get<{ items: RobotJson[] }>(`/api/v1/orgs/${name}/robots`)).body.items[0]!.lastUsedAt).not.toBeNull();
  });
});
