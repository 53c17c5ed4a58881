import { Inject, Injectable, Logger } from '@nestjs/common';
import { LoginFailuresRepository } from '@wharf/db';

import { WHARF_CONFIG, type WharfConfig } from '../config/config';

/** Too many failed logins for this account or address: wait `retryAfterSeconds`. */
export class LoginThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many failed logins, retry later');
    this.name = 'LoginThrottledError';
  }
}

/**
 * Failed-login limits per account and per client address, counted in PostgreSQL so that
 * every API process shares them. Only failures count; a success clears its account. A login
 * whose secret cannot be guessed (a robot's) names no account: only its address counts.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('LoginThrottle');

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(LoginFailuresRepository) private readonly failures: LoginFailuresRepository,
  ) {}

  /**
   * Throws LoginThrottledError while the account or the address is blocked; otherwise
   * answers whether the account has failures on record, for `succeeded`.
   */
  async check(account: string | undefined, address: string): Promise<{ accountFailed: boolean }> {
    const { blockedUntil, accountFailed } = await this.failures.status(accountKey(account), keysOf(account, address));
    if (blockedUntil) throw new LoginThrottledError(Math.max(1, Math.ceil((blockedUntil.getTime() - Date.now()) / 1000)));
    return { accountFailed };
  }

  async failed(account: string | undefined, address: string): Promise<void> {
    const { loginMaxFailures, loginMaxFailuresPerAddress, loginFailureWindowMs, loginBlockMs } = this.config.auth;
    if (account !== undefined) await this.failures.record(accountKey(account), loginMaxFailures, loginFailureWindowMs, loginBlockMs);
    await this.failures.record(addressKey(address), loginMaxFailuresPerAddress, loginFailureWindowMs, loginBlockMs);
    const blocked = await this.failures.blockedUntil(keysOf(account, address));
    if (blocked) this.logger.warn(`login blocked until ${blocked.toISOString()} for ${account !== undefined ? `account ${JSON.stringify(account.slice(0, 100))} or ` : ''}address ${address}`);
  }

  /** Clears the account's failures, when `check` found some. */
  async succeeded(account: string | undefined, checked: { accountFailed: boolean }): Promise<void> {
    if (account !== undefined && checked.accountFailed) await this.failures.clear(accountKey(account));
  }
}

/** No account matches no row. */
const accountKey = (account: string | undefined) => (account === undefined ? '' : `account:${account.slice(0, 300)}`);
const keysOf = (account: string | undefined, address: string) => (account === undefined ? [addressKey(address)] : [accountKey(account), addressKey(address)]);
const addressKey = (address: string) => `address:${address}`;
