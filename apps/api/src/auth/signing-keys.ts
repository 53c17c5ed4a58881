import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { SigningKeysRepository, type SigningKeyRow } from '@wharf/db';
import { libtrustKeyId } from '@wharf/oci';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from 'jose';

import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { Sealer } from './secrets';

export const TOKEN_ALGORITHM = 'ES256';

/** How often a process re-reads the key set (to pick up a rotation done by another one). */
const RELOAD_MS = 60_000;
/** A re-read triggered by an unknown `kid` happens at most this often. */
const MISS_RELOAD_MS = 5_000;

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

/**
 * Token signing keys (ES256). Created at first start and kept in PostgreSQL, sealed under
 * WHARF_SECRET, so every API process signs and verifies with the same set. Rotation adds a
 * new signing key; the old one keeps verifying until every token it signed has expired,
 * so nobody is logged out.
 */
@Injectable()
export class SigningKeys implements OnModuleDestroy {
  private readonly logger = new Logger('SigningKeys');
  private readonly sealer: Sealer;
  private signing: SigningKey | undefined;
  private verifying = new Map<string, KeyObject>();
  private published: JWK[] = [];
  private lastMissReload = 0;
  private reloading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(SigningKeysRepository) private readonly keys: SigningKeysRepository,
  ) {
    this.sealer = new Sealer(config.auth.secret ?? this.localSecret());
  }

  /** Loads the key set, creating the first key when there is none. */
  async start(): Promise<void> {
    if ((await this.keys.listUsable(new Date())).length === 0) await this.keys.createFirst(await this.newKey());
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch((error: Error) => this.logger.warn(`could not reload signing keys: ${error.message}`)), RELOAD_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Makes a new key the signing key; returns its kid. Tokens signed before stay valid. */
  async rotate(): Promise<string> {
    const key = await this.newKey();
    await this.keys.rotateTo(key);
    await this.reload();
    return key.kid;
  }

  signingKey(): SigningKey {
    if (!this.signing) throw new Error('signing keys are not loaded');
    return this.signing;
  }

  /** The public key for `kid`, re-reading the set once when it is unknown (a fresh rotation). */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    const known = this.verifying.get(kid);
    if (known) return known;
    if (Date.now() - this.lastMissReload < MISS_RELOAD_MS) return undefined;
    this.lastMissReload = Date.now();
    await this.reload();
    return this.verifying.get(kid);
  }

  /** The JWKS document: every public key that may still verify a token. */
  jwks(): { keys: JWK[] } {
    return { keys: this.published };
  }

  private reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async load(): Promise<void> {
    // Retired keys keep verifying for a token lifetime, the clock leeway and a reload period.
    const keep = this.config.auth.tokenTtlMs + 60_000 + 2 * RELOAD_MS;
    const rows = await this.keys.listUsable(new Date(Date.now() - keep));
    const verifying = new Map<string, KeyObject>();
    for (const row of rows) verifying.set(row.kid, createPublicKey({ key: row.publicJwk as JsonWebKey, format: 'jwk' }));
    const active = rows.find((row) => row.retiredAt === null);
    if (active) this.signing = { kid: active.kid, privateKey: await this.unsealPrivateKey(active) };
    this.verifying = verifying;
    this.published = rows.map((row) => ({ ...(row.publicJwk as unknown as JWK), kid: row.kid, alg: row.algorithm, use: 'sig' }));
  }

  private async unsealPrivateKey(row: SigningKeyRow): Promise<KeyObject> {
    let pem: string;
    try {
      pem = this.sealer.unseal(row.privateKey);
    } catch {
      throw new Error(
        'the token signing key in the database was sealed with another WHARF_SECRET: give every Wharf process the same WHARF_SECRET (or the same data directory)',
      );
    }
    return (await importPKCS8(pem, TOKEN_ALGORITHM, { extractable: false })) as KeyObject;
  }

  private async newKey(): Promise<Omit<SigningKeyRow, 'createdAt' | 'retiredAt'>> {
    const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = this.config.auth.kidFormat === 'libtrust' ? libtrustKeyId(publicKey as KeyObject) : await calculateJwkThumbprint(publicJwk, 'sha256');
    return { kid, algorithm: TOKEN_ALGORITHM, publicJwk: publicJwk as unknown as Record<string, unknown>, privateKey: this.sealer.seal(await exportPKCS8(privateKey)) };
  }

  /** The zero-setup default: a random secret kept beside the data, readable by its owner only. */
  private localSecret(): string {
    const file = join(this.config.dataDir, 'secret');
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      try {
        writeFileSync(file, Sealer.randomSecret(), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another process sharing the data directory wrote it first.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return readFileSync(file, 'utf8').trim();
  }
}
