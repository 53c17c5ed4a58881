import { Role } from '@wharf/authz';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

import { CredentialsService } from '../../src/auth/credentials.service';
import {
  adminRegistry,
  basic,
  challengeOf,
  createOrganization,
  createRobot,
  createUser,
  decodeToken,
  grantOf,
  postToken,
  principalOf,
  registryAs,
  requestToken,
  tokenFor,
  unique,
  userWithRole,
  type Credentials,
  type TestUser,
} from './support/access-fixtures';
import { codesOf, send, type RawResponse } from './support/registry-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The token service (protocol.md §6): docker login, the GET and OAuth2 POST flows, the
 * JWT it issues, personal access tokens, robots (reliability.md §4c row 17), the Quay
 * JWT-as-password flaw and the failed-login limits (row 26).
 */

const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const REFRESH_TOKEN = /^wharf_rt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;

interface TokenBody {
  token: string;
  access_token: string;
  expires_in: number;
  issued_at: string;
  refresh_token?: string;
  scope?: string;
}

const bodyOf = (response: RawResponse) => response.json<TokenBody>();

/** Short, so that a change made behind the service's back is seen within the test. */
const CREDENTIAL_CACHE_TTL_MS = 1_000;

/** A 401 of the token service: nothing said about which part was wrong. */
function expectLoginRefused(response: RawResponse): void {
  expect(response.status).toBe(401);
  expect(codesOf(response)).toEqual(['UNAUTHORIZED']);
  expect(response.body.toString()).not.toMatch(/token|secret|expired|disabled|not found|unknown user/i);
}

describe('token service (protocol.md §6)', () => {
  let app: TestApp;
  let developer: TestUser;
  let guest: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false, env: { WHARF_CREDENTIAL_CACHE_TTL: `${CREDENTIAL_CACHE_TTL_MS}ms` } });
    await createOrganization(app, 'acme');
    await createOrganization(app, 'pub', { public: true });
    const admin = await adminRegistry(app, 'acme/app', 'pub/app');
    await admin.pushImage('acme/app', 'v1');
    await admin.pushImage('pub/app', 'v1');
    developer = await userWithRole(app, 'acme', Role.Developer, 'dev');
    guest = await userWithRole(app, 'acme', Role.Guest, 'visitor');
  });
  afterAll(async () => app?.close());

  describe('docker login', () => {
    it('/v2/ asks an anonymous client for a token at an absolute realm, with no scope', async () => {
      const response = await registryAs(app, undefined).request('/v2/');
      expect(response.status).toBe(401);
      expect(response.header('docker-distribution-api-version')).toBe('registry/2.0');
      expect(challengeOf(response)).toEqual({ realm: `${app.url}/token`, service: 'wharf' });
    });

    it('the scope-less GET with offline_token=true&client_id=docker&account=<user> is 200 with a refresh token', async () => {
      const before = Date.now();
      const response = await requestToken(app, developer, [], { offline_token: 'true', client_id: 'docker', account: developer.username });
      expect(response.status).toBe(200);
      expect(response.header('content-type')).toMatch(/^application\/json/);
      expect(response.header('cache-control')).toBe('no-store');
      const body = bodyOf(response);
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'issued_at', 'refresh_token', 'token']);
      expect(body.access_token).toBe(body.token);
      expect(body.expires_in).toBe(300);
      expect(body.issued_at).toMatch(RFC3339_UTC);
      expect(Date.parse(body.issued_at)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(Date.parse(body.issued_at)).toBeLessThanOrEqual(Date.now());
      expect(body.refresh_token).toMatch(REFRESH_TOKEN);
      expect(decodeToken(body.token).payload.access).toEqual([]);
      // An empty grant is all /v2/ needs.
      expect((await registryAs(app, body.token).request('/v2/')).status).toBe(200);
      expect(await app.query('SELECT client_id FROM refresh_token WHERE user_id = $1', [developer.id])).toContainEqual({ client_id: 'docker' });
    });

    it('without offline_token there is no refresh token', async () => {
      const response = await requestToken(app, developer, []);
      expect(response.status).toBe(200);
      expect(bodyOf(response).refresh_token).toBeUndefined();
    });

    it('a wrong password is 401 with the same answer for an existing and a nonexistent user', async () => {
      const params = { offline_token: 'true', client_id: 'docker' };
      const existing = await requestToken(app, { username: developer.username, password: 'wrong-password' }, [], { ...params, account: developer.username });
      const missing = await requestToken(app, { username: 'nobody-here', password: 'wrong-password' }, [], { ...params, account: 'nobody-here' });
      expectLoginRefused(existing);
      expectLoginRefused(missing);
      expect(existing.body.toString()).toBe(missing.body.toString());
      expect(existing.header('www-authenticate')).toBe(missing.header('www-authenticate'));
      expect(existing.header('www-authenticate')).toMatch(/^Basic realm=/);
    });

    it('takes a password holding colons and non-ASCII characters whole (RFC 7617: the user-id ends at the first colon)', async () => {
      const name = unique('colon');
      const password = 'pa:ss:wörd-ß';
      await app.identity.accounts.createUser(await app.admin(), { name, password });
      const response = await requestToken(app, { username: name, password }, ['repository:pub/app:pull']);
      expect(response.status).toBe(200);
      expect(decodeToken(bodyOf(response).token).payload).toMatchObject({ sub: name, access: [{ type: 'repository', name: 'pub/app', actions: ['pull'] }] });
      // What comes before the second colon alone is not the password.
      expectLoginRefused(await requestToken(app, { username: name, password: 'pa' }, []));
    });

    it('an Authorization header that is not valid Basic is refused, never taken as anonymous', async () => {
      for (const authorization of ['Bearer abc', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
        const response = await send(`${app.url}/token?service=wharf&scope=repository:pub/app:pull`, { method: 'GET', headers: { Authorization: authorization } });
        expect([authorization, response.status]).toEqual([authorization, 401]);
      }
    });
  });

  describe('scopes and the grant', () => {
    it('splits space-separated scopes, accepts repeated ones and merges the same repository', async () => {
      const response = await requestToken(app, developer, ['repository:acme/app:pull repository:acme/lib:pull,push', 'repository:acme/tool:push', 'repository:acme/app:push registry:catalog:*']);
      expect(response.status).toBe(200);
      expect(decodeToken(bodyOf(response).token).payload.access).toEqual([
        { type: 'repository', name: 'acme/app', actions: ['pull', 'push'] },
        { type: 'repository', name: 'acme/lib', actions: ['pull', 'push'] },
        // push alone is never granted: pushing needs pulling (distribution#2932).
        { type: 'registry', name: 'catalog', actions: ['*'] },
      ]);
    });

    it('a partial grant is 200 with fewer actions; what is not allowed is simply absent', async () => {
      const response = await requestToken(app, guest, ['repository:acme/app:pull,push,delete', 'repository:elsewhere/app:pull', 'repository:acme/app:*']);
      expect(response.status).toBe(200);
      expect(decodeToken(bodyOf(response).token).payload.access).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);
    });

    it('malformed scopes are dropped, not errors', async () => {
      const response = await requestToken(app, developer, ['repository:ACME/App:pull', 'nonsense', 'repository::pull', 'user:dev:read', 'repository:acme/app:pull']);
      expect(response.status).toBe(200);
      expect(decodeToken(bodyOf(response).token).payload.access).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);
    });

    // reliability.md §4(a) row 28: a token for another registry's service carries nothing.
    it('grants nothing for another service, by GET or POST; without a service, this one is meant', async () => {
      const scope = 'repository:acme/app:pull';
      expect(decodeToken(bodyOf(await requestToken(app, developer, [scope], { service: 'registry.docker.io' })).token).payload.access).toEqual([]);
      const posted = await postToken(app, { grant_type: 'password', username: developer.username, password: developer.password, scope, service: 'elsewhere' });
      expect([posted.status, decodeToken(bodyOf(posted).access_token).payload.access]).toEqual([200, []]);
      const unnamed = await send(`${app.url}/token?scope=${encodeURIComponent(scope)}`, { method: 'GET', headers: { Authorization: basic(developer) } });
      expect(decodeToken(bodyOf(unnamed).token).payload.access).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);
    });

    it('anonymous callers get pull on public repositories only, and no refresh token', async () => {
      const response = await requestToken(app, undefined, ['repository:pub/app:pull,push,delete', 'repository:acme/app:pull'], { offline_token: 'true' });
      expect(response.status).toBe(200);
      const body = bodyOf(response);
      expect(body.refresh_token).toBeUndefined();
      const { payload } = decodeToken(body.token);
      expect(payload.access).toEqual([{ type: 'repository', name: 'pub/app', actions: ['pull'] }]);
      expect(payload.sub).toBe('');
      expect((await registryAs(app, body.token).request('/v2/pub/app/manifests/v1')).status).toBe(200);
    });
  });

  describe('the issued JWT', () => {
    it('is ES256 with a kid published in /.well-known/jwks.json, for aud and iss wharf, living 300 s', async () => {
      const token = await tokenFor(app, developer, 'repository:acme/app:pull');
      const { header, payload } = decodeToken(token);
      expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: expect.any(String) });
      const now = Date.now() / 1000;
      expect(payload).toMatchObject({ iss: 'wharf', aud: 'wharf', sub: developer.username, principal: `user:${developer.id}` });
      expect(payload.exp! - payload.iat!).toBe(300);
      expect(payload.nbf).toBe(payload.iat);
      expect(Math.abs(payload.iat! - now)).toBeLessThan(5);
      expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(payload.access).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);

      const jwksResponse = await send(`${app.url}/.well-known/jwks.json`, { method: 'GET' });
      expect(jwksResponse.status).toBe(200);
      const jwks = jwksResponse.json<JSONWebKeySet>();
      expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);
      for (const key of jwks.keys) {
        expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
        expect(key).not.toHaveProperty('d');
      }
      // The published key is the one that signed it.
      const verified = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: 'wharf', audience: 'wharf', algorithms: ['ES256'] });
      expect(verified.protectedHeader.kid).toBe(header.kid);
    });

    it('two tokens have different jti', async () => {
      const [a, b] = [await tokenFor(app, developer), await tokenFor(app, developer)];
      expect(decodeToken(a).payload.jti).not.toBe(decodeToken(b).payload.jti);
    });
  });

  describe('OAuth2 POST /token', () => {
    it('password grant without access_type: a token and its scope, no refresh token', async () => {
      const response = await postToken(app, { grant_type: 'password', username: developer.username, password: developer.password, service: 'wharf', client_id: 'containerd-client', scope: 'repository:acme/app:pull,push' });
      expect(response.status).toBe(200);
      const body = bodyOf(response);
      expect(body.refresh_token).toBeUndefined();
      expect(body.access_token).toBe(body.token);
      expect(body.expires_in).toBe(300);
      expect(body.issued_at).toMatch(RFC3339_UTC);
      expect(body.scope).toBe('repository:acme/app:pull,push');
      expect(decodeToken(body.access_token).payload.access).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull', 'push'] }]);
    });

    it('password grant with access_type=offline adds a refresh token; a wrong password is 401', async () => {
      const response = await postToken(app, { grant_type: 'password', username: developer.username, password: developer.password, access_type: 'offline', client_id: 'docker', service: 'wharf' });
      expect(response.status).toBe(200);
      expect(bodyOf(response).refresh_token).toMatch(REFRESH_TOKEN);
      expectLoginRefused(await postToken(app, { grant_type: 'password', username: developer.username, password: 'wrong-password', service: 'wharf' }));
    });

    it('refresh_token grant returns the same refresh token and a token for the scope asked', async () => {
      const login = await requestToken(app, developer, [], { offline_token: 'true', client_id: 'docker' });
      const refreshToken = bodyOf(login).refresh_token!;
      for (let i = 0; i < 2; i++) {
        const response = await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken, service: 'wharf', client_id: 'docker', scope: 'repository:acme/app:pull,push,delete' });
        expect(response.status).toBe(200);
        const body = bodyOf(response);
        expect(body.refresh_token).toBe(refreshToken);
        expect(body.scope).toBe('repository:acme/app:pull,push');
        expect(decodeToken(body.access_token).payload.sub).toBe(developer.username);
      }
    });

    it('a revoked refresh token fails at once (POST /token/revoke and CredentialsService)', async () => {
      const first = bodyOf(await requestToken(app, developer, [], { offline_token: 'true' })).refresh_token!;
      const second = bodyOf(await requestToken(app, developer, [], { offline_token: 'true' })).refresh_token!;
      const revoked = await send(`${app.url}/token/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: first }).toString() });
      expect(revoked.status).toBe(200);
      expect(await app.app.get(CredentialsService).revokeRefreshToken(second)).toBe(true);
      for (const refreshToken of [first, second]) {
        expectLoginRefused(await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken, service: 'wharf' }));
      }
      expectLoginRefused(await postToken(app, { grant_type: 'refresh_token', refresh_token: `${first.slice(0, -1)}${first.endsWith('A') ? 'B' : 'A'}`, service: 'wharf' }));
    });

    it("deleting the user ends the user's refresh tokens", async () => {
      const leaving = await userWithRole(app, 'acme', Role.Developer);
      const refreshToken = bodyOf(await postToken(app, { grant_type: 'password', username: leaving.username, password: leaving.password, access_type: 'offline' })).refresh_token!;
      expect((await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken })).status).toBe(200);
      await app.identity.accounts.deleteUser(await app.admin(), leaving.id);
      expectLoginRefused(await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken }));
    });

    it('an unsupported grant_type is 400', async () => {
      const forms: Record<string, string>[] = [{ grant_type: 'client_credentials' }, { grant_type: 'authorization_code', code: 'x' }, {}];
      for (const form of forms) {
        const response = await postToken(app, form);
        expect([JSON.stringify(form), response.status, codesOf(response)]).toEqual([JSON.stringify(form), 400, ['UNSUPPORTED']]);
      }
    });
  });

  describe('personal access tokens', () => {
    const patOf = async (user: TestUser, token: Parameters<TestApp['identity']['accounts']['createPersonalToken']>[1]): Promise<Credentials & { id: string }> => {
      const created = await app.identity.accounts.createPersonalToken(await principalOf(app, user), token);
      return { id: created.token.id, username: user.username, password: created.secret };
    };

    it('works as the password, with the rights of its user', async () => {
      const pat = await patOf(developer, { name: 'full', scope: 'read-write-delete' });
      expect(pat.password).toMatch(/^wharf_pat_/);
      expect(await grantOf(app, pat, 'repository:acme/app:pull,push,delete')).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull', 'push'] }]);
      const { payload } = decodeToken(await tokenFor(app, pat));
      expect([payload.sub, payload.principal]).toEqual([developer.username, `token:${pat.id}`]);
    });

    it('a read scope grants pull only', async () => {
      const pat = await patOf(developer, { name: 'read', scope: 'read' });
      expect(await grantOf(app, pat, 'repository:acme/app:pull,push,delete')).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);
    });

    it('namespaces and repository globs restrict the grant', async () => {
      const owner = await createUser(app);
      await createOrganization(app, 'other');
      for (const org of ['acme', 'other']) await app.identity.organizations.setMember(await app.admin(), org, owner.username, Role.Developer);
      const onlyOther = await patOf(owner, { name: 'other only', scope: 'read-write', namespaces: ['other'] });
      expect(await grantOf(app, onlyOther, 'repository:acme/app:pull', 'repository:other/app:pull,push')).toEqual([{ type: 'repository', name: 'other/app', actions: ['pull', 'push'] }]);
      const globbed = await patOf(owner, { name: 'globbed', scope: 'read-write', repositories: ['acme/app*', 'other/team/*'] });
      expect(await grantOf(app, globbed, 'repository:acme/app:pull', 'repository:acme/application:pull', 'repository:acme/lib:pull', 'repository:other/team/x:pull', 'repository:other/team/x/y:pull')).toEqual([
        { type: 'repository', name: 'acme/app', actions: ['pull'] },
        { type: 'repository', name: 'acme/application', actions: ['pull'] },
        { type: 'repository', name: 'other/team/x', actions: ['pull'] },
      ]);
    });

    it('is refused with another user name', async () => {
      const pat = await patOf(developer, { name: 'misused', scope: 'read' });
      expectLoginRefused(await requestToken(app, { username: guest.username, password: pat.password }, []));
      expectLoginRefused(await requestToken(app, { username: 'admin', password: pat.password }, []));
    });

    it('a revoked one fails at once, and so do refresh tokens obtained with it', async () => {
      const pat = await patOf(developer, { name: 'revoked', scope: 'read' });
      const refreshToken = bodyOf(await requestToken(app, pat, [], { offline_token: 'true' })).refresh_token!;
      expect((await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken })).status).toBe(200);
      await app.identity.accounts.revokePersonalToken(await principalOf(app, developer), pat.id);
      expectLoginRefused(await requestToken(app, pat, []));
      expectLoginRefused(await postToken(app, { grant_type: 'password', username: pat.username, password: pat.password }));
      expectLoginRefused(await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken }));
    });

    it('an expired one fails', async () => {
      const pat = await patOf(developer, { name: 'expiring', scope: 'read', expiresAt: new Date(Date.now() + 60_000) });
      expect((await requestToken(app, pat, [])).status).toBe(200);
      // Expired behind the service's back (as if through another process): refused once its
      // checked credentials are no longer trusted (WHARF_CREDENTIAL_CACHE_TTL).
      await app.query("UPDATE personal_token SET expires_at = now() - interval '1 second' WHERE id = $1", [pat.id]);
      await new Promise((resolve) => setTimeout(resolve, CREDENTIAL_CACHE_TTL_MS + 100));
      expectLoginRefused(await requestToken(app, pat, []));
    });

    it('one that reaches its expiry fails then, whatever the credential cache holds', async () => {
      const pat = await patOf(developer, { name: 'short-lived', scope: 'read', expiresAt: new Date(Date.now() + 1_500) });
      expect((await requestToken(app, pat, [])).status).toBe(200);
      expect((await requestToken(app, pat, [])).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expectLoginRefused(await requestToken(app, pat, []));
    });
  });

  describe('robots (row 17)', () => {
    it('log in with their secret and get what their rules allow', async () => {
      const robot = await createRobot(app, 'acme', [{ pattern: 'app', actions: ['pull'] }]);
      expect(robot.username).toMatch(/^robot\$acme\+/);
      expect(await grantOf(app, robot, 'repository:acme/app:pull,push', 'repository:acme/lib:pull')).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);
      expectLoginRefused(await requestToken(app, { username: robot.username, password: `${robot.password}x` }, []));
    });

    it('an expired robot is 401 at /token, not "login ok, pull fails"', async () => {
      const robot = await createRobot(app, 'acme', [{ pattern: '**', actions: ['pull'] }]);
      const refreshToken = bodyOf(await requestToken(app, robot, [], { offline_token: 'true' })).refresh_token!;
      await app.identity.robots.update(await app.admin(), 'acme', robot.id, { expiresAt: new Date(Date.now() - 1000) });
      expect(await app.query('SELECT expires_at < now() AS expired FROM robot WHERE id = $1', [robot.id])).toEqual([{ expired: true }]);
      expectLoginRefused(await requestToken(app, robot, ['repository:acme/app:pull'], { offline_token: 'true', client_id: 'docker', account: robot.username }));
      expectLoginRefused(await postToken(app, { grant_type: 'password', username: robot.username, password: robot.password }));
      expectLoginRefused(await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken }));
    });

    it('a disabled robot is 401 at /token', async () => {
      const robot = await createRobot(app, 'acme', [{ pattern: '**', actions: ['pull'] }]);
      const refreshToken = bodyOf(await requestToken(app, robot, [], { offline_token: 'true' })).refresh_token!;
      await app.identity.robots.update(await app.admin(), 'acme', robot.id, { disabled: true });
      expectLoginRefused(await requestToken(app, robot, [], { offline_token: 'true', client_id: 'docker', account: robot.username }));
      expectLoginRefused(await postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken }));
    });

    it('a rotated secret stops the old one at once', async () => {
      const robot = await createRobot(app, 'acme', [{ pattern: '**', actions: ['pull'] }]);
      const rotated = await app.identity.robots.rotateSecret(await app.admin(), 'acme', robot.id);
      expectLoginRefused(await requestToken(app, robot, []));
      expect((await requestToken(app, { username: robot.username, password: rotated.secret }, [])).status).toBe(200);
    });
  });

  describe('an issued registry JWT is never a password (Quay CVE-2026-134651)', () => {
    it('as the password of its user or robot: 401 on GET and POST', async () => {
      const robot = await createRobot(app, 'acme', [{ pattern: '**', actions: ['push'] }]);
      for (const credentials of [developer, robot]) {
        const jwt = await tokenFor(app, credentials, 'repository:acme/app:pull');
        const asPassword = { username: credentials.username, password: jwt };
        expectLoginRefused(await requestToken(app, asPassword, ['repository:acme/app:pull']));
        expectLoginRefused(await postToken(app, { grant_type: 'password', username: credentials.username, password: jwt, scope: 'repository:acme/app:pull' }));
        expectLoginRefused(await postToken(app, { grant_type: 'refresh_token', refresh_token: jwt }));
      }
      // Nor is it Basic credentials on /v2.
      const jwt = await tokenFor(app, developer, 'repository:acme/app:pull');
      const response = await send(`${app.url}/v2/acme/app/manifests/v1`, { method: 'GET', headers: { Authorization: basic({ username: developer.username, password: jwt }) } });
      expect(response.status).toBe(401);
    });
  });
});

describe('failed-login limits (row 26)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false, env: { WHARF_LOGIN_MAX_FAILURES: '3', WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS: '5' } });
  });
  afterAll(async () => app?.close());

  const wrong = (user: Credentials): Credentials => ({ username: user.username, password: 'not-the-password' });

  function expectThrottled(response: RawResponse): void {
    expect(response.status).toBe(429);
    expect(codesOf(response)).toEqual(['TOOMANYREQUESTS']);
    const retryAfter = Number(response.header('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  }

  it('blocks an account after 3 failures, even with the right password; other accounts from the address until 5', async () => {
    const victim = await createUser(app);
    const neighbour = await createUser(app);
    const third = await createUser(app);

    for (let i = 0; i < 3; i++) expectLoginRefused(await requestToken(app, wrong(victim), []));
    expectThrottled(await requestToken(app, victim, []));
    expectThrottled(await postToken(app, { grant_type: 'password', username: victim.username, password: victim.password }));
    // The lockout is recorded (and logged) per account and per address.
    const rows = await app.query<{ key: string; failures: number; blocked: boolean }>('SELECT key, failures, blocked_until > now() AS blocked FROM login_failure ORDER BY key');
    expect(rows).toEqual([
      { key: `account:${victim.username}`, failures: 3, blocked: true },
      { key: 'address:127.0.0.1', failures: 3, blocked: null },
    ]);

    // Three failures from this address so far: another account still logs in.
    expect((await requestToken(app, neighbour, [])).status).toBe(200);
    expectLoginRefused(await requestToken(app, wrong(neighbour), []));
    expect((await requestToken(app, neighbour, [])).status).toBe(200);
    expectLoginRefused(await requestToken(app, wrong(third), []));
    // The fifth failure from the address blocks every account from it.
    expectThrottled(await requestToken(app, third, []));
    expectThrottled(await requestToken(app, neighbour, []));
  });
});

describe('failed-login limits behind a reverse proxy (row 26)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false, env: { WHARF_LOGIN_MAX_FAILURES: '3', WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS: '5', WHARF_TRUST_PROXY: 'true' } });
  });
  afterAll(async () => app?.close());

  /** A request to the token service from `address`, as the proxy reports it. */
  const from = (address: string) => ({
    get: (credentials: Credentials) =>
      send(`${app.url}/token?service=wharf`, { method: 'GET', headers: { Authorization: basic(credentials), 'X-Forwarded-For': address } }),
    refresh: (refreshToken: string) =>
      send(`${app.url}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': address },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, service: 'wharf' }).toString(),
      }),
  });

  it('counts failures per client address', async () => {
    const users = await Promise.all([createUser(app), createUser(app), createUser(app)]);
    const attacker = from('203.0.113.7');
    for (const [i, user] of [...users, ...users].slice(0, 5).entries()) {
      expect([i, (await attacker.get({ username: user.username, password: 'guessed-wrong' })).status]).toEqual([i, 401]);
    }
    expect((await attacker.get(users[2]!)).status).toBe(429);
    expect((await from('198.51.100.4').get(users[2]!)).status).toBe(200);
  });

  // Guesses sent at once used to pass the limit check together, before the first failure
  // was counted: a burst of 500 got 500 tries where the limit allows 10.
  it('a burst of guesses at one account, sent at once from many addresses, gets no more tries than the limit', async () => {
    const user = await createUser(app);
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => from(`203.0.113.${100 + i}`).get({ username: user.username, password: `guess-${i}` })));
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(9);
    expect((await from('198.51.100.20').get(user)).status).toBe(429);
  });

  it('a burst of right passwords sent at once logs every one in', async () => {
    const user = await createUser(app);
    const burst = await Promise.all(Array.from({ length: 8 }, () => from('198.51.100.21').get(user)));
    expect(burst.map((response) => response.status)).toEqual(Array(8).fill(200));
  });

  it("guessed robot secrets block the guesser's address, never the robot", async () => {
    const org = unique('ci');
    await createOrganization(app, org);
    const robot = await createRobot(app, org, [{ pattern: '**', actions: ['pull'] }]);
    const attacker = from('203.0.113.150');
    for (let i = 0; i < 5; i++) expect([i, (await attacker.get({ username: robot.username, password: `guess-${i}` })).status]).toEqual([i, 401]);
    expect((await attacker.get(robot)).status).toBe(429);
    expect((await from('198.51.100.30').get(robot)).status).toBe(200);
  });

  it("guessed personal access tokens count against the token they name, never the user's password", async () => {
    const user = await createUser(app);
    const attacker = from('203.0.113.160');
    const guessOf = (id: string) => ({ username: user.username, password: `wharf_pat_${id}_${'A'.repeat(43)}` });
    for (let i = 0; i < 3; i++) expect([i, (await attacker.get(guessOf('7'.repeat(32)))).status]).toEqual([i, 401]);
    // That token is blocked; another one, and the user's password, are not.
    expect((await attacker.get(guessOf('7'.repeat(32)))).status).toBe(429);
    expect((await attacker.get(guessOf('8'.repeat(32)))).status).toBe(401);
    expect((await from('198.51.100.40').get(user)).status).toBe(200);
  });

  it('guessed refresh tokens block the guesser, never the other clients of the refresh-token grant', async () => {
    const user = await createUser(app);
    const login = await send(`${app.url}/token?service=wharf&offline_token=true`, { method: 'GET', headers: { Authorization: basic(user), 'X-Forwarded-For': '198.51.100.10' } });
    const refreshToken = login.json<TokenBody>().refresh_token!;

    const attacker = from('203.0.113.99');
    for (let i = 0; i < 5; i++) {
      const guess = `wharf_rt_${String(i).repeat(32)}_${'A'.repeat(43)}`;
      expect([i, (await attacker.refresh(guess)).status]).toEqual([i, 401]);
    }
    expect((await attacker.refresh(refreshToken)).status).toBe(429);
    const refreshed = await from('198.51.100.10').refresh(refreshToken);
    expect([refreshed.status, refreshed.json<TokenBody>().refresh_token]).toEqual([200, refreshToken]);
  });
});
