import { isDigest, parseDigest, type Digest } from './digest';
import { OciError, OciErrorCode } from './errors';

const PATH_COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const REPOSITORY_NAME = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** Distribution's RepositoryNameTotalLengthMax. */
export const MAX_REPOSITORY_NAME_LENGTH = 255;

export function isRepositoryName(name: string): boolean {
  return name.length <= MAX_REPOSITORY_NAME_LENGTH && REPOSITORY_NAME.test(name);
}

export function assertRepositoryName(name: string): void {
  if (!isRepositoryName(name)) {
    throw new OciError(OciErrorCode.NameInvalid, 'invalid repository name', { name: name.slice(0, 300) });
  }
}

export function isTag(tag: string): boolean {
  return TAG.test(tag);
}

export type Reference = { readonly kind: 'tag'; readonly tag: string } | { readonly kind: 'digest'; readonly digest: Digest };

/** A `<tag-or-digest>`: anything holding a `:` is a digest, everything else a tag. */
export function parseReference(reference: string): Reference {
  if (reference.includes(':')) {
    return { kind: 'digest', digest: parseDigest(reference) };
  }
  if (!isTag(reference)) {
    throw new OciError(OciErrorCode.TagInvalid, 'invalid tag', { tag: reference.slice(0, 200) });
  }
  return { kind: 'tag', tag: reference };
}

export function isReference(reference: string): boolean {
  return reference.includes(':') ? isDigest(reference) : isTag(reference);
}
