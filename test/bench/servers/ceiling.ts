import { fork } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';

import type { CeilingKind } from '../ceilings/main';
import { stopChild, track, untrack } from '../support/processes';

export interface CeilingServer {
  readonly kind: CeilingKind;
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Forks a reference server (ceilings/main.ts) and waits until it listens. */
export async function startCeiling(kind: CeilingKind, options: Record<string, string>, logFile: string): Promise<CeilingServer> {
  const out = openSync(logFile, 'a');
  const child = fork(join(__dirname, '..', 'ceilings', 'main.js'), [kind, JSON.stringify(options)], { stdio: ['ignore', out, out, 'ipc'] });
  const managed = track({
    name: `ceiling ${kind}`,
    stop: async () => {
      untrack(managed);
      await stopChild(child, 5_000);
    },
    killNow: () => child.kill('SIGKILL'),
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the ${kind} reference server exited with ${code}; see ${logFile}`)));
  });
  return { kind, url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => managed.stop() };
}
