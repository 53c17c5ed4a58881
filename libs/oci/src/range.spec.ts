import { OciError, OciErrorCode } from './errors';
import { contentRangeHeader, parseChunkRange, parseRangeHeader, uploadRangeHeader } from './range';

// Spec (protocol.md §1 end-2/end-5/end-13, §2.4–2.5, §5, §7, §8): blob GET ranges as the
// conformance suite sends them (206 with `Content-Range: bytes a-b/size`, 416 for `500-0` and
// a start past the end); upload chunks `<start>-<end>` inclusive, tolerating `bytes=`/`bytes `
// and `/total`; upload `Range: 0-<last>` with `0-0` before any byte.

describe('parseRangeHeader', () => {
  // Conformance sizes its range blob between 2001 and 5000 bytes; check several sizes in range.
  describe.each([2048, 4096, 5000])('conformance cases on a %d-byte blob', (size) => {
    it('bytes=500-1499 → 500..1499', () => {
      expect(parseRangeHeader('bytes=500-1499', size)).toEqual({ kind: 'partial', range: { start: 500, end: 1499 } });
    });

    it('bytes=500- → 500..end', () => {
      expect(parseRangeHeader('bytes=500-', size)).toEqual({ kind: 'partial', range: { start: 500, end: size - 1 } });
    });

    it('bytes=-500 → the last 500 bytes', () => {
      expect(parseRangeHeader('bytes=-500', size)).toEqual({ kind: 'partial', range: { start: size - 500, end: size - 1 } });
    });

    it('bytes=2000-5000 → clamped to the last byte', () => {
      expect(parseRangeHeader('bytes=2000-5000', size)).toEqual({ kind: 'partial', range: { start: 2000, end: size - 1 } });
    });

    it('bytes=500-0 → unsatisfiable', () => {
      expect(parseRangeHeader('bytes=500-0', size)).toEqual({ kind: 'unsatisfiable' });
    });

    it('bytes=5000-10000 → unsatisfiable (starts past the end)', () => {
      expect(parseRangeHeader('bytes=5000-10000', size)).toEqual({ kind: 'unsatisfiable' });
    });
  });

  it.each([
    ['first byte', 'bytes=0-0', 1000, { start: 0, end: 0 }],
    ['last byte', 'bytes=999-999', 1000, { start: 999, end: 999 }],
    ['whole object explicitly', 'bytes=0-999', 1000, { start: 0, end: 999 }],
    ['end exactly at size', 'bytes=0-1000', 1000, { start: 0, end: 999 }],
    ['open end from 0 (containerd resume)', 'bytes=0-', 1000, { start: 0, end: 999 }],
    ['resume from the last byte', 'bytes=999-', 1000, { start: 999, end: 999 }],
    ['suffix larger than the object', 'bytes=-5000', 1000, { start: 0, end: 999 }],
    ['suffix equal to the object', 'bytes=-1000', 1000, { start: 0, end: 999 }],
    ['suffix of one byte', 'bytes=-1', 1000, { start: 999, end: 999 }],
    ['leading zeros', 'bytes=0010-0020', 1000, { start: 10, end: 20 }],
    ['surrounding whitespace', '  bytes=1-2  ', 1000, { start: 1, end: 2 }],
    ['an end beyond 2^53', 'bytes=1-99999999999999999999', 1000, { start: 1, end: 999 }],
    ['a suffix beyond 2^53', 'bytes=-99999999999999999999', 1000, { start: 0, end: 999 }],
  ])('%s: %j', (_label, header, size, range) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: 'partial', range });
  });

  it.each([
    ['start equal to the size', 'bytes=1000-', 1000],
    ['start equal to the size with an end', 'bytes=1000-2000', 1000],
    ['start past the size', 'bytes=1001-1002', 1000],
    ['end before start', 'bytes=10-9', 1000],
    ['zero-length suffix', 'bytes=-0', 1000],
    ['any range of an empty blob', 'bytes=0-0', 0],
    ['open range of an empty blob', 'bytes=0-', 0],
    ['suffix of an empty blob', 'bytes=-1', 0],
    ['a start beyond 2^53', 'bytes=99999999999999999999-', 1000],
  ])('%s (%j) is unsatisfiable', (_label, header, size) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: 'unsatisfiable' });
  });

  // RFC 9110: a Range header the server does not understand, or chooses not to honour
  // (several ranges), is ignored and the whole representation is sent.
  it.each([
    ['no header', undefined],
    ['empty header', ''],
    ['multi-range', 'bytes=0-1,5-6'],
    ['multi-range with spaces', 'bytes=0-1, 5-6'],
    ['garbage', 'hello'],
    ['no unit', '0-100'],
    ['another unit', 'items=0-5'],
    ['upload-style prefix', 'bytes 0-5'],
    ['no positions', 'bytes=-'],
    ['no hyphen', 'bytes=5'],
    ['negative start', 'bytes=-5-10'],
    ['non-digits', 'bytes=a-b'],
    ['decimal', 'bytes=1.5-2'],
    ['space inside', 'bytes=1 -2'],
    ['Content-Range syntax', 'bytes=0-5/1000'],
  ])('%s → full content', (_label, header) => {
    expect(parseRangeHeader(header, 1000)).toEqual({ kind: 'full' });
  });

  it('never returns a range outside the object', () => {
    const headers = ['bytes=0-', 'bytes=-1', 'bytes=3-7', 'bytes=0-100', 'bytes=-100', 'bytes=9-', 'bytes=5-5'];
    for (const size of [1, 2, 9, 10, 11]) {
      for (const header of headers) {
        const result = parseRangeHeader(header, size);
        if (result.kind !== 'partial') continue;
        expect(result.range.start).toBeGreaterThanOrEqual(0);
        expect(result.range.end).toBeGreaterThanOrEqual(result.range.start);
        expect(result.range.end).toBeLessThan(size);
      }
    }
  });
});

describe('contentRangeHeader', () => {
  it.each([
    [{ start: 500, end: 1499 }, 4096, 'bytes 500-1499/4096'],
    [{ start: 0, end: 0 }, 1, 'bytes 0-0/1'],
    [{ start: 3596, end: 4095 }, 4096, 'bytes 3596-4095/4096'],
  ])('%j of %d → %s', (range, size, expected) => {
    expect(contentRangeHeader(range, size)).toBe(expected);
  });
});

describe('parseChunkRange', () => {
  it.each([
    ['bare', '0-99', 0, 99],
    ['single byte', '0-0', 0, 0],
    ['later chunk', '100-199', 100, 199],
    ['bytes= prefix', 'bytes=100-199', 100, 199],
    ['bytes prefix with a space', 'bytes 100-199', 100, 199],
    ['/total suffix', '100-199/1000', 100, 199],
    ['/* suffix', '100-199/*', 100, 199],
    ['prefix and suffix', 'bytes 100-199/1000', 100, 199],
    ['bytes= prefix and suffix', 'bytes=0-4/5', 0, 4],
    ['surrounding whitespace', ' 5-9 ', 5, 9],
    ['leading zeros', '007-008', 7, 8],
    ['large offsets (5 GiB)', '5368709120-5368709121', 5368709120, 5368709121],
  ])('%s: %j', (_label, header, start, end) => {
    expect(parseChunkRange(header)).toEqual({ start, end });
  });

  it.each([
    ['empty', ''],
    ['end before start', '10-9'],
    ['missing end', '100-'],
    ['missing start', '-100'],
    ['negative numbers', '-1-5'],
    ['no hyphen', '100'],
    ['other unit', 'items 0-5'],
    ['upper-case unit', 'BYTES 0-5'],
    ['double prefix', 'bytes bytes 0-5'],
    ['empty total', '0-5/'],
    ['garbage total', '0-5/abc'],
    ['multi-range', '0-5,6-7'],
    ['spaces around the hyphen', '0 - 5'],
    ['decimal', '0.5-7'],
    ['beyond 2^53', '0-99999999999999999999'],
    ['start beyond 2^53', '99999999999999999999-99999999999999999999'],
  ])('refuses %s with RANGE_INVALID (416)', (_label, header) => {
    let caught: unknown;
    try {
      parseChunkRange(header);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OciError);
    expect((caught as OciError).code).toBe(OciErrorCode.RangeInvalid);
    expect((caught as OciError).status).toBe(416);
  });

  it('keeps the error detail bounded', () => {
    try {
      parseChunkRange('x'.repeat(100_000));
      throw new Error('expected a throw');
    } catch (error) {
      expect(JSON.stringify((error as OciError).detail).length).toBeLessThan(200);
    }
  });
});

describe('uploadRangeHeader', () => {
  it.each([
    [0, '0-0'],
    [1, '0-0'],
    [2, '0-1'],
    [500, '0-499'],
    [1500, '0-1499'],
    [5368709121, '0-5368709120'],
  ])('%d bytes received → Range: %s', (size, expected) => {
    expect(uploadRangeHeader(size)).toBe(expected);
  });

  it('never emits a "bytes=" prefix nor a negative end', () => {
    for (const size of [0, 1, 7]) expect(uploadRangeHeader(size)).toMatch(/^0-\d+$/);
  });
});

describe('parseRangeHeader unit name', () => {
  it('compares the unit case-insensitively (RFC 9110 §14.1)', () => {
    expect(parseRangeHeader('Bytes=0-5', 1000)).toEqual({ kind: 'partial', range: { start: 0, end: 5 } });
    expect(parseRangeHeader('BYTES=10-', 20)).toEqual({ kind: 'partial', range: { start: 10, end: 19 } });
  });
});
