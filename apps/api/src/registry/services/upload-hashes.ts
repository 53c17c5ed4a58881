import { createSHA256, type IHasher } from 'hash-wasm';
import { createDigester, type DigestAlgorithm } from '@wharf/oci';

/** The hash of an upload's bytes, fed request after request. */
export interface UploadHash {
  readonly algorithm: DigestAlgorithm;
  update(chunk: Uint8Array): void;
  /** `algorithm:hex` of what it has consumed; the hash goes on. */
  digestSoFar(): string;
  /** A state another process can go on from (`SavableSha256.resume`), or undefined when this hash cannot give one. */
  save(): Uint8Array | undefined;
}

/** node:crypto: the fastest, but its state stays in this process. */
export function processHash(algorithm: DigestAlgorithm): UploadHash {
  const hash = createDigester(algorithm);
  return {
    algorithm,
    update: (chunk) => void hash.update(chunk),
    digestSoFar: () => `${algorithm}:${hash.copy().digest('hex')}`,
    save: () => undefined,
  };
}

/**
 * SHA-256 whose state (116 bytes) can be saved with an upload and loaded by any process
 * (hash-wasm). It runs at about a third of node:crypto's speed, so it is used only where
 * nothing else spares a re-read of the stored bytes. Every upload shares one WebAssembly
 * instance: an update loads the upload's state, hashes, and saves it again, all in one
 * synchronous step. A state holds up to 63 bytes of the upload itself, so it is kept
 * only where the upload is.
 */
export class SavableSha256 {
  private constructor(private readonly wasm: IHasher) {}

  static async create(): Promise<SavableSha256> {
    return new SavableSha256(await createSHA256());
  }

  start(): UploadHash {
    this.wasm.init();
    return this.hashFrom(this.wasm.save());
  }

  /** Goes on from a saved state; undefined when another build of hash-wasm saved it. */
  resume(state: Uint8Array): UploadHash | undefined {
    try {
      this.wasm.load(state);
    } catch {
      return undefined;
    }
    return this.hashFrom(Uint8Array.from(state));
  }

  private hashFrom(initial: Uint8Array): UploadHash {
    let state = initial;
    return {
      algorithm: 'sha256',
      update: (chunk) => {
        this.wasm.load(state);
        this.wasm.update(chunk);
        state = this.wasm.save();
      },
      digestSoFar: () => {
        this.wasm.load(state);
        return `sha256:${this.wasm.digest('hex')}`;
      },
      save: () => state,
    };
  }
}
