import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@wharf/authz';
import { PersonalTokensRepository, RefreshTokensRepository, RobotsRepository, UsersRepository } from '@wharf/db';
import { LRUCache } from 'lru-cache';

import { AccessService, isExpired, robotPrincipal, tokenPrincipal, userPrincipal } from '../access/access.service';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { CredentialCache } from './credential-cache';
import { KeyedSerializer } from './keyed-serializer';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './passwords';
import { generateSecret, hashSecret, secretMatches } from './secrets';

/** Wrong user name, password, token or secret; deliberately says no more. */
export class AuthenticationError extends Error {
  constructor() {
    super('invalid username or password');
    this.name = 'AuthenticationError';
  }
}

export const PERSONAL_TOKEN_PREFIX = 'wharf_pat_';
export const REFRESH_TOKEN_PREFIX = 'wharf_rt_';

/** `<prefix><id without dashes>_<random>`: the id finds the row, the whole is compared hashed. */
export function composeSecret(prefix: string, id: string): string {
  return `${prefix}${id.replace(/-/g, '')}_${generateSecret('')}`;
}

function idOfSecret(prefix: string, secret: string): string | undefined {
  const match = new RegExp(`^${prefix}([0-9a-f]{32})_[A-Za-z0-9_-]{43}$`).exec(secret);
  if (!match) return undefined;
  const hex = match[1]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Who the credentials stand for, and until when (robots and tokens may expire). */
interface CheckedCredentials {
  readonly principal: Principal;
  readonly expiresAt: Date | null;
}

const ROBOT_NAME = /^robot\$([a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)\+(.+)$/;

const personalTokenAccount = (id: string | undefined) => `personal-token:${id ?? 'malformed'}`;

/**
 * Whose failed-login count a Basic login adds to: the user's for a password; the token's for
 * a personal access token (as when one is sent alone); none for a robot, whose long random
 * secret cannot be guessed, so that guesses from anywhere cannot lock a CI job out. The
 * address counts in every case.
 */
function throttledAccount(username: string, secret: string): string | undefined {
  if (ROBOT_NAME.test(username)) return undefined;
  const tokenId = idOfSecret(PERSONAL_TOKEN_PREFIX, secret);
  return tokenId ? personalTokenAccount(tokenId) : username;
}

/**
 * Who is calling: checks a user name with a password or a personal access token, a robot
 * with its secret, or a refresh token, against hashes only, under the failed-login limits.
 */
@Injectable()
export class CredentialsService {
  /** Last-use times are kept to the minute; within it a login skips the round trip. */
  private readonly recentlyRecorded = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });
  private readonly loginsPerAccount = new KeyedSerializer();

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(RobotsRepository) private readonly robots: RobotsRepository,
    @Inject(PersonalTokensRepository) private readonly tokens: PersonalTokensRepository,
    @Inject(RefreshTokensRepository) private readonly refreshTokens: RefreshTokensRepository,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(CredentialCache) private readonly cache: CredentialCache,
  ) {}

  /**
   * The principal for Basic credentials; AuthenticationError or LoginThrottledError otherwise.
   *
   * Logins to one account are checked one at a time in this process: otherwise a burst of
   * guesses sent at once would all pass the limit check before the first failure is counted.
   * (Across N processes, at most N guesses overlap.) A burst of right ones costs one check:
   * those that waited find the first one's result in the cache.
   */
  async authenticate(username: string, secret: string, address: string): Promise<Principal> {
    const cached = this.cache.get(username, secret, address);
    if (cached) return cached;
    const account = throttledAccount(username, secret);
    const login = async () => {
      const meanwhile = this.cache.get(username, secret, address);
      if (meanwhile) return meanwhile;
      const throttled = await this.throttle.check(account, address);
      const checked = await this.check(username, secret);
      if (!checked) {
        this.cache.failed(username, address);
        await this.throttle.failed(account, address);
        throw new AuthenticationError();
      }
      await this.throttle.succeeded(account, throttled);
      this.cache.set(username, secret, checked.principal, checked.expiresAt);
      return checked.principal;
    };
    return account === undefined ? login() : this.loginsPerAccount.run(account, login);
  }

  /** The principal of a personal access token sent alone (management API Bearer auth). */
  async authenticatePersonalToken(secret: string, address: string): Promise<Principal> {
    const id = idOfSecret(PERSONAL_TOKEN_PREFIX, secret);
    const account = personalTokenAccount(id);
    await this.throttle.check(account, address);
    const token = id ? await this.tokens.findById(id) : undefined;
    const user = token ? await this.users.findById(token.userId) : undefined;
    const principal = user ? (await this.checkPersonalToken(user.name, id!, secret))?.principal : undefined;
    if (!principal) {
      await this.throttle.failed(account, address);
      throw new AuthenticationError();
    }
    return principal;
  }

  /** A refresh token for later logins without the password (docker's identity token). */
  async issueRefreshToken(principal: Principal, clientId: string | undefined): Promise<string> {
    if (principal.kind === 'anonymous') throw new Error('anonymous callers get no refresh token');
    const id = randomUUID();
    const secret = composeSecret(REFRESH_TOKEN_PREFIX, id);
    await this.refreshTokens.create({
      id,
      secretHash: hashSecret(secret),
      userId: principal.kind === 'user' ? principal.id : principal.kind === 'token' ? principal.user.id : null,
      robotId: principal.kind === 'robot' ? principal.id : null,
      personalTokenId: principal.kind === 'token' ? principal.id : null,
      expiresAt: new Date(Date.now() + this.config.auth.refreshTokenTtlMs),
      ...(clientId ? { clientId: clientId.slice(0, 200) } : {}),
    });
    return secret;
  }

  /** The principal a refresh token stands for, as it is now. */
  async authenticateRefreshToken(secret: string, address: string): Promise<Principal> {
    const id = idOfSecret(REFRESH_TOKEN_PREFIX, secret);
    // Failures count against the token they name and the caller's address: one shared key
    // would let a few guesses from anywhere lock every client out of its refresh token.
    const account = `refresh-token:${id ?? 'malformed'}`;
    await this.throttle.check(account, address);
    const row = id ? await this.refreshTokens.findLive(id) : undefined;
    if (row && secretMatches(secret, row.secretHash)) {
      const key = row.personalTokenId ? `token:${row.personalTokenId}` : row.robotId ? `robot:${row.robotId}` : `user:${row.userId}`;
      const principal = await this.access.principalFromKey(key);
      if (principal) {
        await this.recordUse(`refresh-token:${row.id}`, () => this.refreshTokens.recordUse(row.id));
        return principal;
      }
    }
    await this.throttle.failed(account, address);
    throw new AuthenticationError();
  }

  async revokeRefreshToken(secret: string): Promise<boolean> {
    const id = idOfSecret(REFRESH_TOKEN_PREFIX, secret);
    const row = id ? await this.refreshTokens.findLive(id) : undefined;
    return row !== undefined && secretMatches(secret, row.secretHash) && (await this.refreshTokens.revoke(row.id));
  }

  private async recordUse(key: string, write: () => Promise<void>): Promise<void> {
    if (this.recentlyRecorded.has(key)) return;
    this.recentlyRecorded.set(key, true);
    await write();
  }

  private async check(username: string, secret: string): Promise<CheckedCredentials | undefined> {
    const robotName = ROBOT_NAME.exec(username);
    if (robotName) return this.checkRobot(robotName[1]!, robotName[2]!, secret);
    const tokenId = idOfSecret(PERSONAL_TOKEN_PREFIX, secret);
    if (tokenId) return this.checkPersonalToken(username, tokenId, secret);
    const user = await this.users.findByName(username);
    const ok = await this.passwords.verify(secret, user?.passwordHash);
    if (!ok || !user || user.disabled) return undefined;
    await this.recordUse(`user:${user.id}`, () => this.users.recordLogin(user.id));
    return { principal: userPrincipal(user), expiresAt: null };
  }

  private async checkRobot(namespace: string, name: string, secret: string): Promise<CheckedCredentials | undefined> {
    const robot = await this.robots.findByName(namespace, name);
    const ok = secretMatches(secret, robot?.secretHash ?? hashSecret(randomUUID()));
    // Disabled and expired robots fail here, at login, not later at pull (harbor#15110).
    if (!ok || !robot || robot.disabled || isExpired(robot.expiresAt)) return undefined;
    await this.recordUse(`robot:${robot.id}`, () => this.robots.recordUse(robot.id));
    return { principal: robotPrincipal(robot), expiresAt: robot.expiresAt };
  }

  private async checkPersonalToken(username: string, id: string, secret: string): Promise<CheckedCredentials | undefined> {
    const token = await this.tokens.findById(id);
    const ok = secretMatches(secret, token?.secretHash ?? hashSecret(randomUUID()));
    if (!ok || !token || isExpired(token.expiresAt)) return undefined;
    const user = await this.users.findById(token.userId);
    if (!user || user.disabled || user.name !== username) return undefined;
    await this.recordUse(`token:${token.id}`, () => this.tokens.recordUse(token.id));
    return { principal: tokenPrincipal(token, user), expiresAt: token.expiresAt };
  }
}
