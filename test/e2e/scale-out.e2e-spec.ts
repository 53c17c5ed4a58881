import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startCluster, type Cluster, type UpstreamHit } from '../support/cluster';
import { workspaceRoot } from '../support/embedded-postgres';
import { consistencyProblems } from '../support/consistency';
import { adminCredentials, logIn } from './support/credentials';
import { tarOf, tempDir } from './support/fixtures';
import { RegistryApi } from './support/registry-api';
import { run, runFull } from './support/run';
import { createOrganization, wharfCli } from './support/wharf-cli';

jest.setTimeout(600_000);

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** The conformance suites log in as a maintainer of the `cluster` organization. */
const TESTER = { username: 'conformance-tester', password: 'conformance-tester-password' };

/** Counts of a conformance run, from the line run-conformance.sh ends with. */
async function conformance(suite: 'legacy' | 'main', url: string): Promise<{ passed: number; failed: number }> {
  const result = await runFull('bash', [join(workspaceRoot, 'test/e2e/run-conformance.sh'), suite, url, join(workspaceRoot, 'reports', `conformance-cluster-${suite}`), `cluster/${suite}-a`, `cluster/${suite}-b`], {
    timeoutMs: 600_000,
    env: { OCI_USERNAME: TESTER.username, OCI_PASSWORD: TESTER.password },
  }).catch((error: Error) => ({ stdout: error.message, stderr: '' }));
  const match = /conformance-\w+: (\d+) passed, (\d+) failed/.exec(result.stdout);
  if (!match) throw new Error(`conformance ${suite} did not run: ${result.stdout.slice(-2000)}`);
  return { passed: Number(match[1]), failed: Number(match[2]) };
}

describe('scale-out: three API processes, one PostgreSQL, MinIO erasure-coded over 4 drives, nginx round-robin', () => {
  let cluster: Cluster;
  /** The admin's raw HTTP client (tokens from the load balancer's token service). */
  let registry: RegistryApi;
  let work: string;

  beforeAll(async () => {
    cluster = await startCluster('scale-out', { processes: 3, drives: 4 });
    registry = new RegistryApi(cluster.url);
    await createOrganization('cluster', { target: cluster });
    await wharfCli(['user', 'create', TESTER.username], { target: cluster, password: TESTER.password });
    await wharfCli(['org', 'member', 'cluster', TESTER.username, 'maintainer'], { target: cluster });
    await logIn(cluster.host, adminCredentials(), ['crane', 'docker']);
    work = tempDir('scale-out');
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(['legacy', 'main'] as const)('passes the %s OCI conformance suite through the load balancer', async (suite) => {
    const { passed, failed } = await conformance(suite, cluster.url);
    expect(failed).toBe(0);
    expect(passed).toBeGreaterThan(50);
  });

  it('continues one upload whose consecutive chunks land on different processes', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const repo = `cluster/chunks-${randomBytes(3).toString('hex')}`;
    const start = await registry.fetch(`${cluster.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    let location = start.headers.get('location')!;
    const chunk = 512 * 1024;
    for (let offset = 0; offset < data.length; offset += chunk) {
      const body = data.subarray(offset, offset + chunk);
      const response = await registry.fetch(new URL(location, cluster.url), {
        method: 'PATCH',
        body,
        headers: { 'Content-Range': `${offset}-${offset + body.length - 1}`, 'Content-Type': 'application/octet-stream' },
      });
      expect(response.status).toBe(202);
      location = response.headers.get('location')!;
    }
    const close = new URL(location, cluster.url);
    close.searchParams.set('digest', sha256(data));
    expect((await registry.fetch(close, { method: 'PUT' })).status).toBe(201);
    const blob = Buffer.from(await (await registry.fetch(`${cluster.url}/v2/${repo}/blobs/${sha256(data)}`)).arrayBuffer());
    expect(blob.equals(data)).toBe(true);

    // One token (from whichever process answered the token request) was good on all three:
    // they share the signing keys, sealed with the one WHARF_SECRET.
    const patches = cluster.hits().filter((h) => h.method === 'PATCH' && h.uri.startsWith(`/v2/${repo}/`));
    expect(patches).toHaveLength(6);
    expect(new Set(patches.map((h) => h.upstream)).size).toBe(3);
  });

  it('a process killed (SIGKILL) in the middle of a push: the client retries, nothing is lost', async () => {
    const layer = join(work, 'big.tar');
    await tarOf({ 'big.bin': randomBytes(40 * 1024 * 1024) }, layer);
    const ref = `${cluster.host}/cluster/crash:1.0`;
    const push = runFull('crane', ['append', '--oci-empty-base', '-f', layer, '-t', ref], { timeoutMs: 300_000 });
    // Once an upload session has started, crash the process round-robin sends the next
    // request (the layer's PATCH) to.
    let started: UpstreamHit | undefined;
    for (let waited = 0; !started && waited < 60_000; waited += 20) {
      started = cluster.hits().find((h) => h.method === 'POST' && h.uri.startsWith('/v2/cluster/crash/blobs/uploads/'));
      if (!started) await new Promise((r) => setTimeout(r, 20));
    }
    expect(started).toBeDefined();
    const next = (cluster.processes.findIndex((p) => started!.upstream.endsWith(`:${p.port}`)) + 1) % cluster.processes.length;
    await cluster.replace(next, 'SIGKILL');
    await push;
    const digest = (await run('crane', ['digest', ref])).trim();
    expect(digest).toMatch(/^sha256:/);
    await run('crane', ['pull', '--format', 'oci', ref, join(work, 'crash-pulled')]);
    expect(await consistencyProblems(cluster)).toEqual([]);
  });

  it('an upload whose process dies mid-PATCH resumes through another process from what was stored', async () => {
    const data = randomBytes(20 * 1024 * 1024);
    const repo = 'cluster/resume';
    const victim = cluster.processes[0]!;
    const start = await registry.fetch(`${victim.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    const location = start.headers.get('location')!;
    // Stream to one process directly, and kill it (SIGKILL) halfway through.
    const { request } = await import('node:http');
    const authorization = await registry.authorizationFor('PATCH', new URL(location, victim.url));
    let replaced: Promise<void> | undefined;
    const broken = new Promise<void>((resolve) => {
      const req = request(new URL(location, victim.url), { method: 'PATCH', headers: { Authorization: authorization, 'Transfer-Encoding': 'chunked' } });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(data.subarray(0, 12 * 1024 * 1024), () => (replaced = cluster.replace(0, 'SIGKILL')));
    });
    await broken;
    // The client asks any process where the upload stands, and sends the rest.
    const status = await registry.fetch(new URL(location, cluster.url));
    expect(status.status).toBe(204);
    // `Range: 0-0` is what a registry says before any byte is stored (docker's format).
    const last = Number(status.headers.get('range')!.split('-')[1]);
    const stored = last === 0 ? 0 : last + 1;
    expect(stored).toBeLessThanOrEqual(12 * 1024 * 1024);
    const rest = await registry.fetch(new URL(location, cluster.url), { method: 'PATCH', body: data.subarray(stored), headers: { 'Content-Range': `${stored}-${data.length - 1}` } });
    expect(rest.status).toBe(202);
    const close = new URL(location, cluster.url);
    close.searchParams.set('digest', sha256(data));
    expect((await registry.fetch(close, { method: 'PUT' })).status).toBe(201);
    const blob = Buffer.from(await (await registry.fetch(`${cluster.url}/v2/${repo}/blobs/${sha256(data)}`)).arrayBuffer());
    expect(sha256(blob)).toBe(sha256(data));
    expect(await consistencyProblems(cluster)).toEqual([]);
    // The replacement is in place before the next test replaces processes (none is left running).
    await replaced;
  });

  it('a rolling restart of all three processes under pushes and pulls: zero failed pulls', async () => {
    const seed = join(work, 'seed.tar');
    await tarOf({ 'seed.txt': 'rolling' }, seed);
    const ref = `${cluster.host}/cluster/rolling:base`;
    await run('crane', ['append', '--oci-empty-base', '-f', seed, '-t', ref]);

    let stop = false;
    const failures: string[] = [];
    let pulls = 0;
    const puller = (async () => {
      while (!stop) {
        const manifest = await registry.fetch(`${cluster.url}/v2/cluster/rolling/manifests/base`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } }).catch((e: Error) => e);
        if (manifest instanceof Error || manifest.status !== 200) failures.push(manifest instanceof Error ? manifest.message : `manifest ${manifest.status}`);
        else {
          const body = (await manifest.json()) as { layers: { digest: string }[] };
          const blob = await registry.fetch(`${cluster.url}/v2/cluster/rolling/blobs/${body.layers[0]!.digest}`).catch((e: Error) => e);
          if (blob instanceof Error || blob.status !== 200) failures.push(blob instanceof Error ? blob.message : `blob ${blob.status}`);
          else await blob.arrayBuffer();
        }
        pulls += 1;
      }
    })();
    let pushes = 0;
    const pusher = (async () => {
      while (!stop) {
        const file = join(work, `push-${pushes}.tar`);
        await tarOf({ 'n.txt': `push ${pushes}` }, file);
        // Pushes may fail while a process goes away (nginx does not retry them); clients retry.
        await runFull('crane', ['append', '--oci-empty-base', '-f', file, '-t', `${cluster.host}/cluster/rolling:p${pushes}`]).catch(() => undefined);
        pushes += 1;
      }
    })();
    for (let i = 0; i < cluster.processes.length; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await cluster.replace(i, 'SIGTERM');
    }
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all([puller, pusher]);
    expect(failures).toEqual([]);
    expect(pulls).toBeGreaterThan(20);
    expect(pushes).toBeGreaterThan(0);
    expect(await consistencyProblems(cluster)).toEqual([]);
  });

  it('serves docker, which streams each layer in one PATCH without a length, through the load balancer', async () => {
    const dir = join(work, 'docker');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    // Random bytes do not compress: a layer of about 20 MiB, so three S3 parts of 8 MiB (the
    // first gathered, the second streamed, the third given up where the body ends, and parked).
    writeFileSync(join(dir, 'a.bin'), randomBytes(20 * 1024 * 1024));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY a.bin /a.bin\n');
    const tag = `${cluster.host}/cluster/docker:1.0`;
    await run('docker', ['build', '-q', '-t', tag, dir], { env: { DOCKER_BUILDKIT: '0' } });
    await run('docker', ['push', tag]);
    await run('docker', ['rmi', tag]);
    await run('docker', ['pull', tag]);
    expect(await consistencyProblems(cluster)).toEqual([]);
  });
});
