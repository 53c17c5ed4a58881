import { constants } from 'node:fs';
import { access, mkdir, open, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

import type { AppendResult, BlobStorage, ObjectInfo, ReadOptions, UploadHandle } from './blob-storage';
import { FileBody } from './file-body';
import { AppendInterruptedError, InvalidKeyError, InvalidOffsetError, ObjectNotFoundError, StorageUnavailableError } from './errors';
import { isValidKey, newBlobKey } from './keys';

const DRIVER = 'filesystem';

/**
 * What the appends running in one process gather, together, before their write calls. One
 * upload alone writes 1 MiB at a time: fewer, larger writes keep it at disk speed (256 KiB
 * writes cost a fifth of B5's rate). Many at once share the budget, down to 256 KiB each:
 * chunks held for a 1 MiB write tend to outlive V8's young-generation collections, and 20
 * concurrent pushes peaked at 276 MiB of RSS with 1 MiB writes against 215 MiB with 256 KiB (B12).
 */
const WRITE_BATCH_BUDGET_BYTES = 4 * 1024 * 1024;
const MAX_WRITE_BATCH_BYTES = 1024 * 1024;
const MIN_WRITE_BATCH_BYTES = 256 * 1024;

/** The bytes one of `running` concurrent appends gathers before a write (see WRITE_BATCH_BUDGET_BYTES). */
function writeBatchBytes(running: number): number {
  const share = Math.floor(WRITE_BATCH_BUDGET_BYTES / Math.max(1, running));
  return Math.min(MAX_WRITE_BATCH_BYTES, Math.max(MIN_WRITE_BATCH_BYTES, share));
}

/** Bytes an upload writes before it asks the disk to start persisting them (see EarlyWriteback). */
const EARLY_WRITEBACK_BYTES = 8 * 1024 * 1024;

/** Uploads whose appends one process remembers (for EarlyWriteback); beyond it the oldest are forgotten. */
const APPENDED_UPLOADS_REMEMBERED = 10_000;

/**
 * Starts writing an upload's bytes to disk while the rest is still arriving, so that the fsync
 * which completes the upload finds little left to write: committing a large blob then takes
 * milliseconds instead of the whole blob's writeback (about 0.1 s for 256 MiB here, seconds on
 * slow disks). Best effort and never awaited by a request: durability still comes from
 * completeUpload's fsync, which also reports errors. One at a time per process, since each
 * holds a libuv threadpool thread while the disk works. Only within a request: starting one
 * at the end of every PATCH made a run of 5 MiB PATCHes slower (each PATCH's writes then
 * met the previous one's writeback) for no gain at the commit. The exception is the first append
 * a process makes to an upload that already holds EARLY_WRITEBACK_BYTES: those bytes came from
 * another process, or from this one before a restart, and no request of this process would
 * write them back before the commit.
 */
class EarlyWriteback {
  private current: { readonly handle: FileHandle; closeWhenDone: boolean; done: Promise<void> } | undefined;

  /** Starts an fdatasync of `handle` unless one is running; says whether it started. */
  start(handle: FileHandle): boolean {
    if (this.current) return false;
    const current = { handle, closeWhenDone: false, done: Promise.resolve() };
    current.done = handle
      .datasync()
      .catch(() => undefined)
      .then(async () => {
        if (current.closeWhenDone) await handle.close().catch(() => undefined);
        this.current = undefined;
      });
    this.current = current;
    return true;
  }

  /** Closes `handle` now, or, without waiting, once the writeback running on it is done. */
  async release(handle: FileHandle): Promise<void> {
    if (this.current?.handle === handle) this.current.closeWhenDone = true;
    else await handle.close();
  }

  /** Settles when no writeback runs and every file one held is closed. */
  async settled(): Promise<void> {
    await this.current?.done;
  }
}

/** Writes all of `chunks` at `position`, looping over short writes; returns the bytes written. */
async function writeFully(handle: FileHandle, chunks: Uint8Array[], total: number, position: number): Promise<number> {
  let buffers = chunks;
  let written = 0;
  while (written < total) {
    const { bytesWritten } = await handle.writev(buffers, position + written);
    written += bytesWritten;
    if (written < total) buffers = [Buffer.concat(buffers).subarray(bytesWritten)];
  }
  return written;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** Out of space, read-only or broken disk: the caller answers 503, never 404. */
function unavailable(error: unknown, what: string): never {
  if (error instanceof Error && 'code' in error) {
    throw new StorageUnavailableError(DRIVER, `${what}: ${(error as NodeJS.ErrnoException).code}`, error);
  }
  throw error;
}

/**
 * Blobs on a local filesystem. An upload is written in place under its final key, and
 * only an fsync'd, completed file is ever pointed at by the database.
 */
export class FilesystemBlobStorage implements BlobStorage {
  readonly kind = DRIVER;
  private readonly writeback = new EarlyWriteback();
  /** Appends running in this process, which share WRITE_BATCH_BUDGET_BYTES. */
  private runningAppends = 0;
  /** Uploads this process has appended to, oldest first (see EarlyWriteback). */
  private readonly appendedHere = new Set<string>();

  constructor(private readonly root: string) {}

  private path(key: string): string {
    if (!isValidKey(key)) throw new InvalidKeyError(DRIVER, key);
    return join(this.root, key);
  }

  async ping(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK);
    } catch (error) {
      unavailable(error, `cannot write to ${this.root}`);
    }
  }

  private async openExisting(key: string, flags: number): Promise<FileHandle> {
    const path = this.path(key);
    try {
      return await open(path, flags);
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(DRIVER, key);
      unavailable(error, `cannot open ${key}`);
    }
  }

  async beginUpload(): Promise<UploadHandle> {
    const key = newBlobKey();
    const path = this.path(key);
    try {
      await mkdir(dirname(path), { recursive: true });
      const handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
      await handle.close();
    } catch (error) {
      unavailable(error, 'cannot create upload');
    }
    return { key, state: {} };
  }

  async append(upload: UploadHandle, offset: number, body: AsyncIterable<Uint8Array>, length?: number): Promise<AppendResult> {
    const handle = await this.openExisting(upload.key, constants.O_WRONLY);
    this.runningAppends++;
    /** Where the bytes written so far end; what an interrupted append reports. */
    let position = offset;
    let unsynced = 0;
    const writeBack = () => {
      if (this.writeback.start(handle)) unsynced = 0;
    };
    /** The batch being written, if any. */
    let writing: Promise<void> | undefined;
    try {
      const { size } = await handle.stat();
      // Bytes past `offset` are the leftovers of an interrupted request that was never
      // acknowledged; anything short of it means the caller's bookkeeping is wrong.
      if (size < offset) throw new InvalidOffsetError(DRIVER, offset, size);
      if (size > offset) await handle.truncate(offset);
      if (this.firstAppendHere(upload.key) && offset >= EARLY_WRITEBACK_BYTES) writeBack();
      try {
        // Coalesce the socket's small chunks into large positional writes. One batch is written
        // while the next gathers, so the body is received and hashed while the disk works.
        let pending: Uint8Array[] = [];
        let pendingBytes = 0;
        const flush = async () => {
          await writing;
          const batch = pending;
          const bytes = pendingBytes;
          pending = [];
          pendingBytes = 0;
          writing = writeFully(handle, batch, bytes, position).then((written) => {
            position += written;
            unsynced += written;
            if (unsynced >= EARLY_WRITEBACK_BYTES) writeBack();
          });
          // Failures surface at the next await of `writing`, not as unhandled rejections.
          writing.catch(() => undefined);
        };
        for await (const chunk of body) {
          pending.push(chunk);
          pendingBytes += chunk.byteLength;
          if (pendingBytes >= writeBatchBytes(this.runningAppends)) await flush();
        }
        if (pendingBytes > 0) await flush();
        await writing;
        if (length !== undefined && position - offset !== length) throw new Error(`body is ${position - offset < length ? 'shorter' : 'longer'} than declared`);
      } catch (error) {
        // What the batch in flight wrote counts (the body may have failed while it ran).
        await writing?.catch(() => undefined);
        if (error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'ENOSPC') unavailable(error, 'disk full');
        throw new AppendInterruptedError(DRIVER, position, upload.state, error);
      }
      // No fsync per chunk: an acknowledged chunk lost to an OS crash shows up as a short
      // file (the next append answers InvalidOffset, the client restarts); completeUpload
      // fsyncs before the database may point at the bytes.
      return { size: position, state: upload.state };
    } catch (error) {
      if (error instanceof AppendInterruptedError || error instanceof InvalidOffsetError || error instanceof StorageUnavailableError) throw error;
      unavailable(error, 'cannot write upload');
    } finally {
      this.runningAppends--;
      // A writeback still running keeps the file open until it is done; the request does not wait.
      await this.writeback.release(handle);
    }
  }

  /** Says whether this is the first append this process makes to the upload, and remembers it. */
  private firstAppendHere(key: string): boolean {
    if (this.appendedHere.has(key)) return false;
    if (this.appendedHere.size >= APPENDED_UPLOADS_REMEMBERED) this.appendedHere.delete(this.appendedHere.values().next().value!);
    this.appendedHere.add(key);
    return true;
  }

  async completeUpload(upload: UploadHandle, size: number): Promise<string> {
    this.appendedHere.delete(upload.key);
    const handle = await this.openExisting(upload.key, constants.O_WRONLY);
    try {
      await handle.truncate(size);
      await handle.sync();
    } catch (error) {
      unavailable(error, 'cannot complete upload');
    } finally {
      await handle.close();
    }
    return upload.key;
  }

  /** The upload is written in place, so its bytes are readable before it completes. */
  async readUpload(upload: UploadHandle, length: number): Promise<Readable> {
    return this.read(upload.key, { start: 0, end: length - 1 });
  }

  async abortUpload(upload: UploadHandle): Promise<void> {
    this.appendedHere.delete(upload.key);
    await this.delete(upload.key);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const info = await stat(this.path(key));
      return info.isFile() ? { size: info.size } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      unavailable(error, 'cannot stat object');
    }
  }

  async read(key: string, options: ReadOptions = {}): Promise<Readable> {
    // Open first so that a missing object is an error of this call, not of the stream.
    const handle = await this.openExisting(key, constants.O_RDONLY);
    try {
      const end = options.end ?? (await handle.stat()).size - 1;
      return new FileBody(handle, options.start ?? 0, end);
    } catch (error) {
      await handle.close();
      unavailable(error, `cannot stat ${key}`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (error) {
      if (!isNotFound(error)) unavailable(error, 'cannot delete object');
    }
  }

  async redirectUrl(): Promise<string | undefined> {
    return undefined;
  }

  /** Settles when the disk writes this store started on its own are done and their files closed. */
  async writebacksSettled(): Promise<void> {
    await this.writeback.settled();
  }

  /** Removes the whole root; for tests. */
  async destroy(): Promise<void> {
    await this.writebacksSettled();
    await rm(this.root, { recursive: true, force: true });
  }
}
