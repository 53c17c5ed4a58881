// The deployment files, checked with the real tools (installed by
// infra/scripts/ensure-deploy-tools.sh; a missing one fails here, loudly):
// - infra/docker/Dockerfile: hadolint; built for real in the private dockerd on a local
//   stand-in of node:20-bookworm-slim; the image then runs as the Compose stack would, against
//   a real PostgreSQL and MinIO, behind a real nginx with infra/deploy/nginx/nginx.conf, and
//   an image is pushed and pulled through it.
// - infra/deploy/docker-compose.yml: docker compose v2's own loader and schema (`config`).
// - infra/deploy/nginx/nginx.conf: `nginx -t` (Debian's nginx).
// - infra/deploy/helm/wharf: helm lint, helm template over several values files, kubeconform
//   -strict against the Kubernetes schemas of the chart's minimum and of the newest version.
// Every variable given to Wharf must be one that apps/api/src/config/config.ts reads, and the
// API's own loadConfig must accept the whole environment.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ciValues, containerEnvironment, helmTemplate, kubeconform, render, type K8sObject } from '../deploy/chart';
import { BASE_IMAGE, buildImage, containerState, docker, ensureBaseImage, IMAGE, imageConfig, runInImage } from '../deploy/image';
import { chartDir, configVariableNames, deployDir, dockerfile, kubernetesVersions, loadWharfConfig, ok, root, run, tool } from '../deploy/tools';
import { startDebianPostgres, type ExternalPostgres } from '../support/debian-postgres';
import { startMinio, type MinioServer } from '../support/minio';
import { freePort } from '../support/wharf-process.cjs';
import { bearerChallenge, RegistryApi } from './support/registry-api';

const CONFIG_NAMES = configVariableNames();
/** Variables of the Compose file that are the containers' own, not Wharf's. */
const NOT_WHARF = /^(POSTGRES_|MINIO_)/;

function expectWharfVariables(names: Iterable<string>, where: string): void {
  const unknown = [...names].filter((name) => !CONFIG_NAMES.has(name));
  expect({ where, unknown }).toEqual({ where, unknown: [] });
}

describe('the environment Wharf reads', () => {
  it('is parsed from config.ts (the checks below rely on it)', () => {
    for (const name of ['PORT', 'HOST', 'DATABASE_URL', 'WHARF_DATA_DIR', 'WHARF_STORAGE', 'WHARF_S3_ENDPOINT', 'WHARF_S3_SECRET_KEY', 'WHARF_S3_PRESIGN_TTL', 'WHARF_CONFIG_FILE', 'LOG_LEVEL']) {
      expect(CONFIG_NAMES).toContain(name);
    }
    expect(CONFIG_NAMES.size).toBeGreaterThanOrEqual(20);
  });
});

// ---- Compose --------------------------------------------------------------------------------

/** docker compose v2 with a clean environment (the test's own variables must not leak in). */
function compose(args: string[], envFile = '.env.example') {
  return run(tool('docker-compose'), ['--project-directory', deployDir, '-f', join(deployDir, 'docker-compose.yml'), '--env-file', join(deployDir, envFile), ...args], {
    cwd: deployDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
  });
}

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  deploy?: { replicas?: number };
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: Array<{ target: number; published: string }>;
  volumes?: Array<{ type: string; source: string; target: string; read_only?: boolean }>;
}

function composeModel(): { services: Record<string, ComposeService>; volumes: Record<string, unknown> } {
  const result = compose(['config', '--format', 'json']);
  if (result.status !== 0) throw new Error(`docker compose config failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The environment with the example's placeholder secrets (`change-me…`) replaced, as a user must. */
function withOwnSecrets(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value.replace(/^change-me/, 'chosen')]));
}

function wharfComposeEnvironment(): Record<string, string> {
  const env = composeModel().services.wharf!.environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v ?? '']));
}

describe('infra/deploy/docker-compose.yml (docker compose v2 loader)', () => {
  it('is valid with .env.example (`docker compose config -q`)', () => {
    const result = compose(['config', '-q']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });

  // Compose reports one missing variable, picked in Go map order, so each secret is left out on its own.
  it.each(['POSTGRES_PASSWORD', 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD', 'WHARF_SECRET', 'WHARF_ADMIN_PASSWORD'])(
    'refuses to start without %s, naming it',
    (secret) => {
      const envFile = `.env.deploy-test-${process.pid}`;
      const example = readFileSync(join(deployDir, '.env.example'), 'utf8');
      const withoutSecret = example
        .split('\n')
        .filter((line) => !line.startsWith(`${secret}=`))
        .join('\n');
      expect(withoutSecret).not.toBe(example);
      writeFileSync(join(deployDir, envFile), withoutSecret);
      try {
        const result = compose(['config', '-q'], envFile);
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain(`required variable ${secret} is missing a value`);
      } finally {
        rmSync(join(deployDir, envFile), { force: true });
      }
    },
  );

  it('runs 3 Wharf replicas built from infra/docker/Dockerfile, PostgreSQL 16, MinIO and nginx, started in health order', () => {
    const { services, volumes } = composeModel();
    expect(Object.keys(services).sort()).toEqual(['minio', 'nginx', 'postgres', 'wharf']);
    const { wharf, postgres, minio, nginx } = services as Record<string, ComposeService>;
    expect(wharf!.deploy?.replicas).toBe(3);
    expect(join(wharf!.build!.context, wharf!.build!.dockerfile)).toBe(dockerfile);
    expect(wharf!.build!.context).toBe(root);
    expect(postgres!.image).toMatch(/^postgres:16(\b|-)/);
    expect(minio!.image).toMatch(/^minio\/minio:/);
    expect(nginx!.image).toMatch(/^nginx:/);
    for (const [name, service] of Object.entries(services)) expect({ name, has: (service.healthcheck?.test?.length ?? 0) > 0 }).toEqual({ name, has: true });
    expect(wharf!.depends_on).toEqual({ postgres: expect.objectContaining({ condition: 'service_healthy' }), minio: expect.objectContaining({ condition: 'service_healthy' }) });
    expect(nginx!.depends_on).toEqual({ wharf: expect.objectContaining({ condition: 'service_healthy' }) });
    expect(wharf!.healthcheck!.test.join(' ')).toContain('/readyz');
    // Data survives `docker compose down`; nginx gets our config, read-only.
    expect(Object.keys(volumes).sort()).toEqual(['minio-data', 'postgres-data']);
    expect(postgres!.volumes).toEqual([expect.objectContaining({ type: 'volume', source: 'postgres-data', target: '/var/lib/postgresql/data' })]);
    expect(minio!.volumes).toEqual([expect.objectContaining({ type: 'volume', source: 'minio-data', target: '/data' })]);
    expect(nginx!.volumes).toEqual([expect.objectContaining({ type: 'bind', source: join(deployDir, 'nginx', 'nginx.conf'), target: '/etc/nginx/nginx.conf', read_only: true })]);
    expect(nginx!.ports).toEqual([expect.objectContaining({ target: 80, published: '5000' })]);
    // Only nginx is published: Wharf, PostgreSQL and MinIO stay on the Compose network.
    for (const name of ['wharf', 'postgres', 'minio']) expect({ name, ports: services[name]!.ports ?? [] }).toEqual({ name, ports: [] });
  });

  it('gives Wharf only variables of config.ts, which its loadConfig accepts (external PostgreSQL, S3 on MinIO)', () => {
    const env = wharfComposeEnvironment();
    expectWharfVariables(Object.keys(env).filter((name) => !NOT_WHARF.test(name)), 'docker-compose.yml wharf.environment');
    expect(Object.keys(env).filter((name) => NOT_WHARF.test(name))).toEqual([]);
    // Started from the example unchanged, Wharf refuses the secrets anyone can read there.
    expect(() => loadWharfConfig(env)).toThrow(/WHARF_ADMIN_PASSWORD: still the deploy example's placeholder.*WHARF_SECRET: .*WHARF_S3_SECRET_KEY: /);
    const config = loadWharfConfig(withOwnSecrets(env));
    expect(config).toMatchObject({ host: '0.0.0.0', port: 5000, storage: 's3', databaseUrl: 'postgres://wharf:change-me-postgres@postgres:5432/wharf' });
    expect(config.s3).toMatchObject({ endpoint: 'http://minio:9000', bucket: 'wharf', accessKey: 'wharf', secretKey: 'chosen-minio-secret', createBucket: true });
  });
});

describe('infra/deploy/nginx/nginx.conf', () => {
  const conf = join(deployDir, 'nginx', 'nginx.conf');
  const directives = readFileSync(conf, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .join('\n');

  it('passes `nginx -t`', () => {
    const prefix = join(root, '.cache', 'test-runs', 'deploy-nginx-t');
    mkdirSync(prefix, { recursive: true });
    // Output to a file, as in a container: nginx.conf logs to /dev/stderr, which cannot be
    // opened when it is a socket (Node's pipes are).
    const output = join(prefix, 'nginx-t.log');
    const fd = openSync(output, 'w');
    const result = spawnSync('nginx', ['-t', '-c', conf, '-p', `${prefix}/`, '-e', join(prefix, 'error.log'), '-g', `pid ${prefix}/nginx.pid;`], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    expect({ status: result.status, output: readFileSync(output, 'utf8') }).toEqual({ status: 0, output: expect.stringContaining('test is successful') });
  });

  it('streams unlimited bodies to Wharf with the client Host, over HTTP/1.1, with long timeouts', () => {
    for (const directive of ['client_max_body_size 0;', 'proxy_request_buffering off;', 'proxy_buffering off;', 'proxy_http_version 1.1;', 'proxy_set_header Host $http_host;', 'proxy_read_timeout 900s;', 'proxy_send_timeout 900s;', 'set $wharf_upstream wharf:5000;', 'proxy_pass http://$wharf_upstream;', 'resolver 127.0.0.11']) {
      expect(directives).toContain(directive);
    }
  });
});

// ---- Helm -------------------------------------------------------------------------------------

const VALUES = ['external', 'autoscaling', 'filesystem'];
const EXISTING_SECRET = { DATABASE_URL: 'postgres://wharf:from-secret@pg:5432/wharf', WHARF_S3_ACCESS_KEY: 'AKIAEXAMPLE', WHARF_S3_SECRET_KEY: 'secret-from-secret' };

describe('infra/deploy/helm/wharf (helm, kubeconform)', () => {
  it.each(VALUES)('passes `helm lint --strict` with ci/%s-values.yaml', (name) => {
    const result = run(tool('helm'), ['lint', '--strict', chartDir, '-f', ciValues(name)]);
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining('0 chart(s) failed') });
  });

  it.each(VALUES.flatMap((name) => kubernetesVersions.map((version) => [name, version])))('renders ci/%s-values.yaml into manifests that kubeconform -strict accepts for Kubernetes %s', (name, version) => {
    const rendered = render([ciValues(name!)]);
    const report = kubeconform(rendered.yaml, version!);
    expect({ status: report.status, invalid: report.resources.filter((r) => r.status !== 'statusValid') }).toEqual({ status: 0, invalid: [] });
    expect(report.resources.map((r) => r.kind).sort()).toEqual(rendered.objects.map((o) => o.kind).sort());
  });

  it('kubeconform rejects what Kubernetes would (a misspelled field, a kind it has no schema for)', () => {
    const deployment = render([ciValues('external')]).one('Deployment');
    const broken = { ...deployment, spec: { ...deployment.spec, replica: 3 } };
    const report = kubeconform(JSON.stringify(broken), '1.37.0');
    expect(report.status).not.toBe(0);
    expect(report.output).toContain("additional properties 'replica' not allowed");
    const unknown = kubeconform('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n', '1.37.0');
    expect(unknown.status).not.toBe(0);
  });

  it('runs the Deployment with the values replica count, probes on /readyz and /healthz, non-root and read-only', () => {
    const rendered = render([ciValues('external')]);
    const deployment = rendered.one('Deployment');
    expect(deployment.spec.replicas).toBe(3);
    expect(render([ciValues('external')], ['replicaCount=5']).one('Deployment').spec.replicas).toBe(5);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe('registry.example.com/platform/wharf:0.1.0');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 5000, protocol: 'TCP' }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // A read-only root: WHARF_DATA_DIR and /tmp are volumes.
    expect(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort()).toEqual(['/tmp', '/var/lib/wharf']);
    expect(container.resources).toMatchObject({ requests: { cpu: expect.anything(), memory: expect.anything() }, limits: { memory: expect.anything() } });
    expect(Object.keys(deployment.spec.template.metadata.annotations)).toEqual(expect.arrayContaining(['checksum/config', 'checksum/secret']));
    const service = rendered.one('Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(rendered.one('PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  it('rolls the pods when a setting changes (checksum of the ConfigMap)', () => {
    const checksum = (set: string[]) => render([ciValues('external')], set).one('Deployment').spec.template.metadata.annotations['checksum/config'];
    expect(checksum([])).toBe(checksum([]));
    expect(checksum(['logLevel=debug'])).not.toBe(checksum([]));
  });

  it('renders the HorizontalPodAutoscaler (autoscaling/v2) only when enabled, and then leaves replicas to it', () => {
    const fixed = render([ciValues('external')]);
    expect(fixed.all('HorizontalPodAutoscaler')).toEqual([]);
    const scaled = render([ciValues('autoscaling')]);
    const hpa = scaled.one('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 8, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: scaled.one('Deployment').metadata.name } });
    expect(hpa.spec.metrics.map((m: { resource: { name: string; target: { averageUtilization: number } } }) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 60], ['memory', 80]]);
    expect(scaled.one('Deployment').spec).not.toHaveProperty('replicas');
  });

  it('puts the ingress-nginx annotations for unlimited, unbuffered bodies on the optional Ingress', () => {
    expect(render([ciValues('autoscaling')]).all('Ingress')).toEqual([]);
    const ingress = render([ciValues('external')]).one('Ingress');
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-body-size': '0',
      'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
    });
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['registry.example.com'], secretName: 'registry-example-com-tls' }]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'wharf-test', port: { name: 'http' } });
  });

  it('keeps DATABASE_URL, the S3 keys, the sealing secret and the admin password in the Secret only, never in the ConfigMap', () => {
    const values = readFileSync(ciValues('external'), 'utf8');
    const rendered = render([ciValues('external')]);
    const configMap = rendered.one('ConfigMap');
    const secret = rendered.one('Secret');
    expect(Object.keys(secret.data).sort()).toEqual(['DATABASE_URL', 'WHARF_ADMIN_PASSWORD', 'WHARF_S3_ACCESS_KEY', 'WHARF_S3_SECRET_KEY', 'WHARF_SECRET']);
    expect(Buffer.from(secret.data.DATABASE_URL, 'base64').toString()).toBe('postgres://wharf:s3cr3t-pg@postgres.db.svc.cluster.local:5432/wharf');
    for (const plaintext of ['s3cr3t-pg', 'wharf-s3cr3t-key', 'wharf-access', 'ci-only-sealing-secret-0123456789', 'ci-only-admin-password']) {
      expect(values).toContain(plaintext);
      const holders = rendered.objects.filter((o) => o.kind !== 'Secret' && JSON.stringify(o).includes(plaintext)).map((o: K8sObject) => `${o.kind}/${o.metadata.name}`);
      expect({ plaintext, holders }).toEqual({ plaintext, holders: [] });
    }
    for (const key of Object.keys(secret.data)) expect(configMap.data).not.toHaveProperty(key);
  });

  it('uses existingSecret instead of creating a Secret', () => {
    const rendered = render([ciValues('autoscaling')]);
    expect(rendered.all('Secret')).toEqual([]);
    const envFrom = rendered.one('Deployment').spec.template.spec.containers[0].envFrom;
    expect(envFrom).toContainEqual({ secretRef: { name: 'wharf-credentials' } });
    expect(rendered.one('Deployment').spec.template.metadata.annotations).not.toHaveProperty('checksum/secret');
  });

  it.each(VALUES)('gives Wharf only variables of config.ts, which its loadConfig accepts (ci/%s-values.yaml)', (name) => {
    const rendered = render([ciValues(name)]);
    const env = containerEnvironment(rendered, EXISTING_SECRET);
    expectWharfVariables(Object.keys(env), `chart with ci/${name}-values.yaml`);
    const config = loadWharfConfig(env);
    expect(config).toMatchObject({ host: '0.0.0.0', port: 5000, dataDir: '/var/lib/wharf', databaseUrl: expect.stringMatching(/^postgres:\/\//) });
    if (name === 'filesystem') {
      expect(config).toMatchObject({ storage: 'filesystem', storageDir: '/var/lib/wharf/blobs', deleteEnabled: false });
      const pod = rendered.one('Deployment').spec.template.spec;
      expect(pod.volumes).toContainEqual({ name: 'blobs', persistentVolumeClaim: { claimName: 'wharf-blobs' } });
    } else {
      expect(config.storage).toBe('s3');
    }
    if (name === 'autoscaling') {
      expect(config.s3).toMatchObject({ bucket: 'acme-wharf', region: 'eu-west-1', partSize: 16 * 1024 ** 2, createBucket: false, redirect: { publicEndpoint: 'https://s3.eu-west-1.amazonaws.com', expirySeconds: 600 } });
      expect(config).toMatchObject({ uploadTtlMs: 7 * 86_400_000, logLevel: 'warn' });
    }
  });

  it.each([
    ['no database and no existingSecret (the default values)', [], [], /set database\.url/],
    ['no sealing secret or admin password', [], ['database.url=postgres://u:p@h:5432/d'], /auth\.secret/],
    ['a sealing secret shorter than 16 characters', [ciValues('external')], ['auth.secret=short'], /auth\.secret/],
    ['S3 without keys', [], ['database.url=postgres://u:p@h:5432/d', 'auth.secret=a-sealing-secret-of-32-characters', 'auth.adminPassword=admin-password'], /storage\.s3\.accessKey/],
    ['an unknown storage type', [ciValues('external')], ['storage.type=gcs'], /storage\.type must be s3 or filesystem/],
    ['filesystem storage without a claim', [ciValues('filesystem')], ['storage.filesystem.existingClaim='], /existingClaim/],
    ['a secret in extraEnv', [ciValues('external')], ['extraEnv.DATABASE_URL=postgres://x'], /extraEnv\.DATABASE_URL is a secret/],
    ['the sealing secret in extraEnv', [ciValues('external')], ['extraEnv.WHARF_SECRET=not-here-either'], /extraEnv\.WHARF_SECRET is a secret/],
  ])('refuses %s, naming the value to set', (_what, values, set, message) => {
    const result = helmTemplate(values as string[], set as string[]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message as RegExp);
  });
});

// ---- Dockerfile and the image -------------------------------------------------------------------

describe('infra/docker/Dockerfile (hadolint, a real build, the image running the stack)', () => {
  let built = false;
  const imageBuilt = () => {
    if (!built) throw new Error(`${IMAGE} was not built: see the build test above`);
  };

  it('passes hadolint with no warning', () => {
    const result = run(tool('hadolint'), ['--no-color', dockerfile]);
    expect({ status: result.status, findings: result.stdout + result.stderr }).toEqual({ status: 0, findings: '' });
  });

  it('hadolint reports what it should (a control, so a silent pass means something)', () => {
    const result = run(tool('hadolint'), ['--no-color', '-'], { input: 'FROM node:latest\nRUN cd /app && npm install\n' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/DL3007/);
  });

  it('the build context leaves out dependencies, outputs, caches, secrets and tests (.dockerignore)', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const pattern of ['**/node_modules', '**/dist', '.git', '.cache', 'data', 'reports', 'test', '**/.env']) expect(ignore).toContain(pattern);
    // The Dockerfile itself stays in the context: infra/ as a whole must not be ignored.
    expect(ignore).not.toContain('infra');
  });

  it(
    `builds for real (classic builder, ${BASE_IMAGE} a local stand-in), multi-stage, without pulling`,
    async () => {
      await ensureBaseImage();
      const { log, seconds } = await buildImage();
      console.log(`deploy: docker build of infra/docker/Dockerfile took ${seconds} s`);
      expect(log).toMatch(/Successfully tagged wharf-deploy-test\/wharf:latest/);
      expect(log).not.toMatch(/Pulling from/);
      built = true;
    },
    30 * 60_000,
  );

  it('the image runs `node apps/api/dist/main.js` as uid 1000 on 0.0.0.0:5000, with a HEALTHCHECK on /healthz', () => {
    imageBuilt();
    const config = imageConfig(IMAGE);
    expect(config.User).toBe('1000:1000');
    expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['5000/tcp']);
    expect(config.Env).toEqual(expect.arrayContaining(['HOST=0.0.0.0', 'PORT=5000', 'NODE_ENV=production', 'WHARF_DATA_DIR=/var/lib/wharf']));
    expect(config.Cmd).toEqual(['node', 'apps/api/dist/main.js']);
    expect(config.WorkingDir).toBe('/app');
    expect(config.Healthcheck?.Test?.[0]).toBe('CMD');
    expect(config.Healthcheck?.Test?.join(' ')).toContain("path:'/healthz'");
    expectWharfVariables(config.Env.map((e) => e.split('=')[0]!).filter((n) => /^(WHARF_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$)/.test(n)), 'image ENV');
  });

  it('holds production dependencies and compiled code only, read-only for the process', () => {
    imageBuilt();
    const result = runInImage(
      IMAGE,
      [
        'set -e',
        'ls -A /app | sort | tr "\\n" " "; echo',
        'for m in @nestjs/core fastify pg minio typeorm envalid; do test -e node_modules/$m || echo "missing $m"; done',
        'for m in typescript jest nx @swc/core eslint @types/node; do test ! -e node_modules/$m || echo "dev dependency $m"; done',
        'for p in apps/api libs/oci libs/storage libs/db; do test -f $p/dist/index.js -o -f $p/dist/main.js || echo "no build in $p"; test ! -e $p/src || echo "sources in $p"; done',
        // The portal: Next's production build, without its sources or build cache.
        'test -f apps/web/.next/BUILD_ID || echo "no portal build"; test ! -e apps/web/src || echo "portal sources"; test ! -e apps/web/.next/cache || echo "portal build cache"',
        'touch /app/x 2>/dev/null && echo "/app is writable" || true',
        'touch /var/lib/wharf/x && echo "data dir writable"',
        'id -u',
      ].join('\n'),
    );
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout.trim().split('\n')).toEqual(['apps libs node_modules package.json ', 'data dir writable', '1000']);
  });

  describe('running as docker-compose.yml runs it: PostgreSQL, MinIO, nginx with nginx.conf', () => {
    const name = `wharf-deploy-test-${process.pid}`;
    const dir = join(root, '.cache', 'test-runs', 'deploy-stack');
    let postgres: ExternalPostgres | undefined;
    let minio: MinioServer | undefined;
    let nginx: ChildProcess | undefined;
    let registry = '';
    let wharfPort = 0;
    /** The Compose file's WHARF_ADMIN_PASSWORD (from .env.example, as a user changes it). */
    let adminPassword = '';

    afterAll(async () => {
      docker(['rm', '-f', name]);
      if (nginx && nginx.exitCode === null) {
        const exited = new Promise((resolve) => nginx!.once('exit', resolve));
        nginx.kill('SIGTERM');
        await exited;
      }
      await minio?.stop();
      postgres?.stop();
    });

    it(
      'starts with the Compose environment (service addresses mapped to this machine) and turns healthy',
      async () => {
        imageBuilt();
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        postgres = await startDebianPostgres('deploy-stack-pg');
        minio = await startMinio('deploy-stack-minio');
        wharfPort = await freePort();
        const env = withOwnSecrets(wharfComposeEnvironment());
        // The Compose service names are not resolvable here: only the addresses (and MinIO's
        // test keys) change, and the example's placeholder secrets as a user must change them;
        // every other setting is the Compose file's.
        expect(env.DATABASE_URL).toContain('@postgres:5432/');
        expect(env.WHARF_S3_ENDPOINT).toBe('http://minio:9000');
        adminPassword = env.WHARF_ADMIN_PASSWORD ?? '';
        expect(adminPassword).not.toBe('');
        Object.assign(env, {
          HOST: '127.0.0.1',
          PORT: String(wharfPort),
          DATABASE_URL: env.DATABASE_URL!.replace('@postgres:5432/', `@${new URL(postgres.url).host}/`),
          WHARF_S3_ENDPOINT: minio.endpoint,
          WHARF_S3_ACCESS_KEY: minio.accessKey,
          WHARF_S3_SECRET_KEY: minio.secretKey,
        });
        docker(['rm', '-f', name]);
        const started = docker(['run', '-d', '--name', name, '--network', 'host', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), IMAGE]);
        expect({ status: started.status, stderr: started.stderr }).toEqual({ status: 0, stderr: '' });

        const deadline = Date.now() + 120_000;
        let state = containerState(name);
        while (state.Health?.Status !== 'healthy' && state.Status === 'running' && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 1000));
          state = containerState(name);
        }
        const logs = docker(['logs', name]);
        expect({ status: state.Status, health: state.Health?.Status }).toEqual({ status: 'running', health: 'healthy' });
        expect(logs.stdout + logs.stderr).toContain('Wharf is listening');
        expect(docker(['exec', name, 'id', '-u']).stdout.trim()).toBe('1000');
        const ready = await fetch(`http://127.0.0.1:${wharfPort}/readyz`);
        expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ok' } });
        // The portal, on the same port: its sign-in page, rendered by the image's build.
        const signIn = await fetch(`http://127.0.0.1:${wharfPort}/sign-in`);
        expect({ status: signIn.status, type: signIn.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringMatching(/^text\/html/) });
        expect(await signIn.text()).toMatch(/<title>[^<]*Wharf/);
      },
      5 * 60_000,
    );

    it(
      'serves a push and a pull of a 12 MiB layer through nginx.conf (one change: where nginx listens and finds Wharf)',
      async () => {
        expect(wharfPort).toBeGreaterThan(0);
        const source = readFileSync(join(deployDir, 'nginx', 'nginx.conf'), 'utf8');
        const nginxPort = await freePort();
        const conf = source.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${nginxPort};`).replace(/^(\s*)set \$wharf_upstream wharf:5000;$/m, `$1set $wharf_upstream 127.0.0.1:${wharfPort};`);
        expect(conf).not.toBe(source);
        expect(conf).toContain(`listen 127.0.0.1:${nginxPort};`);
        expect(conf).toContain(`set $wharf_upstream 127.0.0.1:${wharfPort};`);
        const nginxDir = join(dir, 'nginx');
        mkdirSync(nginxDir, { recursive: true });
        writeFileSync(join(nginxDir, 'nginx.conf'), conf);
        const out = openSync(join(nginxDir, 'nginx.log'), 'a');
        nginx = spawn('nginx', ['-c', join(nginxDir, 'nginx.conf'), '-p', `${nginxDir}/`, '-e', join(nginxDir, 'error.log'), '-g', `pid ${nginxDir}/nginx.pid; daemon off;`], { stdio: ['ignore', out, out] });
        registry = `127.0.0.1:${nginxPort}`;
        const deadline = Date.now() + 20_000;
        let challenge: string | null = null;
        for (;;) {
          // Access control is on: /v2/ sends the client to the token service.
          const answer = await fetch(`http://${registry}/v2/`).catch(() => undefined);
          if (answer?.status === 401) {
            challenge = answer.headers.get('www-authenticate');
            break;
          }
          if (nginx.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not serve /v2/: ${readFileSync(join(nginxDir, 'nginx.log'), 'utf8').slice(-2000)}`);
          await new Promise((r) => setTimeout(r, 200));
        }
        // The realm is the address the client used (nginx passes Host and X-Forwarded-Proto on).
        expect(bearerChallenge(challenge)).toMatchObject({ realm: `http://${registry}/token` });
        // The admin CLI of the image, beside the server on its configuration, makes the
        // organization to push into; crane logs in as the admin of the Compose file.
        const created = docker(['exec', name, 'node', 'apps/api/dist/cli.js', 'org', 'create', 'deploy']);
        expect({ status: created.status, stderr: created.stderr }).toEqual({ status: 0, stderr: '' });
        expect(JSON.parse(created.stdout)).toMatchObject({ organization: 'deploy', public: false });
        ok(tool('crane'), ['auth', 'login', registry, '--username', 'admin', '--password-stdin'], { input: adminPassword });

        // A layer larger than nginx's default 1 MiB body limit, pushed by crane (POST, streamed
        // PATCH, PUT) through nginx to the container, which keeps it in MinIO.
        const layerDir = join(dir, 'layer');
        mkdirSync(layerDir, { recursive: true });
        writeFileSync(join(layerDir, 'blob.bin'), randomBytes(12 * 1024 * 1024));
        ok('tar', ['-cf', join(dir, 'layer.tar'), '-C', layerDir, 'blob.bin']);
        const reference = `${registry}/deploy/stack:1`;
        ok(tool('crane'), ['append', '--insecure', '-f', join(dir, 'layer.tar'), '-t', reference]);
        const manifest = JSON.parse(ok(tool('crane'), ['manifest', '--insecure', reference])) as { layers: Array<{ digest: string; size: number }> };
        expect(manifest.layers).toHaveLength(1);
        const layer = manifest.layers[0]!;
        expect(layer.size).toBeGreaterThan(12 * 1024 * 1024);
        const blob = await new RegistryApi(`http://${registry}`, { username: 'admin', password: adminPassword }).request(`/v2/deploy/stack/blobs/${layer.digest}`);
        expect(blob.status).toBe(200);
        const bytes = Buffer.from(await blob.arrayBuffer());
        expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(layer.digest);
        const access = readFileSync(join(nginxDir, 'nginx.log'), 'utf8');
        expect(access).toMatch(/"PATCH \/v2\/deploy\/stack\/blobs\/uploads\/\S+ HTTP\/1\.1" 202/);
        expect(access).toContain(`upstream=127.0.0.1:${wharfPort}`);
      },
      5 * 60_000,
    );
  });
});
