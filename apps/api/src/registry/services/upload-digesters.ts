import type { Hash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { createDigester, type DigestAlgorithm } from '@wharf/oci';

interface RunningDigest {
  readonly algorithm: DigestAlgorithm;
  readonly hash: Hash;
  /** How many bytes of the upload `hash` has consumed. */
  offset: number;
}

/** Sessions whose hash this process keeps at most; beyond it the oldest are re-read at commit. */
const MAX_RUNNING = 10_000;

/**
 * Running hashes of the uploads this process is receiving. Node cannot serialise a hash
 * state, so this is an optimisation only: when a chunk went to another process, or after
 * a restart, the offsets disagree and the commit re-reads the stored bytes instead.
 */
@Injectable()
export class UploadDigesters {
  private readonly running = new Map<string, RunningDigest>();

  start(uploadId: string, algorithm: DigestAlgorithm): void {
    if (this.running.size >= MAX_RUNNING) {
      const oldest = this.running.keys().next().value;
      if (oldest !== undefined) this.running.delete(oldest);
    }
    this.running.set(uploadId, { algorithm, hash: createDigester(algorithm), offset: 0 });
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
