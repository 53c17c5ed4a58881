import { OciError, OciErrorCode } from './errors';
import { assertRepositoryName, isReference, isRepositoryName, isTag, MAX_REPOSITORY_NAME_LENGTH, parseReference } from './names';

// Spec (protocol.md §5): name `^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$`,
// at most 255 chars, lowercase only; tag `^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`; a reference with a
// `:` is a digest, otherwise a tag. Reliability §4(a) #18, #19.

const HEX64 = '0123456789abcdef'.repeat(4);

function errorOf(fn: () => unknown): OciError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OciError);
    return error as OciError;
  }
  throw new Error('expected an OciError to be thrown');
}

/** A valid name of exactly `length` characters made of `a/` components. */
function nameOfLength(length: number): string {
  const name = 'ab/'.repeat(Math.ceil(length / 3)).slice(0, length);
  return name.endsWith('/') ? `${name.slice(0, -1)}c` : name;
}

describe('repository names', () => {
  it('limits names to 255 characters', () => {
    expect(MAX_REPOSITORY_NAME_LENGTH).toBe(255);
  });

  it.each([
    ['single character', 'a'],
    ['single digit', '0'],
    ['alphanumeric', 'abc123'],
    ['digits first', '123abc'],
    ['dot separator', 'a.b'],
    ['underscore separator', 'a_b'],
    ['double underscore separator', 'a__b'],
    ['single dash', 'a-b'],
    ['several dashes', 'a---b'],
    ['mixed separators', 'a.b_c__d-e--f'],
    ['two components', 'team/app'],
    ['deeply nested', 'a/b/c/d/e/f/g/h'],
    ['separators in nested components', 'my-org.io/sub_team/app__x/v1.2--rc'],
    ['components named like route keywords', 'blobs/manifests/uploads/tags/list/referrers'],
    ['library prefix', 'library/ubuntu'],
    ['hostname-looking first component', 'registry.example.com/team/app'],
  ])('accepts %s: %j', (_label, name) => {
    expect(isRepositoryName(name)).toBe(true);
    expect(() => assertRepositoryName(name)).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['uppercase', 'Team/app'],
    ['uppercase in a nested component', 'team/App'],
    ['all uppercase', 'UBUNTU'],
    ['leading slash', '/team/app'],
    ['trailing slash', 'team/app/'],
    ['empty component (//)', 'team//app'],
    ['lone slash', '/'],
    ['dot-dot component', 'team/../app'],
    ['dot-dot alone', '..'],
    ['dot component', 'team/./app'],
    ['double dot separator', 'a..b'],
    ['triple underscore', 'a___b'],
    ['leading dot', '.app'],
    ['leading underscore', '_app'],
    ['leading dash', '-app'],
    ['trailing dot', 'app.'],
    ['trailing underscore', 'app_'],
    ['trailing dash', 'app-'],
    ['component starting with a separator', 'team/-app'],
    ['component ending with a separator', 'team-/app'],
    ['dash then dot', 'a-.b'],
    ['dot then dash', 'a.-b'],
    ['underscore then dash', 'a_-b'],
    ['catalog lookalike', '_catalog'],
    ['space', 'team app'],
    ['colon (port or digest)', 'localhost:5000/app'],
    ['at sign', 'app@sha256'],
    ['percent sign (undecoded)', 'team%2fapp'],
    ['plus', 'a+b'],
    ['backslash', 'team\\app'],
    ['non-ASCII letter', 'tëam/app'],
    ['newline', 'team/app\n'],
  ])('refuses %s: %j', (_label, name) => {
    expect(isRepositoryName(name)).toBe(false);
    const error = errorOf(() => assertRepositoryName(name));
    expect(error.code).toBe(OciErrorCode.NameInvalid);
    expect(error.status).toBe(400);
  });

  it('accepts exactly 255 characters', () => {
    const name = nameOfLength(255);
    expect(name).toHaveLength(255);
    expect(isRepositoryName(name)).toBe(true);
    expect(isRepositoryName('a'.repeat(255))).toBe(true);
  });

  it('refuses 256 characters', () => {
    const name = nameOfLength(256);
    expect(name).toHaveLength(256);
    expect(isRepositoryName(name)).toBe(false);
    expect(isRepositoryName('a'.repeat(256))).toBe(false);
    expect(errorOf(() => assertRepositoryName(name)).code).toBe(OciErrorCode.NameInvalid);
  });

  it('answers quickly for long adversarial inputs', () => {
    const started = Date.now();
    for (const name of ['a-'.repeat(5_000), 'a_'.repeat(5_000) + '!', `${'a-'.repeat(127)}!`, `${'a.'.repeat(127)}`]) {
      expect(isRepositoryName(name)).toBe(false);
    }
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps the error detail bounded', () => {
    const error = errorOf(() => assertRepositoryName('A'.repeat(100_000)));
    expect(JSON.stringify(error.detail).length).toBeLessThan(400);
  });
});

describe('tags', () => {
  it.each([
    ['simple', 'latest'],
    ['single character', 'a'],
    ['single digit', '1'],
    ['single underscore', '_'],
    ['leading underscore', '_tag'],
    ['mixed case (tags are case-sensitive)', 'Latest-RC'],
    ['version', 'v1.2.3'],
    ['dots, dashes and underscores inside', 'a.b-c_d'],
    ['trailing dot', 'v1.'],
    ['trailing dash', 'v1-'],
    ['consecutive separators', 'a..--__b'],
    ['digest fallback tag', `sha256-${HEX64}`],
    ['128 characters', 'a'.repeat(128)],
    ['128 characters starting with an underscore', `_${'.'.repeat(127)}`],
  ])('accepts %s', (_label, tag) => {
    expect(isTag(tag)).toBe(true);
    expect(parseReference(tag)).toEqual({ kind: 'tag', tag });
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'a'.repeat(129)],
    ['leading dot', '.latest'],
    ['leading dash', '-latest'],
    ['the conformance invalid reference', '.INVALID_MANIFEST_NAME'],
    ['a slash', 'feature/x'],
    ['a space', 'my tag'],
    ['a plus', 'v1+build'],
    ['an at sign', 'v1@x'],
    ['a percent sign', 'a%2Fb'],
    ['non-ASCII', 'tàg'],
    ['a trailing newline', 'latest\n'],
    ['dot-dot', '..'],
  ])('refuses %s', (_label, tag) => {
    expect(isTag(tag)).toBe(false);
    expect(isReference(tag)).toBe(false);
    const error = errorOf(() => parseReference(tag));
    expect(error.code).toBe(OciErrorCode.TagInvalid);
    expect(error.status).toBe(400);
  });

  it('distinguishes tags by case', () => {
    expect(parseReference('Latest')).toEqual({ kind: 'tag', tag: 'Latest' });
    expect(parseReference('latest')).toEqual({ kind: 'tag', tag: 'latest' });
  });
});

describe('parseReference', () => {
  it('parses a sha256 digest reference', () => {
    expect(parseReference(`sha256:${HEX64}`)).toEqual({
      kind: 'digest',
      digest: { algorithm: 'sha256', encoded: HEX64, value: `sha256:${HEX64}` },
    });
  });

  it('parses a sha512 digest reference', () => {
    const ref = `sha512:${HEX64}${HEX64}`;
    expect(parseReference(ref)).toMatchObject({ kind: 'digest', digest: { algorithm: 'sha512', value: ref } });
  });

  // Anything holding a ':' is a digest: a malformed one is DIGEST_INVALID, never a tag.
  it.each([
    ['bad digest string', 'sha256:baddigeststring'],
    ['totally wrong', 'sha256:totallywrong'],
    ['uppercase hex', `sha256:${HEX64.toUpperCase()}`],
    ['unknown algorithm', `md5:${'a'.repeat(32)}`],
    ['tag-like with a colon', 'latest:1'],
    ['leading colon', ':latest'],
    ['path traversal', 'sha256:../../x'],
  ])('refuses %s with DIGEST_INVALID', (_label, reference) => {
    expect(isReference(reference)).toBe(false);
    expect(errorOf(() => parseReference(reference)).code).toBe(OciErrorCode.DigestInvalid);
  });

  it.each([
    ['latest', true],
    [`sha256:${HEX64}`, true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['-x', false],
  ])('isReference(%j) → %s', (reference, expected) => {
    expect(isReference(reference)).toBe(expected);
  });

  it('keeps the tag error detail bounded', () => {
    const error = errorOf(() => parseReference('-'.repeat(100_000)));
    expect(JSON.stringify(error.detail).length).toBeLessThan(300);
  });
});
