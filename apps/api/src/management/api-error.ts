/**
 * The one error shape of /api/v1: a stable machine code, a human message, and for
 * validation errors the field at fault.
 */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field !== undefined ? { field: this.field } : {}) } };
  }
}

export const unauthenticated = () => new ApiError(401, 'unauthenticated', 'sign in, or send a personal access token as a Bearer token');
export const csrfRefused = () => new ApiError(403, 'csrf_failed', 'missing or wrong X-CSRF-Token, or a cross-origin request');
export const badRequest = (field: string, message: string) => new ApiError(400, 'validation_failed', `${field}: ${message}`, field);
