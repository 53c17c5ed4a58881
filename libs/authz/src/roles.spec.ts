import { DELETE_PERMISSIONS, highestRole, isRole, PERMISSIONS, permissionsOf, PUBLIC_PERMISSIONS, READ_PERMISSIONS, Role, roleAllows, ROLES, type Permission } from './roles';

// Spec: features.md §2 (Harbor permission matrix, goharbor/harbor rbac_role.go): five
// project roles, each holding everything the one below holds. Per role, written from the
// table: LG sees the project and its repositories and pulls; G also lists members and robots;
// D pushes and edits repositories; M deletes repositories, artifacts and tags; only PA edits
// or deletes the project and manages members and robots (M lost metadata write in #20409).

const LIMITED_GUEST: Permission[] = ['namespace:read', 'repository:read', 'repository:pull'];
const GUEST: Permission[] = [...LIMITED_GUEST, 'member:read', 'robot:read'];
const DEVELOPER: Permission[] = [...GUEST, 'repository:push', 'repository:update'];
const MAINTAINER: Permission[] = [...DEVELOPER, 'repository:delete', 'artifact:delete', 'tag:delete'];
const ADMIN: Permission[] = [...MAINTAINER, 'namespace:update', 'namespace:delete', 'member:manage', 'robot:manage'];

describe('roles', () => {
  it('lists the five Harbor roles, lowest first', () => {
    expect(ROLES).toEqual([Role.LimitedGuest, Role.Guest, Role.Developer, Role.Maintainer, Role.Admin]);
    expect(ROLES.map(String)).toEqual(['limited-guest', 'guest', 'developer', 'maintainer', 'admin']);
  });

  it.each([
    ['admin', true],
    ['limited-guest', true],
    ['owner', false],
    ['Admin', false],
    ['', false],
    [undefined, false],
    [3, false],
  ])('isRole(%p) is %p', (value, expected) => {
    expect(isRole(value)).toBe(expected);
  });
});

describe('permissionsOf: the Harbor matrix per role', () => {
  it.each([
    [Role.LimitedGuest, LIMITED_GUEST],
    [Role.Guest, GUEST],
    [Role.Developer, DEVELOPER],
    [Role.Maintainer, MAINTAINER],
    [Role.Admin, ADMIN],
  ])('%s holds exactly its column of the table', (role, expected) => {
    expect(new Set(permissionsOf(role))).toEqual(new Set(expected));
    for (const permission of PERMISSIONS) expect(roleAllows(role, permission)).toBe(expected.includes(permission));
  });

  it('knows exactly the permissions of the table, and the admin holds them all', () => {
    expect(new Set(PERMISSIONS)).toEqual(new Set(ADMIN));
    expect(PERMISSIONS).toHaveLength(ADMIN.length);
  });

  it('gives no role nothing', () => {
    for (const permission of PERMISSIONS) expect(roleAllows(undefined, permission)).toBe(false);
  });
});

describe('highestRole', () => {
  it('is the strongest grant, whatever the order, and undefined for none', () => {
    expect(highestRole([])).toBeUndefined();
    expect(highestRole([Role.Guest])).toBe(Role.Guest);
    expect(highestRole([Role.Developer, Role.LimitedGuest])).toBe(Role.Developer);
    expect(highestRole([Role.LimitedGuest, Role.Maintainer, Role.Guest])).toBe(Role.Maintainer);
    expect(highestRole([Role.Admin, Role.Developer, Role.Admin])).toBe(Role.Admin);
  });
});

describe('permission classes', () => {
  it('public content is readable and pullable, nothing more (features.md §2: pull and read-only views)', () => {
    expect(new Set(PUBLIC_PERMISSIONS)).toEqual(new Set(['namespace:read', 'repository:read', 'repository:pull']));
  });

  it('read permissions change nothing; delete permissions are the four deletes', () => {
    expect(new Set(READ_PERMISSIONS)).toEqual(new Set(['namespace:read', 'member:read', 'robot:read', 'repository:read', 'repository:pull']));
    expect(new Set(DELETE_PERMISSIONS)).toEqual(new Set(['namespace:delete', 'repository:delete', 'artifact:delete', 'tag:delete']));
    for (const permission of READ_PERMISSIONS) expect(DELETE_PERMISSIONS.has(permission)).toBe(false);
  });
});
