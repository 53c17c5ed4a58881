import { createHash } from 'node:crypto';

import { ADMIN, createOrganization, createRobot, createUser, principalOf, tokenFor, unique, USER_PASSWORD, type TestUser } from './support/access-fixtures';
import { ApiClient, errorCode, type ApiErrorJson, type ApiResponse } from './support/api-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Portal sessions and the protections around them (issue 5): the cookie, rotation at sign-in,
 * server-side sign-out, CSRF, machines kept out of the portal, failed-login limits, and
 * bodies the API refuses (reliability.md §4a rows 30–32).
 */

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

const errorOf = (response: ApiResponse) => (response.body as ApiErrorJson).error;

/** A personal access token of `user`, made through the identity service. */
async function personalToken(app: TestApp, user: TestUser, scope: 'read' | 'read-write' = 'read-write'): Promise<string> {
  return (await app.identity.accounts.createPersonalToken(await principalOf(app, user), { name: unique('token'), scope })).secret;
}

describe('management API sessions', () => {
  let app: TestApp;
  let alice: TestUser;

  const sessionsOf = async (userId: string) => (await app.query<{ id: string }>('SELECT id FROM session WHERE user_id = $1 ORDER BY id', [userId])).map((row) => row.id);

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false });
    alice = await createUser(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('signs in with an httpOnly, SameSite cookie whose value is stored only hashed', async () => {
    const response = await fetch(`${app.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: alice.username, password: USER_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: { name: string; admin: boolean }; csrfToken: string; expiresAt: string };
    expect(body.user).toMatchObject({ name: alice.username, admin: false });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('wharf_session='));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    const value = cookie!.slice('wharf_session='.length).split(';')[0]!;
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await sessionsOf(alice.id);
    expect(stored).toContain(sha256(value));
    expect(stored).not.toContain(value);

    // The cookie alone identifies the session.
    const me = await fetch(`${app.url}/api/v1/me`, { headers: { Cookie: `wharf_session=${value}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { name: string }).name).toBe(alice.username);
  });

  it('gives a new session id at every sign-in; the previous cookie stops working', async () => {
    const client = await new ApiClient(app.url).signIn(alice.username, USER_PASSWORD);
    const first = client.sessionCookie()!;
    const firstCsrf = client.csrfToken();
    expect((await client.get('/api/v1/me')).status).toBe(200);

    await client.signIn(alice.username, USER_PASSWORD);
    const second = client.sessionCookie()!;
    expect(second).not.toBe(first);
    expect(client.csrfToken()).not.toBe(firstCsrf);
    expect((await client.get('/api/v1/me')).status).toBe(200);

    const old = await new ApiClient(app.url).get('/api/v1/me', { Cookie: `wharf_session=${first}` });
    expect(old.status).toBe(401);
    expect(errorCode(old)).toBe('unauthenticated');
    const stored = await sessionsOf(alice.id);
    expect(stored).not.toContain(sha256(first));
    expect(stored).toContain(sha256(second));
  });

  it('ends the session on the server at sign-out', async () => {
    const client = await new ApiClient(app.url).signIn(alice.username, USER_PASSWORD);
    const cookie = client.sessionCookie()!;
    const response = await client.delete('/api/v1/session');
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie().some((c) => /^wharf_session=;/.test(c))).toBe(true);
    expect(await sessionsOf(alice.id)).not.toContain(sha256(cookie));

    // Replaying the cookie kept from before, as a thief would.
    const replay = await new ApiClient(app.url).get('/api/v1/me', { Cookie: `wharf_session=${cookie}` });
    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('unauthenticated');
    const session = await new ApiClient(app.url).get<{ user: unknown }>('/api/v1/session', { Cookie: `wharf_session=${cookie}` });
    expect(session.body.user).toBeNull();
  });

  it('ends a session idle for WHARF_SESSION_IDLE_TIMEOUT (2 h); a request moves the deadline, at most once a minute', async () => {
    const client = await new ApiClient(app.url).signIn(alice.username, USER_PASSWORD);
    const id = sha256(client.sessionCookie()!);
    const idleSeconds = async () =>
      Number((await app.query<{ idle: string }>('SELECT extract(epoch FROM now() - last_seen_at) AS idle FROM session WHERE id = $1', [id]))[0]!.idle);
    const seenAgo = (interval: string) => app.query(`UPDATE session SET last_seen_at = now() - interval '${interval}' WHERE id = $1`, [id]);

    // Seen 30 s ago: still live, and the deadline is not written again yet.
    await seenAgo('30 seconds');
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect(await idleSeconds()).toBeGreaterThanOrEqual(29);

    // Seen just under two hours ago: live, and the request starts the idle time again.
    await seenAgo('119 minutes');
    expect((await client.get('/api/v1/me')).status).toBe(200);
    expect(await idleSeconds()).toBeLessThan(10);

    await seenAgo('121 minutes');
    const expired = await client.get('/api/v1/me');
    expect(expired.status).toBe(401);
    expect(errorCode(expired)).toBe('unauthenticated');
  });

  it('treats an unknown or malformed cookie as no identity', async () => {
    for (const cookie of ['x'.repeat(43), 'not a session', '']) {
      const response = await new ApiClient(app.url).get('/api/v1/me', { Cookie: `wharf_session=${cookie}` });
      expect(response.status).toBe(401);
    }
  });

  describe('CSRF', () => {
    let client: ApiClient;

    beforeAll(async () => {
      client = await new ApiClient(app.url).signIn(alice.username, USER_PASSWORD);
    });

    const tokensNamed = async (name: string) => (await app.query('SELECT id FROM personal_token WHERE user_id = $1 AND name = $2', [alice.id, name])).length;

    it.each([
      ['without X-CSRF-Token', { 'X-CSRF-Token': '' }],
      ['with a wrong X-CSRF-Token', { 'X-CSRF-Token': 'A'.repeat(32) }],
      ['with the right token but a foreign Origin', { Origin: 'https://evil.example' }],
      ['with the right token but the Origin of another port', { Origin: 'http://127.0.0.1:1' }],
    ])('refuses a state-changing call with the cookie %s, and changes nothing', async (_case, headers) => {
      const response = await client.post('/api/v1/me/tokens', { name: 'csrf-victim', scope: 'read-write' }, headers);
      expect(response.status).toBe(403);
      expect(errorCode(response)).toBe('csrf_failed');
      expect(await tokensNamed('csrf-victim')).toBe(0);
    });

    it('refuses a sign-out without the token: the session goes on', async () => {
      const response = await client.delete('/api/v1/session', { 'X-CSRF-Token': '' });
      expect(response.status).toBe(403);
      expect(errorCode(response)).toBe('csrf_failed');
      expect((await client.get('/api/v1/me')).status).toBe(200);
    });

    it('accepts the call with the right token, from this origin or with no Origin', async () => {
      const sameOrigin = await client.post('/api/v1/me/tokens', { name: 'csrf-ok', scope: 'read' }, { Origin: new URL(app.url).origin });
      expect(sameOrigin.status).toBe(201);
      const noOrigin = await client.post('/api/v1/me/tokens', { name: 'csrf-ok-2', scope: 'read' });
      expect(noOrigin.status).toBe(201);
      expect(await tokensNamed('csrf-ok')).toBe(1);
    });

    it('lets a browser holding an old session sign in again without its token: open endpoints see an anonymous caller', async () => {
      const browser = await new ApiClient(app.url).signIn(alice.username, USER_PASSWORD);
      const before = browser.sessionCookie();
      const again = await browser.post('/api/v1/session', { username: alice.username, password: USER_PASSWORD }, { 'X-CSRF-Token': '' });
      expect(again.status).toBe(200);
      expect(browser.sessionCookie()).not.toBe(before);
      expect((await browser.get('/api/v1/me')).status).toBe(200);
      const stale = await fetch(`${app.url}/api/v1/me`, { headers: { Cookie: `wharf_session=${before}` } });
      expect(stale.status).toBe(401);
    });

    it('gives the CSRF token of the session at GET /api/v1/session', async () => {
      const response = await client.get<{ csrfToken: string; user: { name: string } }>('/api/v1/session');
      expect(response.status).toBe(200);
      expect(response.body.user.name).toBe(alice.username);
      expect(response.body.csrfToken).toBe(client.csrfToken());
      const anonymous = await new ApiClient(app.url).get('/api/v1/session');
      expect(anonymous.body).toEqual({ user: null, csrfToken: null, expiresAt: null });
    });

    it('needs no CSRF token with a personal access token as Bearer (no cookie, no ambient authority)', async () => {
      const admin = await createUser(app);
      await app.identity.accounts.updateUser(await app.admin(), admin.id, { admin: true });
      const script = new ApiClient(app.url).withToken(await personalToken(app, admin));
      const name = `scripted${Date.now()}`;
      const response = await script.post('/api/v1/users', { name, password: USER_PASSWORD });
      expect(response.status).toBe(201);
      expect(await app.query('SELECT id FROM app_user WHERE name = $1', [name])).toHaveLength(1);
    });
  });

  describe('machines never get a portal session', () => {
    it("refuses a robot's name and secret, which the token service accepts", async () => {
      await createOrganization(app, 'acme');
      const robot = await createRobot(app, 'acme', [{ pattern: '**', actions: ['pull'] }]);
      await expect(tokenFor(app, robot, 'repository:acme/app:pull')).resolves.toEqual(expect.any(String));
      const before = (await app.query('SELECT id FROM session')).length;
      const response = await new ApiClient(app.url).post('/api/v1/session', { username: robot.username, password: robot.password });
      expect(response.status).toBe(401);
      expect(errorCode(response)).toBe('unauthenticated');
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await app.query('SELECT id FROM session')).toHaveLength(before);
    });

    it('refuses a user name with a personal access token as the password', async () => {
      const bob = await createUser(app);
      const secret = await personalToken(app, bob);
      await expect(tokenFor(app, { username: bob.username, password: secret }, `repository:${bob.username}/app:pull`)).resolves.toEqual(expect.any(String));
      const response = await new ApiClient(app.url).post('/api/v1/session', { username: bob.username, password: secret });
      expect(response.status).toBe(401);
      expect(errorCode(response)).toBe('unauthenticated');
      expect(await sessionsOf(bob.id)).toEqual([]);
    });
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await new ApiClient(app.url).post('/api/v1/session', { username: alice.username, password: 'not-the-password' });
    const missing = await new ApiClient(app.url).post('/api/v1/session', { username: 'nobody-by-this-name', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual(wrong.body);
    expect(errorCode(wrong)).toBe('unauthenticated');
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  describe('bodies the API refuses (reliability.md §4a rows 30–32)', () => {
    it('refuses unknown fields, naming the field', async () => {
      const response = await new ApiClient(app.url).post('/api/v1/session', { username: alice.username, password: USER_PASSWORD, remember: true });
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: 'validation_failed', field: 'remember' });
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it('refuses a field of the wrong type, naming it', async () => {
      const response = await new ApiClient(app.url).post('/api/v1/session', { username: alice.username, password: 12345678 });
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: 'validation_failed', field: 'password' });
    });

    it('refuses a 2 MB JSON body with 413, in the API error shape', async () => {
      const body = JSON.stringify({ username: alice.username, password: 'x'.repeat(2 * 1024 * 1024) });
      const response = await fetch(`${app.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect(response.status).toBe(413);
      const json = (await response.json()) as ApiErrorJson;
      expect(json.error.code).toBe('payload_too_large');
      expect(typeof json.error.message).toBe('string');
    });

    it('refuses invalid JSON with 400, in the API error shape', async () => {
      const response = await fetch(`${app.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username": "alice", ' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const json = (await response.json()) as ApiErrorJson;
      expect(Object.keys(json)).toEqual(['error']);
      expect(json.error.code).toEqual(expect.any(String));
      expect(json.error.message).toMatch(/JSON/);
    });
  });
});

describe('management API sign-in limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false, env: { WHARF_LOGIN_MAX_FAILURES: '3' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 429 with Retry-After after too many failures, even to the right password', async () => {
    const carol = await createUser(app);
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await new ApiClient(app.url).post('/api/v1/session', { username: carol.username, password: `wrong-${attempt}` });
      expect(response.status).toBe(401);
    }
    const blocked = await new ApiClient(app.url).post('/api/v1/session', { username: carol.username, password: USER_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(errorCode(blocked)).toBe('too_many_requests');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.getSetCookie()).toEqual([]);

    // Another account is not held up by carol's.
    expect((await new ApiClient(app.url).post('/api/v1/session', { username: ADMIN.username, password: ADMIN.password })).status).toBe(200);
  });
});
