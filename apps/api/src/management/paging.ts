import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { badRequest } from './api-error';

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;

/** `?limit=&cursor=`: keyset paging; the cursor is opaque to clients. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'is not a cursor from this API' })
  cursor?: string;
}

/** The position after which the next page starts: the sort key values of the last row. */
export type Cursor = readonly (string | number | null)[];

export function encodeCursor(position: Cursor): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor with `length` values; 400 for anything else. */
export function decodeCursor(cursor: string | undefined, length: number): Cursor | undefined {
  if (cursor === undefined) return undefined;
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('cursor', 'is not a cursor from this API');
  }
  if (!Array.isArray(position) || position.length !== length || !position.every((v) => v === null || typeof v === 'string' || typeof v === 'number')) {
    throw badRequest('cursor', 'is not a cursor from this API');
  }
  return position as Cursor;
}

export interface Page<T> {
  readonly items: T[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

/**
 * Builds a page from `limit + 1` fetched rows: the extra row only tells that another page
 * follows, and the cursor points after the last row returned.
 */
export function pageOf<Row, Item>(rows: readonly Row[], limit: number, position: (row: Row) => Cursor, toItem: (row: Row) => Item): Page<Item> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(toItem), ...(rows.length > limit && last !== undefined ? { nextCursor: encodeCursor(position(last)) } : {}) };
}
