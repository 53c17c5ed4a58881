import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { workspaceRoot } from './embedded-postgres';
import { freePort } from './wharf-process.cjs';

export interface ExternalPostgres {
  readonly url: string;
  stop(): void;
  /** Starts the server again after stop(): same data, same port (without blocking the event loop). */
  start(): Promise<void>;
  /** stop() then start(): every connection is cut, as when the server restarts. */
  restart(): Promise<void>;
  /** Whether the server is running (pg_ctl status). */
  running(): boolean;
}

/** The newest PostgreSQL server Debian installed (ensure-tools.sh installs postgresql-15). */
function serverBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))) : [];
  if (versions.length === 0) throw new Error('no Debian PostgreSQL server found under /usr/lib/postgresql: run infra/scripts/ensure-tools.sh (it installs postgresql-15)');
  return join(base, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin');
}

/**
 * A PostgreSQL server that is not Wharf's own: Debian's, in a private cluster under
 * .cache/test-runs/<name>, run as the OS user postgres and listening on 127.0.0.1 only.
 */
export async function startDebianPostgres(name: string): Promise<ExternalPostgres> {
  const bin = serverBinDir();
  const dir = join(workspaceRoot, '.cache', 'test-runs', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const asPostgres = (command: string, args: string[]) => {
    const argv = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return execFileSync(argv[0] as string, argv[1] as string[], { stdio: 'pipe', encoding: 'utf8' });
  };
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'wharf', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const startArgs = ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start'];
  const start = async () => {
    const [command, args] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...startArgs]] : [join(bin, 'pg_ctl'), startArgs];
    await promisify(execFile)(command as string, args as string[], { encoding: 'utf8' });
  };
  const stop = () => {
    asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  const running = () => {
    try {
      asPostgres(join(bin, 'pg_ctl'), ['-D', data, 'status']);
      return true;
    } catch {
      return false;
    }
  };
  asPostgres(join(bin, 'pg_ctl'), startArgs);
  asPostgres(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'wharf', 'wharf']);
  return {
    url: `postgres://wharf@127.0.0.1:${port}/wharf`,
    stop,
    start,
    restart: async () => {
      stop();
      await start();
    },
    running,
  };
}
