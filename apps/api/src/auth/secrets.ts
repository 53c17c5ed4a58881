import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets Wharf hands out (robot secrets, personal access tokens, refresh tokens) are 256
 * random bits, so a plain SHA-256 is a safe hash for them: nothing to brute-force. Every
 * comparison of a secret goes through secretMatches (constant time).
 */

/** A new random secret, recognisable by its prefix (secret scanners look for those). */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time: both sides are hashed to the same length before comparing. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = createHash('sha256').update(hashSecret(secret)).digest();
  const expected = createHash('sha256').update(storedHash).digest();
  return timingSafeEqual(actual, expected);
}

/** Constant-time equality of two strings of any length. */
export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Seals small values (signing keys) with AES-256-GCM under a key derived from a secret. */
export class Sealer {
  private readonly key: Buffer;

  static randomSecret(): string {
    return randomBytes(32).toString('base64url');
  }

  constructor(secret: string) {
    this.key = createHash('sha256').update(`wharf-sealing-key:${secret}`).digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Throws when the value was sealed under another secret or altered. */
  unseal(sealed: string): string {
    const parts = sealed.split('.');
    const [version, iv, tag, body] = parts;
    if (parts.length !== 4 || version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    // A fixed tag length: GCM would otherwise accept a tag cut down to 4 bytes.
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
