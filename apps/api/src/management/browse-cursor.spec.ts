import { ApiError } from './api-error';
import { cursorAt, positionFrom } from './browse-cursor';
import { encodeCursor } from './paging';

const cursor = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

function refused(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.field}`;
    throw error;
  }
  return undefined;
}

describe('listing cursors', () => {
  it('round-trips each kind of sort key', () => {
    expect(positionFrom(encodeCursor(cursorAt('name', 'name', 'ignored', 'acme/app')), 'name', 'name')).toEqual({ key: 'acme/app', tiebreak: 'acme/app' });
    const time = '2024-02-29T23:59:59.123456Z';
    expect(positionFrom(encodeCursor(cursorAt('pushed', 'time', time, 'v1')), 'pushed', 'time')).toEqual({ key: time, tiebreak: 'v1' });
    expect(positionFrom(encodeCursor(cursorAt('size', 'size', '9007199254740991', 'sha256:ab')), 'size', 'size')).toEqual({ key: '9007199254740991', tiebreak: 'sha256:ab' });
    expect(positionFrom(undefined, 'name', 'name')).toBeUndefined();
  });

  it.each([
    ['another sort', cursor('name', 'v1'), 'pushed', 'time'],
    ['the wrong length', cursor('pushed', 'v1'), 'pushed', 'time'],
    ['a time PostgreSQL would refuse (Feb 30)', cursor('pushed', '2024-02-30T00:00:00.000000Z', 'v1'), 'pushed', 'time'],
    ['year 0', cursor('pushed', '0000-01-01T00:00:00.000000Z', 'v1'), 'pushed', 'time'],
    ['hour 24', cursor('pushed', '2024-01-01T24:00:00.000000Z', 'v1'), 'pushed', 'time'],
    ['milliseconds only', cursor('pushed', '2024-01-01T00:00:00.000Z', 'v1'), 'pushed', 'time'],
    ['SQL as a time', cursor('pushed', "now()'); DROP TABLE tag; --", 'v1'), 'pushed', 'time'],
    ['a negative size', cursor('size', '-1', 'v1'), 'size', 'size'],
    ['a size past bigint', cursor('size', '99999999999999999999', 'v1'), 'size', 'size'],
    ['a size as a number', cursor('size', 5, 'v1'), 'size', 'size'],
    ['a NUL in the name', cursor('name', 'a\u0000b'), 'name', 'name'],
    ['an empty name', cursor('name', ''), 'name', 'name'],
    ['no JSON at all', 'bm90IGpzb24', 'name', 'name'],
  ] as const)('refuses %s with 400 naming the cursor', (_case, value, sort, kind) => {
    expect(refused(() => positionFrom(value, sort, kind))).toBe('400 cursor');
  });
});
