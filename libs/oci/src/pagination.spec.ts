import { OciError, OciErrorCode } from './errors';
import { MAX_PAGE_SIZE, nextPageLink, parsePageRequest } from './pagination';

// Spec (protocol.md §1 end-8, catalog, notes; reliability §4(a) #23): `n` is a non-negative
// integer; bad `n` → 400 PAGINATION_NUMBER_INVALID (or a clamped page); `n=0` → empty page;
// huge `n` → 400 or clamped; `Link: </v2/<name>/tags/list?last=<t>&n=<n>>; rel="next"`.

function paginationErrorOf(n: string): OciError {
  try {
    parsePageRequest(n, undefined);
  } catch (error) {
    expect(error).toBeInstanceOf(OciError);
    return error as OciError;
  }
  throw new Error(`expected n=${JSON.stringify(n)} to be refused`);
}

describe('parsePageRequest', () => {
  it('returns everything when neither n nor last is given', () => {
    expect(parsePageRequest(undefined, undefined)).toEqual({});
  });

  it('treats empty n and last as absent', () => {
    expect(parsePageRequest('', '')).toEqual({});
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['100', 100],
    ['007', 7],
    [String(MAX_PAGE_SIZE), MAX_PAGE_SIZE],
  ])('n=%s → %d', (n, expected) => {
    expect(parsePageRequest(n, undefined)).toEqual({ n: expected });
  });

  it.each([
    ['max + 1', String(MAX_PAGE_SIZE + 1)],
    ['10^9', '1000000000'],
    ['12 digits', '999999999999'],
  ])('clamps a huge n (%s) to MAX_PAGE_SIZE', (_label, n) => {
    expect(parsePageRequest(n, undefined)).toEqual({ n: MAX_PAGE_SIZE });
  });

  it('has a positive page cap', () => {
    expect(MAX_PAGE_SIZE).toBeGreaterThan(0);
  });

  it.each([
    ['negative', '-1'],
    ['negative zero', '-0'],
    ['not a number', 'abc'],
    ['digits then letters', '10abc'],
    ['decimal', '1.5'],
    ['exponent', '1e3'],
    ['plus sign', '+5'],
    ['hex', '0x10'],
    ['leading space', ' 5'],
    ['trailing space', '5 '],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['non-ASCII digits', '٣'],
    // Beyond 12 digits the code refuses rather than clamps; the spec allows either.
    ['13 digits', '1000000000000'],
    ['a very long number', '9'.repeat(400)],
  ])('refuses n that is %s with PAGINATION_NUMBER_INVALID (400)', (_label, n) => {
    const error = paginationErrorOf(n);
    expect(error.code).toBe(OciErrorCode.PaginationNumberInvalid);
    expect(error.status).toBe(400);
  });

  it('keeps the error detail bounded', () => {
    expect(JSON.stringify(paginationErrorOf('x'.repeat(100_000)).detail).length).toBeLessThan(100);
  });

  it.each([
    ['a tag', 'v1.0'],
    ['a repository with slashes', 'team/app'],
    ['junk (it only bounds the listing)', '../\u0000%zz'],
  ])('passes last through verbatim: %s', (_label, last) => {
    expect(parsePageRequest(undefined, last)).toEqual({ last });
    expect(parsePageRequest('10', last)).toEqual({ n: 10, last });
  });

  it('keeps last with n=0', () => {
    expect(parsePageRequest('0', 'b')).toEqual({ n: 0, last: 'b' });
  });
});

describe('nextPageLink', () => {
  it('formats the tags/list Link header', () => {
    expect(nextPageLink('/v2/team/app/tags/list', 'v1.0', 50)).toBe('</v2/team/app/tags/list?last=v1.0&n=50>; rel="next"');
  });

  it('formats the catalog Link header with an encoded repository name', () => {
    expect(nextPageLink('/v2/_catalog', 'team/app', 100)).toBe('</v2/_catalog?last=team%2Fapp&n=100>; rel="next"');
  });

  it.each([
    ['tag charset stays as is', 'A_b.c-1', 'A_b.c-1'],
    ['slash', 'a/b', 'a%2Fb'],
    ['ampersand and equals', 'a&n=1', 'a%26n%3D1'],
    ['angle brackets', 'a>b<c', 'a%3Eb%3Cc'],
    ['space and plus', 'a b+c', 'a%20b%2Bc'],
    ['semicolon and quote', 'a;rel="x"', 'a%3Brel%3D%22x%22'],
    ['percent', '100%', '100%25'],
    ['non-ASCII', 'é', '%C3%A9'],
  ])('URL-encodes last (%s)', (_label, last, encoded) => {
    expect(nextPageLink('/v2/x/tags/list', last, 1)).toBe(`</v2/x/tags/list?last=${encoded}&n=1>; rel="next"`);
  });

  it('round-trips last through URL parsing', () => {
    const last = 'weird &name=/<>;"+%';
    const link = nextPageLink('/v2/x/tags/list', last, 3);
    const target = /^<([^>]*)>; rel="next"$/.exec(link)?.[1];
    expect(target).toBeDefined();
    const url = new URL(target!, 'http://registry.example');
    expect(url.pathname).toBe('/v2/x/tags/list');
    expect(url.searchParams.get('last')).toBe(last);
    expect(url.searchParams.get('n')).toBe('3');
  });
});
