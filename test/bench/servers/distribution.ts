import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cleanEnv, freePort, spawnServer, stopChild, untrack, waitUntil, type Managed } from '../support/processes';
import type { PeerAuth } from './peer-auth';
import type { Registry } from './registry';

export const DISTRIBUTION_BINARY = '/usr/bin/docker-registry';

export type PeerStorage =
  | { readonly kind: 'filesystem'; readonly root: string }
  | { readonly kind: 's3'; readonly endpoint: string; readonly bucket: string; readonly accessKey: string; readonly secretKey: string };

export interface DistributionOptions {
  readonly name: string;
  readonly dir: string;
  readonly logFile: string;
  readonly storage: PeerStorage;
  /** S3 only: answer blob GETs with a redirect to a presigned URL (Distribution's default with S3). */
  readonly redirect: boolean;
  readonly auth: PeerAuth;
  /** Where clients get tokens (the harness's token service for the peer). */
  readonly realm: string;
}

function storageSection(storage: PeerStorage, redirect: boolean): string[] {
  const lines =
    storage.kind === 'filesystem'
      ? ['  filesystem:', `    rootdirectory: ${storage.root}`]
      : [
          '  s3:',
          `    accesskey: ${storage.accessKey}`,
          `    secretkey: ${storage.secretKey}`,
          '    region: us-east-1',
          `    regionendpoint: ${storage.endpoint}`,
          '    forcepathstyle: true',
          `    bucket: ${storage.bucket}`,
          '    secure: false',
          '    v4auth: true',
          '    rootdirectory: /registry',
        ];
  return [...lines, '  redirect:', `    disable: ${storage.kind === 'filesystem' || !redirect}`];
}

/**
 * The configuration of CNCF Distribution 2.8.2: 127.0.0.1 only, the harness's storage,
 * in-memory blob descriptor cache (its default), no upload purging or storage health checks
 * running during a measurement, only warnings logged, and Docker token auth trusting the
 * harness's certificate.
 */
export function distributionConfig(options: DistributionOptions, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    ...storageSection(options.storage, options.redirect),
    '  cache:',
    '    blobdescriptor: inmemory',
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: wharf-bench-distribution-http-secret',
    'health:',
    '  storagedriver:',
    '    enabled: false',
    'auth:',
    '  token:',
    `    realm: ${options.realm}`,
    `    service: ${options.auth.service}`,
    `    issuer: ${options.auth.issuer}`,
    `    rootcertbundle: ${options.auth.certFile}`,
    '',
  ].join('\n');
}

/** `docker-registry serve <config>`: the peer, with token auth that the harness verifies is enforced. */
export class DistributionServer implements Registry, Managed {
  readonly label = 'peer';
  readonly credentials = { username: 'bench', password: 'any-password-the-token-service-accepts' };
  private child!: ChildProcess;
  private managed: Managed | undefined;

  private constructor(
    readonly name: string,
    private readonly options: DistributionOptions,
    private readonly configFile: string,
    readonly url: string,
  ) {}

  static async start(options: DistributionOptions): Promise<DistributionServer> {
    mkdirSync(options.dir, { recursive: true });
    if (options.storage.kind === 'filesystem') mkdirSync(options.storage.root, { recursive: true });
    const port = await freePort();
    const configFile = join(options.dir, `${options.name}.yml`);
    writeFileSync(configFile, distributionConfig(options, port));
    const server = new DistributionServer(options.name, options, configFile, `http://127.0.0.1:${port}`);
    await server.launch();
    await server.verifyAuth();
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private async launch(): Promise<void> {
    const { child, managed } = spawnServer(this.name, DISTRIBUTION_BINARY, ['serve', this.configFile], { logFile: this.options.logFile, env: cleanEnv() });
    this.child = child;
    this.managed = managed;
    await waitUntil(this.name, async () => (await fetch(`${this.url}/v2/`)).status === 401, { child, logFile: this.options.logFile });
  }

  /** Without a token: 401 with a Bearer challenge; with one the harness minted: 200. */
  private async verifyAuth(): Promise<void> {
    const anonymous = await fetch(`${this.url}/v2/`);
    const challenge = anonymous.headers.get('www-authenticate') ?? '';
    if (anonymous.status !== 401 || !challenge.startsWith('Bearer')) throw new Error(`${this.name}: GET /v2/ without a token answered ${anonymous.status} ${challenge}; token auth is not enforced`);
    const forged = await fetch(`${this.url}/v2/`, { headers: { Authorization: 'Bearer not.a.token' } });
    if (forged.status !== 401) throw new Error(`${this.name}: GET /v2/ with a bad token answered ${forged.status}`);
    const authorized = await fetch(`${this.url}/v2/`, { headers: { Authorization: await this.authorization([]) } });
    if (authorized.status !== 200) throw new Error(`${this.name}: GET /v2/ with a minted token answered ${authorized.status}: ${await authorized.text()}`);
  }

  authorization(scopes: readonly string[]): Promise<string> {
    return this.options.auth.mint(scopes).then((token) => `Bearer ${token}`);
  }

  async restart(): Promise<void> {
    if (this.managed) untrack(this.managed);
    await stopChild(this.child);
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.managed) await this.managed.stop();
  }

  killNow(): void {
    this.managed?.killNow();
  }
}
