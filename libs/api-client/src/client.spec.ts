import { createApiClient, CSRF_HEADER } from './client';

/** A fake Wharf: records each request and answers with the next prepared response. */
function fakeWharf(answers: Record<string, () => Response>) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    const answer = answers[`${request.method} ${new URL(request.url).pathname}`];
    if (!answer) throw new Error(`unexpected ${request.method} ${request.url}`);
    return answer();
  };
  return { requests, fetch };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const signedIn = { user: { id: '7c4a2f5e-0000-4000-8000-000000000001', name: 'alice', admin: false }, csrfToken: 'csrf-1', expiresAt: '2030-01-01T00:00:00.000Z' };

describe('createApiClient', () => {
  it('sends the cookie with every request and the CSRF token of the session with state-changing ones', async () => {
    const wharf = fakeWharf({
      'GET /api/v1/system': () => json(200, { version: '0.1.0', registryHost: 'wharf.test', selfRegistration: false, health: { database: 'up', storage: 'up' } }),
      'POST /api/v1/session': () => json(200, signedIn),
      'PUT /api/v1/system/settings': () => new Response(null, { status: 204 }),
      'DELETE /api/v1/session': () => new Response(null, { status: 204 }),
    });
    const api = createApiClient({ baseUrl: 'http://wharf.test', fetch: wharf.fetch });

    const system = await api.GET('/api/v1/system');
    expect(system.data?.registryHost).toBe('wharf.test');
    expect(api.csrfToken).toBeNull();

    const session = await api.POST('/api/v1/session', { body: { username: 'alice', password: 'correct horse' } });
    expect(session.data?.user?.name).toBe('alice');
    expect(api.csrfToken).toBe('csrf-1');
    expect(await wharf.requests[1]!.json()).toEqual({ username: 'alice', password: 'correct horse' });

    const settings = await api.PUT('/api/v1/system/settings', { body: { selfRegistration: true } });
    expect(settings.response.status).toBe(204);
    await api.DELETE('/api/v1/session');
    expect(api.csrfToken).toBeNull();
    await api.PUT('/api/v1/system/settings', { body: { selfRegistration: false } });

    expect(wharf.requests.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.credentials} ${r.headers.get(CSRF_HEADER)}`)).toEqual([
      'GET /api/v1/system include null',
      'POST /api/v1/session include null',
      'PUT /api/v1/system/settings include csrf-1',
      'DELETE /api/v1/session include csrf-1',
      'PUT /api/v1/system/settings include null',
    ]);
  });

  it('takes the token of a session that already exists from GET /api/v1/session', async () => {
    const wharf = fakeWharf({
      'GET /api/v1/session': () => json(200, { ...signedIn, csrfToken: 'csrf-2' }),
      'PUT /api/v1/system/settings': () => new Response(null, { status: 204 }),
    });
    const api = createApiClient({ baseUrl: 'http://wharf.test', fetch: wharf.fetch });
    await api.GET('/api/v1/session');
    await api.PUT('/api/v1/system/settings', { body: { selfRegistration: true } });
    expect(wharf.requests[1]!.headers.get(CSRF_HEADER)).toBe('csrf-2');
  });

  it('keeps the token when a session call fails, and types errors as { error: { code, message } }', async () => {
    const wharf = fakeWharf({
      'POST /api/v1/session': () => json(401, { error: { code: 'unauthenticated', message: 'wrong user name or password' } }),
    });
    const api = createApiClient({ baseUrl: 'http://wharf.test', fetch: wharf.fetch });
    const { data, error } = await api.POST('/api/v1/session', { body: { username: 'alice', password: 'wrong' } });
    expect(data).toBeUndefined();
    expect(error?.error.code).toBe('unauthenticated');
    expect(api.csrfToken).toBeNull();
  });

  it('is typed by the committed document', () => {
    const api = createApiClient({ baseUrl: 'http://wharf.test', fetch: async () => new Response(null, { status: 500 }) });
    // Compile-time checks (npx tsc -p libs/api-client/tsconfig.spec.json): unknown paths, methods and fields are refused.
    const never = () => {
      // @ts-expect-error no such path
      void api.GET('/api/v1/no-such-path');
      // @ts-expect-error GET has no body and /api/v1/system has no POST
      void api.POST('/api/v1/system', { body: {} });
      // @ts-expect-error selfRegistration is a boolean
      void api.PUT('/api/v1/system/settings', { body: { selfRegistration: 'yes' } });
    };
    expect(typeof never).toBe('function');
  });
});
