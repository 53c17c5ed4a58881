import { randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { SessionsRepository, UsersRepository, type UserRow } from '@wharf/db';

import { hashSecret } from '../auth/secrets';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';

export const SESSION_COOKIE = 'wharf_session';

export interface OpenedSession {
  /** The cookie value: shown to the browser only, stored hashed. */
  readonly cookie: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/**
 * Portal sessions: a random cookie value whose hash keys a row. A new session at every
 * sign-in (no fixation), ended server-side at sign-out, after WHARF_SESSION_TTL, or after
 * WHARF_SESSION_IDLE_TIMEOUT without a request.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
  ) {}

  async open(user: UserRow): Promise<OpenedSession> {
    const cookie = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.auth.sessionTtlMs);
    await this.sessions.create({ id: hashSecret(cookie), userId: user.id, csrfToken, expiresAt });
    return { cookie, csrfToken, expiresAt };
  }

  /** The session and its user, while both are live and the user is enabled. */
  async resolve(cookie: string): Promise<{ user: UserRow; csrfToken: string } | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(cookie)) return undefined;
    const session = await this.sessions.touch(hashSecret(cookie), this.config.auth.sessionIdleMs);
    if (!session) return undefined;
    const user = await this.users.findById(session.userId);
    return user && !user.disabled ? { user, csrfToken: session.csrfToken } : undefined;
  }

  async close(cookie: string): Promise<void> {
    if (/^[A-Za-z0-9_-]{43}$/.test(cookie)) await this.sessions.delete(hashSecret(cookie));
  }

  /** Ends every session of a user (password changed, disabled, deleted). */
  async closeAllOf(userId: string): Promise<void> {
    await this.sessions.deleteAllOfUser(userId);
  }
}
