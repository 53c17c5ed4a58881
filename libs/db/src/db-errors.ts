/** Errors the repositories raise; nothing above libs/db sees a driver error. */
export class DbError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbError';
  }
}

/** A unique constraint said no (pg 23505). */
export class UniqueViolationError extends DbError {
  constructor(readonly constraint: string | undefined, cause: unknown) {
    super(`unique violation${constraint ? ` on ${constraint}` : ''}`, { cause });
    this.name = 'UniqueViolationError';
  }
}

/** A foreign key said no (pg 23503): what the row points at is gone. */
export class ForeignKeyViolationError extends DbError {
  constructor(readonly constraint: string | undefined, cause: unknown) {
    super(`foreign key violation${constraint ? ` on ${constraint}` : ''}`, { cause });
    this.name = 'ForeignKeyViolationError';
  }
}

/** PostgreSQL cannot be reached or is shutting down: answer 503 and retry later. */
export class DatabaseUnavailableError extends DbError {
  constructor(cause: unknown) {
    super('database unavailable', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
// Class 08 (connection exception), 57P01-03 (shutdown, crash), 53300 (too many connections).
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;

export function translateDbError(error: unknown): Error {
  if (error instanceof DbError) return error;
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code === '23505') return new UniqueViolationError(e.constraint, error);
  if (e?.code === '23503') return new ForeignKeyViolationError(e.constraint, error);
  if ((e?.code && (UNAVAILABLE_NODE_CODES.has(e.code) || UNAVAILABLE_SQLSTATES.test(e.code))) || /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e?.message ?? '')) {
    return new DatabaseUnavailableError(error);
  }
  return error instanceof Error ? error : new DbError(String(error));
}
