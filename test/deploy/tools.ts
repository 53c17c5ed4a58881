// Helpers of test/e2e/deploy.e2e-spec.ts: the deployment tools that
// infra/scripts/ensure-deploy-tools.sh installs, running them, and what the API accepts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const bin = process.env.WHARF_TOOLS_BIN ?? join(root, '.cache', 'bin');
export const deployToolsDir = process.env.WHARF_DEPLOY_TOOLS_DIR ?? join(root, '.cache', 'deploy-tools');
export const chartDir = join(root, 'infra', 'deploy', 'helm', 'wharf');
export const deployDir = join(root, 'infra', 'deploy');
export const dockerfile = join(root, 'infra', 'docker', 'Dockerfile');
/** Kubernetes versions whose schemas ensure-deploy-tools.sh installs (chart minimum, newest). */
export const kubernetesVersions = ['1.25.0', '1.37.0'];

const ENSURE = 'run infra/scripts/ensure-deploy-tools.sh (npm test does)';

/** Absolute path of a tool; throws, naming the script to run, when it is missing. */
export function tool(name: 'helm' | 'kubeconform' | 'docker-compose' | 'hadolint' | 'crane'): string {
  const path = join(bin, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: ${name === 'crane' ? 'run infra/scripts/ensure-tools.sh' : ENSURE}`);
  return path;
}

export function dataFile(name: string): string {
  const path = join(deployToolsDir, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: ${ENSURE}`);
  return path;
}

export interface Result {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (no shell). `env` replaces the environment when given. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Result {
  const result = spawnSync(command, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, input: options.input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Like run(), but asynchronous (long builds must not block Jest's timers). */
export function runAsync(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

/** run() that throws with the command's output unless it exits 0; returns stdout. */
export function ok(command: string, args: string[], options: Parameters<typeof run>[2] = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}\n${result.stdout}`.slice(0, 8000));
  return result.stdout;
}

/** The environment variables apps/api/src/config/config.ts reads. */
export function configVariableNames(): Set<string> {
  const source = readFileSync(join(root, 'apps', 'api', 'src', 'config', 'config.ts'), 'utf8');
  const names = new Set<string>();
  for (const match of source.matchAll(/^\s+([A-Z][A-Z0-9_]*): (?:port|str|url|num|bool|byteSize|duration)\(/gm)) names.add(match[1]!);
  for (const match of source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) names.add(match[1]!);
  return names;
}

/**
 * Runs the built API's own loadConfig (apps/api/dist/config/config.js) on `env`, alone, and
 * returns the configuration it made, or throws its message (a ConfigError names the variable).
 */
export function loadWharfConfig(env: Record<string, string>): Record<string, unknown> {
  const module = join(root, 'apps', 'api', 'dist', 'config', 'config.js');
  if (!existsSync(module)) throw new Error(`${module} is missing: build the API first (npx nx run api:build)`);
  const script = `let env='';process.stdin.on('data',d=>env+=d).on('end',()=>{try{process.stdout.write(JSON.stringify(require(${JSON.stringify(module)}).loadConfig(JSON.parse(env))))}catch(e){process.stderr.write(e.message);process.exit(3)}})`;
  const result = run(process.execPath, ['-e', script], { input: JSON.stringify(env), env: { PATH: process.env.PATH ?? '' } });
  if (result.status !== 0) throw new Error(`loadConfig refused: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

interface YamlDocument {
  readonly errors: readonly Error[];
  toJS(): unknown;
}
// The `yaml` package that nx (a pinned devDependency) depends on: the root node_modules/yaml is
// an older major pulled in by another package.
const yaml = createRequire(require.resolve('nx/package.json'))('yaml') as { parseAllDocuments(source: string): YamlDocument[] | YamlDocument };

/** Every non-empty document of a YAML stream, as plain objects; throws on a syntax error. */
export function parseYamlStream(source: string): Array<Record<string, unknown>> {
  const parsed = yaml.parseAllDocuments(source);
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const out: Array<Record<string, unknown>> = [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors.map((e) => e.message).join('; ')}`);
    const value = document.toJS();
    if (value !== null && value !== undefined) out.push(value as Record<string, unknown>);
  }
  return out;
}
