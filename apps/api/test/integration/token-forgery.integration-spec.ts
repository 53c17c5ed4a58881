import { createHmac, createPublicKey, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';

import { Role } from '@wharf/authz';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTHeaderParameters, type JWTPayload } from 'jose';

import { SigningKeys } from '../../src/auth/signing-keys';
import { adminRegistry, createOrganization, decodeToken, expectInsufficientScope, expectInvalidToken, registryAs, tokenFor, userWithRole, type TestUser } from './support/access-fixtures';
import { send } from './support/registry-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Registry tokens that were not issued by Wharf, or not for this registry, or not now:
 * reliability.md §4c rows 11–14 and CVE-2025-24976 (distribution trusting a header `jwk`).
 * Every forged token is refused with 401 `error="invalid_token"`; each group has a control
 * built the same way with Wharf's own key, which is accepted, so the refusal is the claim
 * or the key under test and nothing else. Also signing key rotation.
 */

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const b64json = (value: unknown) => b64url(JSON.stringify(value));

describe('forged registry tokens (rows 11–14)', () => {
  let app: TestApp;
  let holder: TestUser;
  /** Another ES256 key pair: the attacker's. */
  let attacker: { privateKey: KeyObject; publicJwk: JWK };

  const keys = () => app.app.get(SigningKeys);
  const pullVault = [{ type: 'repository', name: 'vault/app', actions: ['pull'] }];

  /** Valid claims for `holder` pulling vault/app, with `overrides`. */
  function claims(overrides: Partial<JWTPayload> & Record<string, unknown> = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return { iss: 'wharf', aud: 'wharf', sub: holder.username, principal: `user:${holder.id}`, iat: now, nbf: now, exp: now + 300, jti: randomUUID(), access: pullVault, ...overrides };
  }

  /** ES256-signs `payload` (with Wharf's current signing key unless told otherwise). */
  function sign(payload: JWTPayload, header: Partial<JWTHeaderParameters> = {}, key?: KeyObject): Promise<string> {
    const ours = keys().signingKey();
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: ours.kid, ...header }).sign(key ?? ours.privateKey);
  }

  /** Header and payload as given, then a signature computed over them by `signature`. */
  function handMade(header: Record<string, unknown>, payload: JWTPayload, signature: (input: string) => string): string {
    const input = `${b64json(header)}.${b64json(payload)}`;
    return `${input}.${signature(input)}`;
  }

  const pull = (token: string) => registryAs(app, token).request('/v2/vault/app/manifests/v1');

  beforeAll(async () => {
    app = await startTestApp({ authenticate: false });
    await createOrganization(app, 'vault');
    await (await adminRegistry(app, 'vault/app')).pushImage('vault/app', 'v1');
    holder = await userWithRole(app, 'vault', Role.Developer);
    const pair = await generateKeyPair('ES256', { extractable: true });
    attacker = { privateKey: pair.privateKey as KeyObject, publicJwk: await exportJWK(pair.publicKey) };
  });
  afterAll(async () => app?.close());

  it('the control: a token built by these helpers with our key and valid claims is accepted', async () => {
    expect((await pull(await sign(claims()))).status).toBe(200);
    expect((await pull(await tokenFor(app, holder, 'repository:vault/app:pull'))).status).toBe(200);
  });

  describe('row 11: outside its lifetime', () => {
    it('expired more than 60 s ago: 401 invalid_token', async () => {
      const now = Math.floor(Date.now() / 1000);
      expectInvalidToken(await pull(await sign(claims({ iat: now - 400, nbf: now - 400, exp: now - 90 }))));
    });

    it('not valid before more than 60 s from now: 401 invalid_token', async () => {
      const now = Math.floor(Date.now() / 1000);
      expectInvalidToken(await pull(await sign(claims({ nbf: now + 120 }))));
    });

    it('within the 60 s clock leeway of distribution both are still accepted', async () => {
      const now = Math.floor(Date.now() / 1000);
      expect((await pull(await sign(claims({ iat: now - 330, nbf: now - 330, exp: now - 30 })))).status).toBe(200);
      expect((await pull(await sign(claims({ nbf: now + 30 })))).status).toBe(200);
    });

    it('without exp: 401 invalid_token', async () => {
      const payload = claims();
      delete payload.exp;
      expectInvalidToken(await pull(await sign(payload)));
    });
  });

  describe('row 12: signed by another key', () => {
    it('another ES256 key under our kid: 401 invalid_token', async () => {
      expectInvalidToken(await pull(await sign(claims(), {}, attacker.privateKey)));
    });

    it('an unknown kid: 401 invalid_token', async () => {
      expectInvalidToken(await pull(await sign(claims(), { kid: 'attacker-key' }, attacker.privateKey)));
      // Even with our key: the kid must name it.
      expectInvalidToken(await pull(await sign(claims(), { kid: 'attacker-key' })));
    });

    it('no kid at all: 401 invalid_token', async () => {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(keys().signingKey().privateKey);
      expectInvalidToken(await pull(token));
    });

    it('a tampered payload (access widened) keeps our signature and is refused: 401 invalid_token', async () => {
      const issued = await tokenFor(app, holder, 'repository:vault/app:pull');
      const [header, , signature] = issued.split('.');
      const widened = { ...decodeToken(issued).payload, access: [{ type: 'repository', name: 'vault/app', actions: ['pull', 'push', 'delete'] }] };
      const tampered = `${header}.${b64json(widened)}.${signature}`;
      expectInvalidToken(await pull(tampered));
      expectInvalidToken(await registryAs(app, tampered).startUpload('vault/app'));
      expectInvalidToken(await registryAs(app, tampered).request('/v2/vault/app/manifests/v1', { method: 'DELETE' }));
      // The untouched token is fine, and still only pulls.
      expect((await pull(issued)).status).toBe(200);
      expectInsufficientScope(await registryAs(app, issued).startUpload('vault/app'), 'repository:vault/app:pull,push');
    });
  });

  describe('row 13: algorithm and header tricks', () => {
    it('alg none (with and without our kid, with an empty or a junk signature): 401 invalid_token', async () => {
      for (const header of [{ alg: 'none', typ: 'JWT', kid: keys().signingKey().kid }, { alg: 'none', typ: 'JWT' }, { alg: 'None', typ: 'JWT', kid: keys().signingKey().kid }]) {
        expectInvalidToken(await pull(handMade(header, claims(), () => '')));
        expectInvalidToken(await pull(handMade(header, claims(), () => b64url('junk'))));
      }
    });

    it('HS256 with our public key (PEM, DER and JWK forms) as the HMAC secret: 401 invalid_token', async () => {
      const jwks = (await send(`${app.url}/.well-known/jwks.json`, { method: 'GET' })).json<{ keys: (JWK & { kid: string })[] }>();
      const jwk = jwks.keys.find((key) => key.kid === keys().signingKey().kid)!;
      const publicKey = createPublicKey({ key: jwk as unknown as JsonWebKey, format: 'jwk' });
      const secrets = [publicKey.export({ type: 'spki', format: 'pem' }), publicKey.export({ type: 'spki', format: 'der' }), JSON.stringify(jwk)];
      for (const secret of secrets) {
        const token = handMade({ alg: 'HS256', typ: 'JWT', kid: jwk.kid }, claims(), (input) => createHmac('sha256', secret).update(input).digest('base64url'));
        expectInvalidToken(await pull(token));
      }
    });

    it("an embedded jwk header holding the attacker's key, with our kid: 401 invalid_token (CVE-2025-24976)", async () => {
      expectInvalidToken(await pull(await sign(claims(), { jwk: attacker.publicJwk }, attacker.privateKey)));
      expectInvalidToken(await pull(await sign(claims(), { jwk: attacker.publicJwk, kid: 'attacker-key' }, attacker.privateKey)));
    });

    it('jku and x5u headers pointing elsewhere are ignored: 401 invalid_token', async () => {
      for (const header of [{ jku: 'https://attacker.example/jwks.json' }, { x5u: 'https://attacker.example/cert.pem' }]) {
        expectInvalidToken(await pull(await sign(claims(), header, attacker.privateKey)));
      }
    });
  });

  describe('row 14: for another service or issuer', () => {
    it('a wrong aud: 401 invalid_token', async () => {
      expectInvalidToken(await pull(await sign(claims({ aud: 'other-registry' }))));
      expectInvalidToken(await pull(await sign(claims({ aud: ['other-registry'] }))));
    });

    it('a wrong iss: 401 invalid_token', async () => {
      expectInvalidToken(await pull(await sign(claims({ iss: 'attacker' }))));
      expectInvalidToken(await pull(await sign(claims({ iss: undefined }))));
    });

    it('the control: aud may be an array holding wharf', async () => {
      expect((await pull(await sign(claims({ aud: ['other-registry', 'wharf'] })))).status).toBe(200);
    });
  });

  describe('row 23: the namespaces a grant was decided in', () => {
    const vaultId = async () => (await app.query<{ id: string }>("SELECT id FROM namespace WHERE name = 'vault'"))[0]!.id;

    it('an issued token names the id of each namespace it grants in', async () => {
      const { payload } = decodeToken(await tokenFor(app, holder, 'repository:vault/app:pull', 'repository:vault/nope:pull', 'repository:elsewhere/app:pull'));
      expect(payload['namespaces']).toEqual({ vault: await vaultId() });
    });

    it('a token naming another id for the namespace: 401 invalid_token', async () => {
      expectInvalidToken(await pull(await sign(claims({ namespaces: { vault: String(Number(await vaultId()) + 1000) } }))));
      expectInvalidToken(await pull(await sign(claims({ namespaces: { vault: null } }))));
      expectInvalidToken(await pull(await sign(claims({ namespaces: { vault: Number(await vaultId()) } }))));
      expectInvalidToken(await pull(await sign(claims({ namespaces: {} }))));
      expectInvalidToken(await pull(await sign(claims({ namespaces: 'vault' }))));
      expect((await pull(await sign(claims({ namespaces: { vault: await vaultId() } })))).status).toBe(200);
    });

    it('a token from before namespaces were recorded (none named) is accepted for its lifetime, for upgrades', async () => {
      expect(claims()).not.toHaveProperty('namespaces');
      expect((await pull(await sign(claims()))).status).toBe(200);
    });
  });

  it('garbage in the Authorization header: 401 invalid_token, also on /v2/', async () => {
    for (const token of ['not-a-jwt', 'a.b.c', `${b64json({ alg: 'ES256' })}..`]) {
      expectInvalidToken(await pull(token));
      expectInvalidToken(await registryAs(app, token).request('/v2/'));
    }
  });

  describe('signing key rotation', () => {
    it('tokens signed before stay valid, new tokens carry the new kid, the JWKS lists both', async () => {
      const before = keys().signingKey();
      // Issued before the rotation and not yet used, so no verification was cached.
      const issuedBefore = await tokenFor(app, holder, 'repository:vault/app:pull');
      expect(decodeToken(issuedBefore).header.kid).toBe(before.kid);

      const kid = await keys().rotate();
      expect(kid).not.toBe(before.kid);

      const issuedAfter = await tokenFor(app, holder, 'repository:vault/app:pull');
      expect(decodeToken(issuedAfter).header.kid).toBe(kid);
      expect((await pull(issuedBefore)).status).toBe(200);
      expect((await pull(issuedAfter)).status).toBe(200);
      // A token the old key signs now (never seen before) still verifies.
      expect((await pull(await sign(claims(), { kid: before.kid }, before.privateKey))).status).toBe(200);
      // But the old key does not sign under the new kid.
      expectInvalidToken(await pull(await sign(claims(), { kid }, before.privateKey)));

      const jwks = (await send(`${app.url}/.well-known/jwks.json`, { method: 'GET' })).json<{ keys: { kid: string }[] }>();
      expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([before.kid, kid]));
      expect(await app.query<{ kid: string; retired: boolean }>('SELECT kid, retired_at IS NOT NULL AS retired FROM signing_key ORDER BY created_at')).toEqual([
        { kid: before.kid, retired: true },
        { kid, retired: false },
      ]);
    });
  });
});

