import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

import { workspaceRoot } from './embedded-postgres';
import { freePort } from './wharf-process.cjs';

export interface MinioServer {
  readonly endpoint: string;
  readonly port: number;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly dataDirs: readonly string[];
  /** SIGKILL or SIGTERM the server and wait for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same drives and port. */
  restart(): Promise<void>;
}

const ACCESS_KEY = 'wharf-test';
const SECRET_KEY = 'wharf-test-secret-key';

export function minioBinary(): string {
  const binary = join(process.env.WHARF_TOOLS_BIN ?? join(workspaceRoot, '.cache', 'bin'), 'minio');
  if (!existsSync(binary)) throw new Error(`MinIO is missing at ${binary}: run infra/scripts/ensure-tools.sh (it builds github.com/minio/minio with Go)`);
  return binary;
}

async function waitReady(endpoint: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`MinIO exited with ${child.exitCode}; see ${log}`);
    try {
      // The cluster endpoint answers 200 once the erasure set has write quorum.
      if ((await fetch(`${endpoint}/minio/health/cluster`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`MinIO did not become ready within 60 s; see ${log}`);
}

/**
 * A real MinIO server on 127.0.0.1 with its drives under .cache/test-runs/<name>. With
 * `drives` ≥ 4 it runs erasure-coded over them, as a distributed deployment does.
 */
export async function startMinio(name: string, drives = 1): Promise<MinioServer> {
  const binary = minioBinary();
  const dir = join(workspaceRoot, '.cache', 'test-runs', name);
  rmSync(dir, { recursive: true, force: true });
  const dataDirs = Array.from({ length: drives }, (_, i) => join(dir, `drive${i + 1}`));
  for (const d of dataDirs) mkdirSync(d, { recursive: true });
  const port = await freePort();
  const consolePort = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const log = join(dir, 'minio.log');
  let child: ChildProcess;
  let exited: Promise<unknown>;

  const launch = async () => {
    const out = openSync(log, 'a');
    // Several drives are given as an ellipsis pattern so MinIO forms one erasure set.
    const drivesArg = drives > 1 ? [join(dir, `drive{1...${drives}}`)] : dataDirs;
    child = spawn(binary, ['server', '--quiet', '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, ...drivesArg], {
      stdio: ['ignore', out, out],
      env: { ...process.env, MINIO_ROOT_USER: ACCESS_KEY, MINIO_ROOT_PASSWORD: SECRET_KEY, MINIO_BROWSER: 'off', MINIO_UPDATE: 'off', MINIO_CI_CD: '1' },
    });
    exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitReady(endpoint, child, log);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  await launch();
  return { endpoint, port, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, dataDirs, stop, restart: launch };
}

/** Drives moved onto small filesystems of their own, which a test can fill for real. */
export interface TmpfsDrives {
  /** Fills each drive's filesystem until about `leaveBytes` remain free (ENOSPC past that). */
  fill(leaveBytes: number): void;
  /** Removes what fill() wrote: the space is back. */
  free(): void;
  /** Unmounts everything (stop the server first); what was written since the move is lost. */
  unmount(): void;
}

/** Unmounts every filesystem mounted at or under `dir`, deepest first (leftovers of a failed run). */
export function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((point): point is string => !!point && (point === dir || point.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) execFileSync('umount', [point], { stdio: 'pipe' });
}

/**
 * Moves the drives of `server` onto tmpfs filesystems of `bytesPerDrive` each (needs root):
 * stops the server, mounts a tmpfs next to each drive, copies the drive into it, bind-mounts
 * the copy over the drive and starts the server again on the same port. The filler that
 * fill() writes sits on the same filesystem but outside the drive, so MinIO never sees it.
 */
export async function moveDrivesToTmpfs(server: MinioServer, bytesPerDrive: number): Promise<TmpfsDrives> {
  const spaces = server.dataDirs.map((drive) => `${drive}.tmpfs`);
  const unmount = () => {
    for (const point of [...server.dataDirs, ...spaces]) unmountUnder(point);
    for (const space of spaces) rmSync(space, { recursive: true, force: true });
  };
  await server.stop();
  try {
    server.dataDirs.forEach((drive, i) => {
      const space = spaces[i]!;
      mkdirSync(space, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytesPerDrive}`, 'tmpfs', space], { stdio: 'pipe' });
      mkdirSync(join(space, 'drive'));
      execFileSync('cp', ['-a', `${drive}/.`, join(space, 'drive')], { stdio: 'pipe' });
      execFileSync('mount', ['--bind', join(space, 'drive'), drive], { stdio: 'pipe' });
    });
  } catch (error) {
    unmount();
    await server.restart();
    throw error;
  }
  await server.restart();
  const fillers = spaces.map((space) => join(space, 'filler'));
  return {
    fill(leaveBytes) {
      spaces.forEach((space, i) => {
        const { bavail, bsize } = statfsSync(space);
        const bytes = bavail * bsize - leaveBytes;
        if (bytes > 0) execFileSync('fallocate', ['-l', String(bytes), fillers[i]!], { stdio: 'pipe' });
      });
    },
    free() {
      for (const filler of fillers) rmSync(filler, { force: true });
    },
    unmount,
  };
}
