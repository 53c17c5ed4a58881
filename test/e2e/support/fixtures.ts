import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { sha256 } from './registry-api';
import { run } from './run';

/** Files by path relative to a root ('sub/file.txt'), content as text or bytes. */
export type Tree = Record<string, string | Buffer>;

/** A fresh temporary folder for client-side files (clients only: never for PostgreSQL data). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `wharf-e2e-${prefix}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function writeTree(root: string, tree: Tree): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Every regular file under `root` as path -> sha256 of its content, for exact comparisons. */
export function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files[relative(root, path)] = sha256(readFileSync(path));
      else throw new Error(`unexpected non-regular file ${path}`);
    }
  };
  walk(root);
  return files;
}

/** The expected readTree() result of a tree written with writeTree(). */
export function digestsOf(tree: Tree): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).map(([path, content]) => [path, sha256(content)]));
}

/** Writes `tree` into a fresh folder and packs it as an uncompressed tar (a layer / rootfs). */
export async function tarOf(tree: Tree, tarFile: string): Promise<void> {
  const root = tempDir('tree');
  try {
    writeTree(root, tree);
    await run('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', tarFile, '.']);
  } finally {
    removeDir(root);
  }
}

export async function untar(tarFile: string, into: string): Promise<void> {
  mkdirSync(into, { recursive: true });
  await run('tar', ['-C', into, '-xf', tarFile]);
}

/** A few KiB of random base64 text: unique per run, so no layer is shared with earlier runs. */
export function randomText(bytes = 2048): string {
  return `${randomBytes(bytes).toString('base64')}\n`;
}
