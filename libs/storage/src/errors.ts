import type { DriverState } from './blob-storage';

export class StorageError extends Error {
  constructor(
    readonly driver: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${driver}: ${message}`, options);
    this.name = 'StorageError';
  }
}

export class ObjectNotFoundError extends StorageError {
  constructor(driver: string, readonly key: string) {
    super(driver, `no object at ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

export class InvalidKeyError extends StorageError {
  constructor(driver: string, readonly key: string) {
    super(driver, `invalid object key ${JSON.stringify(key.slice(0, 200))}`);
    this.name = 'InvalidKeyError';
  }
}

/** The stored size is not where the caller thought: another writer got there first. */
export class InvalidOffsetError extends StorageError {
  constructor(driver: string, readonly expected: number, readonly actual: number) {
    super(driver, `append at offset ${expected} but ${actual} bytes are stored`);
    this.name = 'InvalidOffsetError';
  }
}

/** The body stream failed midway; `size` bytes are stored and the upload can resume there. */
export class AppendInterruptedError extends StorageError {
  constructor(driver: string, readonly size: number, readonly state: DriverState, cause: unknown) {
    super(driver, `upload interrupted after ${size} bytes`, { cause });
    this.name = 'AppendInterruptedError';
  }
}

/** The upload would outgrow what the backend holds as one upload (S3's 10,000 parts); nothing of the append is kept. */
export class UploadTooLargeError extends StorageError {
  constructor(driver: string, message: string) {
    super(driver, message);
    this.name = 'UploadTooLargeError';
  }
}

/** The backend itself is unreachable or failing (disk full, I/O error, S3 down). */
export class StorageUnavailableError extends StorageError {
  constructor(driver: string, message: string, cause?: unknown) {
    super(driver, message, { cause });
    this.name = 'StorageUnavailableError';
  }
}
