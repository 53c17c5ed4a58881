import { isSizeKey, isTimeKey, type Position } from '@wharf/db';

import { badRequest } from './api-error';
import { decodeCursor, type Cursor } from './paging';

/**
 * Cursors of the repository, tag and artifact listings: the sort they belong to, the sort key
 * of the last row returned (a time or a size; none when sorting by name) and its unique
 * tie-breaker (a name or a digest). A cursor of another sort, or one whose values are not of
 * the right kind, is refused before any SQL runs.
 */
export type KeyKind = 'name' | 'time' | 'size';

const notOurs = () => badRequest('cursor', 'is not a cursor from this API for this sort');

const isKeyText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 300 && !value.includes('\u0000');

export function positionFrom(cursor: string | undefined, sort: string, kind: KeyKind): Position | undefined {
  if (cursor === undefined) return undefined;
  const values = decodeCursor(cursor, kind === 'name' ? 2 : 3)!;
  const tiebreak = values[values.length - 1];
  if (values[0] !== sort || !isKeyText(tiebreak)) throw notOurs();
  if (kind === 'name') return { key: tiebreak, tiebreak };
  const key = values[1];
  if (typeof key !== 'string' || !(kind === 'time' ? isTimeKey(key) : isSizeKey(key))) throw notOurs();
  return { key, tiebreak };
}

export function cursorAt(sort: string, kind: KeyKind, key: string, tiebreak: string): Cursor {
  return kind === 'name' ? [sort, tiebreak] : [sort, key, tiebreak];
}
