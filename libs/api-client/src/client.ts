import createClient, { type Client, type Middleware } from 'openapi-fetch';

import type { components, paths } from './schema';

/** The management API's schemas by name: `Schema<'SessionDto'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
/** Every /api/v1 error: `{ error: { code, message, field? } }`. */
export type ApiError = Schema<'ApiErrorDto'>;

/** A typed client of /api/v1: `api.GET('/api/v1/orgs/{org}', { params: { path: { org } } })`. */
export interface ApiClient extends Client<paths> {
  /** The CSRF token sent with state-changing requests: from the last GET or POST /api/v1/session; null when signed out. */
  readonly csrfToken: string | null;
}

export interface ApiClientOptions {
  /** Where Wharf is, e.g. `https://registry.example.com`; by default the page's own origin. */
  baseUrl?: string;
  /** For tests and server-side use; by default `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
}

export const CSRF_HEADER = 'X-CSRF-Token';
const SESSION_PATH = '/api/v1/session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The portal's client of the management API. Every request carries the session cookie
 * (`credentials: 'include'`) and every state-changing one the session's X-CSRF-Token, which
 * the client takes from the session responses (sign-in, GET /api/v1/session) and forgets at
 * sign-out, so callers never handle it.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  let csrfToken: string | null = null;
  const client = createClient<paths>({ baseUrl: options.baseUrl ?? '', credentials: 'include', ...(options.fetch ? { fetch: options.fetch } : {}) });
  const csrf: Middleware = {
    onRequest({ request }) {
      if (csrfToken !== null && !SAFE_METHODS.has(request.method)) request.headers.set(CSRF_HEADER, csrfToken);
      return request;
    },
    async onResponse({ request, response, schemaPath }) {
      if (schemaPath !== SESSION_PATH || !response.ok) return response;
      if (request.method === 'DELETE') {
        csrfToken = null;
      } else if (response.headers.get('content-type')?.includes('application/json')) {
        const session = (await response.clone().json()) as Partial<Schema<'SessionDto'>>;
        csrfToken = typeof session.csrfToken === 'string' ? session.csrfToken : null;
      }
      return response;
    },
  };
  client.use(csrf);
  return Object.defineProperty(client, 'csrfToken', { get: () => csrfToken, enumerable: true }) as ApiClient;
}
