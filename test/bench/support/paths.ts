import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root: the first folder above this file that holds nx.json (works from src and dist alike). */
function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
  }
  throw new Error(`no nx.json above ${from}`);
}

export const root = findRoot(__dirname);

/** Everything a run writes (servers' data, logs, configs) lives under here, git-ignored. */
export const benchCache = join(root, '.cache', 'bench');
