import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { decide, decideSystem, isRole, Role, type Permission, type Principal } from '@wharf/authz';
import {
  MembershipsRepository,
  NamespacesRepository,
  RepositoriesRepository,
  UniqueViolationError,
  UsersRepository,
  type ListedOrganization,
  type MemberRow,
  type MembershipChange,
  type NamespaceRow,
  type TeamRow,
} from '@wharf/db';
import type { BlobStorage } from '@wharf/storage';

import { AccessService, type NamespaceView } from '../access/access.service';
import { CredentialCache } from '../auth/credential-cache';
import { BLOB_STORAGE } from '../storage/storage.module';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { assertNamespaceName, assertTeamName, isRowId } from './validation';

function assertRole(role: unknown): asserts role is Role {
  if (!isRole(role)) throw new ValidationError('role', 'one of limited-guest, guest, developer, maintainer, admin');
}

/** An organization as its caller sees it. */
export interface OrganizationView extends NamespaceRow {
  /** The role the caller acts with here (admin for system administrators); undefined for none. */
  readonly role: Role | undefined;
  /** The repositories the caller may read: outsiders of a public organization count only its public ones. */
  readonly repositoryCount: number;
  /** What the caller may do here, so that a portal shows only usable controls. */
  readonly permissions: Permission[];
}

const asSeen = (organization: ListedOrganization, view: NamespaceView): OrganizationView => {
  const { publicRepositoryCount, repositoryCount, ...namespace } = organization;
  return { ...namespace, role: view.role, repositoryCount: view.readsPrivateRepositories ? repositoryCount : publicRepositoryCount, permissions: view.permissions };
};

export interface OrganizationListQuery {
  readonly q?: string;
  readonly after?: string;
  readonly descending?: boolean;
  readonly limit: number;
}

/**
 * An organization keeps at least one direct admin, as GitHub and Quay keep an owner: without
 * one, nobody but a system administrator could manage it again.
 */
function refuseLastAdmin(change: MembershipChange, organization: string): void {
  if (change === 'last-admin') throw new ConflictError(`${organization} would have no admin left: make another member admin first`);
}

/**
 * Organizations, their members and teams, and the visibility of their content. Each method
 * states who may call it; the authorization module decides.
 */
@Injectable()
export class OrganizationsService {
  private readonly logger = new Logger(OrganizationsService.name);

  constructor(
    @Inject(NamespacesRepository) private readonly namespaces: NamespacesRepository,
    @Inject(MembershipsRepository) private readonly memberships: MembershipsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(RepositoriesRepository) private readonly repositories: RepositoriesRepository,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(CredentialCache) private readonly credentialCache: CredentialCache,
    // Absent in the command line, which opens no storage: there, upload bytes of a deleted
    // organization are left behind.
    @Optional() @Inject(BLOB_STORAGE) private readonly storage?: BlobStorage,
  ) {}

  /** Who: any signed-in user; they become its admin. */
  async create(actor: Principal, organization: { name: string; public?: boolean; description?: string }): Promise<OrganizationView> {
    if (!decideSystem(actor, 'organization:create')) throw new ForbiddenError('sign in to create an organization');
    assertNamespaceName(organization.name, 'name');
    let id: string;
    try {
      id = await this.namespaces.create(organization.name, 'organization', {
        ...(organization.public !== undefined ? { public: organization.public } : {}),
        ...(organization.description !== undefined ? { description: organization.description } : {}),
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new ConflictError(`the name ${organization.name} is taken`);
      throw error;
    }
    const creator = actor.kind === 'user' ? actor : actor.kind === 'token' ? actor.user : undefined;
    if (creator) await this.memberships.setMember(id, creator.id, Role.Admin);
    await this.access.changed();
    return this.view(actor, (await this.namespaces.findById(id))!);
  }

  /**
   * Who: anyone. The organizations the caller may see (public ones, those where they hold a
   * role, every one for system administrators), in name order after `after`: at most
   * `limit` of them, plus one more when another page follows.
   */
  async list(actor: Principal, query: OrganizationListQuery): Promise<OrganizationView[]> {
    const listing = await this.access.organizationListing(actor);
    const wanted = query.limit + 1;
    const shown: OrganizationView[] = [];
    let after = query.after;
    // The database pre-filter matches the decision; should a row still be refused (say, a
    // membership removed meanwhile), fetch on until the page is full rather than cut it short.
    for (;;) {
      const rows = await this.namespaces.listOrganizations({ ...query, after, limit: wanted, ...(listing.scope ? { scope: listing.scope } : {}) });
      const views = await listing.view(rows);
      rows.forEach((row, i) => {
        if (views[i]!.visible && shown.length < wanted) shown.push(asSeen(row, views[i]!));
      });
      if (rows.length < wanted || shown.length >= wanted) return shown;
      after = rows[rows.length - 1]!.name;
    }
  }

  /** Who: anyone who may see the organization (otherwise NotFound). */
  async describe(actor: Principal, name: string): Promise<OrganizationView> {
    const namespace = await this.authorize(actor, name, 'namespace:read');
    return this.view(actor, namespace);
  }

  /**
   * The organization when `actor` holds `permission` on it. One it may not even see is
   * NotFound, exactly like one that does not exist.
   */
  async authorize(actor: Principal, name: string, permission: Permission): Promise<NamespaceRow> {
    const namespace = await this.namespaces.findByName(name);
    if (!namespace || namespace.kind !== 'organization') throw new NotFoundError('organization');
    const resource = await this.access.namespaceResource(actor, namespace);
    if (!decide(actor, 'namespace:read', resource)) throw new NotFoundError('organization');
    if (!decide(actor, permission, resource)) throw new ForbiddenError();
    return namespace;
  }

  /** Who: organization admins (visibility and description are settings, Harbor #20409). */
  async updateSettings(actor: Principal, name: string, changes: { public?: boolean; description?: string }): Promise<OrganizationView> {
    const namespace = await this.authorize(actor, name, 'namespace:update');
    await this.namespaces.update(namespace.id, changes);
    await this.access.changed();
    return this.view(actor, (await this.namespaces.findById(namespace.id)) ?? namespace);
  }

  /**
   * Who: organization admins. Refused while it holds repositories unless forced; a name
   * deleted and created again inherits nothing (everything hangs off the old id). The
   * repositories' unfinished uploads are discarded from storage.
   */
  async delete(actor: Principal, name: string, force = false): Promise<void> {
    const namespace = await this.authorize(actor, name, 'namespace:delete');
    if (!force && (await this.namespaces.countRepositories(namespace.id)) > 0) throw new ConflictError('the organization still holds repositories');
    const uploads = await this.namespaces.deleteWithUploads(namespace.id);
    // Its robots, members and visibility are gone (one notice covers both caches).
    await this.credentialCache.changed();
    if (uploads === undefined) throw new NotFoundError('organization');
    // Blobs stay, deduplicated, for other repositories; unfinished uploads are nobody's now.
    for (const upload of uploads) {
      await this.storage
        ?.abortUpload({ key: upload.storageKey, state: upload.driverState })
        .catch((error: Error) => this.logger.warn(`deleting ${name}: could not abort upload ${upload.storageKey}: ${error.message}`));
    }
  }

  /** Who: organization admins. A repository's own visibility; null follows the organization. */
  async setRepositoryVisibility(actor: Principal, repository: string, visibility: boolean | null): Promise<void> {
    const namespace = await this.authorize(actor, repository.split('/', 1)[0]!, 'namespace:update');
    const updated = await this.repositories.setVisibility(namespace.id, repository, visibility);
    await this.access.changed();
    if (!updated) throw new NotFoundError('repository');
  }

  /** Who: organization admins. Adds a member or changes their role. */
  async setMember(actor: Principal, name: string, userName: string, role: Role): Promise<void> {
    assertRole(role);
    const namespace = await this.authorize(actor, name, 'member:manage');
    const user = await this.users.findByName(userName);
    if (!user) throw new NotFoundError('user');
    refuseLastAdmin(await this.memberships.setMember(namespace.id, user.id, role), name);
    await this.access.changed();
  }

  /**
   * Who: organization admins. Effective for the next token: issued ones die within their
   * lifetime. The last direct admin stays (see refuseLastAdmin).
   */
  async removeMember(actor: Principal, name: string, userName: string): Promise<void> {
    const namespace = await this.authorize(actor, name, 'member:manage');
    const user = await this.users.findByName(userName);
    const change = user === undefined ? 'not-a-member' : await this.memberships.removeMember(namespace.id, user.id);
    refuseLastAdmin(change, name);
    await this.access.changed();
    if (change === 'not-a-member') throw new NotFoundError('member');
  }

  /**
   * Who: guests and above. Every direct member, or with `page` those after `page.after` in
   * name order: at most `limit`, plus one more when another page follows.
   */
  async members(actor: Principal, name: string, page?: { after?: string; limit: number }): Promise<MemberRow[]> {
    const namespace = await this.authorize(actor, name, 'member:read');
    return page ? this.memberships.membersPage(namespace.id, { ...page, limit: page.limit + 1 }) : this.memberships.members(namespace.id);
  }

  /** Who: organization admins. */
  async createTeam(actor: Principal, name: string, team: { name: string; role: Role }): Promise<TeamRow> {
    assertTeamName(team.name);
    assertRole(team.role);
    const namespace = await this.authorize(actor, name, 'member:manage');
    try {
      const created = await this.memberships.createTeam(namespace.id, team.name, team.role);
      await this.access.changed();
      return created;
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new ConflictError(`a team named ${team.name} exists`);
      throw error;
    }
  }

  /** Who: guests and above. */
  async teams(actor: Principal, name: string): Promise<TeamRow[]> {
    const namespace = await this.authorize(actor, name, 'member:read');
    return this.memberships.teams(namespace.id);
  }

  /** Who: organization admins. Renames a team or changes its role. */
  async updateTeam(actor: Principal, name: string, teamId: string, changes: { name?: string; role?: Role }): Promise<TeamRow> {
    if (changes.name !== undefined) assertTeamName(changes.name);
    if (changes.role !== undefined) assertRole(changes.role);
    const namespace = await this.authorize(actor, name, 'member:manage');
    let team: TeamRow | undefined;
    try {
      team = isRowId(teamId) ? await this.memberships.updateTeam(namespace.id, teamId, changes) : undefined;
      await this.access.changed();
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new ConflictError(`a team named ${changes.name} exists`);
      throw error;
    }
    if (!team) throw new NotFoundError('team');
    return team;
  }

  /** Who: guests and above. The members of one team of this organization. */
  async teamMembers(actor: Principal, name: string, teamId: string): Promise<MemberRow[]> {
    const namespace = await this.authorize(actor, name, 'member:read');
    if (!isRowId(teamId) || !(await this.memberships.findTeam(namespace.id, teamId))) throw new NotFoundError('team');
    return this.memberships.teamMembers(namespace.id, teamId);
  }

  /** Who: organization admins. The team is looked up inside this organization only. */
  async addTeamMember(actor: Principal, name: string, teamId: string, userName: string): Promise<void> {
    const namespace = await this.authorize(actor, name, 'member:manage');
    const user = await this.users.findByName(userName);
    if (!user || !isRowId(teamId) || !(await this.memberships.findTeam(namespace.id, teamId))) throw new NotFoundError('team or user');
    await this.memberships.addTeamMember(namespace.id, teamId, user.id);
    await this.access.changed();
  }

  /** Who: organization admins. */
  async removeTeamMember(actor: Principal, name: string, teamId: string, userName: string): Promise<void> {
    const namespace = await this.authorize(actor, name, 'member:manage');
    const user = await this.users.findByName(userName);
    const removed = user !== undefined && isRowId(teamId) && (await this.memberships.removeTeamMember(namespace.id, teamId, user.id));
    await this.access.changed();
    if (!removed) throw new NotFoundError('team member');
  }

  /** Who: organization admins. */
  async deleteTeam(actor: Principal, name: string, teamId: string): Promise<void> {
    const namespace = await this.authorize(actor, name, 'member:manage');
    const deleted = isRowId(teamId) && (await this.memberships.deleteTeam(namespace.id, teamId));
    await this.access.changed();
    if (!deleted) throw new NotFoundError('team');
  }

  private async view(actor: Principal, namespace: NamespaceRow): Promise<OrganizationView> {
    const [counts, view] = await Promise.all([this.namespaces.repositoryCounts(namespace.id), this.access.namespaceView(actor, namespace)]);
    return asSeen({ ...namespace, ...counts }, view);
  }
}
