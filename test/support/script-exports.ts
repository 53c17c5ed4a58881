import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..');

/** Runs one of our scripts (a path from the workspace root) and parses the `export NAME=value` lines it prints. */
export function exportsOf(script: string, args: string[], extra: Record<string, string> = {}): Record<string, string> {
  const output = execFileSync('bash', [join(workspaceRoot, script), ...args], { cwd: workspaceRoot, encoding: 'utf8', env: { ...process.env, ...extra } });
  const env: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return env;
}
