import type { Hash } from 'node:crypto';
import type { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';
import { createDigester, type DigestAlgorithm } from '@wharf/oci';
import { readEach } from '@wharf/storage';

interface RunningDigest {
  readonly algorithm: DigestAlgorithm;
  readonly hash: Hash;
  /** How many bytes of the upload `hash` has consumed. */
  offset: number;
}

/** Sessions whose hash this process keeps at most; beyond it the oldest are re-read at commit. */
const MAX_RUNNING = 10_000;

/** Forgets the oldest entry of an insertion-ordered collection that is full (MAX_RUNNING). */
function makeRoom<K>(collection: Map<K, unknown> | Set<K>): void {
  if (collection.size < MAX_RUNNING) return;
  const oldest = collection.keys().next().value;
  if (oldest !== undefined) collection.delete(oldest);
}

/**
 * Running hashes of the uploads this process is receiving. Node cannot serialise a hash
 * state, so this is an optimisation only: when a chunk went to another process, or after
 * a restart, the offsets disagree, and the hash is rebuilt from the stored bytes once
 * (catchUp) or, where the store cannot read an unfinished upload, the commit re-reads them.
 */
@Injectable()
export class UploadDigesters {
  private readonly running = new Map<string, RunningDigest>();
  /** Uploads this process has hashed from their first byte, or caught up with once. */
  private readonly hashedHere = new Set<string>();

  start(uploadId: string, algorithm: DigestAlgorithm): void {
    makeRoom(this.running);
    this.running.set(uploadId, { algorithm, hash: createDigester(algorithm), offset: 0 });
    makeRoom(this.hashedHere);
    this.hashedHere.add(uploadId);
  }

  /**
   * Rebuilds the hash of an upload this process holds no hash for from the `offset` bytes
   * stored so far (`read` resolves undefined when the store cannot read them). A restart
   * then costs one re-read of what was stored, and the commit none. Once per upload and
   * process: where a load balancer spreads one upload's chunks over processes, each would
   * otherwise re-read it at every turn; such an upload is re-read once, at commit.
   */
  async catchUp(uploadId: string, offset: number, read: () => Promise<Readable | undefined>): Promise<RunningDigest | undefined> {
    if (this.hashedHere.has(uploadId)) return undefined;
    makeRoom(this.hashedHere);
    this.hashedHere.add(uploadId);
    const stored = await read();
    if (!stored) return undefined;
    const digest: RunningDigest = { algorithm: 'sha256', hash: createDigester('sha256'), offset: 0 };
    await readEach(stored, (chunk) => {
      digest.hash.update(chunk);
      digest.offset += chunk.byteLength;
    });
    if (digest.offset !== offset) return undefined;
    makeRoom(this.running);
    this.running.set(uploadId, digest);
    return digest;
  }

  /** The running hash if it has consumed exactly `offset` bytes; otherwise it is dropped. */
  resume(uploadId: string, offset: number): RunningDigest | undefined {
    const digest = this.running.get(uploadId);
    if (digest && digest.offset === offset) return digest;
    this.running.delete(uploadId);
    if (offset === 0) {
      this.start(uploadId, 'sha256');
      return this.running.get(uploadId);
    }
    return undefined;
  }

  /** Takes the finished digest if it covers exactly `size` bytes in `algorithm`. */
  finish(uploadId: string, size: number, algorithm: DigestAlgorithm): string | undefined {
    const digest = this.running.get(uploadId);
    this.running.delete(uploadId);
    if (!digest || digest.offset !== size || digest.algorithm !== algorithm) return undefined;
    return `${algorithm}:${digest.hash.digest('hex')}`;
  }

  drop(uploadId: string): void {
    this.running.delete(uploadId);
  }
}
