import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { LRUCache } from 'lru-cache';

import { constantTimeEquals } from './secrets';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashing with argon2id. Clients such as reggie (the conformance suite) send Basic
 * credentials on every request; a successful verification is remembered for a short while,
 * keyed by the stored hash, so a changed password or a deleted user is never served from it.
 */
@Injectable()
export class PasswordHasher {
  private readonly verified = new LRUCache<string, string>({ max: 10_000, ttl: 5 * 60_000 });
  private dummyHash: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /**
   * Verifies `password` against `storedHash`; with no stored hash (unknown user) it still
   * spends the time of a verification, so timing does not reveal whether a user exists.
   */
  async verify(password: string, storedHash: string | undefined): Promise<boolean> {
    if (storedHash === undefined) {
      this.dummyHash ??= this.hash('wharf-no-such-user');
      await verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    const fingerprint = createHash('sha256').update(storedHash).update('\0').update(password).digest('hex');
    const cached = this.verified.get(storedHash);
    if (cached !== undefined && constantTimeEquals(cached, fingerprint)) return true;
    const ok = await verify(storedHash, password).catch(() => false);
    if (ok) this.verified.set(storedHash, fingerprint);
    return ok;
  }
}
