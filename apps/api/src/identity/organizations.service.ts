import { Inject, Injectable } from '@nestjs/common';
import { decide, decideSystem, isRole, Role, type Permission, type Principal } from '@wharf/authz';
import { MembershipsRepository, NamespacesRepository, RepositoriesRepository, UniqueViolationError, UsersRepository, type NamespaceRow, type TeamRow } from '@wharf/db';

import { AccessService } from '../access/access.service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { assertNamespaceName, assertTeamName } from './validation';

function assertRole(role: unknown): asserts role is Role {
  if (!isRole(role)) throw new ValidationError('role', 'one of limited-guest, guest, developer, maintainer, admin');
}

/**
 * Organizations, their members and teams, and the visibility of their content. Each method
 * states who may call it; the authorization module decides.
 */
@Injectable()
export class OrganizationsService {
  constructor(
    @Inject(NamespacesRepository) private readonly namespaces: NamespacesRepository,
    @Inject(MembershipsRepository) private readonly memberships: MembershipsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(RepositoriesRepository) private readonly repositories: RepositoriesRepository,
    @Inject(AccessService) private readonly access: AccessService,
  ) {}

  /** Who: any signed-in user; they become its admin. */
  async create(actor: Principal, organization: { name: string; public?: boolean; description?: string }): Promise<NamespaceRow> {
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
    return (await this.namespaces.findById(id))!;
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
  async updateSettings(actor: Principal, name: string, changes: { public?: boolean; description?: string }): Promise<void> {
    const namespace = await this.authorize(actor, name, 'namespace:update');
    await this.namespaces.update(namespace.id, changes);
  }

  /**
   * Who: organization admins. Refused while it holds repositories unless forced; a name
   * deleted and created again inherits nothing (everything hangs off the old id).
   */
  async delete(actor: Principal, name: string, force = false): Promise<void> {
    const namespace = await this.authorize(actor, name, 'namespace:delete');
    if (!force && (await this.namespaces.countRepositories(namespace.id)) > 0) throw new ConflictError('the organization still holds repositories');
    await this.namespaces.delete(namespace.id);
  }

  /** Who: organization admins. A repository's own visibility; null follows the organization. */
  async setRepositoryVisibility(actor: Principal, repository: string, visibility: boolean | null): Promise<void> {
    const namespace = await this.authorize(actor, repository.split('/', 1)[0]!, 'namespace:update');
    if (!(await this.repositories.setVisibility(namespace.id, repository, visibility))) throw new NotFoundError('repository');
  }

  /** Who: organization admins. Adds a member or changes their role. */
  async setMember(actor: Principal, name: string, userName: string, role: Role): Promise<void> {
    assertRole(role);
    const namespace = await this.authorize(actor, name, 'member:manage');
    const user = await this.users.findByName(userName);
    if (!user) throw new NotFoundError('user');
    await this.memberships.setMember(namespace.id, user.id, role);
  }

  /** Who: organization admins. Effective for the next token: issued ones die within their lifetime. */
  async removeMember(actor: Principal, name: string, userName: string): Promise<void> {
    const namespace = await this.authorize(actor, name, 'member:manage');
    const user = await this.users.findByName(userName);
    if (!user || !(await this.memberships.removeMember(namespace.id, user.id))) throw new NotFoundError('member');
  }

  /** Who: guests and above. */
  async members(actor: Principal, name: string) {
    const namespace = await this.authorize(actor, name, 'member:read');
    return this.memberships.members(namespace.id);
  }

  /** Who: organization admins. */
  async createTeam(actor: Principal, name: string, team: { name: string; role: Role }): Promise<TeamRow> {
    assertTeamName(team.name);
    assertRole(team.role);
    const namespace = await this.authorize(actor, name, 'member:manage');
    try {
      return await this.memberships.createTeam(namespace.id, team.name, team.role);
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

  /** Who: organization admins. The team is looked up inside this organization only. */
  async addTeamMember(actor: Principal, name: string, teamId: string, userName: string): Promise<void> {
    const namespace = await this.authorize(actor, name, 'member:manage');
    const user = await this.users.findByName(userName);
    if (!user || !/^\d+$/.test(teamId) || !(await this.memberships.findTeam(namespace.id, teamId))) throw new NotFoundError('team or user');
    await this.memberships.addTeamMember(namespace.id, teamId, user.id);
  }

  /** Who: organization admins. */
  async removeTeamMember(actor: Principal, name: string, teamId: string, userName: string): Promise<void> {
    const namespace = await this.authorize(actor, name, 'member:manage');
    const user = await this.users.findByName(userName);
    if (!user || !/^\d+$/.test(teamId) || !(await this.memberships.removeTeamMember(namespace.id, teamId, user.id))) throw new NotFoundError('team member');
  }

  /** Who: organization admins. */
  async deleteTeam(actor: Principal, name: string, teamId: string): Promise<void> {
    const namespace = await this.authorize(actor, name, 'member:manage');
    if (!/^\d+$/.test(teamId) || !(await this.memberships.deleteTeam(namespace.id, teamId))) throw new NotFoundError('team');
  }
}
