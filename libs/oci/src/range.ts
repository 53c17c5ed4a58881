import { OciError, OciErrorCode } from './errors';

/** An inclusive byte range. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type RangeRequest = { readonly kind: 'full' } | { readonly kind: 'partial'; readonly range: ByteRange } | { readonly kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/i; // RFC 9110: range units compare case-insensitively

/**
 * Interprets a `Range` request header against an object of `size` bytes (RFC 9110 §14).
 * A header we do not understand, or several ranges, is ignored and the whole object sent,
 * as the RFC allows; a range that starts past the end is unsatisfiable (416).
 */
export function parseRangeHeader(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'full' };
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || (last !== '' && Number(last) < start)) return { kind: 'unsatisfiable' };
  return { kind: 'partial', range: { start, end } };
}

export function contentRangeHeader(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

const CONTENT_RANGE = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/;

/**
 * Parses the `Content-Range` of an upload chunk: `<start>-<end>` inclusive, tolerating the
 * `bytes ` / `bytes=` prefix and a `/total` suffix some clients add.
 */
export function parseChunkRange(header: string): ByteRange {
  const match = CONTENT_RANGE.exec(header.trim());
  if (!match) throw new OciError(OciErrorCode.RangeInvalid, 'invalid Content-Range', { contentRange: header.slice(0, 100) });
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) {
    throw new OciError(OciErrorCode.RangeInvalid, 'invalid Content-Range', { contentRange: header.slice(0, 100) });
  }
  return { start, end };
}

/** The `Range` header of an upload response: `0-<last byte>`, and `0-0` before any byte. */
export function uploadRangeHeader(size: number): string {
  return `0-${Math.max(0, size - 1)}`;
}
