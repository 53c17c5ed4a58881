import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Something the harness started and must stop, whatever happens. */
export interface Managed {
  readonly name: string;
  /** Stops it gracefully (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Last resort from a synchronous exit handler: signal it now, do not wait. */
  killNow(): void;
}

const running = new Set<Managed>();

/** Registers `managed` so that stopAll() and the exit handlers stop it; returns it. */
export function track<T extends Managed>(managed: T): T {
  running.add(managed);
  return managed;
}

export function untrack(managed: Managed): void {
  running.delete(managed);
}

/** Stops everything still registered, newest first. */
export async function stopAll(): Promise<void> {
  const all = [...running].reverse();
  running.clear();
  await Promise.all(
    all.map(async (managed) => {
      const t0 = Date.now();
      await managed.stop().catch((error: Error) => console.error(`bench: stopping ${managed.name} failed: ${error.message}`));
      if (Date.now() - t0 > 3_000) console.error(`bench: stopping ${managed.name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }),
  );
}

let stopping = false;

/** True once Ctrl-C or a termination signal arrived: the run is being abandoned. */
export const interrupted = () => stopping;

/**
 * Ctrl-C, SIGTERM (e.g. from npm test) and a crash all stop every server the harness
 * started before the process ends; a synchronous exit still signals whatever is left.
 */
export function installExitHandlers(afterStop: () => void = () => {}): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\nbench: ${signal}: stopping every server it started…`);
      void stopAll()
        .then(afterStop)
        .finally(() => process.exit(130));
    });
  }
  process.on('exit', () => {
    for (const managed of running) managed.killNow();
  });
}

/** Signals a child and waits for it to exit; SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Spawns a long-running child whose output goes to `logFile`, tracked until it is stopped. */
export function spawnServer(name: string, command: string, args: readonly string[], options: SpawnOptions & { logFile: string }): { child: ChildProcess; managed: Managed } {
  const out = openSync(options.logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out], ...options });
  const managed = track({
    name,
    stop: async () => {
      untrack(managed);
      await stopChild(child);
    },
    killNow: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  });
  child.once('exit', () => untrack(managed));
  return { child, managed };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `ready` until it answers true; fails early when `child` exits. */
export async function waitUntil(what: string, ready: () => Promise<boolean>, options: { timeoutMs?: number; child?: ChildProcess; logFile?: string } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const where = options.logFile ? `; see ${options.logFile}` : '';
  while (Date.now() < deadline) {
    if (options.child && options.child.exitCode !== null) throw new Error(`${what} exited with ${options.child.exitCode} before it was ready${where}`);
    if (await ready().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} was not ready within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s${where}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resident set size of a process in MiB (VmRSS of /proc/<pid>/status); 0 once it is gone. */
export function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU seconds (user + system, all threads) a process has used, and the bytes it has had read
 * from storage rather than the page cache (read_bytes of /proc/<pid>/io); zeros once it is gone.
 */
export function processCounters(pid: number): { cpuSeconds: number; storageReadBytes: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const io = /^read_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / USER_HZ, storageReadBytes: io ? Number(io[1]) : 0 };
  } catch {
    return { cpuSeconds: 0, storageReadBytes: 0 };
  }
}

/**
 * CPU seconds used by a process and every process below it: those running (as PostgreSQL's
 * backends are while their connections stay open) and those that have ended and been waited
 * for within the tree, which the kernel adds to their parent's children's time. Without the
 * latter, a backend that ended between two samples took its seconds with it, and the
 * difference could come out below zero. 0 for a pid of 0.
 */
export function processTreeCpuSeconds(rootPid: number): number {
  if (rootPid <= 0) return 0;
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name: ppid is the 2nd field; utime, stime, cutime and cstime the 12th to 15th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
      ticks.set(pid, fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0));
    } catch {
      // gone while listed
    }
  }
  let total = 0;
  for (const pending = [rootPid]; pending.length > 0; ) {
    const pid = pending.pop()!;
    total += ticks.get(pid) ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return total / USER_HZ;
}

/** Samples the RSS of one process every `intervalMs` and keeps the peak. */
export class RssSampler {
  private peak: number;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 25,
  ) {
    this.peak = rssMiB(pid);
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, rssMiB(this.pid));
    }, intervalMs);
  }

  /** Stops sampling (once); the peak RSS in MiB. */
  stop(): number {
    if (!this.stopped) {
      clearInterval(this.timer);
      this.peak = Math.max(this.peak, rssMiB(this.pid));
      this.stopped = true;
    }
    return this.peak;
  }
}

/** The environment minus what would change how a server under test behaves (e.g. a CA bundle that breaks Distribution's S3 client). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_') || key.startsWith('REGISTRY_')) delete env[key];
  return { ...env, ...extra };
}
