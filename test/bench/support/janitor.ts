import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Deletes the files of at least `minBytes` modified since `sinceMs` under `dirs`. Neither
 * registry collects garbage by itself, so the big-blob rows delete what each run wrote,
 * outside the measurement, or a full run would fill the disk.
 */
export function removeBigFilesSince(dirs: readonly string[], sinceMs: number, minBytes: number): number {
  let removed = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const stat = statSync(path, { throwIfNoEntry: false });
        if (stat && stat.size >= minBytes && stat.mtimeMs >= sinceMs - 2_000) {
          rmSync(path, { force: true });
          removed++;
        }
      }
    }
  };
  for (const dir of dirs) if (existsSync(dir)) walk(dir);
  return removed;
}
