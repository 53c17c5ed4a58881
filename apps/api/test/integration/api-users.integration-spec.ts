import type { TokenScope } from '@wharf/authz';

import { ADMIN, createOrganization, createUser, principalOf, unique, USER_PASSWORD, type TestUser } from './support/access-fixtures';
import { ApiClient, errorCode, type ApiErrorJson, type ApiResponse } from './support/api-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Users, managed by system administrators, and self-registration (issue 5): list and search
 * with keyset paging, create, disable, grant or revoke admin, delete; the system setting that
 * opens registration, and the Harbor CVE-2019-16097 lesson (reliability.md §1): registering
 * with `admin` in the body creates nothing.
 */

interface User {
  id: string;
  name: string;
  email: string | null;
  admin: boolean;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

interface UserPage {
  items: User[];
  nextCursor?: string;
}

const fieldOf = (response: ApiResponse) => (response.body as ApiErrorJson).error.field;

function expectValidationError(response: ApiResponse, field: string): void {
  expect(response.status).toBe(400);
  expect(errorCode(response)).toBe('validation_failed');
  expect(fieldOf(response)).toBe(field);
}

function expectForbidden(response: ApiResponse): void {
  expect(response.status).toBe(403);
  expect(errorCode(response)).toBe('forbidden');
}

describe('management API: users', () => {
  let app: TestApp;
  let admin: ApiClient;
  let someone: TestUser;
  let nonAdmin: ApiClient;

  const signedIn = async (user: { username: string; password: string }) => new ApiClient(app.url).signIn(user.username, user.password);
  const userRow = async (name: string) =>
    (await app.query<{ id: string; admin: boolean; disabled: boolean; email: string | null }>('SELECT id, admin, disabled, email FROM app_user WHERE name = $1', [name]))[0];
  const sessionCount = async (userId: string) => (await app.query('SELECT id FROM session WHERE user_id = $1', [userId])).length;
  const patOf = async (user: TestUser, scope: TokenScope, limits: { namespaces?: string[] } = {}) =>
    (await app.identity.accounts.createPersonalToken(await principalOf(app, user), { name: unique('token'), scope, ...limits })).secret;
  /** A second system administrator, so that tests may use their tokens. */
  const anotherAdmin = async () => {
    const user = await createUser(app);
    await app.identity.accounts.updateUser(await app.admin(), user.id, { admin: true });
    return user;
  };

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false });
    admin = await signedIn(ADMIN);
    someone = await createUser(app);
    nonAdmin = await signedIn(someone);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('GET /api/v1/users', () => {
    // Names sharing a marker, so that a search sees only this test's users.
    const marker = unique('zq');
    const names = ['a', 'b', 'c'].map((letter) => `${marker}-${letter}`);

    beforeAll(async () => {
      for (const name of names) await createUser(app, name);
      await app.query('UPDATE app_user SET email = $2 WHERE name = $1', [names[1], `Boss.${marker}@Example.com`]);
      await app.query("UPDATE app_user SET email = 'under_score%@example.com' WHERE name = $1", [names[2]]);
    });

    it('lists users by name to system administrators, without their password hashes', async () => {
      const response = await admin.get<UserPage>('/api/v1/users?limit=100');
      expect(response.status).toBe(200);
      const listed = response.body.items.map((user) => user.name);
      expect(listed).toEqual([...listed].sort());
      expect(listed).toEqual(expect.arrayContaining(['admin', someone.username, ...names]));
      expect(response.body.items.find((user) => user.name === 'admin')).toEqual({
        id: expect.any(String),
        name: 'admin',
        email: null,
        admin: true,
        disabled: false,
        createdAt: expect.stringMatching(/Z$/),
        lastLoginAt: expect.stringMatching(/Z$/),
      });
      expect(JSON.stringify(response.body)).not.toMatch(/argon|hash|password/i);
    });

    it('searches names and emails by substring, case-insensitively; % and _ are plain characters', async () => {
      const byName = await admin.get<UserPage>(`/api/v1/users?q=${marker.toUpperCase()}`);
      expect(byName.body.items.map((user) => user.name)).toEqual(names);
      const byEmail = await admin.get<UserPage>(`/api/v1/users?q=${encodeURIComponent(`boss.${marker}@example`)}`);
      expect(byEmail.body.items.map((user) => user.name)).toEqual([names[1]]);
      const literal = await admin.get<UserPage>(`/api/v1/users?q=${encodeURIComponent('under_score%')}`);
      expect(literal.body.items.map((user) => user.name)).toEqual([names[2]]);
      const wildcard = await admin.get<UserPage>(`/api/v1/users?q=${encodeURIComponent('%')}`);
      expect(wildcard.body.items.map((user) => user.name)).toEqual([names[2]]);
      const nobody = await admin.get<UserPage>(`/api/v1/users?q=${unique('nobody')}`);
      expect(nobody.body).toEqual({ items: [] });
    });

    it('pages with limit 1 through every match; the last page has no nextCursor', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const response = await admin.get<UserPage>(`/api/v1/users?q=${marker}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        expect(response.body.items).toHaveLength(1);
        seen.push(response.body.items[0]!.name);
        cursor = response.body.nextCursor;
        if (!cursor) break;
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      }
      expect(seen).toEqual(names);
    });

    it('has no nextCursor when one page holds everything, even exactly', async () => {
      const exact = await admin.get<UserPage>(`/api/v1/users?q=${marker}&limit=3`);
      expect(exact.body.items.map((user) => user.name)).toEqual(names);
      expect(exact.body).not.toHaveProperty('nextCursor');
      const short = await admin.get<UserPage>(`/api/v1/users?q=${marker}&limit=2`);
      expect(short.body.items.map((user) => user.name)).toEqual(names.slice(0, 2));
      const rest = await admin.get<UserPage>(`/api/v1/users?q=${marker}&limit=2&cursor=${short.body.nextCursor}`);
      expect(rest.body.items.map((user) => user.name)).toEqual(names.slice(2));
      expect(rest.body).not.toHaveProperty('nextCursor');
    });

    it.each([
      ['limit 0', 'limit=0', 'limit'],
      ['limit 101', 'limit=101', 'limit'],
      ['a negative limit', 'limit=-1', 'limit'],
      ['a limit that is no number', 'limit=ten', 'limit'],
      ['a fractional limit', 'limit=1.5', 'limit'],
      ['a cursor with foreign characters', 'cursor=not%20a%20cursor!', 'cursor'],
      ['a cursor that is no JSON', 'cursor=abc', 'cursor'],
      ['a cursor holding a number', `cursor=${Buffer.from('[1]').toString('base64url')}`, 'cursor'],
      ['a cursor of another length', `cursor=${Buffer.from('["a","b"]').toString('base64url')}`, 'cursor'],
      ['a cursor holding an object', `cursor=${Buffer.from('{"name":"a"}').toString('base64url')}`, 'cursor'],
      ['an unknown parameter (sorting is not offered)', 'sort=email', 'sort'],
      ['a search longer than 255 characters', `q=${'x'.repeat(256)}`, 'q'],
    ])('refuses %s with 400 naming the parameter', async (_case, query, field) => {
      expectValidationError(await admin.get(`/api/v1/users?${query}`), field);
    });

    it('is refused to anonymous callers (401) and to users who are not administrators (403)', async () => {
      const anonymous = await new ApiClient(app.url).get('/api/v1/users');
      expect(anonymous.status).toBe(401);
      expect(errorCode(anonymous)).toBe('unauthenticated');
      expectForbidden(await nonAdmin.get('/api/v1/users'));
      expectForbidden(await new ApiClient(app.url).withToken(await patOf(someone, 'read-write-delete')).get('/api/v1/users'));
    });

    it("lets an administrator's read-only token list users, but not one limited to some namespaces", async () => {
      const root = await anotherAdmin();
      expect((await new ApiClient(app.url).withToken(await patOf(root, 'read')).get<UserPage>(`/api/v1/users?q=${marker}`)).body.items).toHaveLength(3);
      expectForbidden(await new ApiClient(app.url).withToken(await patOf(root, 'read-write-delete', { namespaces: [root.username] })).get('/api/v1/users'));
    });
  });

  describe('POST /api/v1/users', () => {
    it('creates a user with their personal namespace; they can sign in', async () => {
      const name = unique('created');
      const response = await admin.post<User>('/api/v1/users', { name, password: USER_PASSWORD, email: 'new@example.com' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ id: expect.any(String), name, email: 'new@example.com', admin: false, disabled: false, createdAt: expect.stringMatching(/Z$/), lastLoginAt: null });
      expect(await userRow(name)).toEqual({ id: response.body.id, admin: false, disabled: false, email: 'new@example.com' });
      expect(await app.query("SELECT kind FROM namespace WHERE name = $1", [name])).toEqual([{ kind: 'user' }]);
      expect((await new ApiClient(app.url).post('/api/v1/session', { username: name, password: USER_PASSWORD })).status).toBe(200);
    });

    it('creates an administrator when asked', async () => {
      const name = unique('root');
      const response = await admin.post<User>('/api/v1/users', { name, password: USER_PASSWORD, admin: true });
      expect(response.status).toBe(201);
      expect(response.body.admin).toBe(true);
      expect((await userRow(name))?.admin).toBe(true);
    });

    it.each([
      ['an invalid name', { name: 'Not Valid', password: USER_PASSWORD }, 'name'],
      ['a name with a slash', { name: 'a/b', password: USER_PASSWORD }, 'name'],
      ['no name', { password: USER_PASSWORD }, 'name'],
      ['a short password', { name: 'shortpw', password: 'short' }, 'password'],
      ['an invalid email', { name: 'bademail', password: USER_PASSWORD, email: 'not-an-email' }, 'email'],
      ['admin that is not a boolean', { name: 'strbool', password: USER_PASSWORD, admin: 'yes' }, 'admin'],
      ['an unknown field', { name: 'unknownfield', password: USER_PASSWORD, disabled: false }, 'disabled'],
    ])('refuses %s, naming the field, and creates nothing', async (_case, body, field) => {
      const before = await app.query('SELECT id FROM app_user');
      expectValidationError(await admin.post('/api/v1/users', body), field);
      expect(await app.query('SELECT id FROM app_user')).toEqual(before);
    });

    it('refuses a name taken by a user or an organization (409)', async () => {
      const org = unique('org');
      await createOrganization(app, org);
      for (const name of [someone.username, org]) {
        const response = await admin.post('/api/v1/users', { name, password: USER_PASSWORD });
        expect(response.status).toBe(409);
        expect(errorCode(response)).toBe('conflict');
      }
    });

    it('is refused to anonymous callers, users, and read-only or limited admin tokens; a read-write admin token may', async () => {
      const root = await anotherAdmin();
      const attempts: Array<[ApiClient, number]> = [
        [new ApiClient(app.url), 401],
        [nonAdmin, 403],
        [new ApiClient(app.url).withToken(await patOf(someone, 'read-write-delete')), 403],
        [new ApiClient(app.url).withToken(await patOf(root, 'read')), 403],
        [new ApiClient(app.url).withToken(await patOf(root, 'read-write', { namespaces: [root.username] })), 403],
      ];
      for (const [client, status] of attempts) {
        const name = unique('refused');
        expect((await client.post('/api/v1/users', { name, password: USER_PASSWORD })).status).toBe(status);
        expect(await userRow(name)).toBeUndefined();
      }
      const name = unique('scripted');
      expect((await new ApiClient(app.url).withToken(await patOf(root, 'read-write')).post('/api/v1/users', { name, password: USER_PASSWORD })).status).toBe(201);
      expect(await userRow(name)).toBeDefined();
    });
  });

  describe('PATCH /api/v1/users/{name}', () => {
    it('disables a user: their sessions end at once and they cannot sign in; enabling lets them back', async () => {
      const user = await createUser(app);
      const session = await signedIn(user);
      const docker = new ApiClient(app.url).withToken(await patOf(user, 'read'));
      expect((await docker.get('/api/v1/me')).status).toBe(200);

      const response = await admin.patch<User>(`/api/v1/users/${user.username}`, { disabled: true });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: user.username, disabled: true, admin: false });
      expect(await sessionCount(user.id)).toBe(0);
      expect((await session.get('/api/v1/me')).status).toBe(401);
      expect((await docker.get('/api/v1/me')).status).toBe(401);
      expect((await new ApiClient(app.url).post('/api/v1/session', { username: user.username, password: USER_PASSWORD })).status).toBe(401);

      expect((await admin.patch<User>(`/api/v1/users/${user.username}`, { disabled: false })).body.disabled).toBe(false);
      expect((await signedIn(user)).csrfToken()).toEqual(expect.any(String));
      expect((await docker.get('/api/v1/me')).status).toBe(200);
    });

    it('grants and revokes admin, effective at once in the running session', async () => {
      const user = await createUser(app);
      const session = await signedIn(user);
      expectForbidden(await session.get('/api/v1/users'));
      expect((await admin.patch<User>(`/api/v1/users/${user.username}`, { admin: true })).body.admin).toBe(true);
      expect((await session.get('/api/v1/users')).status).toBe(200);
      expect((await admin.patch<User>(`/api/v1/users/${user.username}`, { admin: false })).body.admin).toBe(false);
      expectForbidden(await session.get('/api/v1/users'));
      expect(await sessionCount(user.id)).toBe(1);
    });

    it("sets a user's password and ends their sessions", async () => {
      const user = await createUser(app);
      const session = await signedIn(user);
      expect((await admin.patch(`/api/v1/users/${user.username}`, { password: 'set-by-the-admin' })).status).toBe(200);
      expect((await session.get('/api/v1/me')).status).toBe(401);
      expect((await new ApiClient(app.url).post('/api/v1/session', { username: user.username, password: USER_PASSWORD })).status).toBe(401);
      expect((await new ApiClient(app.url).post('/api/v1/session', { username: user.username, password: 'set-by-the-admin' })).status).toBe(200);
    });

    it.each([
      ['disabled that is not a boolean', { disabled: 'yes' }, 'disabled'],
      ['a short password', { password: 'short' }, 'password'],
      ['a new name (not changeable)', { name: 'renamed' }, 'name'],
      ['an email (not changeable here)', { email: 'x@example.com' }, 'email'],
    ])('refuses %s, naming the field, and changes nothing', async (_case, body, field) => {
      const user = await createUser(app);
      const before = await app.query('SELECT * FROM app_user WHERE id = $1', [user.id]);
      expectValidationError(await admin.patch(`/api/v1/users/${user.username}`, body), field);
      expect(await app.query('SELECT * FROM app_user WHERE id = $1', [user.id])).toEqual(before);
    });

    it('answers 404 for a user that does not exist', async () => {
      const response = await admin.patch(`/api/v1/users/${unique('ghost')}`, { disabled: true });
      expect(response.status).toBe(404);
      expect(errorCode(response)).toBe('not_found');
    });

    it('refuses administrators disabling themselves or revoking their own admin', async () => {
      const root = await anotherAdmin();
      const session = await signedIn(root);
      expectForbidden(await session.patch(`/api/v1/users/${root.username}`, { disabled: true }));
      expectForbidden(await session.patch(`/api/v1/users/${root.username}`, { admin: false }));
      expectForbidden(await new ApiClient(app.url).withToken(await patOf(root, 'read-write')).patch(`/api/v1/users/${root.username}`, { disabled: true }));
      expect(await userRow(root.username)).toMatchObject({ admin: true, disabled: false });
      expect((await session.get('/api/v1/users')).status).toBe(200);
    });

    it('is refused to anonymous callers (401), users and read-only admin tokens (403), even for names that do not exist', async () => {
      const target = await createUser(app);
      const root = await anotherAdmin();
      for (const name of [target.username, unique('ghost')]) {
        expect((await new ApiClient(app.url).patch(`/api/v1/users/${name}`, { admin: true })).status).toBe(401);
        expectForbidden(await nonAdmin.patch(`/api/v1/users/${name}`, { admin: true }));
        expectForbidden(await new ApiClient(app.url).withToken(await patOf(root, 'read')).patch(`/api/v1/users/${name}`, { admin: true }));
      }
      expect(await userRow(target.username)).toMatchObject({ admin: false });
      expect(await userRow(someone.username)).toMatchObject({ admin: false });
    });
  });

  describe('DELETE /api/v1/users/{name}', () => {
    it('deletes the user, their namespace, sessions and tokens; their cookie stops working', async () => {
      const user = await createUser(app);
      const session = await signedIn(user);
      await patOf(user, 'read');
      const response = await admin.delete(`/api/v1/users/${user.username}`);
      expect(response.status).toBe(204);
      expect(await userRow(user.username)).toBeUndefined();
      expect(await app.query('SELECT id FROM namespace WHERE name = $1', [user.username])).toEqual([]);
      expect(await sessionCount(user.id)).toBe(0);
      expect(await app.query('SELECT id FROM personal_token WHERE user_id = $1', [user.id])).toEqual([]);
      expect((await session.get('/api/v1/me')).status).toBe(401);
      expect((await admin.delete(`/api/v1/users/${user.username}`)).status).toBe(404);
    });

    it('lets the name be taken again, with nothing inherited', async () => {
      const user = await createUser(app);
      await patOf(user, 'read');
      expect((await admin.delete(`/api/v1/users/${user.username}`)).status).toBe(204);
      const again = await admin.post<User>('/api/v1/users', { name: user.username, password: USER_PASSWORD });
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(user.id);
      expect(await app.query('SELECT id FROM personal_token WHERE user_id = $1', [again.body.id])).toEqual([]);
    });

    it('refuses administrators deleting themselves', async () => {
      const root = await anotherAdmin();
      expectForbidden(await (await signedIn(root)).delete(`/api/v1/users/${root.username}`));
      expectForbidden(await new ApiClient(app.url).withToken(await patOf(root, 'read-write-delete')).delete(`/api/v1/users/${root.username}`));
      expect(await userRow(root.username)).toBeDefined();
      expectForbidden(await admin.delete('/api/v1/users/admin'));
    });

    it('is refused to anonymous callers (401), users and read-only admin tokens (403)', async () => {
      const target = await createUser(app);
      const root = await anotherAdmin();
      expect((await new ApiClient(app.url).delete(`/api/v1/users/${target.username}`)).status).toBe(401);
      expectForbidden(await nonAdmin.delete(`/api/v1/users/${target.username}`));
      expectForbidden(await new ApiClient(app.url).withToken(await patOf(root, 'read')).delete(`/api/v1/users/${target.username}`));
      expect(await userRow(target.username)).toBeDefined();
    });
  });

  describe('self-registration', () => {
    const setting = async () => (await new ApiClient(app.url).get<{ selfRegistration: boolean }>('/api/v1/system')).body.selfRegistration;

    it('is off by default: registering is refused (403) and creates nothing', async () => {
      expect(await setting()).toBe(false);
      const name = unique('early');
      const response = await new ApiClient(app.url).post('/api/v1/users/register', { name, password: USER_PASSWORD });
      expectForbidden(response);
      expect(await userRow(name)).toBeUndefined();
    });

    it('is switched by system administrators only (PUT /api/v1/system/settings)', async () => {
      expect((await new ApiClient(app.url).put('/api/v1/system/settings', { selfRegistration: true })).status).toBe(401);
      expectForbidden(await nonAdmin.put('/api/v1/system/settings', { selfRegistration: true }));
      const root = await anotherAdmin();
      expectForbidden(await new ApiClient(app.url).withToken(await patOf(root, 'read')).put('/api/v1/system/settings', { selfRegistration: true }));
      expect(await setting()).toBe(false);
      expectValidationError(await admin.put('/api/v1/system/settings', { selfRegistration: 'yes' }), 'selfRegistration');
      expectValidationError(await admin.put('/api/v1/system/settings', { selfRegistration: true, registryHost: 'evil.example' }), 'registryHost');
      expect(await setting()).toBe(false);

      expect((await admin.put('/api/v1/system/settings', { selfRegistration: true })).status).toBe(204);
      expect(await setting()).toBe(true);
    });

    describe('while on', () => {
      beforeAll(async () => {
        await app.identity.accounts.setSelfRegistration(await app.admin(), true);
      });

      afterAll(async () => {
        await app.identity.accounts.setSelfRegistration(await app.admin(), false);
      });

      it('creates an ordinary user who can sign in', async () => {
        const name = unique('joiner');
        const response = await new ApiClient(app.url).post<User>('/api/v1/users/register', { name, password: USER_PASSWORD, email: 'joiner@example.com' });
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ name, admin: false, disabled: false, email: 'joiner@example.com' });
        expect(await userRow(name)).toMatchObject({ admin: false, disabled: false });
        expect((await new ApiClient(app.url).post('/api/v1/session', { username: name, password: USER_PASSWORD })).status).toBe(200);
      });

      it.each([['admin'], ['isAdmin'], ['disabled'], ['id']])('refuses a body with %s (CVE-2019-16097): 400 naming it, nothing created', async (field) => {
        const name = unique('sneaky');
        const response = await new ApiClient(app.url).post('/api/v1/users/register', { name, password: USER_PASSWORD, [field]: field === 'id' ? '1' : true });
        expectValidationError(response, field);
        expect(await userRow(name)).toBeUndefined();
        expect(await app.query('SELECT id FROM namespace WHERE name = $1', [name])).toEqual([]);
      });

      it.each([
        ['an invalid name', { name: 'Not Valid', password: USER_PASSWORD }, 'name'],
        ['a short password', { name: 'shorty', password: 'short' }, 'password'],
        ['an invalid email', { name: 'bademail2', password: USER_PASSWORD, email: 'nope' }, 'email'],
      ])('refuses %s, naming the field', async (_case, body, field) => {
        expectValidationError(await new ApiClient(app.url).post('/api/v1/users/register', body), field);
        expect(await userRow(body.name)).toBeUndefined();
      });

      it('refuses a name that is taken (409), leaving its owner alone', async () => {
        const response = await new ApiClient(app.url).post('/api/v1/users/register', { name: 'admin', password: 'taking-over-admin' });
        expect(response.status).toBe(409);
        expect((await new ApiClient(app.url).post('/api/v1/session', { username: 'admin', password: 'taking-over-admin' })).status).toBe(401);
        expect((await userRow('admin'))?.admin).toBe(true);
      });

      it('is refused again once switched off', async () => {
        expect((await admin.put('/api/v1/system/settings', { selfRegistration: false })).status).toBe(204);
        const name = unique('late');
        expectForbidden(await new ApiClient(app.url).post('/api/v1/users/register', { name, password: USER_PASSWORD }));
        expect(await userRow(name)).toBeUndefined();
      });
    });
  });
});
