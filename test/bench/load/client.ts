import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { stopChild, track, untrack, type Managed } from '../support/processes';
import type { Jobs, Reply } from './jobs';

/**
 * The load generator: a child process of the harness (never the harness or a server
 * process), running one job at a time.
 */
export class LoadWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly managed: Managed;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`load process: ${reply.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the load process exited (${code ?? signal})`));
      this.pending.clear();
    });
    this.managed = track({ name: 'load process', stop: () => this.stop(), killNow: () => child.kill('SIGKILL') });
  }

  static start(): LoadWorker {
    const child = fork(join(__dirname, 'worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    return new LoadWorker(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  run<K extends keyof Jobs>(job: Jobs[K][0] & { kind: K }): Promise<Jobs[K][1]> {
    if (this.child.exitCode !== null) return Promise.reject(new Error('the load process is gone'));
    const id = this.nextId++;
    return new Promise<Jobs[K][1]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, job });
    });
  }

  async stop(): Promise<void> {
    untrack(this.managed);
    await stopChild(this.child, 5_000);
  }
}
