import { constantTimeEquals, generateSecret, hashSecret, Sealer, secretMatches } from './secrets';

// Spec: reliability.md §1 (CVE-2026-110697: a secret is shown once and stored hashed;
// CVE-2026-134651: only real secrets match) and §4(c) row 12 (signing keys sealed under
// WHARF_SECRET: another secret or an altered value must not open them). Secrets are 256
// random bits with a recognisable prefix; comparisons are constant time.

/** Flips one bit of a base64url part, so the bytes really change. */
function flipBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] ^= 1;
  return bytes.toString('base64url');
}

function replacePart(sealed: string, index: number, change: (part: string) => string): string {
  const parts = sealed.split('.');
  parts[index] = change(parts[index]!);
  return parts.join('.');
}

describe('generateSecret', () => {
  it('is the prefix followed by 256 random bits in base64url', () => {
    const secret = generateSecret('wharf_pat_');
    expect(secret).toMatch(/^wharf_pat_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice('wharf_pat_'.length), 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => generateSecret('x_')));
    expect(secrets.size).toBe(1000);
  });
});

describe('hashSecret', () => {
  it('is the hex SHA-256 of the UTF-8 secret', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashSecret('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashSecret('é')).not.toBe(hashSecret('e'));
  });
});

describe('secretMatches', () => {
  const secret = generateSecret('wharf_robot_');
  const stored = hashSecret(secret);

  it('accepts the secret whose hash is stored', () => {
    expect(secretMatches(secret, stored)).toBe(true);
  });

  it('refuses another secret, a truncated one and the hash itself', () => {
    expect(secretMatches(generateSecret('wharf_robot_'), stored)).toBe(false);
    expect(secretMatches(secret.slice(0, -1), stored)).toBe(false);
    expect(secretMatches(`${secret} `, stored)).toBe(false);
    expect(secretMatches(stored, stored)).toBe(false);
  });

  it.each([[''], ['abc'], [stored.slice(0, 32)], [`${stored}00`], [stored.toUpperCase()]])('refuses, without throwing, a stored hash %p of another value or length', (other) => {
    expect(secretMatches(secret, other)).toBe(false);
  });
});

describe('constantTimeEquals', () => {
  it.each([
    ['same', 'same', true],
    ['', '', true],
    ['same', 'Same', false],
    ['short', 'longer value', false],
    ['', 'x', false],
  ])('%p = %p is %p', (a, b, expected) => {
    expect(constantTimeEquals(a, b)).toBe(expected);
  });
});

describe('Sealer', () => {
  const secret = Sealer.randomSecret();
  const sealer = new Sealer(secret);
  const pem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(2000)}\n-----END PRIVATE KEY-----\n`;

  it('makes random secrets of 256 bits', () => {
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Sealer.randomSecret()).not.toBe(secret);
  });

  it.each([[pem], [''], ['ünïcødé ✓'], ['a.b.c.d']])('opens what it sealed: %#', (plain) => {
    expect(sealer.unseal(sealer.seal(plain))).toBe(plain);
  });

  it('opens with another Sealer on the same secret (another process)', () => {
    expect(new Sealer(secret).unseal(sealer.seal(pem))).toBe(pem);
  });

  it('seals as v1.iv.tag.body, with a fresh IV each time, hiding the value', () => {
    const first = sealer.seal(pem);
    const second = sealer.seal(pem);
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(Buffer.from(first.split('.')[3]!, 'base64url').toString('latin1')).not.toContain('PRIVATE KEY');
  });

  it('refuses a value sealed under another secret', () => {
    expect(() => new Sealer(Sealer.randomSecret()).unseal(sealer.seal(pem))).toThrow();
    expect(() => new Sealer(`${secret}x`).unseal(sealer.seal(pem))).toThrow();
  });

  it.each([
    ['the body', 3],
    ['the tag', 2],
    ['the IV', 1],
  ])('detects an altered value: %s', (_part, index) => {
    const sealed = sealer.seal(pem);
    expect(() => sealer.unseal(replacePart(sealed, index, flipBit))).toThrow();
  });

  it('detects a truncated body', () => {
    expect(() => sealer.unseal(replacePart(sealer.seal(pem), 3, (body) => body.slice(0, -4)))).toThrow();
  });

  it.each([[4], [12], [15]])('detects a tag cut down to %i bytes (GCM accepts short tags unless told the length)', (bytes) => {
    const cut = (tag: string) => Buffer.from(tag, 'base64url').subarray(0, bytes).toString('base64url');
    expect(() => sealer.unseal(replacePart(sealer.seal(pem), 2, cut))).toThrow();
  });

  it.each([[''], ['garbage'], ['v2.a.b.c'], ['v1..b.c'], ['v1.a..c'], ['v1.a.b']])('refuses %p as not a sealed value', (value) => {
    expect(() => sealer.unseal(value)).toThrow('not a sealed value');
  });

  it('refuses a sealed value with anything appended', () => {
    expect(() => sealer.unseal(`${sealer.seal(pem)}.extra`)).toThrow('not a sealed value');
  });
});
