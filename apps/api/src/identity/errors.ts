/**
 * Outcomes of identity operations, mapped to HTTP by each surface. Something the caller may
 * not even see is NotFound, never Forbidden: the answer must not reveal that it exists.
 */
export class IdentityError extends Error {}

export class NotFoundError extends IdentityError {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends IdentityError {
  constructor(message = 'not allowed') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export class ConflictError extends IdentityError {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class ValidationError extends IdentityError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ValidationError';
  }
}
