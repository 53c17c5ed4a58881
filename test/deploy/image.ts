// Building infra/docker/Dockerfile for real in the private dockerd of the end-to-end tests
// (DOCKER_HOST, set by test/support/e2e-setup.ts), where no image can be pulled: its base
// node:20-bookworm-slim is a local stand-in imported from the rootfs that
// ensure-deploy-tools.sh made (Debian bookworm minbase + this machine's node and npm, user
// node 1000:1000). The daemon has the classic builder only (no buildx), which is why the
// Dockerfile uses no BuildKit-only syntax.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { dataFile, dockerfile, root, run, runAsync, type Result } from './tools';

export const BASE_IMAGE = 'node:20-bookworm-slim';
export const IMAGE = 'wharf-deploy-test/wharf:latest';
const STANDIN_REPO = 'wharf-deploy-test/node-standin';
const STAGE_TAGS: Record<string, string> = { manifests: 'wharf-deploy-test/stage-manifests:latest', build: 'wharf-deploy-test/stage-build:latest' };

/** The environment docker needs: the private daemon, never the system one. */
export function dockerEnv(): NodeJS.ProcessEnv {
  if (!process.env.DOCKER_HOST) throw new Error('DOCKER_HOST is not set: the end-to-end global setup starts the private dockerd (infra/scripts/dockerd.sh)');
  return { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CLI_HINTS: 'false' };
}

export function docker(args: string[], input?: string): Result {
  return run('docker', args, { env: dockerEnv(), input });
}

function mustDocker(args: string[]): string {
  const result = docker(args);
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`.slice(0, 8000));
  return result.stdout.trim();
}

export function imageId(reference: string): string | undefined {
  const result = docker(['image', 'inspect', '--format', '{{.Id}}', reference]);
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The CA bundle this machine trusts (its egress proxy re-signs TLS), for npm in the build. */
function hostCaBundle(): string | undefined {
  for (const candidate of [process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Tags the stand-in as node:20-bookworm-slim: the imported rootfs, plus this machine's CA
 * bundle so that `npm ci` in the build trusts the same registry certificates as the host.
 */
export async function ensureBaseImage(): Promise<void> {
  const rootfs = dataFile('node-standin-rootfs.tar');
  const { size, mtimeMs } = statSync(rootfs);
  const standin = `${STANDIN_REPO}:${createHash('sha256').update(`${rootfs}:${size}:${mtimeMs}`).digest('hex').slice(0, 16)}`;
  if (!imageId(standin)) {
    const imported = await runAsync('sh', ['-c', 'docker import --change "$1" --change "$2" --change "$3" - "$4" < "$5"', 'sh', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["node"]', 'LABEL wharf.standin=true', standin, rootfs], { env: dockerEnv() });
    if (imported.status !== 0) throw new Error(`docker import of ${rootfs} failed: ${imported.stderr}`);
  }
  const context = mkdtempSync(join(tmpdir(), 'wharf-base-'));
  try {
    const lines = [`FROM ${standin}`];
    const ca = hostCaBundle();
    if (ca) {
      writeFileSync(join(context, 'ca.crt'), readFileSync(ca));
      lines.push('COPY ca.crt /usr/local/share/wharf-standin-ca.crt', 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/wharf-standin-ca.crt');
    }
    writeFileSync(join(context, 'Dockerfile'), `${lines.join('\n')}\n`);
    const built = await runAsync('docker', ['build', '-q', '-t', BASE_IMAGE, context], { env: dockerEnv() });
    if (built.status !== 0) throw new Error(`building the stand-in ${BASE_IMAGE} failed: ${built.stderr}`);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/**
 * Builds the image from the repository root with the Dockerfile as it is. Stages are tagged
 * so that their layers stay as the cache of the next run, and the images they replace are
 * removed (the vfs storage driver of the private daemon copies every layer in full).
 * `--network host`: the daemon runs without a bridge, and `npm ci` needs the registry.
 */
export async function buildImage(): Promise<{ log: string; seconds: number }> {
  const started = Date.now();
  let log = '';
  for (const [target, tag] of [['manifests', STAGE_TAGS.manifests], ['build', STAGE_TAGS.build], ['runtime', IMAGE]] as const) {
    const previous = imageId(tag!);
    const result = await runAsync('docker', ['build', '--network', 'host', '--target', target, '-f', dockerfile, '-t', tag!, root], { env: dockerEnv() });
    log += result.stdout + result.stderr;
    if (result.status !== 0) throw new Error(`docker build --target ${target} failed (exit ${result.status}):\n${log.slice(-6000)}`);
    const current = imageId(tag!);
    if (previous && previous !== current) docker(['image', 'rm', previous]);
  }
  return { log, seconds: Math.round((Date.now() - started) / 1000) };
}

export interface ImageConfig {
  User: string;
  ExposedPorts?: Record<string, unknown>;
  Env: string[];
  Cmd: string[];
  Entrypoint: string[] | null;
  WorkingDir: string;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
}

export function imageConfig(reference: string): ImageConfig {
  return JSON.parse(mustDocker(['image', 'inspect', '--format', '{{json .Config}}', reference])) as ImageConfig;
}

/** Runs a command in a throw-away container of the image, without network. */
export function runInImage(reference: string, script: string): Result {
  return docker(['run', '--rm', '--network', 'none', '--entrypoint', 'sh', reference, '-c', script]);
}

export function containerState(name: string): { Status: string; Health?: { Status: string; Log?: Array<{ ExitCode: number; Output: string }> } } {
  return JSON.parse(mustDocker(['inspect', '--format', '{{json .State}}', name]));
}
