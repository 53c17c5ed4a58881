import { isDigest } from './digest';
import { isRepositoryName } from './names';
import type { RegistryRoute } from './routes';

/**
 * The Docker registry token protocol (distribution `docs/spec/auth/token.md`, `scope.md`):
 * access scopes, what each /v2 request needs, and the challenge that asks a client for it.
 */

/** An action on a repository. `*` on the catalog (`registry:catalog:*`). */
export type RegistryAction = 'pull' | 'push' | 'delete' | '*';

export interface AccessScope {
  readonly type: 'repository' | 'registry';
  readonly name: string;
  readonly actions: readonly string[];
}

export const CATALOG_SCOPE: AccessScope = { type: 'registry', name: 'catalog', actions: ['*'] };

/** Scopes one token request may carry; the rest are ignored, so the work stays bounded. */
export const MAX_SCOPES = 50;

/**
 * Parses the `scope` parameters of a token request. A parameter may repeat, and one value
 * may hold several space-separated scopes (clients copy the challenge verbatim). Unknown
 * resource types and malformed scopes are dropped: a grant is an intersection, never an
 * error. Repeated resources are merged; past MAX_SCOPES resources, the rest is ignored.
 */
export function parseScopes(values: readonly string[]): AccessScope[] {
  const merged = new Map<string, { type: AccessScope['type']; name: string; actions: Set<string> }>();
  for (const value of values) {
    for (const item of value.split(/\s+/)) {
      const scope = parseScope(item);
      if (!scope) continue;
      const key = `${scope.type}:${scope.name}`;
      if (!merged.has(key) && merged.size === MAX_SCOPES) continue;
      const entry = merged.get(key) ?? { type: scope.type, name: scope.name, actions: new Set<string>() };
      for (const action of scope.actions) entry.actions.add(action);
      merged.set(key, entry);
    }
  }
  return [...merged.values()].map((s) => ({ type: s.type, name: s.name, actions: [...s.actions] }));
}

function parseScope(item: string): AccessScope | undefined {
  const first = item.indexOf(':');
  const last = item.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  // `repository(plugin)` is a deprecated resource class of `repository`.
  const type = item.slice(0, first).replace(/\([a-z0-9]+\)$/, '');
  const name = item.slice(first + 1, last);
  const actions = item
    .slice(last + 1)
    .split(',')
    .filter((a) => a !== '');
  if (type === 'repository' && isRepositoryName(name)) return { type, name, actions };
  if (type === 'registry' && name === 'catalog') return { type, name, actions };
  return undefined;
}

export function formatScope(scope: AccessScope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(',')}`;
}

/** What one request needs: every listed scope must be granted. */
export type AccessRequirement = readonly AccessScope[];

const repository = (name: string, ...actions: RegistryAction[]): AccessScope => ({ type: 'repository', name, actions });

/**
 * The access a /v2 request needs, by method (distribution `appendAccessRecords`): reads
 * need `pull`, writes `pull` and `push`, deletes `delete`. Cancelling an upload is part of
 * pushing, so it needs `push`, not `delete`.
 */
export function requiredAccess(route: RegistryRoute, method: string): AccessRequirement {
  const read = method === 'GET' || method === 'HEAD';
  switch (route.kind) {
    case 'base':
      return [];
    case 'catalog':
      return [CATALOG_SCOPE];
    case 'tags':
    case 'referrers':
      return [repository(route.name, 'pull')];
    case 'manifest':
    case 'blob':
      if (read) return [repository(route.name, 'pull')];
      if (method === 'DELETE') return [repository(route.name, 'delete')];
      return [repository(route.name, 'pull', 'push')];
    case 'uploads':
    case 'upload':
      return [repository(route.name, 'pull', 'push')];
  }
}

/**
 * A mount also asks for `pull` on its source, so that the challenge lists it; the request
 * does not need it: without it the mount is ignored and an upload opens. The source may be
 * the repository itself (a blob it links already is then 201, as in Distribution).
 */
export function mountSourceAccess(route: RegistryRoute, method: string, query: { readonly from?: string; readonly mount?: string }): AccessScope | undefined {
  const { from, mount } = query;
  if (route.kind !== 'uploads' || method !== 'POST' || from === undefined || mount === undefined) return undefined;
  if (!isRepositoryName(from) || !isDigest(mount)) return undefined;
  return repository(from, 'pull');
}

export interface Challenge {
  /** Absolute URL of the token service. */
  readonly realm: string;
  readonly service: string;
  readonly scopes?: readonly AccessScope[];
  readonly error?: 'invalid_token' | 'insufficient_scope';
}

const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** The `WWW-Authenticate` value of a 401 from /v2. */
export function bearerChallenge(challenge: Challenge): string {
  const parts = [`realm=${quote(challenge.realm)}`, `service=${quote(challenge.service)}`];
  if (challenge.scopes && challenge.scopes.length > 0) parts.push(`scope=${quote(challenge.scopes.map(formatScope).join(' '))}`);
  if (challenge.error) parts.push(`error=${quote(challenge.error)}`);
  return `Bearer ${parts.join(',')}`;
}

/** The `access` claim of a registry token. */
export interface AccessClaim {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** True when `granted` covers every action of every required scope (`*` grants all). */
export function grantCovers(granted: readonly AccessClaim[], required: AccessRequirement): boolean {
  return required.every((scope) => {
    const entry = granted.find((g) => g.type === scope.type && g.name === scope.name);
    return entry !== undefined && (entry.actions.includes('*') || scope.actions.every((a) => entry.actions.includes(a)));
  });
}
