import { ValidationError } from './errors';

/** One component of the repository-name grammar: users and organizations share it. */
const NAMESPACE_NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const ROBOT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;
const GLOB = /^[a-z0-9._\-/*?]+$/;

export function assertNamespaceName(name: unknown, field: string): asserts name is string {
  if (typeof name !== 'string' || name.length > 255 || !NAMESPACE_NAME.test(name)) {
    throw new ValidationError(field, 'lower-case letters, digits and separators (. _ __ -), at most 255 characters, starting and ending with a letter or digit');
  }
}

export function assertRobotName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > 64 || !ROBOT_NAME.test(name)) throw new ValidationError('name', 'lower-case letters, digits, . _ -, at most 64 characters');
}

export function assertTokenName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > 100 || !LABEL.test(name)) throw new ValidationError('name', 'letters, digits, spaces, . _ -, at most 100 characters');
}

export function assertTeamName(name: unknown): asserts name is string {
  assertTokenName(name);
}

export function assertPassword(password: unknown, field = 'password'): asserts password is string {
  if (typeof password !== 'string' || password.length < 8 || password.length > 1024) throw new ValidationError(field, 'at least 8 characters');
}

/** A glob over repository paths: the characters of names plus `*` and `?`. */
export function assertRepositoryGlob(pattern: unknown, field: string): asserts pattern is string {
  if (typeof pattern !== 'string' || pattern.length === 0 || pattern.length > 255 || !GLOB.test(pattern)) throw new ValidationError(field, 'a glob over repository names such as app, team/* or **');
}

/**
 * Whether a path segment can be the id of a row (a positive bigint): anything else names no
 * row, and must not reach SQL as a number out of range.
 */
export const isRowId = (id: string): boolean => /^[1-9][0-9]{0,17}$/.test(id);
