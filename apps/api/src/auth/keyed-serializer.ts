/** Runs tasks that share a key one after another, in this process; tasks of other keys run freely. */
export class KeyedSerializer {
  /** The end of the last task queued per key (settled, whatever the task did). */
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a task running or queued. */
  get size(): number {
    return this.tails.size;
  }
}
