/**
 * Organization roles and what each may do: Harbor's five project roles with their exact
 * permissions (goharbor/harbor `src/common/rbac/project/rbac_role.go`, features.md §2).
 */
export enum Role {
  LimitedGuest = 'limited-guest',
  Guest = 'guest',
  Developer = 'developer',
  Maintainer = 'maintainer',
  Admin = 'admin',
}

/** Lowest first. */
export const ROLES: readonly Role[] = [Role.LimitedGuest, Role.Guest, Role.Developer, Role.Maintainer, Role.Admin];

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

const rank = (role: Role) => ROLES.indexOf(role);

/** The strongest of several grants (direct membership and teams); undefined for none. */
export function highestRole(roles: readonly Role[]): Role | undefined {
  return roles.reduce<Role | undefined>((best, role) => (best === undefined || rank(role) > rank(best) ? role : best), undefined);
}

export type Permission =
  | 'namespace:read'
  | 'namespace:update'
  | 'namespace:delete'
  | 'member:read'
  | 'member:manage'
  | 'robot:read'
  | 'robot:manage'
  | 'repository:read'
  | 'repository:pull'
  | 'repository:push'
  | 'repository:update'
  | 'repository:delete'
  | 'artifact:delete'
  | 'tag:delete';

/** The weakest role holding each permission; every stronger role holds it too. */
export const MINIMUM_ROLE: Readonly<Record<Permission, Role>> = {
  // See the organization, its settings and usage.
  'namespace:read': Role.LimitedGuest,
  // Visibility, description and other settings: project admin only (Harbor #20409).
  'namespace:update': Role.Admin,
  'namespace:delete': Role.Admin,
  'member:read': Role.Guest,
  'member:manage': Role.Admin,
  'robot:read': Role.Guest,
  'robot:manage': Role.Admin,
  // List repositories, tags, artifacts, referrers and build history; pull.
  'repository:read': Role.LimitedGuest,
  'repository:pull': Role.LimitedGuest,
  // Push creates repositories, artifacts and tags.
  'repository:push': Role.Developer,
  // The repository's description.
  'repository:update': Role.Developer,
  'repository:delete': Role.Maintainer,
  'artifact:delete': Role.Maintainer,
  'tag:delete': Role.Maintainer,
};

export const PERMISSIONS = Object.keys(MINIMUM_ROLE) as Permission[];

export function roleAllows(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && rank(role) >= rank(MINIMUM_ROLE[permission]);
}

/** Every permission a role holds, for explaining a role to people (the portal shows it). */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((permission) => roleAllows(role, permission));
}

/** What anyone, even anonymous, may do on public content. */
export const PUBLIC_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['namespace:read', 'repository:read', 'repository:pull']);

/** Permissions that only read. */
export const READ_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['namespace:read', 'member:read', 'robot:read', 'repository:read', 'repository:pull']);

/** Permissions that delete something. */
export const DELETE_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['namespace:delete', 'repository:delete', 'artifact:delete', 'tag:delete']);
