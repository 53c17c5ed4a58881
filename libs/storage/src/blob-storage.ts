import type { Readable } from 'node:stream';

/**
 * Where blob bytes live. The registry never asks a driver about digests or repositories:
 * it writes an upload under a key, completes it, and keeps the digest → key mapping in
 * PostgreSQL. The upload calls are shaped so that an S3 multipart upload fits them:
 * `state` is whatever the driver must remember between requests (an upload id, part
 * etags), persisted by the caller next to the upload row so that any process can go on.
 */
export interface UploadHandle {
  /** The object key of the upload; every object it writes is named after it. */
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
  /**
   * The smallest chunk (but the last) this store takes as it is: shorter ones are staged and
   * read back. Undefined when any chunk size suits it.
   */
  readonly minChunkLength?: number;
  /** Throws StorageUnavailableError unless the store can be used right now (readiness). */
  ping(): Promise<void>;
  /** Starts an upload. Nothing is readable under its key until `completeUpload`. */
  beginUpload(): Promise<UploadHandle>;
  /**
   * Appends a stream at `offset`, which must be the size stored so far. If the stream fails
   * midway, the call rejects with an `AppendInterruptedError` that tells how many bytes
   * were kept, so that the upload can be resumed from there. `length`, when given, is
   * exactly what the body holds (a declared Content-Length); a driver may then stream instead
   * of buffering, and a body that turns out shorter or longer is a failed stream.
   */
  append(upload: UploadHandle, offset: number, body: AsyncIterable<Uint8Array>, length?: number): Promise<AppendResult>;
  /**
   * Makes the upload durable and readable, and returns the key to read it from: the
   * upload's own key, or for small S3 uploads the staging object that already holds the
   * bytes (no copy either way). A caller that must re-hash reads the returned key.
   */
  completeUpload(upload: UploadHandle, size: number): Promise<string>;
  /**
   * Streams the first `length` bytes stored for an unfinished upload. Absent where the store
   * cannot read an upload before it is completed (S3 multipart parts).
   */
  readUpload?(upload: UploadHandle, length: number): Promise<Readable>;
  /** Throws away an upload and everything it wrote, completed or not. Idempotent. */
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
