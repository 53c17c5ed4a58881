import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

import { libtrustKeyId } from '@wharf/oci';

// Spec: protocol.md §6 (`kid` for a stock distribution v2.x: the libtrust fingerprint =
// SHA-256 of the DER (PKIX) public key, first 30 bytes (240 bits), base32 with the standard
// alphabet and no padding, in 12 groups of 4 joined by `:`).

/** RFC 4648 §6 base32, written bit by bit (independent of the implementation under test). */
function rfc4648Base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...bytes].map((byte) => byte.toString(2).padStart(8, '0')).join('');
  const padded = bits.padEnd(Math.ceil(bits.length / 5) * 5, '0');
  return (padded.match(/.{5}/g) ?? []).map((group) => alphabet[parseInt(group, 2)]).join('');
}

function expectedKid(publicKey: KeyObject): string {
  const fingerprint = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, 30);
  const encoded = rfc4648Base32(fingerprint);
  return Array.from({ length: 12 }, (_, group) => encoded.slice(group * 4, group * 4 + 4)).join(':');
}

describe('libtrustKeyId', () => {
  it('is 12 groups of 4 base32 characters joined by `:`', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(libtrustKeyId(publicKey)).toMatch(/^[A-Z2-7]{4}(:[A-Z2-7]{4}){11}$/);
  });

  it('is base32 of the first 240 bits of the SHA-256 of the DER public key', () => {
    for (let i = 0; i < 20; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      expect(libtrustKeyId(publicKey)).toBe(expectedKid(publicKey));
    }
  });

  it('matches a fixed vector (computed with Python base64.b32encode)', () => {
    const publicKey = createPublicKey(
      [
        '-----BEGIN PUBLIC KEY-----',
        'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEME0UtRlM3NXufwjAOsciO/dKStyt',
        'jAyLbvCQv0Qv0IE7E8fsT/ACKVO5tp1oYWMHoXbR9WQzVXskW2HktmWSHA==',
        '-----END PUBLIC KEY-----',
      ].join('\n'),
    );
    expect(libtrustKeyId(publicKey)).toBe('PCCZ:DQO5:CHBK:VENU:Q52V:KZ36:IBFM:YWGK:GON3:NUA7:Q6IJ:TAIJ');
  });

  it('is the same for the key however it was loaded (from the private key, from its JWK)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = libtrustKeyId(publicKey);
    expect(libtrustKeyId(createPublicKey(privateKey))).toBe(kid);
    expect(libtrustKeyId(createPublicKey({ key: publicKey.export({ format: 'jwk' }), format: 'jwk' }))).toBe(kid);
    expect(libtrustKeyId(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).not.toBe(kid);
  });
});
