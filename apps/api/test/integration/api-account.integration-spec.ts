import type { TokenScope } from '@wharf/authz';

import { createUser, principalOf, requestToken, unique, USER_PASSWORD, type TestUser } from './support/access-fixtures';
import { ApiClient, errorCode, type ApiErrorJson, type ApiResponse } from './support/api-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The current user (issue 5): profile, password, personal access tokens. Tokens are a
 * person's own business: another user's token id is 404, a token cannot mint tokens or
 * change the password, and a secret is shown once.
 */

const PAT = /^wharf_pat_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Me {
  id: string;
  name: string;
  email: string | null;
  admin: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  via: 'session' | 'token';
  token: { id: string; scope: string; namespaces: string[] | null; repositories: string[] | null } | null;
}

interface Token {
  id: string;
  name: string;
  scope: string;
  namespaces: string[] | null;
  repositories: string[] | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  secret?: string;
}

const fieldOf = (response: ApiResponse) => (response.body as ApiErrorJson).error.field;

function expectValidationError(response: ApiResponse, field: string): void {
  expect(response.status).toBe(400);
  expect(errorCode(response)).toBe('validation_failed');
  expect(fieldOf(response)).toBe(field);
}

describe('management API: the current user', () => {
  let app: TestApp;

  const signedIn = async (user: TestUser, password = user.password) => new ApiClient(app.url).signIn(user.username, password);
  const tokenRows = async (user: TestUser) => app.query<{ id: string; name: string }>('SELECT id, name FROM personal_token WHERE user_id = $1 ORDER BY name', [user.id]);
  const patOf = async (user: TestUser, scope: TokenScope, limits: { namespaces?: string[]; repositories?: string[] } = {}) =>
    (await app.identity.accounts.createPersonalToken(await principalOf(app, user), { name: unique('token'), scope, ...limits })).secret;

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('GET /api/v1/me', () => {
    it('answers 401 to anonymous callers', async () => {
      const response = await new ApiClient(app.url).get('/api/v1/me');
      expect(response.status).toBe(401);
      expect(errorCode(response)).toBe('unauthenticated');
    });

    it('describes the signed-in user, and nothing secret', async () => {
      const user = await createUser(app);
      await app.query('UPDATE app_user SET email = $2 WHERE id = $1', [user.id, 'me@example.com']);
      const response = await (await signedIn(user)).get<Me>('/api/v1/me');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: user.id,
        name: user.username,
        email: 'me@example.com',
        admin: false,
        createdAt: expect.stringMatching(/Z$/),
        lastLoginAt: expect.stringMatching(/Z$/),
        via: 'session',
        token: null,
      });
      expect(Date.now() - new Date(response.body.lastLoginAt!).getTime()).toBeLessThan(60_000);
      expect(JSON.stringify(response.body)).not.toMatch(/hash|argon|password/i);
    });

    it('says when the caller is a personal access token, with its scope and limits', async () => {
      const user = await createUser(app);
      const secret = await patOf(user, 'read', { namespaces: [user.username] });
      const [row] = await tokenRows(user);
      const response = await new ApiClient(app.url).withToken(secret).get<Me>('/api/v1/me');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: user.id, name: user.username, via: 'token', token: { id: row!.id, scope: 'read', namespaces: [user.username], repositories: null } });
    });

    it('refuses a malformed, unknown or revoked Bearer token with 401', async () => {
      const user = await createUser(app);
      const secret = await patOf(user, 'read');
      for (const bearer of ['nonsense', `wharf_pat_${'0'.repeat(32)}_${'A'.repeat(43)}`, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`]) {
        const response = await new ApiClient(app.url).withToken(bearer).get('/api/v1/me');
        expect(response.status).toBe(401);
        expect(errorCode(response)).toBe('unauthenticated');
      }
      await app.identity.accounts.revokePersonalToken(await principalOf(app, user), (await tokenRows(user))[0]!.id);
      expect((await new ApiClient(app.url).withToken(secret).get('/api/v1/me')).status).toBe(401);
    });
  });

  describe('PUT /api/v1/me/password', () => {
    const NEW_PASSWORD = 'a-brand-new-password';

    it('changes the password and ends every session and refresh token of the user, this one included', async () => {
      const user = await createUser(app);
      const here = await signedIn(user);
      const elsewhere = await signedIn(user);
      const docker = await requestToken(app, user, [], { offline_token: 'true', client_id: 'docker' });
      expect(docker.status).toBe(200);
      expect(await app.query('SELECT id FROM refresh_token WHERE user_id = $1', [user.id])).toHaveLength(1);

      const response = await here.put('/api/v1/me/password', { currentPassword: USER_PASSWORD, newPassword: NEW_PASSWORD });
      expect(response.status).toBe(204);
      expect(response.headers.getSetCookie().some((c) => /^wharf_session=;/.test(c))).toBe(true);

      expect(await app.query('SELECT id FROM session WHERE user_id = $1', [user.id])).toEqual([]);
      expect(await app.query('SELECT id FROM refresh_token WHERE user_id = $1', [user.id])).toEqual([]);
      expect((await elsewhere.get('/api/v1/me')).status).toBe(401);
      expect((await new ApiClient(app.url).post('/api/v1/session', { username: user.username, password: USER_PASSWORD })).status).toBe(401);
      expect((await new ApiClient(app.url).post('/api/v1/session', { username: user.username, password: NEW_PASSWORD })).status).toBe(200);
    });

    it('refuses a wrong current password (400 naming currentPassword) and keeps the old one', async () => {
      const user = await createUser(app);
      const client = await signedIn(user);
      const response = await client.put('/api/v1/me/password', { currentPassword: 'not-my-password', newPassword: NEW_PASSWORD });
      expectValidationError(response, 'currentPassword');
      expect((await client.get('/api/v1/me')).status).toBe(200);
      expect((await new ApiClient(app.url).post('/api/v1/session', { username: user.username, password: USER_PASSWORD })).status).toBe(200);
    });

    it.each([
      ['a short new password', { currentPassword: USER_PASSWORD, newPassword: 'short' }, 'newPassword'],
      ['a missing current password', { newPassword: NEW_PASSWORD }, 'currentPassword'],
      ['a number as the new password', { currentPassword: USER_PASSWORD, newPassword: 12345678 }, 'newPassword'],
      ['an unknown field', { currentPassword: USER_PASSWORD, newPassword: NEW_PASSWORD, user: 'admin' }, 'user'],
    ])('refuses %s, naming the field, and changes nothing', async (_case, body, field) => {
      const user = await createUser(app);
      const client = await signedIn(user);
      const before = await app.query('SELECT password_hash FROM app_user WHERE id = $1', [user.id]);
      expectValidationError(await client.put('/api/v1/me/password', body), field);
      expect(await app.query('SELECT password_hash FROM app_user WHERE id = $1', [user.id])).toEqual(before);
    });

    it('is refused to anonymous callers and to personal access tokens (401): it needs the person', async () => {
      const user = await createUser(app);
      const before = await app.query('SELECT password_hash FROM app_user WHERE id = $1', [user.id]);
      const body = { currentPassword: USER_PASSWORD, newPassword: NEW_PASSWORD };
      expect((await new ApiClient(app.url).put('/api/v1/me/password', body)).status).toBe(401);
      const withToken = await new ApiClient(app.url).withToken(await patOf(user, 'read-write-delete')).put('/api/v1/me/password', body);
      expect(withToken.status).toBe(401);
      expect(errorCode(withToken)).toBe('unauthenticated');
      expect(await app.query('SELECT password_hash FROM app_user WHERE id = $1', [user.id])).toEqual(before);
    });
  });

  describe('personal access tokens', () => {
    it('creates a token whose secret is shown once, lists it without the secret, and revokes it', async () => {
      const user = await createUser(app);
      const client = await signedIn(user);
      expect((await client.get<{ items: Token[] }>('/api/v1/me/tokens')).body).toEqual({ items: [] });

      const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const created = await client.post<Token>('/api/v1/me/tokens', { name: 'ci laptop', scope: 'read-write', namespaces: [user.username], repositories: [`${user.username}/app/*`], expiresAt });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(UUID),
        name: 'ci laptop',
        scope: 'read-write',
        namespaces: [user.username],
        repositories: [`${user.username}/app/*`],
        createdAt: expect.stringMatching(/Z$/),
        expiresAt,
        lastUsedAt: null,
        secret: expect.stringMatching(PAT),
      });
      const secret = created.body.secret!;
      const rows = await app.query<{ id: string; secret_hash: string }>('SELECT id, secret_hash FROM personal_token WHERE user_id = $1', [user.id]);
      expect(rows).toEqual([{ id: created.body.id, secret_hash: expect.any(String) }]);
      expect(rows[0]!.secret_hash).not.toContain(secret);

      // The secret works, and its use is recorded.
      expect((await new ApiClient(app.url).withToken(secret).get('/api/v1/me')).status).toBe(200);
      const listed = await client.get<{ items: Token[] }>('/api/v1/me/tokens');
      expect(listed.status).toBe(200);
      const withoutSecret: Token = { ...created.body };
      delete withoutSecret.secret;
      expect(listed.body.items).toEqual([{ ...withoutSecret, lastUsedAt: expect.stringMatching(/Z$/) }]);
      const text = JSON.stringify(listed.body);
      expect(text).not.toContain(secret.slice(-43));
      expect(text).not.toContain(rows[0]!.secret_hash);
      expect(text).not.toMatch(/secret|hash/i);

      const revoked = await client.delete(`/api/v1/me/tokens/${created.body.id}`);
      expect(revoked.status).toBe(204);
      expect(await tokenRows(user)).toEqual([]);
      expect((await new ApiClient(app.url).withToken(secret).get('/api/v1/me')).status).toBe(401);
      expect((await client.get<{ items: Token[] }>('/api/v1/me/tokens')).body.items).toEqual([]);
    });

    it('makes tokens that never expire when expiresAt is absent or null', async () => {
      const client = await signedIn(await createUser(app));
      for (const body of [{ name: 'forever', scope: 'read' }, { name: 'forever-too', scope: 'read', expiresAt: null }]) {
        const response = await client.post<Token>('/api/v1/me/tokens', body);
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ expiresAt: null, namespaces: null, repositories: null });
      }
    });

    it('refuses a second token of the same name (409)', async () => {
      const user = await createUser(app);
      const client = await signedIn(user);
      expect((await client.post('/api/v1/me/tokens', { name: 'twice', scope: 'read' })).status).toBe(201);
      const again = await client.post('/api/v1/me/tokens', { name: 'twice', scope: 'read' });
      expect(again.status).toBe(409);
      expect(errorCode(again)).toBe('conflict');
      expect(await tokenRows(user)).toHaveLength(1);
    });

    it.each([
      ['an unknown scope', { name: 'x', scope: 'admin' }, 'scope'],
      ['no scope', { name: 'x' }, 'scope'],
      ['a name with forbidden characters', { name: '<script>', scope: 'read' }, 'name'],
      ['a name too long', { name: 'x'.repeat(101), scope: 'read' }, 'name'],
      ['an invalid namespace', { name: 'x', scope: 'read', namespaces: ['Not A Name'] }, 'namespaces'],
      ['namespaces that are not a list', { name: 'x', scope: 'read', namespaces: 'acme' }, 'namespaces'],
      ['an invalid repository pattern', { name: 'x', scope: 'read', repositories: ['acme/$(id)'] }, 'repositories'],
      ['an expiry in the past', { name: 'x', scope: 'read', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
      ['an expiry that is not a date', { name: 'x', scope: 'read', expiresAt: 'next week' }, 'expiresAt'],
      ['an unknown field (mass assignment)', { name: 'x', scope: 'read', userId: '1' }, 'userId'],
    ])('refuses %s, naming the field, and creates nothing', async (_case, body, field) => {
      const user = await createUser(app);
      expectValidationError(await (await signedIn(user)).post('/api/v1/me/tokens', body), field);
      expect(await tokenRows(user)).toEqual([]);
    });

    it("answers 404 to revoking another user's token, which keeps working (IDOR)", async () => {
      const owner = await createUser(app);
      const secret = await patOf(owner, 'read');
      const [row] = await tokenRows(owner);
      const attacker = await signedIn(await createUser(app));
      const response = await attacker.delete(`/api/v1/me/tokens/${row!.id}`);
      expect(response.status).toBe(404);
      expect(errorCode(response)).toBe('not_found');
      expect(await tokenRows(owner)).toHaveLength(1);
      expect((await new ApiClient(app.url).withToken(secret).get('/api/v1/me')).status).toBe(200);
      // …and the same answer as for a token that does not exist at all.
      const missing = await attacker.delete('/api/v1/me/tokens/00000000-0000-4000-8000-000000000000');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual(response.body);
      expect((await attacker.delete('/api/v1/me/tokens/not-a-uuid')).status).toBe(404);
    });

    it("lists only the caller's own tokens", async () => {
      const owner = await createUser(app);
      await patOf(owner, 'read');
      const other = await signedIn(await createUser(app));
      expect((await other.get<{ items: Token[] }>('/api/v1/me/tokens')).body.items).toEqual([]);
    });

    it('is refused to anonymous callers and to tokens, whatever their scope (401): a token cannot mint or list tokens', async () => {
      const user = await createUser(app);
      const secret = await patOf(user, 'read-write-delete');
      const [row] = await tokenRows(user);
      const anonymous = new ApiClient(app.url);
      const script = new ApiClient(app.url).withToken(secret);
      for (const client of [anonymous, script]) {
        expect((await client.get('/api/v1/me/tokens')).status).toBe(401);
        expect((await client.post('/api/v1/me/tokens', { name: 'minted', scope: 'read-write-delete' })).status).toBe(401);
        expect((await client.delete(`/api/v1/me/tokens/${row!.id}`)).status).toBe(401);
      }
      expect((await tokenRows(user)).map((t) => t.id)).toEqual([row!.id]);
    });

    it('lets a read-scoped token read the profile but change nothing it tries', async () => {
      const user = await createUser(app);
      const secret = await patOf(user, 'read');
      const script = new ApiClient(app.url).withToken(secret);
      expect((await script.get('/api/v1/me')).status).toBe(200);
      expect((await script.put('/api/v1/me/password', { currentPassword: USER_PASSWORD, newPassword: 'whatever-else' })).status).toBe(401);
      expect((await script.post('/api/v1/me/tokens', { name: 'minted', scope: 'read' })).status).toBe(401);
      expect(await tokenRows(user)).toHaveLength(1);
      // The token itself is fine: docker logs in with it.
      expect((await requestToken(app, { username: user.username, password: secret }, [])).status).toBe(200);
    });
  });
});
