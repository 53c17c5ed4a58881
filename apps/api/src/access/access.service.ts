import { Inject, Injectable } from '@nestjs/common';
import {
  ANONYMOUS,
  decide,
  decideSystem,
  effectiveRole,
  grantedActions,
  isRole,
  mayGrantRobotRules,
  namespaceOf,
  PERMISSIONS,
  REPOSITORY_ACTIONS,
  type NamespaceFacts,
  type Permission,
  type Principal,
  type RepositoryAction,
  type Resource,
  type Role,
  type RobotRule,
  type TokenScope,
  type UserPrincipal,
} from '@wharf/authz';
import {
  MembershipsRepository,
  NamespacesRepository,
  PersonalTokensRepository,
  RobotsRepository,
  UsersRepository,
  type ListedRepository,
  type NamespaceRow,
  type PersonalTokenRow,
  type RobotRow,
  type UserRow,
} from '@wharf/db';
import type { AccessClaim, AccessScope } from '@wharf/oci';

import { AccessFactsCache } from '../database/access-facts-cache';

/** The stable key of a principal, kept in tokens and upload sessions. */
export function principalKey(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : `${principal.kind}:${principal.id}`;
}

export const userPrincipal = (user: UserRow): UserPrincipal => ({ kind: 'user', id: user.id, name: user.name, admin: user.admin });

export const robotPrincipal = (robot: RobotRow): Principal => ({
  kind: 'robot',
  id: robot.id,
  name: robotAccountName(robot.namespaceName, robot.name),
  namespaceId: robot.namespaceId,
  rules: robot.rules as RobotRule[],
});

export const tokenPrincipal = (token: PersonalTokenRow, user: UserRow): Principal => ({
  kind: 'token',
  id: token.id,
  user: userPrincipal(user),
  scope: token.scope as TokenScope,
  ...(token.namespaces ? { namespaces: token.namespaces } : {}),
  ...(token.repositories ? { repositories: token.repositories } : {}),
});

/** `robot$<org>+<name>`, as Harbor names robots. */
export const robotAccountName = (namespace: string, name: string) => `robot$${namespace}+${name}`;

export const isExpired = (expiresAt: Date | null) => expiresAt !== null && expiresAt.getTime() <= Date.now();

const namespaceFacts = (row: NamespaceRow): NamespaceFacts => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  public: row.public,
  ...(row.ownerUserId !== undefined ? { ownerUserId: row.ownerUserId } : {}),
});

/** What a caller may see of a namespace, for showing it. */
export interface NamespaceView {
  /** Whether they may see it at all (namespace:read). */
  readonly visible: boolean;
  /** The role they act with there (admin for system administrators), for display; decisions use decide. */
  readonly role: Role | undefined;
  /** Whether they may read its private repositories too, or only its public ones. */
  readonly readsPrivateRepositories: boolean;
  /** Every permission they hold on the namespace (repository ones: on its private repositories). */
  readonly permissions: Permission[];
}

function viewOf(principal: Principal, resource: Resource): NamespaceView {
  const user = actingUser(principal);
  const privateRepository = { ...resource, repository: { name: `${resource.namespace.name}/*`, public: false } };
  return {
    visible: decide(principal, 'namespace:read', resource),
    role: user ? effectiveRole(user, resource) : undefined,
    readsPrivateRepositories: decide(principal, 'repository:read', privateRepository),
    permissions: PERMISSIONS.filter((permission) => decide(principal, permission, permission.startsWith('namespace:') || permission.startsWith('member:') || permission.startsWith('robot:') ? resource : privateRepository)),
  };
}

/**
 * What the token service grants: the access claims, and the namespace each granted
 * repository was decided in, so the registry can tell that namespace from a later one of the
 * same name (see AccessService.sameNamespace).
 */
export interface Grant {
  readonly access: AccessClaim[];
  /** By namespace name: its id when the grant was decided, or null when none existed. */
  readonly namespaces: Readonly<Record<string, string | null>>;
}

/** The user whose roles count for a principal. */
function actingUser(principal: Principal): UserPrincipal | undefined {
  if (principal.kind === 'user') return principal;
  if (principal.kind === 'token') return principal.user;
  return undefined;
}

/**
 * The authorization module: loads the facts a decision needs from PostgreSQL and asks the
 * pure policy of @wharf/authz. The registry, the token service, the management API and
 * the portal all decide here; nothing else reads roles. A repository's facts are cached per
 * caller (AccessFactsCache) only while PostgreSQL's change notices flow, and every change
 * of them clears that cache in every process: a removed member or a deleted user loses
 * access with the next decision. Whoever changes those facts here calls `changed`.
 */
@Injectable()
export class AccessService {
  constructor(
    @Inject(NamespacesRepository) private readonly namespaces: NamespacesRepository,
    @Inject(MembershipsRepository) private readonly memberships: MembershipsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(RobotsRepository) private readonly robots: RobotsRepository,
    @Inject(PersonalTokensRepository) private readonly tokens: PersonalTokensRepository,
    @Inject(AccessFactsCache) private readonly cache: AccessFactsCache,
  ) {}

  /** Namespaces, repositories' visibility, members or teams changed through this process (see AccessFactsCache.changed). */
  async changed(): Promise<void> {
    await this.cache.changed();
  }

  /** The principal behind a key as it is now: undefined once deleted, disabled or expired. */
  async principalFromKey(key: string): Promise<Principal | undefined> {
    if (key === 'anonymous') return ANONYMOUS;
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'user' && /^\d+$/.test(id)) {
      const user = await this.users.findById(id);
      return user && !user.disabled ? userPrincipal(user) : undefined;
    }
    if (kind === 'robot' && /^\d+$/.test(id)) {
      const robot = await this.robots.findById(id);
      return robot && !robot.disabled && !isExpired(robot.expiresAt) ? robotPrincipal(robot) : undefined;
    }
    if (kind === 'token' && /^[0-9a-f-]{36}$/.test(id)) {
      const token = await this.tokens.findById(id);
      if (!token || isExpired(token.expiresAt)) return undefined;
      const user = await this.users.findById(token.userId);
      return user && !user.disabled ? tokenPrincipal(token, user) : undefined;
    }
    return undefined;
  }

  /** The facts about a repository (existing or not yet pushed); undefined without a namespace. */
  async repositoryResource(principal: Principal, repository: string): Promise<Resource | undefined> {
    const userId = actingUser(principal)?.id ?? null;
    const facts = await this.cache.lookup(repository, userId, () => this.namespaces.accessFacts(namespaceOf(repository), repository, userId));
    if (!facts) return undefined;
    return { namespace: namespaceFacts(facts.namespace), repository: { name: repository, public: facts.repositoryPublic }, roles: facts.roles.filter(isRole) };
  }

  async namespaceResource(principal: Principal, namespace: NamespaceRow): Promise<Resource> {
    return { namespace: namespaceFacts(namespace), roles: await this.rolesIn(principal, namespace.id) };
  }

  async mayOnRepository(principal: Principal, permission: Permission, repository: string): Promise<boolean> {
    const resource = await this.repositoryResource(principal, repository);
    return resource !== undefined && decide(principal, permission, resource);
  }

  async mayOnNamespace(principal: Principal, permission: Permission, namespace: NamespaceRow): Promise<boolean> {
    return decide(principal, permission, await this.namespaceResource(principal, namespace));
  }

  async mayGrantRobot(principal: Principal, rules: readonly RobotRule[], namespace: NamespaceRow): Promise<boolean> {
    return mayGrantRobotRules(principal, rules, await this.namespaceResource(principal, namespace));
  }

  /**
   * The token service's grant: for each requested scope, the requested actions the principal
   * holds. A partial or empty grant is not an error. Anyone may list the catalog; what it
   * shows is filtered per caller (see catalogScope).
   */
  async grant(principal: Principal, scopes: readonly AccessScope[]): Promise<Grant> {
    const granted: AccessClaim[] = [];
    const namespaces: Record<string, string | null> = {};
    for (const scope of scopes) {
      if (scope.type === 'registry') {
        if (scope.actions.includes('*')) granted.push({ type: 'registry', name: 'catalog', actions: ['*'] });
        continue;
      }
      const resource = await this.repositoryResource(principal, scope.name);
      // Without a namespace nobody may act; system administrators get the grant so that the
      // registry can tell them why (403 DENIED: create the organization first).
      const actions: RepositoryAction[] = resource
        ? grantedActions(principal, scope.actions, resource)
        : decideSystem(principal, 'system:manage')
          ? REPOSITORY_ACTIONS.filter((action) => scope.actions.includes(action) || scope.actions.includes('*'))
          : [];
      if (actions.length > 0) {
        granted.push({ type: 'repository', name: scope.name, actions });
        namespaces[namespaceOf(scope.name)] = resource?.namespace.id ?? null;
      }
    }
    return { access: granted, namespaces };
  }

  /**
   * Whether `repository`'s namespace is still the one a token's grant was decided in
   * (Grant.namespaces). An organization or user deleted and its name registered again is
   * another tenant, which no token issued for the old one may reach.
   */
  async sameNamespace(namespaces: Readonly<Record<string, string | null>>, repository: string): Promise<boolean> {
    const name = namespaceOf(repository);
    if (!Object.hasOwn(namespaces, name)) return false;
    const facts = await this.cache.lookup(repository, null, () => this.namespaces.accessFacts(name, repository, null));
    return (facts?.namespace.id ?? null) === namespaces[name];
  }

  /**
   * What a listing may show: a database pre-filter (public content and these namespaces;
   * undefined for everything) and the final decision per repository.
   */
  async listingFilter(principal: Principal): Promise<{ scope?: { namespaceIds: string[] }; visible(repository: ListedRepository): Promise<boolean> }> {
    const user = actingUser(principal);
    let scope: { namespaceIds: string[] } | undefined = { namespaceIds: [] };
    if (principal.kind === 'robot') scope = { namespaceIds: [principal.namespaceId] };
    else if (user?.admin) scope = undefined;
    else if (user) {
      const found = await this.users.findById(user.id);
      scope = { namespaceIds: [...(found ? [found.namespaceId] : []), ...(await this.memberships.namespacesOf(user.id))] };
    }
    const resources = new Map<string, Promise<Resource | undefined>>();
    const resourceOf = (namespaceId: string) => {
      let resource = resources.get(namespaceId);
      if (!resource) {
        resource = this.namespaces.findById(namespaceId).then(async (namespace) => namespace && this.namespaceResource(principal, namespace));
        resources.set(namespaceId, resource);
      }
      return resource;
    };
    return {
      ...(scope ? { scope } : {}),
      visible: async (repository) => {
        const resource = await resourceOf(repository.namespaceId);
        return resource !== undefined && decide(principal, 'repository:read', { ...resource, repository: { name: repository.name, public: repository.public } });
      },
    };
  }

  /**
   * What a listing of organizations may show: a database pre-filter (public ones and those
   * where the caller holds a role; undefined for everything) and, for each row fetched, what
   * the caller may see of it.
   */
  async organizationListing(principal: Principal): Promise<{ scope?: { namespaceIds: string[] }; view(namespaces: readonly NamespaceRow[]): Promise<NamespaceView[]> }> {
    const user = actingUser(principal);
    let scope = user?.admin ? undefined : { namespaceIds: user ? await this.memberships.namespacesOf(user.id) : [] };
    // A token limited to repositories sees no organization as such; one limited to some
    // namespaces only those (public ones are always in the pre-filter).
    if (principal.kind === 'token' && principal.repositories) scope = { namespaceIds: [] };
    else if (principal.kind === 'token' && principal.namespaces) {
      const named = (await Promise.all(principal.namespaces.map((name) => this.namespaces.findByName(name)))).flatMap((namespace) => (namespace ? [namespace.id] : []));
      scope = { namespaceIds: scope ? scope.namespaceIds.filter((id) => named.includes(id)) : named };
    }
    return {
      ...(scope ? { scope } : {}),
      view: async (namespaces) => {
        const roles = user ? await this.memberships.rolesIn(user.id, namespaces.map((n) => n.id)) : new Map<string, string[]>();
        return namespaces.map((namespace) => viewOf(principal, { namespace: namespaceFacts(namespace), roles: (roles.get(namespace.id) ?? []).filter(isRole) }));
      },
    };
  }

  /** Every permission the principal holds on a repository, so a portal shows only usable controls. */
  async permissionsOnRepository(principal: Principal, repository: string): Promise<Permission[]> {
    const resource = await this.repositoryResource(principal, repository);
    return resource ? PERMISSIONS.filter((permission) => decide(principal, permission, resource)) : [];
  }

  /** What `principal` may see of one namespace (see NamespaceView). */
  async namespaceView(principal: Principal, namespace: NamespaceRow): Promise<NamespaceView> {
    return viewOf(principal, await this.namespaceResource(principal, namespace));
  }

  private async rolesIn(principal: Principal, namespaceId: string) {
    const user = actingUser(principal);
    if (!user) return [];
    return (await this.memberships.rolesOf(user.id, namespaceId)).filter(isRole);
  }
}
