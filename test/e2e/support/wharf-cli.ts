import { join } from 'node:path';

import { root } from '../../support/wharf-process.cjs';
import { e2eEnv } from './e2e-env';
import { run } from './run';

/**
 * A Wharf to administer: the settings its processes run with (a StartedWharf, a Cluster, or
 * the end-to-end server of test/support/e2e-setup.ts). The CLI must see the same database
 * (WHARF_DATA_DIR of an embedded PostgreSQL, or DATABASE_URL) and the same WHARF_SECRET.
 */
export interface CliTarget {
  readonly env: Readonly<Record<string, string>>;
}

/** The server every end-to-end suite shares. */
export function e2eServer(): CliTarget {
  return { env: { WHARF_DATA_DIR: e2eEnv().dataDir } };
}

export interface CliOptions {
  /** Default: the shared end-to-end server. */
  readonly target?: CliTarget;
  /** The new user's password for `user create` (WHARF_CLI_PASSWORD). */
  readonly password?: string;
}

/**
 * Runs `node apps/api/dist/cli.js <args>` beside a running server, e.g.
 * `wharfCli(['org', 'create', 'acme'])`, and returns the one JSON object it prints. A failing
 * command rejects with its message (stderr).
 */
export async function wharfCli<T = Record<string, unknown>>(args: readonly string[], options: CliOptions = {}): Promise<T> {
  const target = options.target ?? e2eServer();
  const stdout = await run(process.execPath, [join(root, 'apps/api/dist/cli.js'), ...args], {
    cwd: root,
    env: { DATABASE_URL: undefined, WHARF_SECRET: undefined, ...target.env, WHARF_CLI_PASSWORD: options.password },
    timeoutMs: 60_000,
  });
  return JSON.parse(stdout) as T;
}

/** Creates an organization, owned by `admin`, to push into (repositories need their namespace). */
export function createOrganization(name: string, options: CliOptions & { readonly public?: boolean } = {}): Promise<{ organization: string; public: boolean }> {
  return wharfCli(['org', 'create', name, ...(options.public ? ['--public'] : [])], options);
}
