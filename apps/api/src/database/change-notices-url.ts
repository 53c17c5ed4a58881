/** The database URL the caches following PostgreSQL change notices listen on. */
export const CHANGE_NOTICES_URL = Symbol('CHANGE_NOTICES_URL');
