import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { workspaceRoot } from './embedded-postgres';
import { exportsOf } from './script-exports';
import { adminPassword, startWharf, type StartedWharf } from './wharf-process.cjs';

type Started = StartedWharf;

/**
 * End-to-end tests drive real clients against a real Wharf process: a private dockerd,
 * podman/skopeo with private storage, crane and oras from .cache/bin. Anything missing
 * fails here, loudly, naming what is missing.
 */
export default async function setup(): Promise<void> {
  const bin = join(workspaceRoot, '.cache', 'bin');
  const missing = ['crane', 'oras'].filter((tool) => !existsSync(join(bin, tool)));
  for (const tool of ['docker', 'dockerd', 'podman', 'skopeo']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      missing.push(tool);
    }
  }
  if (missing.length > 0) throw new Error(`end-to-end tests need ${missing.join(', ')}: run infra/scripts/ensure-tools.sh (npm test does)`);

  const dockerDir = join(workspaceRoot, '.cache', 'dockerd');
  execFileSync('bash', [join(workspaceRoot, 'infra/scripts/dockerd.sh'), 'start'], { stdio: 'inherit', env: { ...process.env, WHARF_DOCKERD_DIR: dockerDir } });
  // A fresh, private docker client configuration: `docker login`, `crane auth login` and
  // `oras login` write there, never to ~/.docker, and no credential helper is involved.
  const dockerConfig = join(workspaceRoot, '.cache', 'test-runs', 'e2e-docker-config');
  rmSync(dockerConfig, { recursive: true, force: true });
  mkdirSync(dockerConfig, { recursive: true });
  writeFileSync(join(dockerConfig, 'config.json'), '{"auths":{}}\n', { mode: 0o600 });
  const dockerEnv = exportsOf('infra/scripts/dockerd.sh', ['env'], { DOCKER_CONFIG: dockerConfig });
  execFileSync('bash', [join(workspaceRoot, 'infra/scripts/podman-env.sh'), '--clean'], { stdio: 'ignore' });
  const podmanEnv = exportsOf('infra/scripts/podman-env.sh', []);

  const dataDir = join(workspaceRoot, '.cache', 'test-runs', 'e2e-wharf');
  rmSync(dataDir, { recursive: true, force: true });
  const server = await startWharf({ dataDir, env: { WHARF_ADMIN_PASSWORD: adminPassword } });
  Object.assign(process.env, dockerEnv, podmanEnv, {
    WHARF_E2E_URL: server.url,
    WHARF_E2E_HOST: `127.0.0.1:${server.port}`,
    WHARF_E2E_DATA_DIR: dataDir,
    WHARF_E2E_ADMIN_PASSWORD: adminPassword,
    WHARF_TOOLS_BIN: bin,
    PATH: `${bin}:${process.env.PATH}`,
  });
  (globalThis as { wharfE2e?: Started }).wharfE2e = server;
}
