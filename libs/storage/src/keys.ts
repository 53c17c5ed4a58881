import { randomUUID } from 'node:crypto';

/**
 * Object keys. Layout under a driver's root:
 *
 *   blobs/<first two hex of id>/<id>     one object per upload; it stays where it was written
 *
 * Keys never carry digests or repository names: PostgreSQL maps digest → key, so a commit
 * never copies and a key can never be built from client input.
 */
const KEY = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*(?:\/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)*$/;

export function isValidKey(key: string): boolean {
  return key.length <= 512 && KEY.test(key);
}

export function newBlobKey(): string {
  const id = randomUUID();
  return `blobs/${id.slice(0, 2)}/${id}`;
}
