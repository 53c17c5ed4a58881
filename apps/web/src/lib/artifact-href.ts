import { repositoryHref } from './format';

/** A manifest digest as the API accepts it; anything else is refused before any call. */
export const DIGEST = /^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$/;

/** Loose form of the brief's check: `sha256:` or `sha512:` and lower-case hex. */
export function isDigest(value: string): boolean {
  return /^sha(256|512):[a-f0-9]+$/.test(value) && DIGEST.test(value);
}

/**
 * The artifact page of `digest` in `repository`: `/repositories/acme/app/-/artifacts/sha256:…`.
 * `-` is never a repository path component (components start with a letter or digit), so the
 * repository page's catch-all route tells the two apart.
 */
export function artifactHref(repository: string, digest: string): string {
  return `${repositoryHref(repository)}/-/artifacts/${encodeURIComponent(digest)}`;
}

/** Splits the catch-all route's segments into a repository name and, for an artifact page, a digest. */
export function parseRepositoryRoute(segments: string[]): { name: string; digest: string | null } {
  const parts = segments.map((part) => decodeURIComponent(part));
  const marker = parts.indexOf('-');
  if (marker === -1) return { name: parts.join('/'), digest: null };
  return { name: parts.slice(0, marker).join('/'), digest: parts[marker + 1] === 'artifacts' && parts.length === marker + 3 ? parts[marker + 2] : '' };
}
