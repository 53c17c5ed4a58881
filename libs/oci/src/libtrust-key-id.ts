import { createHash, type KeyObject } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The libtrust key id stock Distribution 2.x expects: SHA-256 of the DER public key, first
 * 240 bits, base32, in 12 groups of 4 joined by `:`.
 */
export function libtrustKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const encoded = base32(createHash('sha256').update(der).digest().subarray(0, 30));
  return encoded.match(/.{4}/g)!.join(':');
}
