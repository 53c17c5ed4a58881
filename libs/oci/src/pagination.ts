import { OciError, OciErrorCode } from './errors';

export interface PageRequest {
  /** Page size; undefined means "everything", as clients that never page expect. */
  readonly n?: number;
  /** Return only entries sorting strictly after this one (byte order). */
  readonly last?: string;
}

/** Largest page one request may ask for; larger `n` is clamped and the Link header leads on. */
export const MAX_PAGE_SIZE = 10_000;

export function parsePageRequest(n: string | undefined, last: string | undefined): PageRequest {
  let size: number | undefined;
  if (n !== undefined && n !== '') {
    if (!/^\d{1,12}$/.test(n)) {
      throw new OciError(OciErrorCode.PaginationNumberInvalid, 'n must be a non-negative integer', { n: n.slice(0, 50) });
    }
    size = Math.min(Number(n), MAX_PAGE_SIZE);
  }
  return { ...(size !== undefined ? { n: size } : {}), ...(last !== undefined && last !== '' ? { last } : {}) };
}

/** `Link: <path?last=..&n=..>; rel="next"` for the page after `lastReturned`. */
export function nextPageLink(path: string, lastReturned: string, n: number): string {
  return `<${path}?last=${encodeURIComponent(lastReturned)}&n=${n}>; rel="next"`;
}
