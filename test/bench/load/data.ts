import { createCipheriv, createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { MiB } from '../support/stats';

/**
 * Blob contents: the AES-128-CTR keystream of a seed. Incompressible, different for every
 * seed (so no registry can deduplicate one round against another), identical on every run,
 * generated at several GB/s and addressable at any 16-byte offset, so that a resumed upload
 * can regenerate its rest without holding anything in memory.
 */
const CHUNK = MiB;
const ZEROS = Buffer.alloc(CHUNK);

function keystream(seed: string, offset: number) {
  if (offset % 16 !== 0) throw new Error(`data offsets are multiples of 16, not ${offset}`);
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(offset / 16), 8);
  return createCipheriv('aes-128-ctr', key, iv);
}

/** The bytes [start, end) of the blob `seed`, in chunks of at most 1 MiB; fed to `hash` on the way. */
export function* dataChunks(seed: string, start: number, end: number, hash?: Hash): Generator<Buffer> {
  const cipher = keystream(seed, start);
  for (let at = start; at < end; at += CHUNK) {
    const chunk = cipher.update(ZEROS.subarray(0, Math.min(CHUNK, end - at)));
    hash?.update(chunk);
    yield chunk;
  }
}

/** The same as a byte stream (for bodies and files). */
export function dataStream(seed: string, start: number, end: number, hash?: Hash): Readable {
  return Readable.from(dataChunks(seed, start, end, hash), { objectMode: false });
}

/** The whole blob `seed` in one buffer, filled a chunk at a time (never twice its size in memory). */
export function dataBuffer(seed: string, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const chunk of dataChunks(seed, 0, size)) at += chunk.copy(bytes, at);
  return bytes;
}

/**
 * A blob made before the clock starts: its bytes and digest. The load generator shares the
 * machine's cores with the server it measures; bytes generated and hashed while they are sent
 * take CPU time from the server under test.
 */
export interface PreparedBlob {
  readonly bytes: Buffer;
  readonly digest: string;
}

export function prepareBlob(seed: string, size: number): PreparedBlob {
  const bytes = dataBuffer(seed, size);
  return { bytes, digest: sha256(bytes) };
}

/** The bytes [start, end) of a buffer as a byte stream of views of at most 1 MiB (nothing is copied). */
export function sliceStream(bytes: Buffer, start = 0, end = bytes.length): Readable {
  function* slices() {
    for (let at = start; at < end; at += CHUNK) yield bytes.subarray(at, Math.min(end, at + CHUNK));
  }
  return Readable.from(slices(), { objectMode: false });
}

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** The digest of the blob `seed` of `size` bytes, computed by streaming (nothing is held). */
export function digestOf(seed: string, size: number): string {
  const hash = createHash('sha256');
  for (const chunk of dataChunks(seed, 0, size)) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

/** Writes the blob to a file; resolves with its digest. */
export async function writeDataFile(path: string, seed: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(dataStream(seed, 0, size, hash), createWriteStream(path));
  return `sha256:${hash.digest('hex')}`;
}
