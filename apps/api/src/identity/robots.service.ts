import { Inject, Injectable } from '@nestjs/common';
import { REPOSITORY_ACTIONS, type Principal, type RepositoryAction, type RobotRule } from '@wharf/authz';
import { RefreshTokensRepository, RobotsRepository, UniqueViolationError, type RobotRow } from '@wharf/db';

import { AccessService, robotAccountName } from '../access/access.service';
import { CredentialCache } from '../auth/credential-cache';
import { hashSecret, generateSecret } from '../auth/secrets';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { OrganizationsService } from './organizations.service';
import { assertRepositoryGlob, assertRobotName, isRowId } from './validation';

export const ROBOT_SECRET_PREFIX = 'wharf_robot_';

/** Validates permission lines; pushing needs pulling (as in Harbor), so push adds pull. */
function normalizeRules(rules: unknown): RobotRule[] {
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 100) throw new ValidationError('rules', 'one to 100 permission lines');
  return rules.map((rule: { pattern?: unknown; actions?: unknown }, index) => {
    assertRepositoryGlob(rule?.pattern, `rules.${index}.pattern`);
    const actions = rule.actions;
    if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => REPOSITORY_ACTIONS.includes(a as RepositoryAction))) {
      throw new ValidationError(`rules.${index}.actions`, 'one or more of pull, push, delete');
    }
    const wanted = new Set<RepositoryAction>(actions as RepositoryAction[]);
    if (wanted.has('push') || wanted.has('delete')) wanted.add('pull');
    return { pattern: rule.pattern as string, actions: REPOSITORY_ACTIONS.filter((a) => wanted.has(a)) };
  });
}

export interface RobotWithSecret {
  readonly robot: RobotRow;
  /** `robot$org+name`, the user name for docker login. */
  readonly username: string;
  /** Shown once. */
  readonly secret: string;
}

/**
 * Robot accounts of organizations. Who: organization admins, and only with permissions they
 * hold themselves; robots and tokens never manage robots. Every robot is looked up by
 * (organization, id).
 */
@Injectable()
export class RobotsService {
  constructor(
    @Inject(RobotsRepository) private readonly robots: RobotsRepository,
    @Inject(RefreshTokensRepository) private readonly refreshTokens: RefreshTokensRepository,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(CredentialCache) private readonly credentialCache: CredentialCache,
  ) {}

  async create(actor: Principal, org: string, robot: { name: string; rules: readonly RobotRule[]; expiresAt?: Date | null; description?: string }): Promise<RobotWithSecret> {
    assertRobotName(robot.name);
    const rules = normalizeRules(robot.rules);
    if (robot.expiresAt && robot.expiresAt.getTime() <= Date.now()) throw new ValidationError('expiresAt', 'must be in the future');
    const namespace = await this.organizations.authorize(actor, org, 'robot:manage');
    if (!(await this.access.mayGrantRobot(actor, rules, namespace))) throw new ForbiddenError('a robot cannot get permissions its creator does not hold');
    const secret = generateSecret(ROBOT_SECRET_PREFIX);
    try {
      const row = await this.robots.create({
        namespaceId: namespace.id,
        name: robot.name,
        ...(robot.description !== undefined ? { description: robot.description } : {}),
        secretHash: hashSecret(secret),
        rules,
        expiresAt: robot.expiresAt ?? null,
        createdBy: actor.kind === 'user' ? actor.id : null,
      });
      return { robot: row, username: robotAccountName(namespace.name, row.name), secret };
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new ConflictError(`a robot named ${robot.name} exists`);
      throw error;
    }
  }

  /** Who: guests and above may list (Harbor); secrets are never returned. */
  async list(actor: Principal, org: string): Promise<RobotRow[]> {
    const namespace = await this.organizations.authorize(actor, org, 'robot:read');
    return this.robots.list(namespace.id);
  }

  /**
   * Changes that give the robot power again or anew (rules, expiry, enabling) need the
   * editor to hold every permission of its resulting rules, as for creating it; disabling
   * and describing need only robot:manage. An expiry in the past expires it now.
   */
  async update(
    actor: Principal,
    org: string,
    id: string,
    changes: { rules?: readonly RobotRule[]; expiresAt?: Date | null; disabled?: boolean; description?: string },
  ): Promise<RobotRow> {
    const rules = changes.rules !== undefined ? normalizeRules(changes.rules) : undefined;
    const namespace = await this.organizations.authorize(actor, org, 'robot:manage');
    const robot = isRowId(id) ? await this.robots.find(namespace.id, id) : undefined;
    if (!robot) throw new NotFoundError('robot');
    const empowers = rules !== undefined || changes.expiresAt !== undefined || changes.disabled === false;
    if (empowers && !(await this.access.mayGrantRobot(actor, rules ?? (robot.rules as RobotRule[]), namespace))) {
      throw new ForbiddenError('a robot cannot get permissions its editor does not hold');
    }
    const updated = await this.robots.update(namespace.id, id, { ...changes, ...(rules ? { rules } : {}) });
    await this.credentialCache.changed();
    if (!updated) throw new NotFoundError('robot');
    if (changes.disabled) await this.refreshTokens.revokeAllOfRobot(id);
    return (await this.robots.find(namespace.id, id))!;
  }

  /**
   * A new secret; the old one and every refresh token obtained with it stop working at once.
   * Whoever rotates learns the secret, so they must hold everything the robot may do.
   */
  async rotateSecret(actor: Principal, org: string, id: string): Promise<RobotWithSecret> {
    const namespace = await this.organizations.authorize(actor, org, 'robot:manage');
    const robot = isRowId(id) ? await this.robots.find(namespace.id, id) : undefined;
    if (!robot) throw new NotFoundError('robot');
    if (!(await this.access.mayGrantRobot(actor, robot.rules as RobotRule[], namespace))) throw new ForbiddenError('a robot cannot get permissions its editor does not hold');
    const secret = generateSecret(ROBOT_SECRET_PREFIX);
    const stored = await this.robots.update(namespace.id, id, { secretHash: hashSecret(secret) });
    await this.credentialCache.changed();
    if (!stored) throw new NotFoundError('robot');
    await this.refreshTokens.revokeAllOfRobot(id);
    const rotated = (await this.robots.find(namespace.id, id))!;
    return { robot: rotated, username: robotAccountName(namespace.name, rotated.name), secret };
  }

  async delete(actor: Principal, org: string, id: string): Promise<void> {
    const namespace = await this.organizations.authorize(actor, org, 'robot:manage');
    const deleted = isRowId(id) && (await this.robots.delete(namespace.id, id));
    await this.credentialCache.changed();
    if (!deleted) throw new NotFoundError('robot');
  }
}
