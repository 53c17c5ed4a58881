import type { Readable } from 'node:stream';

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { StoredHash } from '@wharf/db';
import type { DigestAlgorithm } from '@wharf/oci';
import { readEach } from '@wharf/storage';

import { processHash, SavableSha256, type UploadHash } from './upload-hashes';

interface RunningDigest {
  readonly hash: UploadHash;
  /** How many bytes of the upload `hash` has consumed. */
  offset: number;
}

/** What `forBody` may use of the bytes stored before a body. */
export interface StoredBefore {
  /** Streams them; undefined when the store cannot read an unfinished upload. */
  read(): Promise<Readable | undefined>;
  /** The hash state saved with them, if the process that stored them kept one. */
  readonly hashState?: Uint8Array;
  /** Hash an upload begun with this body so that its state can be saved (see SavableSha256). */
  readonly savable: boolean;
}

/**
 * The hash of one request body, fed as the body is written. Then `settle` gives the digest
 * of the upload so far, and `record` follows once its new size is in the database; `abandon`
 * when the body or its bookkeeping failed.
 */
export interface BodyHash {
  /** Hashes a chunk; a promise asks the caller to wait for it before the next chunk. */
  update(chunk: Uint8Array): Promise<void> | undefined;
  /** The upload's bytes up to the end of this body, when all of them were hashed. */
  settle(): Promise<StoredHash | undefined>;
  /** The upload now holds `size` bytes, this body's included: keeps the hash for the next request. */
  record(size: number): void;
  abandon(): void;
}

const soFar = (hash: UploadHash): StoredHash => ({ digest: hash.digestSoFar(), state: hash.save() });

/** Sessions whose hash this process keeps at most; beyond it the oldest are re-read at commit. */
const MAX_RUNNING = 10_000;

/**
 * Bytes of a body a catch-up holds for its hash while it re-reads the stored ones (they are
 * written meanwhile); past it, the body waits for the re-read.
 */
export const CATCH_UP_HOLD_BYTES = 8 * 1024 * 1024;

/** Forgets the oldest entry of an insertion-ordered collection that is full (MAX_RUNNING). */
function makeRoom<K>(collection: Map<K, unknown> | Set<K>): void {
  if (collection.size < MAX_RUNNING) return;
  const oldest = collection.keys().next().value;
  if (oldest !== undefined) collection.delete(oldest);
}

const NO_HASH: BodyHash = { update: () => undefined, settle: async () => undefined, record: () => undefined, abandon: () => undefined };

/**
 * Rebuilds an upload's hash from its stored bytes while the body that follows them is being
 * written: the body's chunks are held (up to CATCH_UP_HOLD_BYTES) and hashed after the stored
 * ones. A failed re-read only costs the hash: the commit re-reads instead.
 */
class CatchUp implements BodyHash {
  private static readonly logger = new Logger('UploadDigesters');
  /** Chunks of the body that arrived before the stored bytes were hashed. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Set, with `digest` if the re-read succeeded, once the held chunks are hashed. */
  private rebuilt = false;
  private digest: RunningDigest | undefined;
  private abandoned = false;
  private readonly rebuilding: Promise<void>;

  constructor(offset: number, read: () => Promise<Readable | undefined>, private readonly keep: (digest: RunningDigest) => void) {
    this.rebuilding = this.rebuild(offset, read).then(
      (digest) => this.caughtUp(digest),
      (error: Error) => {
        if (!this.abandoned) CatchUp.logger.warn(`could not re-read an upload to rebuild its hash (the commit re-reads it): ${error.message}`);
        this.caughtUp(undefined);
      },
    );
  }

  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.rebuilt) {
      this.digest?.hash.update(chunk);
      return undefined;
    }
    this.held.push(chunk);
    this.heldBytes += chunk.byteLength;
    return this.heldBytes >= CATCH_UP_HOLD_BYTES ? this.rebuilding : undefined;
  }

  async settle(): Promise<StoredHash | undefined> {
    await this.rebuilding;
    return this.digest && !this.abandoned ? soFar(this.digest.hash) : undefined;
  }

  /** After settle. */
  record(size: number): void {
    if (!this.rebuilt || !this.digest || this.abandoned) return;
    this.digest.offset = size;
    this.keep(this.digest);
  }

  abandon(): void {
    this.abandoned = true;
    this.held = [];
  }

  private async rebuild(offset: number, read: () => Promise<Readable | undefined>): Promise<RunningDigest | undefined> {
    const stored = await read();
    if (!stored) return undefined;
    const digest: RunningDigest = { hash: processHash('sha256'), offset: 0 };
    await readEach(stored, (chunk) => {
      if (this.abandoned) throw new Error('the body was abandoned');
      digest.hash.update(chunk);
      digest.offset += chunk.byteLength;
    });
    return digest.offset === offset ? digest : undefined;
  }

  /** In one step with the hashing of the held chunks, so that no chunk slips between them. */
  private caughtUp(digest: RunningDigest | undefined): void {
    if (digest && !this.abandoned) for (const chunk of this.held) digest.hash.update(chunk);
    this.digest = digest;
    this.held = [];
    this.heldBytes = 0;
    this.rebuilt = true;
  }
}

/**
 * Running hashes of the uploads this process is receiving. Node cannot serialise a hash
 * state, so a node:crypto hash is an optimisation only: when a chunk went to another process,
 * or after a restart, the offsets disagree, and the hash is rebuilt from the stored bytes once
 * (forBody) or, where the store cannot read an unfinished upload, the commit re-reads them.
 * There, chunked uploads are hashed with a SavableSha256 instead, whose state is saved with
 * each chunk, so any process goes on from it. A body whose upload was hashed whole gives its
 * digest so far (settle) for the upload's row, so that a commit in another process needs no
 * re-read.
 */
@Injectable()
export class UploadDigesters {
  private static readonly logger = new Logger(UploadDigesters.name);
  private readonly running = new Map<string, RunningDigest>();
  /** Uploads this process has hashed from their first byte, or caught up with once. */
  private readonly hashedHere = new Set<string>();

  constructor(@Inject(SavableSha256) private readonly savable: SavableSha256) {}

  start(uploadId: string, algorithm: DigestAlgorithm): void {
    this.begin(uploadId, processHash(algorithm));
  }

  /**
   * The hash for a body appended at `offset`. Where this process holds no hash for the bytes
   * stored before it, it goes on from the state saved with them, or else rebuilds one from
   * them (the store may not be able to read them; the commit then re-reads them) while the
   * body is written, so a restart costs at most one re-read of what was stored. A rebuild
   * happens once per upload and process: where a load balancer spreads one upload's chunks
   * over processes, each would otherwise re-read it at every turn; such an upload is re-read
   * once, at commit.
   */
  forBody(uploadId: string, offset: number, stored: StoredBefore): BodyHash {
    const running = this.resume(uploadId, offset, stored.savable) ?? this.load(uploadId, offset, stored.hashState);
    if (running) {
      return {
        update: (chunk) => void running.hash.update(chunk),
        settle: async () => soFar(running.hash),
        record: (size) => void (running.offset = size),
        abandon: () => this.drop(uploadId),
      };
    }
    if (this.hashedHere.has(uploadId)) return NO_HASH;
    makeRoom(this.hashedHere);
    this.hashedHere.add(uploadId);
    return new CatchUp(offset, () => stored.read(), (digest) => this.keep(uploadId, digest));
  }

  /**
   * The running hash if it has consumed exactly `offset` bytes; otherwise it is dropped. An
   * empty upload gets a new sha256, one that can be saved if `savable`.
   */
  resume(uploadId: string, offset: number, savable = false): RunningDigest | undefined {
    const digest = this.running.get(uploadId);
    // At offset 0 a hash has consumed nothing: a savable one takes its place.
    if (digest && digest.offset === offset && !(offset === 0 && savable)) return digest;
    this.running.delete(uploadId);
    return offset === 0 ? this.begin(uploadId, savable ? this.savable.start() : processHash('sha256')) : undefined;
  }

  /** Takes the finished digest if it covers exactly `size` bytes in `algorithm`. */
  finish(uploadId: string, size: number, algorithm: DigestAlgorithm): string | undefined {
    const digest = this.running.get(uploadId);
    this.running.delete(uploadId);
    if (!digest || digest.offset !== size || digest.hash.algorithm !== algorithm) return undefined;
    return digest.hash.digestSoFar();
  }

  drop(uploadId: string): void {
    this.running.delete(uploadId);
  }

  private begin(uploadId: string, hash: UploadHash): RunningDigest {
    makeRoom(this.hashedHere);
    this.hashedHere.add(uploadId);
    return this.keep(uploadId, { hash, offset: 0 });
  }

  private keep(uploadId: string, digest: RunningDigest): RunningDigest {
    makeRoom(this.running);
    this.running.set(uploadId, digest);
    return digest;
  }

  /** Goes on from the state saved with the `offset` bytes stored, if there is one this build can load. */
  private load(uploadId: string, offset: number, state: Uint8Array | undefined): RunningDigest | undefined {
    if (!state) return undefined;
    const hash = this.savable.resume(state);
    if (!hash) {
      UploadDigesters.logger.warn(`upload ${uploadId}: its saved hash state is not one this build can load (the commit re-reads it)`);
      return undefined;
    }
    return this.keep(uploadId, { hash, offset });
  }
}
