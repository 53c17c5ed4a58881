import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { track, untrack, type Managed } from '../support/processes';
import type * as WharfProcessModule from '../../support/wharf-process.cjs';
import { root } from '../support/paths';
import type { Registry } from './registry';

type WharfProcess = typeof WharfProcessModule;
type StartedWharf = Awaited<ReturnType<WharfProcess['startWharf']>>;

// The same starter the end-to-end tests and the conformance runs use (test/support).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startWharf } = require(join(root, 'test/support/wharf-process.cjs')) as WharfProcess;

const run = promisify(execFile);

export interface WharfOptions {
  readonly name: string;
  readonly dataDir: string;
  readonly logFile: string;
  /** Settings on top of the defaults (storage, DATABASE_URL, WHARF_SECRET, …). */
  readonly env: Record<string, string>;
}

/** The account the harness pushes and pulls with: a maintainer of the organization `bench`. */
export const BENCH_USER = { username: 'bencher', password: 'bench-password-2f9c' };
export const BENCH_ORG = 'bench';

/**
 * A real Wharf process (apps/api/dist/main.js), token auth on as always: every request of a
 * row carries a registry token that the harness got from /token with Basic credentials.
 */
export class WharfServer implements Registry, Managed {
  readonly label = 'wharf';
  readonly credentials = BENCH_USER;
  private service: string | undefined;
  private readonly tokens = new Map<string, { header: string; until: number }>();

  private constructor(
    readonly name: string,
    private readonly options: WharfOptions,
    private process: StartedWharf,
  ) {
    track(this);
  }

  static async start(options: WharfOptions): Promise<WharfServer> {
    const started = await startWharf({ dataDir: options.dataDir, logFile: options.logFile, env: options.env, sourceMaps: false });
    return new WharfServer(options.name, options, started);
  }

  get url(): string {
    return this.process.url;
  }

  get pid(): number {
    return this.process.pid;
  }

  get env(): Readonly<Record<string, string>> {
    return this.process.env;
  }

  async restart(): Promise<void> {
    await this.process.stop();
    this.process = await startWharf({ dataDir: this.options.dataDir, logFile: this.options.logFile, env: this.options.env, port: this.process.port, sourceMaps: false });
  }

  async stop(): Promise<void> {
    untrack(this);
    await this.process.stop();
  }

  killNow(): void {
    try {
      process.kill(this.process.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Runs the admin CLI beside this server (`node apps/api/dist/cli.js …`); its JSON answer. */
  async cli(args: readonly string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const { stdout } = await run(process.execPath, [join(root, 'apps/api/dist/cli.js'), ...args], { cwd: root, env: { ...process.env, ...this.process.env, ...env } });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  /** The organization `bench` and its maintainer `bench`, made with the admin CLI. */
  async createBenchAccount(): Promise<void> {
    await Promise.all([this.cli(['org', 'create', BENCH_ORG]), this.cli(['user', 'create', BENCH_USER.username], { WHARF_CLI_PASSWORD: BENCH_USER.password })]);
    await this.cli(['org', 'member', BENCH_ORG, BENCH_USER.username, 'maintainer']);
  }

  /** A registry token from /token for these scopes, as docker gets one; reused for a while. */
  async authorization(scopes: readonly string[], credentials = BENCH_USER): Promise<string> {
    const key = `${credentials.username}\n${scopes.join(' ')}`;
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.header;
    const response = await fetch(`${this.url}${await this.tokenPath(scopes)}`, { headers: { Authorization: basic(credentials) } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`wharf /token: ${response.status} ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { token: string; expires_in?: number };
    const header = `Bearer ${body.token}`;
    // Reused for half its lifetime, so a long row never runs on an expiring token.
    this.tokens.set(key, { header, until: Date.now() + ((body.expires_in ?? 60) * 1000) / 2 });
    return header;
  }

  /** `/token?service=…&scope=…` for these scopes. */
  async tokenPath(scopes: readonly string[]): Promise<string> {
    this.service ??= await this.discoverService();
    const query = new URLSearchParams({ service: this.service });
    for (const scope of scopes) query.append('scope', scope);
    return `/token?${query}`;
  }

  /** The service name of the token realm, from the challenge of GET /v2/ (and proof that auth is on). */
  private async discoverService(): Promise<string> {
    const response = await fetch(`${this.url}/v2/`);
    await response.arrayBuffer();
    const challenge = response.headers.get('www-authenticate') ?? '';
    const service = /service="([^"]*)"/.exec(challenge)?.[1];
    if (response.status !== 401 || !challenge.startsWith('Bearer') || service === undefined) {
      throw new Error(`wharf GET /v2/ without a token answered ${response.status} ${challenge}: token auth is expected to be on`);
    }
    return service;
  }
}

export const basic = (credentials: { readonly username: string; readonly password: string }) =>
  `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
