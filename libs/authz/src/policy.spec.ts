import {
  ANONYMOUS,
  decide,
  decideSystem,
  effectiveRole,
  grantedActions,
  isPublic,
  matchesGlob,
  mayGrantRobotRules,
  namespaceOf,
  pathInNamespace,
  tokenScopeAllows,
  type NamespaceFacts,
  type Principal,
  type RepositoryFacts,
  type Resource,
  type RobotPrincipal,
  type RobotRule,
  type TokenPrincipal,
  type TokenScope,
  type UserPrincipal,
} from './policy';
import { PERMISSIONS, Role, type Permission } from './roles';

// Spec: features.md §2 (Harbor permission matrix from rbac_role.go; public projects give
// everyone pull and read-only views; a robot holds only what its creator holds, push needs
// pull), features.md §4.2–4.3 (repo-glob grants, scoped personal access tokens) and
// reliability.md §1 (GHSA-xx9w-464f-7h6f, harbor#21026: robots never manage robots;
// CVE-2026-110697: `a_c` is not `abc`) and §4(c) rows 1–10, 18, 19, 23.

const { LimitedGuest: LG, Guest: G, Developer: D, Maintainer: M, Admin: PA } = Role;
const EVERY_ROLE = [LG, G, D, M, PA];

/**
 * features.md §2, one row per Wharf permission, written from the table (not from the code):
 * the roles holding it.
 */
const HARBOR_MATRIX: ReadonlyArray<readonly [Permission, string, readonly Role[]]> = [
  ['namespace:read', 'See project, configuration, quota', [LG, G, D, M, PA]],
  ['namespace:update', 'Edit project config/metadata', [PA]],
  ['namespace:delete', 'Delete project', [PA]],
  ['member:read', 'List members', [G, D, M, PA]],
  ['member:manage', 'Add/edit/remove members', [PA]],
  ['robot:read', 'List/read robot accounts', [G, D, M, PA]],
  ['robot:manage', 'Create/edit/delete robots', [PA]],
  ['repository:read', 'List repositories, tags, artifacts; build history', [LG, G, D, M, PA]],
  ['repository:pull', 'List repositories, pull', [LG, G, D, M, PA]],
  ['repository:push', 'Push (creates repo, artifact, tag); create tag / retag', [D, M, PA]],
  ['repository:update', 'Edit repository (description)', [D, M, PA]],
  ['repository:delete', 'Delete repository', [M, PA]],
  ['artifact:delete', 'Delete artifact', [M, PA]],
  ['tag:delete', 'Delete tag', [M, PA]],
];

const NAMESPACE_LEVEL = new Set<Permission>(['namespace:read', 'namespace:update', 'namespace:delete', 'member:read', 'member:manage', 'robot:read', 'robot:manage']);
const PUBLIC: Permission[] = ['namespace:read', 'repository:read', 'repository:pull'];

const ACME: NamespaceFacts = { id: 'ns-1', name: 'acme', kind: 'organization', public: false };
const OTHER: NamespaceFacts = { id: 'ns-2', name: 'other', kind: 'organization', public: false };
const ALICE_HOME: NamespaceFacts = { id: 'ns-3', name: 'alice', kind: 'user', public: false, ownerUserId: 'u-alice' };

const alice: UserPrincipal = { kind: 'user', id: 'u-alice', name: 'alice', admin: false };
const bob: UserPrincipal = { kind: 'user', id: 'u-bob', name: 'bob', admin: false };
const root: UserPrincipal = { kind: 'user', id: 'u-root', name: 'admin', admin: true };

const repository = (name: string, isPublicOverride: boolean | null = null): RepositoryFacts => ({ name, public: isPublicOverride });

/** A resource in `namespace`: its repository `path` (namespace level without one). */
function on(namespace: NamespaceFacts, roles: readonly Role[] = [], path?: string, isPublicOverride: boolean | null = null): Resource {
  return { namespace, roles, ...(path !== undefined ? { repository: repository(`${namespace.name}/${path}`, isPublicOverride) } : {}) };
}

/** Where a permission is checked: the namespace itself, or a repository in it. */
const resourceFor = (permission: Permission, namespace: NamespaceFacts, roles: readonly Role[] = []) =>
  on(namespace, roles, NAMESPACE_LEVEL.has(permission) ? undefined : 'team/app');

const allowedOn = (principal: Principal, namespace: NamespaceFacts, roles: readonly Role[] = []) =>
  PERMISSIONS.filter((permission) => decide(principal, permission, resourceFor(permission, namespace, roles)));

const robot = (rules: readonly RobotRule[], namespaceId = ACME.id): RobotPrincipal => ({ kind: 'robot', id: 'r-1', name: 'robot$acme+ci', namespaceId, rules });

const token = (user: UserPrincipal, scope: TokenScope, limits: Pick<TokenPrincipal, 'namespaces' | 'repositories'> = {}): TokenPrincipal => ({
  kind: 'token',
  id: 't-1',
  user,
  scope,
  ...limits,
});

describe('decide: the Harbor matrix for a member of a private organization', () => {
  it('covers every permission exactly once', () => {
    expect(HARBOR_MATRIX.map(([permission]) => permission).sort()).toEqual([...PERMISSIONS].sort());
  });

  const cases = HARBOR_MATRIX.flatMap(([permission, row, holders]) => EVERY_ROLE.map((role) => [role, permission, row, holders.includes(role)] as const));

  it.each(cases)('%s × %s (%s) → %p', (role, permission, _row, expected) => {
    expect(decide(alice, permission, resourceFor(permission, ACME, [role]))).toBe(expected);
  });

  it('gives a non-member, anonymous included, nothing in a private organization (§4(c) rows 1, 2)', () => {
    expect(allowedOn(bob, ACME)).toEqual([]);
    expect(allowedOn(ANONYMOUS, ACME)).toEqual([]);
  });

  it('takes the highest of the direct and team roles, in any order', () => {
    expect(allowedOn(alice, ACME, [G, D])).toEqual(allowedOn(alice, ACME, [D]));
    expect(allowedOn(alice, ACME, [M, LG, G])).toEqual(allowedOn(alice, ACME, [M]));
    expect(decide(alice, 'repository:push', on(ACME, [LG, D], 'app'))).toBe(true);
    expect(decide(alice, 'artifact:delete', on(ACME, [D, LG], 'app'))).toBe(false);
    expect(effectiveRole(alice, on(ACME, [G, PA, D]))).toBe(PA);
    expect(effectiveRole(alice, on(ACME, []))).toBeUndefined();
  });

  it('keeps a maintainer off the organization settings, members and robots (§4(c) row 19)', () => {
    for (const permission of ['namespace:update', 'namespace:delete', 'member:manage', 'robot:manage'] as const) {
      expect(decide(alice, permission, on(ACME, [M]))).toBe(false);
    }
  });
});

describe('decide: system administrator', () => {
  it('holds every permission everywhere, without any membership', () => {
    expect(allowedOn(root, ACME)).toEqual(PERMISSIONS);
    expect(allowedOn(root, ALICE_HOME)).toEqual(PERMISSIONS);
    expect(effectiveRole(root, on(ACME))).toBe(PA);
  });
});

describe('decide: personal namespaces', () => {
  it('makes the owner its admin', () => {
    expect(allowedOn(alice, ALICE_HOME)).toEqual(PERMISSIONS);
    expect(effectiveRole(alice, on(ALICE_HOME))).toBe(PA);
  });

  it('gives other users nothing, whatever roles the facts list', () => {
    expect(allowedOn(bob, ALICE_HOME)).toEqual([]);
    expect(allowedOn(bob, ALICE_HOME, [PA])).toEqual([]);
    expect(effectiveRole(bob, on(ALICE_HOME, [PA]))).toBeUndefined();
    expect(allowedOn(ANONYMOUS, ALICE_HOME)).toEqual([]);
  });

  it('lets anyone read and pull a public one, nothing more', () => {
    expect(allowedOn(bob, { ...ALICE_HOME, public: true })).toEqual(PUBLIC);
    expect(allowedOn(ANONYMOUS, { ...ALICE_HOME, public: true })).toEqual(PUBLIC);
  });
});

describe('decide: public content', () => {
  const PUBLIC_ACME = { ...ACME, public: true };

  it.each([
    ['anonymous', ANONYMOUS],
    ['a signed-in non-member', bob],
    ['a robot of another organization', robot([{ pattern: '**', actions: ['pull', 'push', 'delete'] }], OTHER.id)],
    ['a read-write-delete token of a non-member', token(bob, 'read-write-delete')],
  ])('a public organization gives %s only namespace:read, repository:read and repository:pull (§4(c) row 3)', (_who, principal) => {
    expect(allowedOn(principal, PUBLIC_ACME)).toEqual(PUBLIC);
  });

  it('leaves members their roles in a public organization', () => {
    expect(allowedOn(alice, PUBLIC_ACME, [D])).toEqual(allowedOn(alice, ACME, [D]));
  });

  it("lets a repository's own visibility override the namespace's, both ways", () => {
    const publicInPrivate = on(ACME, [], 'pub', true);
    const privateInPublic = on(PUBLIC_ACME, [], 'secret', false);
    expect(isPublic(publicInPrivate)).toBe(true);
    expect(isPublic(privateInPublic)).toBe(false);
    expect(isPublic(on(PUBLIC_ACME, [], 'inherits', null))).toBe(true);
    expect(isPublic(on(ACME, [], 'inherits', null))).toBe(false);

    for (const principal of [ANONYMOUS, bob]) {
      expect(decide(principal, 'repository:pull', publicInPrivate)).toBe(true);
      expect(decide(principal, 'repository:read', publicInPrivate)).toBe(true);
      expect(decide(principal, 'repository:push', publicInPrivate)).toBe(false);
      expect(decide(principal, 'artifact:delete', publicInPrivate)).toBe(false);
      expect(decide(principal, 'repository:pull', privateInPublic)).toBe(false);
      expect(decide(principal, 'repository:read', privateInPublic)).toBe(false);
    }
    // Other repositories of the private organization stay private.
    expect(decide(ANONYMOUS, 'repository:pull', on(ACME, [], 'app'))).toBe(false);
    // Members keep their roles on a private repository of a public organization.
    expect(decide(alice, 'repository:pull', on(PUBLIC_ACME, [LG], 'secret', false))).toBe(true);
  });
});

describe('decide: robots', () => {
  const ci = robot([
    { pattern: 'app', actions: ['pull'] },
    { pattern: 'team/*', actions: ['pull', 'push'] },
    { pattern: 'ci/**', actions: ['pull', 'delete'] },
  ]);
  const everything = robot([{ pattern: '**', actions: ['pull', 'push', 'delete'] }]);

  it('holds pull as repository:read + repository:pull on repositories matching a rule', () => {
    expect(decide(ci, 'repository:pull', on(ACME, [], 'app'))).toBe(true);
    expect(decide(ci, 'repository:read', on(ACME, [], 'app'))).toBe(true);
    expect(decide(ci, 'repository:push', on(ACME, [], 'app'))).toBe(false);
    expect(decide(ci, 'artifact:delete', on(ACME, [], 'app'))).toBe(false);
  });

  it('holds push as repository:push only (§4(c) rows 5, 6)', () => {
    expect(decide(ci, 'repository:push', on(ACME, [], 'team/web'))).toBe(true);
    expect(decide(ci, 'repository:update', on(ACME, [], 'team/web'))).toBe(false);
    expect(decide(ci, 'repository:push', on(ACME, [], 'web'))).toBe(false);
    expect(decide(ci, 'repository:pull', on(ACME, [], 'web'))).toBe(false);
  });

  it('holds delete as artifact:delete + tag:delete, never repository:delete', () => {
    expect(decide(ci, 'artifact:delete', on(ACME, [], 'ci/runner/cache'))).toBe(true);
    expect(decide(ci, 'tag:delete', on(ACME, [], 'ci/runner/cache'))).toBe(true);
    expect(decide(ci, 'repository:delete', on(ACME, [], 'ci/runner/cache'))).toBe(false);
    expect(decide(ci, 'repository:push', on(ACME, [], 'ci/runner/cache'))).toBe(false);
  });

  it('matches patterns against the path inside its organization: `*` within one segment, `**` across', () => {
    expect(decide(ci, 'repository:push', on(ACME, [], 'team/a/b'))).toBe(false);
    expect(decide(ci, 'repository:pull', on(ACME, [], 'ci/x'))).toBe(true);
    expect(decide(ci, 'repository:pull', on(ACME, [], 'ci/x/y/z'))).toBe(true);
    // A pattern naming the organization does not match: rules are relative to it.
    const absolute = robot([{ pattern: 'acme/app', actions: ['pull'] }]);
    expect(decide(absolute, 'repository:pull', on(ACME, [], 'app'))).toBe(false);
    // `_` is a literal, not a wildcard (CVE-2026-110697).
    const abc = robot([{ pattern: 'abc', actions: ['pull'] }]);
    expect(decide(abc, 'repository:pull', on(ACME, [], 'abc'))).toBe(true);
    expect(decide(abc, 'repository:pull', on(ACME, [], 'a_c'))).toBe(false);
  });

  it('manages nothing, even with every action on every repository (§4(c) row 7)', () => {
    for (const permission of NAMESPACE_LEVEL) expect(decide(everything, permission, on(ACME))).toBe(false);
    expect(decide(everything, 'repository:delete', on(ACME, [], 'app'))).toBe(false);
    expect(decide(everything, 'repository:update', on(ACME, [], 'app'))).toBe(false);
    expect(allowedOn(everything, ACME)).toEqual(['repository:read', 'repository:pull', 'repository:push', 'artifact:delete', 'tag:delete']);
  });

  it('ignores any roles listed in the facts (a robot is nobody’s member)', () => {
    expect(decide(ci, 'repository:push', on(ACME, [PA], 'app'))).toBe(false);
    expect(decide(ci, 'member:manage', on(ACME, [PA]))).toBe(false);
  });

  it('never acts in another organization, even with a matching pattern (§4(c) rows 9, 23)', () => {
    expect(allowedOn(everything, OTHER)).toEqual([]);
    expect(allowedOn(everything, ALICE_HOME)).toEqual([]);
    // Same name, different organization (deleted and re-registered): the id decides.
    expect(allowedOn(everything, { ...ACME, id: 'ns-99' })).toEqual([]);
    // Public content of another organization: pull like anyone, nothing more.
    expect(allowedOn(everything, { ...OTHER, public: true })).toEqual(PUBLIC);
  });
});

describe('decide: personal access tokens', () => {
  // Written from the scope names: read reads; read-write adds every change but deletes.
  const READ: Permission[] = ['namespace:read', 'member:read', 'robot:read', 'repository:read', 'repository:pull'];
  const READ_WRITE: Permission[] = [...READ, 'namespace:update', 'member:manage', 'robot:manage', 'repository:push', 'repository:update'];
  const READ_WRITE_DELETE: Permission[] = [...PERMISSIONS];

  it.each([
    ['read', READ],
    ['read-write', READ_WRITE],
    ['read-write-delete', READ_WRITE_DELETE],
  ] as const)('scope %s of an organization admin allows exactly %j', (scope, expected) => {
    expect(new Set(allowedOn(token(alice, scope), ACME, [PA]))).toEqual(new Set(expected));
    for (const permission of PERMISSIONS) expect(tokenScopeAllows(scope, permission)).toBe(expected.includes(permission));
  });

  it('never holds more than its user (§4(c) rows 8, 10)', () => {
    expect(allowedOn(token(alice, 'read-write-delete'), ACME, [D])).toEqual(allowedOn(alice, ACME, [D]));
    expect(allowedOn(token(alice, 'read-write-delete'), ACME, [LG])).toEqual(PUBLIC);
    expect(allowedOn(token(bob, 'read-write-delete'), ACME)).toEqual([]);
    expect(allowedOn(token(bob, 'read-write-delete'), ALICE_HOME)).toEqual([]);
    expect(allowedOn(token(alice, 'read-write-delete'), ALICE_HOME)).toEqual(PERMISSIONS);
    expect(allowedOn(token(root, 'read-write-delete'), OTHER)).toEqual(PERMISSIONS);
  });

  it('keeps to its namespaces when limited', () => {
    const limited = token(alice, 'read-write', { namespaces: ['acme'] });
    expect(decide(limited, 'repository:push', on(ACME, [PA], 'app'))).toBe(true);
    expect(decide(limited, 'member:manage', on(ACME, [PA]))).toBe(true);
    expect(allowedOn(limited, OTHER, [PA])).toEqual([]);
    expect(allowedOn(limited, ALICE_HOME)).toEqual([]);
    expect(allowedOn(token(root, 'read-write-delete', { namespaces: ['other'] }), ACME)).toEqual([]);
  });

  it('keeps to repositories matching its globs over the full name, and then to no namespace-level permission', () => {
    const limited = token(alice, 'read-write', { repositories: ['acme/team/*', 'acme/app'] });
    expect(decide(limited, 'repository:push', on(ACME, [PA], 'team/web'))).toBe(true);
    expect(decide(limited, 'repository:push', on(ACME, [PA], 'app'))).toBe(true);
    expect(decide(limited, 'repository:push', on(ACME, [PA], 'team/web/x'))).toBe(false);
    expect(decide(limited, 'repository:pull', on(ACME, [PA], 'apps'))).toBe(false);
    expect(decide(limited, 'repository:pull', on(ACME, [PA], 'a_p'))).toBe(false);
    for (const permission of NAMESPACE_LEVEL) expect(decide(limited, permission, on(ACME, [PA]))).toBe(false);
    expect(allowedOn(token(alice, 'read', { repositories: ['**'] }), OTHER)).toEqual([]);
  });

  it('still reads public content outside its limits, as anyone may', () => {
    const limited = token(alice, 'read', { namespaces: ['acme'], repositories: ['acme/app'] });
    expect(allowedOn(limited, { ...OTHER, public: true })).toEqual(PUBLIC);
    expect(decide(limited, 'repository:push', on({ ...OTHER, public: true }, [PA], 'app'))).toBe(false);
  });
});

describe('grantedActions', () => {
  const app = (roles: readonly Role[] = [], namespace = ACME) => on(namespace, roles, 'app');

  it('is the intersection of the request and the permissions, in pull, push, delete order', () => {
    expect(grantedActions(alice, ['delete', 'push', 'pull'], app([D]))).toEqual(['pull', 'push']);
    expect(grantedActions(alice, ['pull', 'push'], app([LG]))).toEqual(['pull']);
    expect(grantedActions(alice, ['pull', 'push', 'delete'], app([M]))).toEqual(['pull', 'push', 'delete']);
    expect(grantedActions(alice, ['delete'], app([M]))).toEqual(['delete']);
    expect(grantedActions(bob, ['pull', 'push'], app())).toEqual([]);
    expect(grantedActions(ANONYMOUS, ['pull', 'push'], app([], { ...ACME, public: true }))).toEqual(['pull']);
  });

  it('reads `*` as every action and ignores unknown ones', () => {
    expect(grantedActions(alice, ['*'], app([M]))).toEqual(['pull', 'push', 'delete']);
    expect(grantedActions(token(alice, 'read-write'), ['*'], app([M]))).toEqual(['pull', 'push']);
    expect(grantedActions(alice, ['pull', 'frobnicate', 'PUSH', ''], app([PA]))).toEqual(['pull']);
    expect(grantedActions(alice, [], app([PA]))).toEqual([]);
  });

  it('never grants push without pull (distribution#2932)', () => {
    expect(grantedActions(alice, ['push'], app([D]))).toEqual([]);
    expect(grantedActions(alice, ['push', 'delete'], app([M]))).toEqual(['delete']);
    const pushOnly = robot([{ pattern: '**', actions: ['push'] }]);
    expect(grantedActions(pushOnly, ['pull', 'push'], app())).toEqual([]);
    expect(grantedActions(pushOnly, ['pull', 'push'], app([], { ...ACME, public: true }))).toEqual(['pull', 'push']);
  });

  it('grants robots what their rules give on that repository only', () => {
    const ci = robot([{ pattern: 'app', actions: ['pull', 'push'] }]);
    expect(grantedActions(ci, ['*'], app())).toEqual(['pull', 'push']);
    expect(grantedActions(ci, ['*'], on(ACME, [], 'other'))).toEqual([]);
    expect(grantedActions(ci, ['*'], app([], OTHER))).toEqual([]);
  });
});

describe('mayGrantRobotRules', () => {
  const all: RobotRule[] = [{ pattern: '**', actions: ['pull', 'push', 'delete'] }];
  const pull: RobotRule[] = [{ pattern: 'app', actions: ['pull'] }];
  const pullPush: RobotRule[] = [{ pattern: 'team/*', actions: ['pull', 'push'] }];
  const withDelete: RobotRule[] = [...pullPush, { pattern: 'ci/**', actions: ['delete'] }];

  it('lets an organization admin and a system administrator grant anything in the organization', () => {
    expect(mayGrantRobotRules(alice, all, on(ACME, [PA]))).toBe(true);
    expect(mayGrantRobotRules(root, all, on(ACME))).toBe(true);
  });

  it('refuses a maintainer and below, whatever the rules (only PA creates robots)', () => {
    for (const role of [LG, G, D, M]) {
      expect(mayGrantRobotRules(alice, pull, on(ACME, [role]))).toBe(false);
    }
    expect(mayGrantRobotRules(bob, pull, on(ACME))).toBe(false);
    expect(mayGrantRobotRules(ANONYMOUS, pull, on({ ...ACME, public: true }))).toBe(false);
  });

  it('refuses every robot, even one with every action (GHSA-xx9w-464f-7h6f, harbor#21026)', () => {
    expect(mayGrantRobotRules(robot(all), pull, on(ACME))).toBe(false);
    expect(mayGrantRobotRules(robot(all), pull, on(ACME, [PA]))).toBe(false);
  });

  it('refuses read tokens; a token gives a robot no action its scope lacks', () => {
    expect(mayGrantRobotRules(token(alice, 'read'), pull, on(ACME, [PA]))).toBe(false);
    expect(mayGrantRobotRules(token(alice, 'read-write'), pullPush, on(ACME, [PA]))).toBe(true);
    expect(mayGrantRobotRules(token(alice, 'read-write'), withDelete, on(ACME, [PA]))).toBe(false);
    expect(mayGrantRobotRules(token(alice, 'read-write-delete'), withDelete, on(ACME, [PA]))).toBe(true);
    expect(mayGrantRobotRules(token(root, 'read-write-delete', { namespaces: ['other'] }), pull, on(ACME))).toBe(false);
    expect(mayGrantRobotRules(token(alice, 'read-write-delete', { repositories: ['acme/app'] }), pull, on(ACME, [PA]))).toBe(false);
  });

  it("does not count the organization's public flag as the creator's own right", () => {
    expect(mayGrantRobotRules(token(alice, 'read-write'), pull, on({ ...ACME, public: true }, [PA]))).toBe(true);
    expect(mayGrantRobotRules(alice, pull, on({ ...ACME, public: true }, [M]))).toBe(false);
  });
});

describe('decideSystem', () => {
  const principals: Array<[string, Principal]> = [
    ['anonymous', ANONYMOUS],
    ['user', alice],
    ['system admin', root],
    ['robot', robot([{ pattern: '**', actions: ['pull', 'push', 'delete'] }])],
    ['read token of the admin', token(root, 'read')],
    ['read-write token of the admin', token(root, 'read-write')],
    ['read-write-delete token of the admin', token(root, 'read-write-delete')],
    ['admin token limited to namespaces', token(root, 'read-write-delete', { namespaces: ['acme'] })],
    ['admin token limited to repositories', token(root, 'read-write-delete', { repositories: ['**'] })],
    ['read token of a user', token(alice, 'read')],
    ['read-write token of a user', token(alice, 'read-write')],
  ];

  const expected: Record<string, [manage: boolean, createOrganization: boolean, account: boolean]> = {
    anonymous: [false, false, false],
    user: [false, true, true],
    'system admin': [true, true, true],
    robot: [false, false, false],
    'read token of the admin': [false, false, false],
    'read-write token of the admin': [true, true, false],
    'read-write-delete token of the admin': [true, true, false],
    // A token limited to some namespaces or repositories creates nothing outside them.
    'admin token limited to namespaces': [false, false, false],
    'admin token limited to repositories': [false, false, false],
    'read token of a user': [false, false, false],
    'read-write token of a user': [false, true, false],
  };

  it.each(principals)('%s: system:manage, organization:create, account:manage', (name, principal) => {
    expect([decideSystem(principal, 'system:manage'), decideSystem(principal, 'organization:create'), decideSystem(principal, 'account:manage')]).toEqual(expected[name]);
  });

  const readers = new Set(['system admin', 'read token of the admin', 'read-write token of the admin', 'read-write-delete token of the admin']);

  it.each(principals)('%s: system:read only for administrators and their unrestricted tokens', (name, principal) => {
    expect(decideSystem(principal, 'system:read')).toBe(readers.has(name));
  });
});

describe('namespaceOf, pathInNamespace', () => {
  it.each([
    ['acme/team/app', 'acme'],
    ['acme/app', 'acme'],
    ['app', 'app'],
    ['a_c/app', 'a_c'],
  ])('namespaceOf(%p) is %p', (name, expected) => {
    expect(namespaceOf(name)).toBe(expected);
  });

  it.each([
    ['acme/team/app', 'acme', 'team/app'],
    ['acme/app', 'acme', 'app'],
    ['acme', 'acme', ''],
    ['a.b/c', 'a.b', 'c'],
  ])('pathInNamespace(%p, %p) is %p', (name, namespace, expected) => {
    expect(pathInNamespace(name, namespace)).toBe(expected);
  });
});

describe('matchesGlob', () => {
  it.each([
    ['app', 'app', true],
    ['app', 'apps', false],
    ['app', 'xapp', false],
    ['app', 'app/x', false],
    ['abc', 'a_c', false],
    ['org/abc', 'org/a_c', false],
    ['a.c', 'abc', false],
    ['a-c', 'abc', false],
    ['*', 'app', true],
    ['*', 'team/app', false],
    ['*', '', false],
    ['team/*', 'team/app', true],
    ['team/*', 'team/a/b', false],
    ['team/*', 'other/app', false],
    ['app-*', 'app-web', true],
    ['app-*', 'app/web', false],
    ['team/**', 'team/a/b/c', true],
    ['team/**', 'team/app', true],
    ['team/**', 'teams/app', false],
    ['**', 'a/b/c', true],
    ['**', 'app', true],
    ['**/cache', 'x/y/cache', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['App', 'app', false],
    ['!app', 'other', false],
  ])('%p against %p → %p', (pattern, path, expected) => {
    expect(matchesGlob(pattern, path)).toBe(expected);
  });
});
