import { randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { decideSystem, TOKEN_SCOPES, type Principal, type TokenScope } from '@wharf/authz';
import {
  PersonalTokensRepository,
  RefreshTokensRepository,
  SessionsRepository,
  SettingsRepository,
  UniqueViolationError,
  UsersRepository,
  type PersonalTokenRow,
  type UserRow,
} from '@wharf/db';

import { AccessService } from '../access/access.service';
import { CredentialCache } from '../auth/credential-cache';
import { composeSecret, PERSONAL_TOKEN_PREFIX } from '../auth/credentials.service';
import { LoginThrottle } from '../auth/login-throttle';
import { PasswordHasher } from '../auth/passwords';
import { hashSecret } from '../auth/secrets';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';
import { assertNamespaceName, assertPassword, assertRepositoryGlob, assertTokenName } from './validation';

const SELF_REGISTRATION = 'self_registration';

export interface NewPersonalToken {
  readonly name: string;
  readonly scope: TokenScope;
  readonly namespaces?: readonly string[];
  readonly repositories?: readonly string[];
  readonly expiresAt?: Date | null;
}

/** The person behind a user or a personal access token; undefined for anyone else. */
function actingUserId(actor: Principal): string | undefined {
  return actor.kind === 'user' ? actor.id : actor.kind === 'token' ? actor.user.id : undefined;
}

/**
 * Users and their own credentials: the first administrator, self-registration, passwords
 * and personal access tokens. Each method states who may call it and asks the
 * authorization module.
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger('Accounts');

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(PersonalTokensRepository) private readonly tokens: PersonalTokensRepository,
    @Inject(RefreshTokensRepository) private readonly refreshTokens: RefreshTokensRepository,
    @Inject(SettingsRepository) private readonly settings: SettingsRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(CredentialCache) private readonly credentialCache: CredentialCache,
    @Inject(AccessService) private readonly access: AccessService,
  ) {}

  /** At first start: the `admin` user, with WHARF_ADMIN_PASSWORD or a generated password printed once. */
  async bootstrapAdmin(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const generated = this.config.auth.adminPassword === undefined;
    const password = this.config.auth.adminPassword ?? randomBytes(15).toString('base64url');
    try {
      await this.users.create({ name: 'admin', passwordHash: await this.passwords.hash(password), admin: true });
    } catch (error) {
      if (error instanceof UniqueViolationError) return; // another process created it first
      throw error;
    }
    if (generated) {
      this.logger.warn(`created the system administrator "admin" with the generated password: ${password}`);
      this.logger.warn('this password is shown only once: sign in and change it, or set WHARF_ADMIN_PASSWORD before the first start');
    } else {
      this.logger.log('created the system administrator "admin" with the password from WHARF_ADMIN_PASSWORD');
    }
  }

  /** Who: any signed-in person (or their token): their own account. */
  async profile(actor: Principal): Promise<UserRow> {
    const id = actingUserId(actor);
    const user = id ? await this.users.findById(id) : undefined;
    if (!user) throw new ForbiddenError('sign in as a user');
    return user;
  }

  /**
   * Who: system administrators, and their read-only tokens. Users by name, after `afterName`,
   * whose name or email contains `q`; `limit` rows at most.
   */
  async listUsers(actor: Principal, query: { q?: string; afterName?: string; limit: number }): Promise<UserRow[]> {
    if (!decideSystem(actor, 'system:read')) throw new ForbiddenError('only system administrators list users');
    return this.users.search(query);
  }

  /** Who: system administrators. */
  async createUser(actor: Principal, user: { name: string; password: string; email?: string; admin?: boolean }): Promise<UserRow> {
    if (!decideSystem(actor, 'system:manage')) throw new ForbiddenError('only system administrators create users');
    return this.insertUser(user);
  }

  /** Who: anyone, while an administrator has switched self-registration on. Never an admin. */
  async register(user: { name: string; password: string; email?: string }): Promise<UserRow> {
    if (!(await this.selfRegistrationEnabled())) throw new ForbiddenError('self-registration is switched off');
    return this.insertUser({ name: user.name, password: user.password, ...(user.email ? { email: user.email } : {}) });
  }

  async selfRegistrationEnabled(): Promise<boolean> {
    return (await this.settings.get<boolean>(SELF_REGISTRATION)) ?? false;
  }

  /** Who: system administrators. */
  async setSelfRegistration(actor: Principal, enabled: boolean): Promise<void> {
    if (!decideSystem(actor, 'system:manage')) throw new ForbiddenError('only system administrators change settings');
    await this.settings.set(SELF_REGISTRATION, enabled);
  }

  /**
   * Who: system administrators; never disabling themselves or revoking their own admin (the
   * last administrator could lock everyone out). Disabling the user or setting a password ends
   * every session and refresh token at once. Returns the user as changed.
   */
  async updateUser(actor: Principal, userId: string, changes: { disabled?: boolean; admin?: boolean; password?: string }): Promise<UserRow> {
    if (!decideSystem(actor, 'system:manage')) throw new ForbiddenError('only system administrators manage users');
    if (actingUserId(actor) === userId && (changes.disabled === true || changes.admin === false)) {
      throw new ForbiddenError('administrators cannot disable themselves or revoke their own admin');
    }
    if (changes.password !== undefined) assertPassword(changes.password);
    const passwordHash = changes.password !== undefined ? await this.passwords.hash(changes.password) : undefined;
    const updated = await this.users.update(userId, {
      ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
      ...(changes.admin !== undefined ? { admin: changes.admin } : {}),
      ...(passwordHash ? { passwordHash } : {}),
    });
    if (!updated) throw new NotFoundError('user');
    await this.credentialCache.changed();
    if (changes.disabled || passwordHash) {
      await this.sessions.deleteAllOfUser(userId);
      await this.refreshTokens.revokeAllOfUser(userId);
    }
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('user');
    return user;
  }

  /** updateUser, for the user of this name. */
  async updateUserNamed(actor: Principal, name: string, changes: { disabled?: boolean; admin?: boolean; password?: string }): Promise<UserRow> {
    return this.updateUser(actor, (await this.managedUserNamed(actor, name)).id, changes);
  }

  /** deleteUser, for the user of this name. */
  async deleteUserNamed(actor: Principal, name: string): Promise<void> {
    await this.deleteUser(actor, (await this.managedUserNamed(actor, name)).id);
  }

  /**
   * Who: system administrators; never themselves. Removes the personal namespace and its
   * repositories; sessions, tokens and memberships go with the user (foreign keys).
   */
  async deleteUser(actor: Principal, userId: string): Promise<void> {
    if (!decideSystem(actor, 'system:manage')) throw new ForbiddenError('only system administrators delete users');
    if (actingUserId(actor) === userId) throw new ForbiddenError('administrators cannot delete themselves');
    const deleted = await this.users.delete(userId);
    // Their credentials, namespace and memberships went with them (one notice covers both caches).
    await this.credentialCache.changed();
    if (!deleted) throw new NotFoundError('user');
  }

  /** Who: the user, with the current password. Ends all their sessions (the current one too) and refresh tokens. */
  async changePassword(actor: Principal, current: string, next: string, address: string): Promise<void> {
    if (!decideSystem(actor, 'account:manage') || actor.kind !== 'user') throw new ForbiddenError('sign in as the user to change the password');
    const user = await this.users.findById(actor.id);
    if (!user) throw new NotFoundError('user');
    // Guessing the current password here counts like failed logins: a stolen session is no oracle.
    await this.throttle.check(user.name, address);
    if (!(await this.passwords.verify(current, user.passwordHash))) {
      await this.throttle.failed(user.name, address);
      throw new ValidationError('currentPassword', 'is not the current password');
    }
    assertPassword(next, 'newPassword');
    await this.users.update(user.id, { passwordHash: await this.passwords.hash(next) });
    await this.credentialCache.changed();
    await this.sessions.deleteAllOfUser(user.id);
    await this.refreshTokens.revokeAllOfUser(user.id);
  }

  /** Who: the user themselves. The secret is returned here and never again. */
  async createPersonalToken(actor: Principal, token: NewPersonalToken): Promise<{ token: PersonalTokenRow; secret: string }> {
    if (!decideSystem(actor, 'account:manage') || actor.kind !== 'user') throw new ForbiddenError('sign in as the user to create tokens');
    assertTokenName(token.name);
    if (!TOKEN_SCOPES.includes(token.scope)) throw new ValidationError('scope', `one of ${TOKEN_SCOPES.join(', ')}`);
    token.namespaces?.forEach((name) => assertNamespaceName(name, 'namespaces'));
    token.repositories?.forEach((pattern) => assertRepositoryGlob(pattern, 'repositories'));
    if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) throw new ValidationError('expiresAt', 'must be in the future');
    const id = randomUUID();
    const secret = composeSecret(PERSONAL_TOKEN_PREFIX, id);
    try {
      const row = await this.tokens.create({
        id,
        userId: actor.id,
        name: token.name,
        secretHash: hashSecret(secret),
        scope: token.scope,
        namespaces: token.namespaces && token.namespaces.length > 0 ? [...token.namespaces] : null,
        repositories: token.repositories && token.repositories.length > 0 ? [...token.repositories] : null,
        expiresAt: token.expiresAt ?? null,
      });
      return { token: row, secret };
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new ConflictError(`a token named ${token.name} exists`);
      throw error;
    }
  }

  /** Who: the user themselves. Effective at once, and for refresh tokens obtained with it. */
  async revokePersonalToken(actor: Principal, tokenId: string): Promise<void> {
    const deleted = actor.kind === 'user' && /^[0-9a-f-]{36}$/.test(tokenId) && (await this.tokens.delete(actor.id, tokenId));
    await this.credentialCache.changed();
    if (!deleted) throw new NotFoundError('token');
  }

  async listPersonalTokens(actor: Principal): Promise<PersonalTokenRow[]> {
    if (actor.kind !== 'user') throw new ForbiddenError('sign in as the user to list tokens');
    return this.tokens.list(actor.id);
  }

  /** Authorization first, so that nobody else learns which names exist. */
  private async managedUserNamed(actor: Principal, name: string): Promise<UserRow> {
    if (!decideSystem(actor, 'system:manage')) throw new ForbiddenError('only system administrators manage users');
    const user = await this.users.findByName(name);
    if (!user) throw new NotFoundError('user');
    return user;
  }

  private async insertUser(user: { name: string; password: string; email?: string; admin?: boolean }): Promise<UserRow> {
    assertNamespaceName(user.name, 'name');
    assertPassword(user.password);
    try {
      const created = await this.users.create({ name: user.name, passwordHash: await this.passwords.hash(user.password), ...(user.email ? { email: user.email } : {}), admin: user.admin ?? false });
      // Their personal namespace now exists.
      await this.access.changed();
      return created;
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new ConflictError(`the name ${user.name} is taken`);
      throw error;
    }
  }
}
