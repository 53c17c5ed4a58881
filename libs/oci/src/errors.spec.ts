import { errorBody, httpStatusOf, OciError, OciErrorCode, OciErrors } from './errors';

// Spec (protocol.md §4): body `{"errors":[{"code","message","detail"}]}`; statuses follow
// distribution's errcode mapping (the spec fixes codes, not statuses).

const ALL_CODES = Object.values(OciErrorCode);

describe('httpStatusOf', () => {
  // The §4 table, plus the legacy/extra codes listed below it.
  it.each([
    [OciErrorCode.BlobUnknown, 'BLOB_UNKNOWN', 404],
    [OciErrorCode.BlobUploadUnknown, 'BLOB_UPLOAD_UNKNOWN', 404],
    [OciErrorCode.DigestInvalid, 'DIGEST_INVALID', 400],
    [OciErrorCode.ManifestBlobUnknown, 'MANIFEST_BLOB_UNKNOWN', 400],
    [OciErrorCode.ManifestInvalid, 'MANIFEST_INVALID', 400],
    [OciErrorCode.ManifestUnknown, 'MANIFEST_UNKNOWN', 404],
    [OciErrorCode.NameInvalid, 'NAME_INVALID', 400],
    [OciErrorCode.NameUnknown, 'NAME_UNKNOWN', 404],
    [OciErrorCode.SizeInvalid, 'SIZE_INVALID', 400],
    [OciErrorCode.Unauthorized, 'UNAUTHORIZED', 401],
    [OciErrorCode.Denied, 'DENIED', 403],
    [OciErrorCode.Unsupported, 'UNSUPPORTED', 405],
    [OciErrorCode.TooManyRequests, 'TOOMANYREQUESTS', 429],
    [OciErrorCode.TagInvalid, 'TAG_INVALID', 400],
    [OciErrorCode.RangeInvalid, 'RANGE_INVALID', 416],
    [OciErrorCode.PaginationNumberInvalid, 'PAGINATION_NUMBER_INVALID', 400],
    [OciErrorCode.Unknown, 'UNKNOWN', 500],
    [OciErrorCode.Unavailable, 'UNAVAILABLE', 503],
  ])('%s is spelled %s and maps to %d', (code, wire, status) => {
    expect(code).toBe(wire);
    expect(httpStatusOf(code)).toBe(status);
  });

  // Spec allows 404 (distribution) or 400; this registry picks the "more natural" 400.
  it('maps BLOB_UPLOAD_INVALID to a client error (400)', () => {
    expect(httpStatusOf(OciErrorCode.BlobUploadInvalid)).toBe(400);
  });

  it('maps the non-spec helper codes to their HTTP meaning', () => {
  });

  it.each(ALL_CODES)('%s maps to an HTTP error status', (code) => {
    const status = httpStatusOf(code);
    expect(Number.isInteger(status)).toBe(true);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
  });

  it('uses UPPER_SNAKE wire codes, all distinct', () => {
    for (const code of ALL_CODES) expect(code).toMatch(/^[A-Z]+(?:_[A-Z]+)*$/);
    expect(new Set(ALL_CODES).size).toBe(ALL_CODES.length);
  });
});

describe('OciError', () => {
  it.each(ALL_CODES)('%s has a default message and the mapped status', (code) => {
    const error = new OciError(code);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(OciError);
    expect(error.name).toBe('OciError');
    expect(error.code).toBe(code);
    expect(error.status).toBe(httpStatusOf(code));
    expect(error.message).not.toBe('');
    expect(error.detail).toBeUndefined();
  });

  it('keeps an explicit message and detail', () => {
    const error = new OciError(OciErrorCode.ManifestBlobUnknown, 'blob unknown', 'sha256:abc');
    expect(error.message).toBe('blob unknown');
    expect(error.detail).toBe('sha256:abc');
    expect(error.status).toBe(400);
  });

  it('lets the caller override the status (e.g. 413 with MANIFEST_INVALID)', () => {
    const error = new OciError(OciErrorCode.ManifestInvalid, 'too large', undefined, 413);
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.status).toBe(413);
  });

  it('lets the caller answer a disabled delete with 400 UNSUPPORTED', () => {
    expect(new OciError(OciErrorCode.Unsupported, undefined, undefined, 400).status).toBe(400);
  });
});

describe('errorBody', () => {
  it('serialises code and message, omitting an undefined detail', () => {
    const body = errorBody([new OciError(OciErrorCode.BlobUnknown)]);
    expect(body).toEqual({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] });
    expect(Object.keys(body.errors[0]!)).toEqual(['code', 'message']);
  });

  it.each([
    ['a string', 'sha256:abc'],
    ['an object', { digest: 'sha256:abc' }],
    ['an array', [{ Type: 'repository', Name: 'a', Action: 'pull' }]],
    ['null', null],
    ['zero', 0],
    ['an empty string', ''],
  ])('keeps a detail that is %s', (_label, detail) => {
    expect(errorBody([new OciError(OciErrorCode.Denied, 'no', detail)]).errors[0]).toEqual({ code: 'DENIED', message: 'no', detail });
  });

  it('lists several errors in order', () => {
    const body = errorBody([
      new OciError(OciErrorCode.ManifestBlobUnknown, 'blob unknown', 'sha256:1'),
      new OciError(OciErrorCode.ManifestBlobUnknown, 'blob unknown', 'sha256:2'),
    ]);
    expect(body.errors.map((e) => e.detail)).toEqual(['sha256:1', 'sha256:2']);
  });

  it('serialises to the wire shape', () => {
    expect(JSON.parse(JSON.stringify(errorBody([new OciError(OciErrorCode.NameUnknown, 'repository name not known to registry', { name: 'x' })])))).toEqual({
      errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: 'x' } }],
    });
  });

  it('is an empty list for no errors', () => {
    expect(errorBody([])).toEqual({ errors: [] });
  });
});

describe('OciErrors', () => {
  it('takes the status of its first error and joins the messages', () => {
    const errors = new OciErrors([new OciError(OciErrorCode.ManifestBlobUnknown, 'one'), new OciError(OciErrorCode.ManifestBlobUnknown, 'two')]);
    expect(errors).toBeInstanceOf(Error);
    expect(errors.name).toBe('OciErrors');
    expect(errors.status).toBe(400);
    expect(errors.message).toBe('one; two');
    expect(errors.errors).toHaveLength(2);
  });

  it('honours an overridden status on the first error', () => {
    expect(new OciErrors([new OciError(OciErrorCode.ManifestInvalid, 'big', undefined, 413)]).status).toBe(413);
  });

  it('falls back to 500 when empty', () => {
    expect(new OciErrors([]).status).toBe(500);
  });
});
