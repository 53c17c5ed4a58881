import { Role } from '@wharf/authz';

import { ForbiddenError, NotFoundError } from '../../src/identity/errors';
import {
  adminRegistry,
  challengeOf,
  createOrganization,
  createRobot,
  createUser,
  decodeToken,
  expectInsufficientScope,
  expectInvalidToken,
  grantOf,
  postToken,
  principalOf,
  registryAs,
  requestToken,
  tokenFor,
  unique,
  userWithRole,
  type Credentials,
  type TestRobot,
  type TestUser,
} from './support/access-fixtures';
import { codesOf, sha256, type RawResponse } from './support/registry-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The access-control matrix of reliability.md §4(c), against the real server and
 * PostgreSQL, for users, robots and anonymous callers. Rows 11–14 (forged and expired
 * tokens) are in token-forgery.integration-spec.ts, rows 17 and 26 (robot logins, failed
 * logins) in token-service.integration-spec.ts. Row 22 (IDOR through /api/v1 paths) is in
 * api-orgs and api-robots.integration-spec.ts, row 25 (CSRF, session fixation) in
 * api-session.integration-spec.ts; rows 7, 18 and 19 are proven here on the identity services
 * that the management API calls, and through it in api-orgs and api-robots.
 */

type Who = 'user' | 'robot' | 'anonymous';

/** A response with `name` replaced, to compare answers about two repositories. */
function shapeOf(response: RawResponse, name: string) {
  const erase = (text: string | undefined) => text?.split(name).join('<name>');
  return { status: response.status, body: erase(response.body.toString()), challenge: erase(response.header('www-authenticate')) };
}

describe('access-control matrix (reliability.md §4c)', () => {
  let app: TestApp;
  /** Developer of organization x only. */
  let alice: TestUser;
  /** Robot of x with push (and so pull) on x/r1 only. */
  let robot: TestRobot;
  /** The layer of the private image y/app. */
  let secretLayer: string;
  /** The layer of the public image y/pub. */
  let publicLayer: string;

  const outsider = (who: Who): Credentials | undefined => (who === 'user' ? alice : who === 'robot' ? robot : undefined);

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false });
    await createOrganization(app, 'x');
    await createOrganization(app, 'y');
    const admin = await adminRegistry(app, 'x/r1', 'x/r2', 'y/app', 'y/pub');
    await admin.pushImage('x/r1', 'v1');
    await admin.pushImage('x/r2', 'v1');
    secretLayer = (await admin.pushImage('y/app', 'v1', ['secret layer of y'])).layers[0]!;
    publicLayer = (await admin.pushImage('y/pub', 'v1', ['public layer of y'])).layers[0]!;
    await app.identity.organizations.setRepositoryVisibility(await app.admin(), 'y/pub', true);
    await createOrganization(app, 'w', { public: true });
    const wAdmin = await adminRegistry(app, 'w/hidden', 'w/open');
    await wAdmin.pushImage('w/hidden', 'v1', ['hidden layer of w']);
    await wAdmin.pushImage('w/open', 'v1', ['open layer of w']);
    await app.identity.organizations.setRepositoryVisibility(await app.admin(), 'w/hidden', false);
    alice = await userWithRole(app, 'x', Role.Developer, 'alice');
    robot = await createRobot(app, 'x', [{ pattern: 'r1', actions: ['push'] }], 'r1');
  });
  afterAll(async () => app?.close());

  describe.each<Who>(['user', 'robot', 'anonymous'])('as %s outside organization y', (who) => {
    it('row 1: pulling private y/app is 401 insufficient_scope, answered exactly like nonexistent y/nope and nope/app', async () => {
      const credentials = outsider(who);
      for (const path of ['manifests/v1', `blobs/${secretLayer}`, 'tags/list']) {
        const answers = [];
        for (const name of ['y/app', 'y/nope', 'nope/app']) {
          const token = await tokenFor(app, credentials, `repository:${name}:pull`);
          expect(decodeToken(token).payload.access).toEqual([]);
          const response = await registryAs(app, token).request(`/v2/${name}/${path}`);
          expectInsufficientScope(response, `repository:${name}:pull`);
          expect(challengeOf(response).realm).toBe(`${app.url}/token`);
          answers.push(shapeOf(response, name));
        }
        expect(answers[1]).toEqual(answers[0]);
        expect(answers[2]).toEqual(answers[0]);
      }
    });

    // A name nobody pushed in a public organization used to be granted pull (then 404
    // NAME_UNKNOWN), unlike a private one: anyone could list a public organization's private
    // repositories by trying names (CVE-2019-19030).
    it('row 1 in public organization w: pulling private w/hidden is answered exactly like w/nope, which nobody pushed', async () => {
      const credentials = outsider(who);
      for (const path of ['manifests/v1', 'tags/list']) {
        const answers = [];
        for (const name of ['w/hidden', 'w/nope']) {
          expect(await grantOf(app, credentials, `repository:${name}:pull`)).toEqual([]);
          const response = await registryAs(app, await tokenFor(app, credentials, `repository:${name}:pull`)).request(`/v2/${name}/${path}`);
          expectInsufficientScope(response, `repository:${name}:pull`);
          answers.push(shapeOf(response, name));
        }
        expect(answers[1]).toEqual(answers[0]);
      }
      const open = registryAs(app, await tokenFor(app, credentials, 'repository:w/open:pull'));
      expect((await open.request('/v2/w/open/manifests/v1')).status).toBe(200);
    });

    it('row 2: pushing to y/app is 401 insufficient_scope and creates no upload session', async () => {
      const credentials = outsider(who);
      expect(await grantOf(app, credentials, 'repository:y/app:pull,push')).toEqual([]);
      const registry = registryAs(app, await tokenFor(app, credentials, 'repository:y/app:pull,push'));
      await app.unchanged(async () => {
        expectInsufficientScope(await registry.startUpload('y/app'), 'repository:y/app:pull,push');
        expectInsufficientScope(await registry.startUpload('y/app', `?mount=${secretLayer}&from=y/app`), 'repository:y/app:pull,push');
        expectInsufficientScope(await registry.putManifest('y/app', 'v1', '{}'), 'repository:y/app:pull,push');
      });
    });

    it('row 3: the public y/pub pulls with a pull-only grant; pushing to it is 401', async () => {
      const credentials = outsider(who);
      expect(await grantOf(app, credentials, 'repository:y/pub:pull,push,delete')).toEqual([{ type: 'repository', name: 'y/pub', actions: ['pull'] }]);
      const registry = registryAs(app, await tokenFor(app, credentials, 'repository:y/pub:pull,push'));
      expect((await registry.request('/v2/y/pub/manifests/v1')).status).toBe(200);
      const layer = await registry.request(`/v2/y/pub/blobs/${publicLayer}`);
      expect(layer.status).toBe(200);
      expect(layer.body.toString()).toBe('public layer of y');
      await app.unchanged(async () => {
        expectInsufficientScope(await registry.startUpload('y/pub'), 'repository:y/pub:pull,push');
        expectInsufficientScope(await registry.request('/v2/y/pub/manifests/v1', { method: 'DELETE' }), 'repository:y/pub:delete');
      });
    });

    it('row 4: the catalog shows no private name of y', async () => {
      const names = await catalogAs(outsider(who));
      expect(names.filter((name) => name.startsWith('y/'))).toEqual(['y/pub']);
      const visibleInX = { user: ['x/r1', 'x/r2'], robot: ['x/r1'], anonymous: [] }[who];
      expect(names.filter((name) => name.startsWith('x/'))).toEqual(visibleInX);
    });
  });

  async function catalogAs(credentials: Credentials | undefined): Promise<string[]> {
    const registry = registryAs(app, await tokenFor(app, credentials, 'registry:catalog:*'));
    const response = await registry.request('/v2/_catalog');
    expect(response.status).toBe(200);
    return response.json<{ repositories: string[] }>().repositories;
  }

  const postRefresh = (refreshToken: string) => postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken, service: 'wharf', client_id: 'docker' });

  it('row 1: a robot of x whose globs match every path (`**`, `app`) still gets nothing in y', async () => {
    const wide = await createRobot(app, 'x', [{ pattern: '**', actions: ['push', 'delete'] }, { pattern: 'app', actions: ['pull'] }]);
    expect(await grantOf(app, wide, 'repository:y/app:pull,push,delete', 'repository:x/r2:pull')).toEqual([{ type: 'repository', name: 'x/r2', actions: ['pull'] }]);
    expectInsufficientScope(await registryAs(app, await tokenFor(app, wide, 'repository:y/app:pull')).request('/v2/y/app/manifests/v1'), 'repository:y/app:pull');
  });

  it('row 2: pushing into a namespace that does not exist: 401 for everyone, 403 DENIED for the system administrator', async () => {
    expect(await grantOf(app, alice, 'repository:ghost/app:pull,push')).toEqual([]);
    await app.unchanged(async () => {
      expectInsufficientScope(await registryAs(app, await tokenFor(app, alice, 'repository:ghost/app:pull,push')).startUpload('ghost/app'), 'repository:ghost/app:pull,push');
      const denied = await (await adminRegistry(app, 'ghost/app')).startUpload('ghost/app');
      expect([denied.status, codesOf(denied)]).toEqual([403, ['DENIED']]);
    });
  });

  it('row 3: without any token, even a public pull is 401 with a challenge naming the scope', async () => {
    const response = await registryAs(app, undefined).request('/v2/y/pub/manifests/v1');
    expect(response.status).toBe(401);
    expect(codesOf(response)).toEqual(['UNAUTHORIZED']);
    expect(challengeOf(response)).toEqual({ realm: `${app.url}/token`, service: 'wharf', scope: 'repository:y/pub:pull' });
  });

  describe('row 5, 6 and 9: a robot scoped to x/r1', () => {
    it('pushes and pulls x/r1 (the control)', async () => {
      expect(await grantOf(app, robot, 'repository:x/r1:pull,push,delete')).toEqual([{ type: 'repository', name: 'x/r1', actions: ['pull', 'push'] }]);
      const registry = registryAs(app, await tokenFor(app, robot, 'repository:x/r1:pull,push'));
      await registry.pushBlob('x/r1', 'pushed by the robot');
      expect((await registry.request('/v2/x/r1/manifests/v1')).status).toBe(200);
    });

    it('row 5: cannot push to x/r2 (401 insufficient_scope, nothing stored)', async () => {
      expect(await grantOf(app, robot, 'repository:x/r2:pull,push')).toEqual([]);
      const registry = registryAs(app, await tokenFor(app, robot, 'repository:x/r2:pull,push'));
      await app.unchanged(async () => expectInsufficientScope(await registry.startUpload('x/r2'), 'repository:x/r2:pull,push'));
    });

    it('row 6: cannot pull x/r2', async () => {
      const registry = registryAs(app, await tokenFor(app, robot, 'repository:x/r2:pull'));
      expectInsufficientScope(await registry.request('/v2/x/r2/manifests/v1'), 'repository:x/r2:pull');
    });

    it.each<Who>(['user', 'robot'])('row 9: a %s token for x/r1:push is refused on x/r2', async (who) => {
      const registry = registryAs(app, await tokenFor(app, outsider(who), 'repository:x/r1:pull,push'));
      await app.unchanged(async () => {
        expectInsufficientScope(await registry.startUpload('x/r2'), 'repository:x/r2:pull,push');
        expectInsufficientScope(await registry.putManifest('x/r2', 'v2', '{}'), 'repository:x/r2:pull,push');
        expectInsufficientScope(await registry.request('/v2/x/r2/manifests/v1'), 'repository:x/r2:pull');
      });
    });
  });

  describe('row 8: a pull token used to write', () => {
    it.each<Who>(['user', 'robot'])('as %s: PATCH, PUT and DELETE are 401 insufficient_scope', async (who) => {
      const credentials = outsider(who);
      const pusher = registryAs(app, await tokenFor(app, credentials, 'repository:x/r1:pull,push'));
      const upload = await pusher.startUpload('x/r1');
      expect(upload.status).toBe(202);
      const location = upload.header('location')!;

      const puller = registryAs(app, await tokenFor(app, credentials, 'repository:x/r1:pull'));
      await app.unchanged(async () => {
        expectInsufficientScope(await puller.request(location, { method: 'PATCH', body: 'data' }), 'repository:x/r1:pull,push');
        expectInsufficientScope(await puller.request(`${location}?digest=sha256:${'0'.repeat(64)}`, { method: 'PUT' }), 'repository:x/r1:pull,push');
        expectInsufficientScope(await puller.putManifest('x/r1', 'v1', '{}'), 'repository:x/r1:pull,push');
        expectInsufficientScope(await puller.request('/v2/x/r1/manifests/v1', { method: 'DELETE' }), 'repository:x/r1:delete');
        expectInsufficientScope(await puller.startUpload('x/r1'), 'repository:x/r1:pull,push');
      });
      // The session still belongs to the pusher.
      expect((await pusher.request(location, { method: 'GET' })).status).toBe(204);
    });

    it('as anonymous: writing to the public y/pub with its pull token is 401 insufficient_scope', async () => {
      const puller = registryAs(app, await tokenFor(app, undefined, 'repository:y/pub:pull,push,delete'));
      await app.unchanged(async () => {
        expectInsufficientScope(await puller.startUpload('y/pub'), 'repository:y/pub:pull,push');
        expectInsufficientScope(await puller.putManifest('y/pub', 'v1', '{}'), 'repository:y/pub:pull,push');
        expectInsufficientScope(await puller.request(`/v2/y/pub/blobs/${publicLayer}`, { method: 'DELETE' }), 'repository:y/pub:delete');
      });
    });
  });

  describe('row 10: delete is its own action', () => {
    it('as a maintainer: a pull,push token cannot DELETE a manifest or blob; a delete token can', async () => {
      const maintainer = await userWithRole(app, 'x', Role.Maintainer);
      const pushed = await (await adminRegistry(app, 'x/deletable')).pushImage('x/deletable', 'v1');
      const pushPull = registryAs(app, await tokenFor(app, maintainer, 'repository:x/deletable:pull,push'));
      await app.unchanged(async () => {
        expectInsufficientScope(await pushPull.request(`/v2/x/deletable/manifests/${pushed.digest}`, { method: 'DELETE' }), 'repository:x/deletable:delete');
        expectInsufficientScope(await pushPull.request('/v2/x/deletable/manifests/v1', { method: 'DELETE' }), 'repository:x/deletable:delete');
        expectInsufficientScope(await pushPull.request(`/v2/x/deletable/blobs/${pushed.layers[0]}`, { method: 'DELETE' }), 'repository:x/deletable:delete');
      });
      const deleter = registryAs(app, await tokenFor(app, maintainer, 'repository:x/deletable:pull,push,delete'));
      expect((await deleter.request(`/v2/x/deletable/manifests/${pushed.digest}`, { method: 'DELETE' })).status).toBe(202);
      expect((await deleter.request(`/v2/x/deletable/manifests/${pushed.digest}`)).status).toBe(404);
    });

    it('as a robot with push only: DELETE is 401 insufficient_scope', async () => {
      const registry = registryAs(app, await tokenFor(app, robot, 'repository:x/r1:pull,push,delete'));
      expect(decodeToken(registry.token!).payload.access).toEqual([{ type: 'repository', name: 'x/r1', actions: ['pull', 'push'] }]);
      await app.unchanged(async () => expectInsufficientScope(await registry.request('/v2/x/r1/manifests/v1', { method: 'DELETE' }), 'repository:x/r1:delete'));
    });
  });

  describe('row 7, 18 and 19: managing rights (identity services)', () => {
    it('row 7: a robot changes no members, creates no robot and edits no settings', async () => {
      const principal = (await app.identity.access.principalFromKey(`robot:${robot.id}`))!;
      expect(principal.kind).toBe('robot');
      // A robot holds repository permissions only: it cannot even see the organization's
      // members, robots or settings, so the services answer NotFound (not Forbidden).
      const before = await app.query("SELECT 'member' AS kind, user_id::text AS id FROM org_member UNION ALL SELECT 'robot', id::text FROM robot ORDER BY 1, 2");
      await expect(app.identity.organizations.setMember(principal, 'x', alice.username, Role.Admin)).rejects.toBeInstanceOf(NotFoundError);
      await expect(app.identity.robots.create(principal, 'x', { name: 'minted', rules: [{ pattern: '**', actions: ['push'] }] })).rejects.toBeInstanceOf(NotFoundError);
      await expect(app.identity.organizations.updateSettings(principal, 'x', { public: true })).rejects.toBeInstanceOf(NotFoundError);
      await expect(app.identity.accounts.createUser(principal, { name: 'robotmade', password: 'long enough password' })).rejects.toBeInstanceOf(ForbiddenError);
      expect(await app.query("SELECT 'member' AS kind, user_id::text AS id FROM org_member UNION ALL SELECT 'robot', id::text FROM robot ORDER BY 1, 2")).toEqual(before);
      expect(await app.query("SELECT role FROM org_member m JOIN app_user u ON u.id = m.user_id WHERE u.name = 'alice'")).toEqual([{ role: 'developer' }]);
    });

    it("row 18: the admin of x cannot give x's robot rights on y", async () => {
      const xAdmin = await userWithRole(app, 'x', Role.Admin);
      await app.identity.organizations.setMember(await app.admin(), 'y', xAdmin.username, Role.Developer);
      const actor = await principalOf(app, xAdmin);
      const xRobot = await createRobot(app, 'x', [{ pattern: 'r1', actions: ['pull'] }]);
      const rules = [{ pattern: '**', actions: ['push' as const] }];
      // Through y, where the x admin is only a developer: 403.
      await expect(app.identity.robots.update(actor, 'y', xRobot.id, { rules })).rejects.toBeInstanceOf(ForbiddenError);
      // Through x, any pattern stays inside x: `../y/*` and `y/app` name nothing in y.
      await app.identity.robots.update(actor, 'x', xRobot.id, { rules: [{ pattern: '../y/*', actions: ['pull'] }, { pattern: 'y/app', actions: ['pull'] }] });
      expect(await grantOf(app, xRobot, 'repository:y/app:pull', 'repository:y/pub:push')).toEqual([]);
      // Even an admin of both organizations finds x's robot only in x.
      await app.identity.organizations.setMember(await app.admin(), 'y', xAdmin.username, Role.Admin);
      await expect(app.identity.robots.update(actor, 'y', xRobot.id, { rules })).rejects.toBeInstanceOf(NotFoundError);
      expect(await app.query('SELECT n.name FROM robot r JOIN namespace n ON n.id = r.namespace_id WHERE r.id = $1', [xRobot.id])).toEqual([{ name: 'x' }]);
    });

    it('row 19: a maintainer changes neither the settings nor the visibility of x', async () => {
      const maintainer = await principalOf(app, await userWithRole(app, 'x', Role.Maintainer));
      await expect(app.identity.organizations.updateSettings(maintainer, 'x', { public: true })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(app.identity.organizations.updateSettings(maintainer, 'x', { description: 'changed' })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(app.identity.organizations.setRepositoryVisibility(maintainer, 'x/r1', true)).rejects.toBeInstanceOf(ForbiddenError);
      expect(await app.query("SELECT public, description FROM namespace WHERE name = 'x'")).toEqual([{ public: false, description: '' }]);
      expect(await app.query("SELECT public FROM repository WHERE name = 'x/r1'")).toEqual([{ public: null }]);
      expect(await grantOf(app, undefined, 'repository:x/r1:pull')).toEqual([]);
    });
  });

  describe('row 20 and cross-tenant reads: blobs are visible per repository link', () => {
    it.each<Who>(['user', 'robot'])('as %s: a mount from private y/app opens an upload (202) and links nothing', async (who) => {
      const credentials = outsider(who);
      // Even asking for pull on the source: it is not granted, so the mount is ignored.
      const registry = registryAs(app, await tokenFor(app, credentials, 'repository:x/r1:pull,push', 'repository:y/app:pull'));
      const response = await registry.startUpload('x/r1', `?mount=${secretLayer}&from=y/app`);
      expect(response.status).toBe(202);
      expect(response.header('location')).toMatch(/^\/v2\/x\/r1\/blobs\/uploads\/[0-9a-f-]{36}$/);
      expect(response.header('docker-content-digest')).toBeUndefined();
      expect(await app.query("SELECT rb.digest FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id WHERE r.name = 'x/r1' AND rb.digest = $1", [secretLayer])).toEqual([]);
      const head = await registry.request(`/v2/x/r1/blobs/${secretLayer}`, { method: 'HEAD' });
      expect(head.status).toBe(404);
      const get = await registry.request(`/v2/x/r1/blobs/${secretLayer}`);
      expect(get.status).toBe(404);
      expect(codesOf(get)).toEqual(['BLOB_UNKNOWN']);
    });

    it('the control: a mount from public y/pub, with pull on it in the token, links the blob (201)', async () => {
      const registry = registryAs(app, await tokenFor(app, alice, 'repository:x/r2:pull,push', 'repository:y/pub:pull'));
      const response = await registry.startUpload('x/r2', `?mount=${publicLayer}&from=y/pub`);
      expect(response.status).toBe(201);
      expect(response.header('docker-content-digest')).toBe(publicLayer);
      expect((await registry.request(`/v2/x/r2/blobs/${publicLayer}`, { method: 'HEAD' })).status).toBe(200);
    });

    it('a caller who may pull the source but whose token lacks it is asked for a token naming both', async () => {
      const registry = registryAs(app, await tokenFor(app, alice, 'repository:x/r1:pull,push'));
      const response = await registry.startUpload('x/r1', `?mount=${publicLayer}&from=y/pub`);
      expectInsufficientScope(response, 'repository:x/r1:pull,push repository:y/pub:pull');
    });
  });

  describe('row 21: upload sessions belong to whoever opened them', () => {
    it.each<Who>(['user', 'robot'])("another %s with push on the repository gets 404 BLOB_UPLOAD_UNKNOWN on alice's upload", async (who) => {
      const owner = registryAs(app, await tokenFor(app, alice, 'repository:x/r1:pull,push'));
      const started = await owner.startUpload('x/r1');
      expect(started.status).toBe(202);
      const location = started.header('location')!;
      expect((await owner.request(location, { method: 'PATCH', body: 'abc' })).status).toBe(202);

      const other = who === 'user' ? await userWithRole(app, 'x', Role.Developer) : await createRobot(app, 'x', [{ pattern: 'r1', actions: ['push'] }]);
      const intruder = registryAs(app, await tokenFor(app, other, 'repository:x/r1:pull,push'));
      await app.unchanged(async () => {
        for (const [method, path, body] of [
          ['GET', location, undefined],
          ['PATCH', location, 'def'],
          ['PUT', `${location}?digest=${sha256('abcdef')}`, 'def'],
          ['DELETE', location, undefined],
        ] as const) {
          const response = await intruder.request(path, { method, ...(body ? { body } : {}) });
          expect([method, response.status, codesOf(response)]).toEqual([method, 404, ['BLOB_UPLOAD_UNKNOWN']]);
        }
      });
      const status = await owner.request(location, { method: 'GET' });
      expect([status.status, status.header('range')]).toEqual([204, '0-2']);
    });
  });

  describe('row 15, 16 and 24: revoking access', () => {
    it('row 15: a deleted user cannot log in, by password, PAT or refresh token; an issued token lasts at most its 300 s', async () => {
      await createOrganization(app, 'leaving');
      const registryAdmin = await adminRegistry(app, 'leaving/app');
      await registryAdmin.pushImage('leaving/app', 'v1');
      const user = await userWithRole(app, 'leaving', Role.Developer);
      const pat = await app.identity.accounts.createPersonalToken(await principalOf(app, user), { name: 'ci', scope: 'read' });
      const login = await requestToken(app, user, ['repository:leaving/app:pull', 'registry:catalog:*'], { offline_token: 'true', client_id: 'docker' });
      expect(login.status).toBe(200);
      const { token, refresh_token: refreshToken } = login.json<{ token: string; refresh_token: string }>();
      expect(await grantOf(app, { username: user.username, password: pat.secret }, 'repository:leaving/app:pull')).toHaveLength(1);

      await app.identity.accounts.deleteUser(await app.admin(), user.id);

      expect((await requestToken(app, user, [])).status).toBe(401);
      expect((await requestToken(app, { username: user.username, password: pat.secret }, [])).status).toBe(401);
      const refreshed = await postRefresh(refreshToken);
      expect(refreshed.status).toBe(401);
      expect(codesOf(refreshed)).toEqual(['UNAUTHORIZED']);

      // Documented: the registry token already issued is a JWT that lives 300 s at most,
      // and the registry still accepts it until then.
      const { payload } = decodeToken(token);
      expect(payload.exp! - payload.iat!).toBe(300);
      expect(payload.exp! - Date.now() / 1000).toBeLessThanOrEqual(300);
      const stale = registryAs(app, token);
      expect((await stale.request('/v2/leaving/app/manifests/v1')).status).toBe(200);
      // What it lists is decided now: the deleted user sees what anonymous sees.
      const catalog = await stale.request('/v2/_catalog');
      expect(catalog.status).toBe(200);
      const names = catalog.json<{ repositories: string[] }>().repositories;
      expect(names).toEqual(await catalogAs(undefined));
      expect(names).toContain('y/pub');
      expect(names).not.toContain('leaving/app');
    });

    it('row 16: a removed member gets no new grant at once; the issued token lasts at most 300 s', async () => {
      const user = await userWithRole(app, 'x', Role.Developer);
      const token = await tokenFor(app, user, 'repository:x/r1:pull,push');
      expect(decodeToken(token).payload.access).toEqual([{ type: 'repository', name: 'x/r1', actions: ['pull', 'push'] }]);

      await app.identity.organizations.removeMember(await app.admin(), 'x', user.username);

      expect(await grantOf(app, user, 'repository:x/r1:pull,push')).toEqual([]);
      expectInsufficientScope(await registryAs(app, await tokenFor(app, user, 'repository:x/r1:pull')).request('/v2/x/r1/manifests/v1'), 'repository:x/r1:pull');
      const { payload } = decodeToken(token);
      expect(payload.exp! - payload.iat!).toBe(300);
      expect((await registryAs(app, token).request('/v2/x/r1/manifests/v1')).status).toBe(200);
    });

    it('row 16: a lowered role takes effect with the next token', async () => {
      const user = await userWithRole(app, 'x', Role.Maintainer);
      expect(await grantOf(app, user, 'repository:x/r1:pull,push,delete')).toEqual([{ type: 'repository', name: 'x/r1', actions: ['pull', 'push', 'delete'] }]);
      await app.identity.organizations.setMember(await app.admin(), 'x', user.username, Role.Guest);
      expect(await grantOf(app, user, 'repository:x/r1:pull,push,delete')).toEqual([{ type: 'repository', name: 'x/r1', actions: ['pull'] }]);
      const registry = registryAs(app, await tokenFor(app, user, 'repository:x/r1:pull,push'));
      expectInsufficientScope(await registry.startUpload('x/r1'), 'repository:x/r1:pull,push');
      expect((await registry.request('/v2/x/r1/manifests/v1')).status).toBe(200);
    });

    it('row 24: a repository made private denies the next anonymous token; the issued one lasts at most 300 s', async () => {
      const registryAdmin = await adminRegistry(app, 'y/soon-private');
      await registryAdmin.pushImage('y/soon-private', 'v1');
      await app.identity.organizations.setRepositoryVisibility(await app.admin(), 'y/soon-private', true);
      const token = await tokenFor(app, undefined, 'repository:y/soon-private:pull');
      expect(decodeToken(token).payload.access).toEqual([{ type: 'repository', name: 'y/soon-private', actions: ['pull'] }]);

      await app.identity.organizations.setRepositoryVisibility(await app.admin(), 'y/soon-private', false);

      expect(await grantOf(app, undefined, 'repository:y/soon-private:pull')).toEqual([]);
      expect(await grantOf(app, alice, 'repository:y/soon-private:pull')).toEqual([]);
      expect(await catalogAs(undefined)).not.toContain('y/soon-private');
      const { payload } = decodeToken(token);
      expect(payload.exp! - payload.iat!).toBe(300);
      expect((await registryAs(app, token).request('/v2/y/soon-private/manifests/v1')).status).toBe(200);
    });
  });

  it('row 1: a repository pushed to a public organization is readable to anyone at once, though its absence was cached', async () => {
    expect(await grantOf(app, undefined, 'repository:w/later:pull')).toEqual([]);
    await (await adminRegistry(app, 'w/later')).pushImage('w/later', 'v1');
    let grant = await grantOf(app, undefined, 'repository:w/later:pull');
    for (let tries = 0; grant.length === 0 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      grant = await grantOf(app, undefined, 'repository:w/later:pull');
    }
    expect(grant).toEqual([{ type: 'repository', name: 'w/later', actions: ['pull'] }]);
    // A member may push where nothing exists yet, and pull what it pushes.
    expect(await grantOf(app, alice, 'repository:x/new-one:pull,push')).toEqual([{ type: 'repository', name: 'x/new-one', actions: ['pull', 'push'] }]);
  });

  it("row 23: tokens issued for the old organization reach nothing of the new one, though they have not expired", async () => {
    await createOrganization(app, 'ember', { public: true });
    const old = await (await adminRegistry(app, 'ember/app')).pushImage('ember/app', 'v1', ['layer of the old ember']);
    const oldRobot = await createRobot(app, 'ember', [{ pattern: '**', actions: ['push'] }], 'ci');
    const oldMember = await userWithRole(app, 'ember', Role.Developer);
    const robotToken = await tokenFor(app, oldRobot, 'repository:ember/app:pull,push');
    const anonymousToken = await tokenFor(app, undefined, 'repository:ember/app:pull');
    const mountToken = await tokenFor(app, oldMember, `repository:${oldMember.username}/copy:pull,push`, 'repository:ember/app:pull');
    // The controls: each token works while the organization it was issued for exists.
    expect((await registryAs(app, robotToken).request('/v2/ember/app/manifests/v1')).status).toBe(200);
    expect((await registryAs(app, anonymousToken).request('/v2/ember/app/manifests/v1')).status).toBe(200);
    expect(decodeToken(anonymousToken).payload.access).toEqual([{ type: 'repository', name: 'ember/app', actions: ['pull'] }]);

    await app.identity.organizations.delete(await app.admin(), 'ember', true);
    const dave = await createUser(app);
    await app.identity.organizations.create(await principalOf(app, dave), { name: 'ember' });
    const fresh = await registryAs(app, await tokenFor(app, dave, 'repository:ember/app:pull,push')).pushImage('ember/app', 'v1', ['layer of the new, private ember']);
    expect(fresh.digest).not.toBe(old.digest);

    for (const token of [robotToken, anonymousToken]) {
      const stale = registryAs(app, token);
      expectInvalidToken(await stale.request('/v2/ember/app/manifests/v1'));
      expectInvalidToken(await stale.request(`/v2/ember/app/blobs/${fresh.layers[0]}`));
      expectInvalidToken(await stale.request('/v2/ember/app/tags/list'));
    }
    const stalePush = await registryAs(app, robotToken).startUpload('ember/app');
    expectInvalidToken(stalePush);
    expect(await app.query("SELECT u.id FROM upload u JOIN repository r ON r.id = u.repository_id WHERE r.name = 'ember/app'")).toEqual([]);
    // A mount from the new organization with the old token's pull opens an upload and links nothing.
    const mount = await registryAs(app, mountToken).startUpload(`${oldMember.username}/copy`, `?mount=${fresh.layers[0]}&from=ember/app`);
    expect(mount.status).toBe(202);
    expect(mount.header('docker-content-digest')).toBeUndefined();
    expect(await app.query('SELECT r.name FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id WHERE rb.digest = $1', [fresh.layers[0]])).toEqual([{ name: 'ember/app' }]);
    // The new owner's own tokens are unaffected.
    expect((await registryAs(app, await tokenFor(app, dave, 'repository:ember/app:pull')).request('/v2/ember/app/manifests/v1')).status).toBe(200);
  });

  it("row 23: a deleted user's tokens do not reach the namespace of a new user of the same name", async () => {
    const first = await createUser(app);
    const token = await tokenFor(app, first, `repository:${first.username}/app:pull,push`);
    expect((await registryAs(app, token).startUpload(`${first.username}/app`)).status).toBe(202);

    await app.identity.accounts.deleteUser(await app.admin(), first.id);
    const second = await createUser(app, first.username);
    await registryAs(app, await tokenFor(app, second, `repository:${second.username}/app:pull,push`)).pushImage(`${second.username}/app`, 'v1');

    expectInvalidToken(await registryAs(app, token).request(`/v2/${first.username}/app/manifests/v1`));
    expectInvalidToken(await registryAs(app, token).startUpload(`${first.username}/app`));
  });

  it('row 23: an organization deleted and registered again by someone else inherits nothing', async () => {
    await createOrganization(app, 'phoenix');
    const old = await (await adminRegistry(app, 'phoenix/app')).pushImage('phoenix/app', 'v1', ['layer of the old phoenix']);
    const oldRobot = await createRobot(app, 'phoenix', [{ pattern: '**', actions: ['pull'] }], 'ci');
    expect(await grantOf(app, oldRobot, 'repository:phoenix/app:pull')).toHaveLength(1);

    await app.identity.organizations.delete(await app.admin(), 'phoenix', true);
    const carol = await createUser(app);
    await app.identity.organizations.create(await principalOf(app, carol), { name: 'phoenix' });

    expect((await requestToken(app, oldRobot, ['repository:phoenix/app:pull'])).status).toBe(401);
    expect(await grantOf(app, carol, 'repository:phoenix/app:pull,push,delete')).toEqual([{ type: 'repository', name: 'phoenix/app', actions: ['pull', 'push', 'delete'] }]);
    const registry = registryAs(app, await tokenFor(app, carol, 'repository:phoenix/app:pull,push,delete', 'registry:catalog:*'));
    expect(codesOf(await registry.request('/v2/phoenix/app/manifests/v1'))).toEqual(['MANIFEST_UNKNOWN']);
    expect(codesOf(await registry.request(`/v2/phoenix/app/manifests/${old.digest}`))).toEqual(['MANIFEST_UNKNOWN']);
    expect(codesOf(await registry.request('/v2/phoenix/app/tags/list'))).toEqual(['NAME_UNKNOWN']);
    expect((await registry.request(`/v2/phoenix/app/blobs/${old.layers[0]}`, { method: 'HEAD' })).status).toBe(404);
    expect((await registry.request('/v2/_catalog')).json<{ repositories: string[] }>().repositories.filter((name) => name.startsWith('phoenix/'))).toEqual([]);
    expect(await app.query("SELECT name FROM repository WHERE name LIKE 'phoenix/%'")).toEqual([]);
    expect(await app.query("SELECT r.name FROM robot r JOIN namespace n ON n.id = r.namespace_id WHERE n.name = 'phoenix'")).toEqual([]);
    expect(await app.query("SELECT u.name, m.role FROM org_member m JOIN namespace n ON n.id = m.namespace_id JOIN app_user u ON u.id = m.user_id WHERE n.name = 'phoenix'")).toEqual([{ name: carol.username, role: 'admin' }]);
  });

  describe('Harbor roles through the registry (features.md §2), private organization', () => {
    // Manifest DELETE needs `delete`, which Harbor gives maintainers and admins.
    const roles: [Role, string[]][] = [
      [Role.LimitedGuest, ['pull']],
      [Role.Guest, ['pull']],
      [Role.Developer, ['pull', 'push']],
      [Role.Maintainer, ['pull', 'push', 'delete']],
      [Role.Admin, ['pull', 'push', 'delete']],
    ];

    beforeAll(async () => createOrganization(app, 'harbor'));

    it.each(roles)('%s may %j', async (role, actions) => {
      const image = await (await adminRegistry(app, 'harbor/app')).pushImage('harbor/app', role, [`layer for ${role}`]);
      const member = await userWithRole(app, 'harbor', role);
      expect(await grantOf(app, member, 'repository:harbor/app:pull,push,delete')).toEqual([{ type: 'repository', name: 'harbor/app', actions }]);
      const registry = registryAs(app, await tokenFor(app, member, 'repository:harbor/app:pull,push,delete'));

      const pulled = await registry.request(`/v2/harbor/app/manifests/${role}`);
      expect([pulled.status, pulled.header('docker-content-digest')]).toEqual([200, image.digest]);
      expect((await registry.request(`/v2/harbor/app/blobs/${image.layers[0]}`)).status).toBe(200);

      const upload = await registry.startUpload('harbor/app');
      if (actions.includes('push')) {
        expect(upload.status).toBe(202);
        await registry.pushImage('harbor/app', `${role}-pushed`);
      } else {
        expectInsufficientScope(upload, 'repository:harbor/app:pull,push');
      }

      const deleted = await registry.request(`/v2/harbor/app/manifests/${image.digest}`, { method: 'DELETE' });
      if (actions.includes('delete')) {
        expect(deleted.status).toBe(202);
        expect((await registry.request(`/v2/harbor/app/manifests/${role}`)).status).toBe(404);
      } else {
        expectInsufficientScope(deleted, 'repository:harbor/app:delete');
        expect((await registry.request(`/v2/harbor/app/manifests/${role}`)).status).toBe(200);
      }
    });

    it('a stranger gets nothing in the private organization', async () => {
      const stranger = await createUser(app);
      expect(await grantOf(app, stranger, 'repository:harbor/app:pull,push,delete')).toEqual([]);
    });

    it('teams count like direct membership', async () => {
      const member = await createUser(app);
      const team = await app.identity.organizations.createTeam(await app.admin(), 'harbor', { name: unique('team'), role: Role.Developer });
      await app.identity.organizations.addTeamMember(await app.admin(), 'harbor', team.id, member.username);
      expect(await grantOf(app, member, 'repository:harbor/app:pull,push,delete')).toEqual([{ type: 'repository', name: 'harbor/app', actions: ['pull', 'push'] }]);
    });
  });

  it('cross-tenant: the user of x gets the same answer for y/app and y/nope on every route', async () => {
    const shapes = [];
    for (const name of ['y/app', 'y/nope']) {
      const registry = registryAs(app, await tokenFor(app, alice, `repository:${name}:pull,push,delete`));
      const answers = [
        await registry.request(`/v2/${name}/manifests/v1`, { method: 'HEAD' }),
        await registry.request(`/v2/${name}/referrers/${secretLayer}`),
        await registry.startUpload(name),
        await registry.request(`/v2/${name}/manifests/v1`, { method: 'DELETE' }),
      ];
      expect(answers.map((response) => response.status)).toEqual([401, 401, 401, 401]);
      shapes.push(answers.map((response) => shapeOf(response, name)));
    }
    expect(shapes[0]).toEqual(shapes[1]);
  });
});
