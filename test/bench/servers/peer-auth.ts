import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { libtrustKeyId } from '@wharf/oci';
import { SignJWT } from 'jose';

export interface AccessEntry {
  readonly type: string;
  readonly name: string;
  readonly actions: string[];
}

/** `repository:acme/app:pull,push` → an access entry (the name may hold colons). */
export function parseScope(scope: string): AccessEntry {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) throw new Error(`not a scope: ${scope}`);
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

/**
 * Docker token auth for the peer: an ES256 key and a self-signed certificate made with
 * openssl, which Distribution trusts (`auth.token.rootcertbundle`), and the tokens the
 * harness mints with it: what a token service would grant, for whatever scopes are asked.
 */
export class PeerAuth {
  readonly issuer = 'wharf-bench';
  readonly service = 'distribution-peer';

  private constructor(
    readonly keyFile: string,
    readonly certFile: string,
    private readonly key: KeyObject,
    readonly kid: string,
  ) {}

  /** Makes the key and certificate in `dir` (once) and loads them. */
  static create(dir: string): PeerAuth {
    mkdirSync(dir, { recursive: true });
    const keyFile = join(dir, 'token-key.pem');
    const certFile = join(dir, 'token-cert.pem');
    if (!existsSync(keyFile) || !existsSync(certFile)) {
      const ecKey = join(dir, 'token-key.ec.pem');
      execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', ecKey], { stdio: 'pipe' });
      execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', ecKey, '-out', keyFile], { stdio: 'pipe' });
      execFileSync('openssl', ['req', '-new', '-x509', '-key', keyFile, '-out', certFile, '-days', '30', '-subj', '/CN=wharf-bench-token-issuer'], { stdio: 'pipe' });
    }
    return PeerAuth.load(keyFile, certFile);
  }

  static load(keyFile: string, certFile: string): PeerAuth {
    const key = createPrivateKey(readFileSync(keyFile));
    return new PeerAuth(keyFile, certFile, key, libtrustKeyId(createPublicKey(key)));
  }

  /** A token granting exactly `scopes` (`repository:<name>:<actions>`, `registry:catalog:*`). */
  mint(scopes: readonly string[], subject = 'bench', ttlSeconds = 3600): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ access: scopes.map(parseScope) })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.service)
      .setSubject(subject)
      .setIssuedAt(now)
      .setNotBefore(now - 10)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key);
  }
}
