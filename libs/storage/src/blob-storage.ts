import type { Readable } from 'node:stream';

/**
 * Where blob bytes live. The registry never asks a driver about digests or repositories:
 * it writes an upload under a key, completes it, and keeps the digest → key mapping in
 * PostgreSQL. The upload calls are shaped so that an S3 multipart upload fits them:
 * `state` is whatever the driver must remember between requests (an upload id, part
 * etags), persisted by the caller next to the upload row so that any process can go on.
 */
export interface UploadHandle {
  /** The object key the finished blob will be read from. */
  readonly key: string;
  /** Opaque, JSON-serialisable driver state; persist it and pass it back unchanged. */
  readonly state: DriverState;
}

export type DriverState = Readonly<Record<string, unknown>>;

export interface AppendResult {
  /** Bytes durably stored for this upload after the call. */
  readonly size: number;
  readonly state: DriverState;
}

export interface ObjectInfo {
  readonly size: number;
}

export interface ReadOptions {
  /** Inclusive byte range. */
  readonly start?: number;
  readonly end?: number;
}

export interface BlobStorage {
  readonly kind: string;
  /** Starts an upload. Nothing is readable under its key until `completeUpload`. */
  beginUpload(): Promise<UploadHandle>;
  /**
   * Appends a stream at `offset`, which must be the size stored so far. If the stream fails
   * midway, the call rejects with an `AppendInterruptedError` that tells how many bytes
   * were kept, so that the upload can be resumed from there.
   */
  append(upload: UploadHandle, offset: number, body: AsyncIterable<Uint8Array>): Promise<AppendResult>;
  /** The bytes stored so far, to rebuild a hash when no in-memory state is left. */
  readUpload(upload: UploadHandle, size: number): Promise<Readable>;
  /** Makes the upload durable and readable under its key. */
  completeUpload(upload: UploadHandle, size: number): Promise<void>;
  /** Throws away an unfinished upload. Idempotent. */
  abortUpload(upload: UploadHandle): Promise<void>;
  /** Size of a completed object, or undefined when there is none. */
  stat(key: string): Promise<ObjectInfo | undefined>;
  /** Streams a completed object (or a range of it). Throws ObjectNotFoundError. */
  read(key: string, options?: ReadOptions): Promise<Readable>;
  /** Deletes a completed object. Idempotent. */
  delete(key: string): Promise<void>;
  /** A URL the client may fetch the object from directly, or undefined to stream it ourselves. */
  redirectUrl(key: string): Promise<string | undefined>;
}
