import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { AccessClaim } from '@wharf/oci';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { LRUCache } from 'lru-cache';

import type { Grant } from '../access/access.service';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { SigningKeys, TOKEN_ALGORITHM } from './signing-keys';

/** Clock leeway when checking exp and nbf, as Distribution allows. */
const LEEWAY_SECONDS = 60;

export interface RegistryTokenClaims {
  /** The name the principal logs in with; "" when anonymous. */
  readonly sub: string;
  /** The principal's stable key (`user:12`, `robot:3`, `token:<uuid>`, `anonymous`). */
  readonly principal: string;
  readonly access: readonly AccessClaim[];
  /**
   * The namespaces the grant was decided in (Grant.namespaces). Tokens issued before
   * Wharf recorded them have none; they are accepted as they are, so that processes of both
   * versions serve one registry during an upgrade, and are gone within one token lifetime.
   */
  readonly namespaces?: Readonly<Record<string, string | null>>;
  readonly exp: number;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresIn: number;
  readonly issuedAt: Date;
}

export class InvalidTokenError extends Error {}

/**
 * Registry tokens: ES256 JWTs with a `kid`, in the format of the Docker token spec. A
 * token is verified only with Wharf's own keys: header `jwk`, `jku` and `x5u` are ignored,
 * the algorithm is pinned, `iss` and `aud` must match. Verified tokens are remembered
 * until they expire, so a client reusing one costs a map lookup.
 */
@Injectable()
export class RegistryTokens {
  private readonly verified = new LRUCache<string, RegistryTokenClaims>({ max: 50_000, ttlAutopurge: false });

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(SigningKeys) private readonly keys: SigningKeys,
  ) {}

  async issue(subject: string, principal: string, grant: Grant): Promise<IssuedToken> {
    const key = this.keys.signingKey();
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const now = issuedAt.getTime() / 1000;
    const expiresIn = Math.round(this.config.auth.tokenTtlMs / 1000);
    const token = await new SignJWT({ access: grant.access, namespaces: grant.namespaces, principal })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT', kid: key.kid })
      .setIssuer(this.config.auth.issuer)
      .setSubject(subject)
      .setAudience(this.config.auth.service)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiresIn, issuedAt };
  }

  /** The claims of a valid token; InvalidTokenError otherwise. */
  async verify(token: string): Promise<RegistryTokenClaims> {
    const cached = this.verified.get(token);
    if (cached && cached.exp + LEEWAY_SECONDS > Date.now() / 1000) return cached;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, (header: JWTHeaderParameters) => this.keyFor(header), {
        algorithms: [TOKEN_ALGORITHM],
        issuer: this.config.auth.issuer,
        audience: this.config.auth.service,
        clockTolerance: LEEWAY_SECONDS,
        requiredClaims: ['exp', 'nbf', 'iat', 'sub'],
        typ: 'JWT',
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof InvalidTokenError) throw new InvalidTokenError(error.message);
      throw error;
    }
    const claims: RegistryTokenClaims = {
      sub: String(payload.sub),
      principal: typeof payload.principal === 'string' ? payload.principal : 'anonymous',
      access: validAccess(payload.access),
      ...(payload.namespaces !== undefined ? { namespaces: validNamespaces(payload.namespaces) } : {}),
      exp: payload.exp!,
    };
    this.verified.set(token, claims, { ttl: Math.max(1, (claims.exp + LEEWAY_SECONDS) * 1000 - Date.now()) });
    return claims;
  }

  private async keyFor(header: JWTHeaderParameters) {
    if (typeof header.kid !== 'string') throw new InvalidTokenError('token has no kid');
    const key = await this.keys.verificationKey(header.kid);
    if (!key) throw new InvalidTokenError('token signed by an unknown key');
    return key;
  }
}

function validAccess(value: unknown): AccessClaim[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is AccessClaim =>
      typeof entry === 'object' && entry !== null && typeof entry.type === 'string' && typeof entry.name === 'string' && Array.isArray(entry.actions) && entry.actions.every((a: unknown) => typeof a === 'string'),
  );
}

/** Namespace ids by name; entries of any other shape are dropped, which fails their check. */
function validNamespaces(value: unknown): Record<string, string | null> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string | null] => typeof entry[1] === 'string' || entry[1] === null));
}
