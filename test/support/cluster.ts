import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startDebianPostgres, type ExternalPostgres } from './debian-postgres';
import { workspaceRoot } from './embedded-postgres';
import { startMinio, type MinioServer } from './minio';
import { adminPassword, freePort, startWharf, type StartedWharf } from './wharf-process.cjs';

export interface ClusterOptions {
  readonly processes?: number;
  /** MinIO drives; 4 or more runs MinIO erasure-coded. */
  readonly drives?: number;
  /** Redirect blob GETs to presigned MinIO URLs. */
  readonly redirect?: boolean;
  readonly env?: Record<string, string>;
}

export interface UpstreamHit {
  readonly method: string;
  readonly uri: string;
  readonly status: number;
  readonly upstream: string;
}

export interface Cluster {
  /** The load balancer: what clients use. */
  readonly url: string;
  readonly host: string;
  readonly database: ExternalPostgres;
  readonly minio: MinioServer;
  readonly bucket: string;
  readonly processes: StartedWharf[];
  /** What every process was given, WHARF_SECRET included: the admin CLI runs on the same. */
  readonly env: Record<string, string>;
  /** Stops process i (SIGTERM, or SIGKILL to simulate a crash) and starts a fresh one on its port. */
  replace(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Requests as nginx saw them, with the Wharf process that answered. */
  hits(): UpstreamHit[];
  stop(): Promise<void>;
}

function nginxBinary(): string {
  return process.env.WHARF_NGINX ?? '/usr/sbin/nginx';
}

/**
 * Starts nginx in front of `upstreams` on a free port, and waits until nginx itself answers
 * there (its Server header): a port picked free can be taken before nginx binds it (by a
 * process of another suite), and then whatever took it would answer for the balancer.
 * Another port is tried when nginx cannot bind.
 */
async function startNginx(nginxDir: string, upstreams: number[]): Promise<{ nginx: ChildProcess; exited: Promise<unknown>; port: number }> {
  const conf = join(nginxDir, 'nginx.conf');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    writeFileSync(conf, nginxConfig(nginxDir, port, upstreams));
    const out = openSync(join(nginxDir, 'stdout.log'), 'a');
    const nginx: ChildProcess = spawn(nginxBinary(), ['-c', conf, '-p', nginxDir], { stdio: ['ignore', out, out] });
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    for (let waited = 0; nginx.exitCode === null; waited += 100) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (response.ok && response.headers.get('server')?.startsWith('nginx')) return { nginx, exited, port };
      } catch {
        // not yet
      }
      if (waited > 20_000) {
        nginx.kill('SIGTERM');
        await exited;
        throw new Error('nginx did not start within 20 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const log = readFileSync(join(nginxDir, 'stdout.log'), 'utf8').slice(-500);
    if (attempt >= 5 || !/Address already in use/.test(log)) throw new Error(`nginx exited with ${nginx.exitCode}: ${log}`);
  }
}

function nginxConfig(dir: string, port: number, upstreams: number[]): string {
  return `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  log_format hits '$request_method $request_uri $status $upstream_addr';
  access_log ${dir}/access.log hits;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream wharf {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
    location / {
      proxy_pass http://wharf;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_read_timeout 600s;
      proxy_send_timeout 600s;
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}
`;
}

/**
 * Production shape on one machine: N stateless Wharf processes sharing one PostgreSQL and
 * one MinIO, behind nginx doing round-robin on 127.0.0.1.
 */
export async function startCluster(name: string, options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.processes ?? 3;
  const dir = join(workspaceRoot, '.cache', 'test-runs', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'nginx'), { recursive: true });
  // An external PostgreSQL server, as in production (Debian's; the API processes start none).
  const database = await startDebianPostgres(`${name}/postgres`);
  const minio = await startMinio(`${name}/minio`, options.drives ?? 4);
  const bucket = 'wharf';
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    WHARF_STORAGE: 's3',
    WHARF_S3_ENDPOINT: minio.endpoint,
    WHARF_S3_BUCKET: bucket,
    WHARF_S3_ACCESS_KEY: minio.accessKey,
    WHARF_S3_SECRET_KEY: minio.secretKey,
    WHARF_S3_PART_SIZE: '5MiB',
    WHARF_S3_REDIRECT: options.redirect ? 'true' : 'false',
    LOG_LEVEL: 'warn',
    // One database, so one sealing secret: every process must unseal the shared signing keys.
    WHARF_SECRET: randomBytes(32).toString('base64url'),
    WHARF_ADMIN_PASSWORD: adminPassword,
    ...options.env,
  };
  const processes: StartedWharf[] = [];
  for (let i = 0; i < count; i++) processes.push(await startWharf({ dataDir: join(dir, `wharf-${i}`), env }));

  const nginxDir = join(dir, 'nginx');
  const stopServices = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await minio.stop();
    database.stop();
  };
  let balancer: { nginx: ChildProcess; exited: Promise<unknown>; port: number };
  try {
    balancer = await startNginx(nginxDir, processes.map((p) => p.port));
  } catch (error) {
    await stopServices();
    throw error;
  }
  const { nginx, exited: nginxExited, port: lbPort } = balancer;
  const url = `http://127.0.0.1:${lbPort}`;
  const stopAll = async () => {
    if (nginx.exitCode === null && nginx.signalCode === null) nginx.kill('SIGTERM');
    await nginxExited;
    await stopServices();
  };

  return {
    url,
    host: `127.0.0.1:${lbPort}`,
    database,
    minio,
    bucket,
    processes,
    env,
    async replace(i, signal = 'SIGTERM') {
      const old = processes[i]!;
      await old.stop(signal);
      processes[i] = await startWharf({ dataDir: join(dir, `wharf-${i}`), env, port: old.port });
    },
    hits() {
      let log = '';
      try {
        log = readFileSync(join(nginxDir, 'access.log'), 'utf8');
      } catch {
        return [];
      }
      return log
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [method, uri, status, upstream] = line.split(' ');
          return { method: method!, uri: uri!, status: Number(status), upstream: upstream! };
        });
    },
    stop: stopAll,
  };
}
