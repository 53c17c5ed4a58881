import { createHmac, randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@wharf/authz';
import { LRUCache } from 'lru-cache';

import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { AccessFactsCache } from '../database/access-facts-cache';

const MAX_ENTRIES = 10_000;

/**
 * Credentials this process checked successfully, for WHARF_CREDENTIAL_CACHE_TTL (never past
 * their own expiry): a CI job asking for a token per repository then costs no password hash,
 * no failed-login lookup and no account lookup. Entries are keyed by an HMAC of the name and
 * secret under a key that never leaves the process, so the secrets are not kept.
 *
 * What this process changes about users, robots and tokens calls `changed`. What another
 * process (or the CLI) changes reaches every process by the access notices with the payload
 * CREDENTIALS_CHANGED (migration CredentialNoticePayload), which clear this cache; while they
 * are not flowing, it is seen within the TTL. Wrong secrets are never remembered, and an
 * account or address that failed a login here within the failure window is checked in full
 * again, so the failed-login limits hold.
 */
@Injectable()
export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly ttlMs: number;
  private readonly entries: LRUCache<string, Principal> | undefined;
  private readonly failures: LRUCache<string, true> | undefined;

  constructor(@Inject(WHARF_CONFIG) config: WharfConfig, @Inject(AccessFactsCache) private readonly notices: AccessFactsCache) {
    notices.onCredentialsChange(() => this.entries?.clear());
    this.ttlMs = config.auth.credentialCacheTtlMs;
    if (this.ttlMs > 0) {
      this.entries = new LRUCache({ max: MAX_ENTRIES, ttl: this.ttlMs });
      this.failures = new LRUCache({ max: MAX_ENTRIES, ttl: config.auth.loginFailureWindowMs });
    }
  }

  get(username: string, secret: string, address: string): Principal | undefined {
    if (!this.entries || this.failures?.has(accountKey(username)) || this.failures?.has(addressKey(address))) return undefined;
    return this.entries.get(this.fingerprint(username, secret));
  }

  set(username: string, secret: string, principal: Principal, expiresAt: Date | null): void {
    const ttl = Math.min(this.ttlMs, expiresAt ? expiresAt.getTime() - Date.now() : Infinity);
    if (this.entries && ttl >= 1) this.entries.set(this.fingerprint(username, secret), principal, { ttl });
  }

  /** A login with this name, or from this address, failed. */
  failed(username: string, address: string): void {
    this.failures?.set(accountKey(username), true);
    this.failures?.set(addressKey(address), true);
  }

  /**
   * Something about users, robots or tokens changed through this process: checks every
   * credential again, and resolves once the other processes have the notice too.
   */
  async changed(): Promise<void> {
    this.entries?.clear();
    await this.notices.changed();
  }

  private fingerprint(username: string, secret: string): string {
    return createHmac('sha256', this.key).update(`${username.length}:${username}`).update(secret).digest('base64url');
  }
}

const accountKey = (username: string) => `account:${username}`;
const addressKey = (address: string) => `address:${address}`;
