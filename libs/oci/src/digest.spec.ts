import { createDigester, digestOf, isDigest, isSupportedAlgorithm, parseDigest } from './digest';
import { OciError, OciErrorCode } from './errors';

// Spec (protocol.md §5): digest = algorithm ":" encoded, algorithm `[a-z0-9]+([+._-][a-z0-9]+)*`,
// encoded `[a-zA-Z0-9=_-]+`; sha256 → 64 lowercase hex, sha512 → 128 lowercase hex; other
// algorithms are answered with 400 DIGEST_INVALID. Reliability §4(a) #2, #3, #20.

const HEX64 = 'a'.repeat(64);
const HEX128 = 'b'.repeat(128);
const EMPTY_SHA256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_JSON_SHA256 = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const EMPTY_SHA512 =
  'sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

function errorOf(fn: () => unknown): OciError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OciError);
    return error as OciError;
  }
  throw new Error('expected an OciError to be thrown');
}

describe('parseDigest', () => {
  it.each([
    ['sha256, 64 lowercase hex', `sha256:${HEX64}`, 'sha256', HEX64],
    ['sha256 of the empty blob', EMPTY_SHA256, 'sha256', EMPTY_SHA256.slice(7)],
    ['sha256 with every hex digit', `sha256:${'0123456789abcdef'.repeat(4)}`, 'sha256', '0123456789abcdef'.repeat(4)],
    ['sha512, 128 lowercase hex', `sha512:${HEX128}`, 'sha512', HEX128],
    ['sha512 of the empty blob', EMPTY_SHA512, 'sha512', EMPTY_SHA512.slice(7)],
  ])('accepts %s', (_label, input, algorithm, encoded) => {
    expect(parseDigest(input)).toEqual({ algorithm, encoded, value: input });
  });

  it.each([
    ['empty string', ''],
    ['no colon', `sha256${HEX64}`],
    ['empty algorithm', `:${HEX64}`],
    ['empty encoded part', 'sha256:'],
    ['two colons', `sha256::${HEX64}`],
    ['colon inside the encoded part', `sha256:${HEX64.slice(0, 32)}:${HEX64.slice(32)}`],
    ['sha256 with 63 hex', `sha256:${'a'.repeat(63)}`],
    ['sha256 with 65 hex', `sha256:${'a'.repeat(65)}`],
    ['sha256 with 128 hex (sha512 length)', `sha256:${HEX128}`],
    ['sha512 with 127 hex', `sha512:${'b'.repeat(127)}`],
    ['sha512 with 129 hex', `sha512:${'b'.repeat(129)}`],
    ['sha512 with 64 hex (sha256 length)', `sha512:${HEX64}`],
    ['uppercase hex', `sha256:${'A'.repeat(64)}`],
    ['mixed-case hex', `sha256:${'aB'.repeat(32)}`],
    ['uppercase algorithm', `SHA256:${HEX64}`],
    ['non-hex characters of the right length', `sha256:${'g'.repeat(64)}`],
    ['base64-ish encoded part for sha256', `sha256:${'A='.repeat(32)}`],
    ['path traversal', 'sha256:../../x'],
    ['path traversal of the right length', `sha256:../${'a'.repeat(61)}`],
    ['a slash in the encoded part', `sha256:${'a'.repeat(32)}/${'a'.repeat(31)}`],
    ['a slash in the algorithm', `sha/256:${HEX64}`],
    ['leading whitespace', ` sha256:${HEX64}`],
    ['trailing whitespace', `sha256:${HEX64} `],
    ['trailing newline', `sha256:${HEX64}\n`],
    ['a NUL byte', `sha256:${HEX64}\u0000`],
    ['percent-encoded colon (callers must decode first)', `sha256%3A${HEX64}`],
    ['the conformance "bad digest"', 'sha256:baddigeststring'],
    ['"totallywrong"', 'sha256:totallywrong'],
    ['a huge input', `sha256:${'a'.repeat(10_000)}`],
  ])('refuses %s with DIGEST_INVALID (400)', (_label, input) => {
    const error = errorOf(() => parseDigest(input));
    expect(error.code).toBe(OciErrorCode.DigestInvalid);
    expect(error.status).toBe(400);
  });

  describe('algorithm grammar: [a-z0-9]+([+._-][a-z0-9]+)*', () => {
    // Well-formed but unknown algorithms are refused as unsupported, still DIGEST_INVALID.
    it.each([
      ['md5', `md5:${'c'.repeat(32)}`],
      ['sha1', `sha1:${'c'.repeat(40)}`],
      ['sha384', `sha384:${'c'.repeat(96)}`],
      ['blake3 (registered but optional)', `blake3:${HEX64}`],
      ['a "+" separator', `sha256+b64u:${HEX64}`],
      ['a "." separator', `multihash.sha2:${HEX64}`],
      ['a "_" separator', `sha_256:${HEX64}`],
      ['a "-" separator', `sha-256:${HEX64}`],
      ['several separators', `a+b.c_d-e:${HEX64}`],
      ['digits only', `256:${HEX64}`],
      ['unknown algorithm with the full encoded charset', 'foo:AZaz09=_-'],
    ])('refuses well-formed unknown algorithm (%s) as unsupported', (_label, input) => {
      const error = errorOf(() => parseDigest(input));
      expect(error.code).toBe(OciErrorCode.DigestInvalid);
      expect(error.message).toMatch(/unsupported digest algorithm/);
    });

    it.each([
      ['leading separator', `+sha256:${HEX64}`],
      ['trailing separator', `sha256+:${HEX64}`],
      ['doubled separator', `sha..256:${HEX64}`],
      ['mixed adjacent separators', `sha-_256:${HEX64}`],
      ['uppercase', `Sha256:${HEX64}`],
      ['forbidden separator', `sha:256:${HEX64}`],
      ['space', `sha 256:${HEX64}`],
    ])('refuses a malformed algorithm (%s) as invalid', (_label, input) => {
      const error = errorOf(() => parseDigest(input));
      expect(error.code).toBe(OciErrorCode.DigestInvalid);
      expect(error.message).not.toMatch(/unsupported/);
    });
  });

  it('keeps error details bounded for huge inputs', () => {
    const error = errorOf(() => parseDigest('x'.repeat(100_000)));
    expect(JSON.stringify(error.detail).length).toBeLessThan(300);
  });
});

describe('isDigest', () => {
  it.each([
    [`sha256:${HEX64}`, true],
    [`sha512:${HEX128}`, true],
    [EMPTY_JSON_SHA256, true],
    ['sha256:../../x', false],
    [`sha256:${'A'.repeat(64)}`, false],
    [`md5:${'c'.repeat(32)}`, false],
    ['latest', false],
    ['', false],
  ])('%j → %s', (input, expected) => {
    expect(isDigest(input)).toBe(expected);
  });
});

describe('isSupportedAlgorithm', () => {
  it.each([
    ['sha256', true],
    ['sha512', true],
    ['SHA256', false],
    ['sha384', false],
    ['blake3', false],
    ['md5', false],
    ['', false],
    // Object.prototype members must not pass for algorithms.
    ['constructor', false],
    ['toString', false],
    ['__proto__', false],
    ['hasOwnProperty', false],
  ])('%j → %s', (algorithm, expected) => {
    expect(isSupportedAlgorithm(algorithm)).toBe(expected);
  });
});

describe('digestOf', () => {
  it('defaults to sha256', () => {
    expect(digestOf(new Uint8Array())).toBe(EMPTY_SHA256);
  });

  it.each([
    ['the empty blob, sha256', new Uint8Array(), 'sha256' as const, EMPTY_SHA256],
    ['"{}" (the OCI empty descriptor), sha256', new TextEncoder().encode('{}'), 'sha256' as const, EMPTY_JSON_SHA256],
    ['the empty blob, sha512', new Uint8Array(), 'sha512' as const, EMPTY_SHA512],
  ])('hashes %s', (_label, bytes, algorithm, expected) => {
    expect(digestOf(bytes, algorithm)).toBe(expected);
  });

  it('produces digests parseDigest accepts', () => {
    const bytes = new TextEncoder().encode('hello wharf');
    for (const algorithm of ['sha256', 'sha512'] as const) {
      const digest = digestOf(bytes, algorithm);
      expect(parseDigest(digest).algorithm).toBe(algorithm);
    }
  });

  it('hashes only the view of a Uint8Array, not its whole buffer', () => {
    const whole = new TextEncoder().encode('xx{}yy');
    expect(digestOf(whole.subarray(2, 4))).toBe(EMPTY_JSON_SHA256);
  });
});

describe('createDigester', () => {
  it.each(['sha256', 'sha512'] as const)('streams to the same %s digest as digestOf', (algorithm) => {
    const hash = createDigester(algorithm);
    hash.update('hello ');
    hash.update('wharf');
    expect(`${algorithm}:${hash.digest('hex')}`).toBe(digestOf(new TextEncoder().encode('hello wharf'), algorithm));
  });
});
