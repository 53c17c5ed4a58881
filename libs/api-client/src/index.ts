export { createApiClient, CSRF_HEADER, type ApiClient, type ApiClientOptions, type ApiError, type Schema } from './client';
export type { components, operations, paths } from './schema';
