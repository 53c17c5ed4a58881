import { createApiClient, type ApiClient, type ApiError, type Schema } from '@wharf/api-client';

export type { Schema };

let client: ApiClient | undefined;

/** The portal's one client of the management API (same origin; session cookie and CSRF header handled by it). */
export function api(): ApiClient {
  client ??= createApiClient();
  return client;
}

/** A failed call, as the pages show it. */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The data of an openapi-fetch result, or a PortalError carrying the API's own message
 * (`{ error: { code, message } }`), or a network failure.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.response.ok) return result.data;
  const body = result.error as Partial<ApiError> | undefined;
  const status = result.response.status;
  throw new PortalError(status, body?.error?.code ?? `http_${status}`, body?.error?.message ?? `the server answered ${status}`);
}

/** A call answered without a body (204 No Content): throws the API's error, if it failed. */
export function expectOk(result: { error?: unknown; response: Response }): void {
  if (!result.response.ok) unwrap(result);
}

/** A message for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof PortalError) return error.message;
  if (error instanceof TypeError) return 'Wharf could not be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}
