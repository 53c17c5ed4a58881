import picomatch from 'picomatch';

import { DELETE_PERMISSIONS, highestRole, PUBLIC_PERMISSIONS, READ_PERMISSIONS, Role, roleAllows, type Permission } from './roles';

/**
 * The one access decision of Wharf: (principal, permission, resource) → yes or no. It is
 * pure: the caller loads the facts (the namespace, the repository's visibility, the roles
 * the principal's user holds there) and every surface — registry, token service,
 * management API, portal — asks this function. Nothing else looks at roles.
 */

/** A repository action of the token protocol, as robots and tokens are granted it. */
export type RepositoryAction = 'pull' | 'push' | 'delete';

export const REPOSITORY_ACTIONS: readonly RepositoryAction[] = ['pull', 'push', 'delete'];

/** The permission each registry action needs. */
export const ACTION_PERMISSION: Readonly<Record<RepositoryAction, Permission>> = {
  pull: 'repository:pull',
  push: 'repository:push',
  delete: 'artifact:delete',
};

export interface UserPrincipal {
  readonly kind: 'user';
  readonly id: string;
  readonly name: string;
  /** System administrator: every permission everywhere. */
  readonly admin: boolean;
}

/** One permission line of a robot: repositories of its organization matching a glob. */
export interface RobotRule {
  /** Glob over the repository path inside the organization: `app`, `team/*`, `**`. */
  readonly pattern: string;
  readonly actions: readonly RepositoryAction[];
}

export interface RobotPrincipal {
  readonly kind: 'robot';
  readonly id: string;
  /** `robot$org+name` */
  readonly name: string;
  readonly namespaceId: string;
  readonly rules: readonly RobotRule[];
}

export type TokenScope = 'read' | 'read-write' | 'read-write-delete';

export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'read-write', 'read-write-delete'];

/** A user acting through a personal access token: never more than the user, often less. */
export interface TokenPrincipal {
  readonly kind: 'token';
  readonly id: string;
  readonly user: UserPrincipal;
  readonly scope: TokenScope;
  /** Only these namespaces (organization or user names), when set. */
  readonly namespaces?: readonly string[];
  /** Only repositories matching one of these globs over the full name, when set. */
  readonly repositories?: readonly string[];
}

export interface AnonymousPrincipal {
  readonly kind: 'anonymous';
}

export type Principal = AnonymousPrincipal | UserPrincipal | RobotPrincipal | TokenPrincipal;

export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };

export interface NamespaceFacts {
  readonly id: string;
  readonly name: string;
  readonly kind: 'user' | 'organization';
  readonly public: boolean;
  /** The user whose personal namespace this is. */
  readonly ownerUserId?: string;
}

export interface RepositoryFacts {
  /** Full name, `org/path/app`. */
  readonly name: string;
  /** Overrides the namespace's visibility when set. */
  readonly public: boolean | null;
}

export interface Resource {
  readonly namespace: NamespaceFacts;
  /** Absent for namespace-level permissions (members, robots, settings). */
  readonly repository?: RepositoryFacts;
  /** The roles the principal's user holds in the namespace, directly and through teams. */
  readonly roles: readonly Role[];
}

/** Content anyone may read: the repository's override, else the namespace's visibility. */
export function isPublic(resource: Pick<Resource, 'namespace' | 'repository'>): boolean {
  return resource.repository?.public ?? resource.namespace.public;
}

const globCache = new Map<string, (path: string) => boolean>();

/** Glob match where `*` stays within one path segment and `**` crosses them. */
export function matchesGlob(pattern: string, path: string): boolean {
  let matcher = globCache.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, { dot: true, nonegate: true, noext: true });
    if (globCache.size > 10_000) globCache.clear();
    globCache.set(pattern, matcher);
  }
  return matcher(path);
}

/** The repository path inside its namespace: `org/team/app` → `team/app`. */
export function pathInNamespace(repository: string, namespace: string): string {
  return repository === namespace ? '' : repository.slice(namespace.length + 1);
}

/** The namespace a repository belongs to: its first path component. */
export function namespaceOf(repository: string): string {
  const slash = repository.indexOf('/');
  return slash === -1 ? repository : repository.slice(0, slash);
}

/** A user's role in a namespace: owner of a personal one, else the best of their grants. */
export function effectiveRole(user: UserPrincipal, resource: Resource): Role | undefined {
  if (user.admin) return Role.Admin;
  if (resource.namespace.kind === 'user') return resource.namespace.ownerUserId === user.id ? Role.Admin : undefined;
  return highestRole(resource.roles);
}

function userAllows(user: UserPrincipal, permission: Permission, resource: Resource): boolean {
  return roleAllows(effectiveRole(user, resource), permission);
}

/** Robot actions hold only repository permissions: a robot manages nothing. */
const ROBOT_PERMISSIONS: Readonly<Record<RepositoryAction, readonly Permission[]>> = {
  pull: ['repository:read', 'repository:pull'],
  push: ['repository:push'],
  delete: ['artifact:delete', 'tag:delete'],
};

function robotAllows(robot: RobotPrincipal, permission: Permission, resource: Resource): boolean {
  const repository = resource.repository;
  if (!repository || resource.namespace.id !== robot.namespaceId) return false;
  const path = pathInNamespace(repository.name, resource.namespace.name);
  return robot.rules.some((rule) => matchesGlob(rule.pattern, path) && rule.actions.some((action) => ROBOT_PERMISSIONS[action].includes(permission)));
}

export function tokenScopeAllows(scope: TokenScope, permission: Permission): boolean {
  if (READ_PERMISSIONS.has(permission)) return true;
  if (DELETE_PERMISSIONS.has(permission)) return scope === 'read-write-delete';
  return scope !== 'read';
}

function tokenAllows(token: TokenPrincipal, permission: Permission, resource: Resource): boolean {
  if (!tokenScopeAllows(token.scope, permission)) return false;
  if (token.namespaces && !token.namespaces.includes(resource.namespace.name)) return false;
  if (token.repositories) {
    const repository = resource.repository;
    if (!repository || !token.repositories.some((pattern) => matchesGlob(pattern, repository.name))) return false;
  }
  return userAllows(token.user, permission, resource);
}

export function decide(principal: Principal, permission: Permission, resource: Resource): boolean {
  if (PUBLIC_PERMISSIONS.has(permission) && isPublic(resource)) return true;
  switch (principal.kind) {
    case 'anonymous':
      return false;
    case 'user':
      return userAllows(principal, permission, resource);
    case 'robot':
      return robotAllows(principal, permission, resource);
    case 'token':
      return tokenAllows(principal, permission, resource);
  }
}

/** The registry actions of `requested` that `principal` may perform on the repository. */
export function grantedActions(principal: Principal, requested: readonly string[], resource: Resource): RepositoryAction[] {
  const wanted = requested.includes('*') ? REPOSITORY_ACTIONS : REPOSITORY_ACTIONS.filter((action) => requested.includes(action));
  const granted = wanted.filter((action) => decide(principal, ACTION_PERMISSION[action], resource));
  // Pushing needs pulling (distribution#2932): never hand out push alone.
  return granted.includes('push') && !granted.includes('pull') ? granted.filter((a) => a !== 'push') : granted;
}

/**
 * Whether `creator` may give a robot `rules` in the namespace: robots and tokens that
 * cannot manage robots create none, and every action must be one the creator holds on the
 * whole namespace (a robot never gets more than the person who made it).
 */
export function mayGrantRobotRules(creator: Principal, rules: readonly RobotRule[], namespaceResource: Omit<Resource, 'repository'>): boolean {
  if (!decide(creator, 'robot:manage', namespaceResource)) return false;
  const everywhere = { ...namespaceResource, repository: { name: `${namespaceResource.namespace.name}/*`, public: false } };
  return rules.every((rule) => rule.actions.every((action) => ROBOT_PERMISSIONS[action].every((permission) => decide(creator, permission, everywhere))));
}

/** Permissions outside any namespace. */
export type SystemPermission =
  /** List, create, disable, delete users; grant admin; switch self-registration. */
  | 'system:manage'
  /** See what system administrators see without changing it: the list of users. */
  | 'system:read'
  /** Create an organization (any signed-in person, as in Harbor's default). */
  | 'organization:create'
  /** Manage one's own account: password, personal access tokens. */
  | 'account:manage';

export function decideSystem(principal: Principal, permission: SystemPermission): boolean {
  switch (permission) {
    case 'system:manage':
      return (principal.kind === 'user' && principal.admin) || (principal.kind === 'token' && principal.user.admin && principal.scope !== 'read' && !principal.namespaces && !principal.repositories);
    case 'system:read':
      // A read-only token of an administrator may look, but not one limited to some namespaces.
      return (principal.kind === 'user' && principal.admin) || (principal.kind === 'token' && principal.user.admin && !principal.namespaces && !principal.repositories);
    case 'organization:create':
      return principal.kind === 'user' || (principal.kind === 'token' && principal.scope !== 'read' && !principal.namespaces && !principal.repositories);
    case 'account:manage':
      // A token may not mint tokens or change the password: that needs the person.
      return principal.kind === 'user';
  }
}
