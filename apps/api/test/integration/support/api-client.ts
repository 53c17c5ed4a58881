/**
 * A client of the management API (/api/v1) as the portal or a script uses it: a session
 * cookie with its CSRF token after signIn(), or a personal access token as a Bearer token.
 * Every request is plain fetch; nothing is mocked.
 */
export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON (undefined for an empty body). */
  readonly body: T;
}

export interface ApiErrorJson {
  error: { code: string; message: string; field?: string };
}

export class ApiClient {
  private cookie: string | undefined;
  private csrf: string | undefined;
  private bearer: string | undefined;

  constructor(readonly base: string) {}

  /** Signs in through POST /api/v1/session; throws unless 200. */
  async signIn(username: string, password: string): Promise<this> {
    const response = await this.post<{ csrfToken: string }>('/api/v1/session', { username, password });
    if (response.status !== 200) throw new Error(`sign-in of ${username}: ${response.status} ${JSON.stringify(response.body)}`);
    this.csrf = response.body.csrfToken;
    return this;
  }

  /** Authenticates with a personal access token instead of a session. */
  withToken(secret: string): this {
    this.bearer = secret;
    this.cookie = undefined;
    this.csrf = undefined;
    return this;
  }

  /** The session cookie value, to test what the server does with it. */
  sessionCookie(): string | undefined {
    return this.cookie;
  }

  csrfToken(): string | undefined {
    return this.csrf;
  }

  get<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = unknown>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  put<T = unknown>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, body, headers);
  }

  patch<T = unknown>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, body, headers);
  }

  delete<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path, undefined, headers);
  }

  /**
   * One request. The session cookie and CSRF header are added when signed in, the Bearer
   * token when set; `headers` wins over both (pass `{ 'X-CSRF-Token': '' }` to test refusals).
   */
  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const sent: Record<string, string> = {};
    if (this.cookie) sent.Cookie = `wharf_session=${this.cookie}`;
    if (this.csrf && method !== 'GET' && method !== 'HEAD') sent['X-CSRF-Token'] = this.csrf;
    if (this.bearer) sent.Authorization = `Bearer ${this.bearer}`;
    if (body !== undefined) sent['Content-Type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, { method, headers: { ...sent, ...headers }, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('wharf_session='));
    if (setCookie) {
      const value = setCookie.slice('wharf_session='.length).split(';')[0]!;
      this.cookie = value === '' ? undefined : value;
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }
}

/** The error code of an /api/v1 error response. */
export const errorCode = (response: ApiResponse) => (response.body as ApiErrorJson | undefined)?.error?.code;
