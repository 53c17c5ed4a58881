import { randomBytes } from 'node:crypto';

/** What test/support/e2e-setup.ts exported for the end-to-end tests. */
export interface E2eEnv {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT, the registry part of image references */
  readonly host: string;
  /** Password of the server's `admin` (WHARF_ADMIN_PASSWORD). */
  readonly adminPassword: string;
  /** The server's WHARF_DATA_DIR (embedded PostgreSQL): where the admin CLI finds it. */
  readonly dataDir: string;
  /** Global skopeo flags: skopeo 1.9 ignores CONTAINERS_REGISTRIES_CONF. */
  readonly skopeoFlags: string[];
  /** policy.json for `podman pull/push --signature-policy`. */
  readonly containersPolicy: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through jest --selectProjects e2e (test/support/e2e-setup.ts sets it)`);
  return value;
}

const PODMAN_VARS = ['CONTAINERS_STORAGE_CONF', 'CONTAINERS_REGISTRIES_CONF', 'CONTAINERS_CONF', 'REGISTRY_AUTH_FILE', 'WHARF_CONTAINERS_POLICY', 'WHARF_SKOPEO_FLAGS'];

export function e2eEnv(): E2eEnv {
  for (const name of ['DOCKER_HOST', 'DOCKER_CONFIG', ...PODMAN_VARS]) required(name);
  return {
    url: required('WHARF_E2E_URL'),
    host: required('WHARF_E2E_HOST'),
    adminPassword: required('WHARF_E2E_ADMIN_PASSWORD'),
    dataDir: required('WHARF_E2E_DATA_DIR'),
    skopeoFlags: required('WHARF_SKOPEO_FLAGS').split(/\s+/).filter(Boolean),
    containersPolicy: required('WHARF_CONTAINERS_POLICY'),
  };
}

/** A short random suffix that keeps repository names of one run apart from earlier runs. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
