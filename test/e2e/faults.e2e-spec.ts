import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';

import { Client } from 'pg';

import { startCluster, type Cluster, type UpstreamHit } from '../support/cluster';
import { consistencyProblems } from '../support/consistency';
import { workspaceRoot } from '../support/embedded-postgres';
import { moveDrivesToTmpfs, unmountUnder, type TmpfsDrives } from '../support/minio';
import { adminCredentials, logIn } from './support/credentials';
import { removeDir, tarOf, tempDir, untar } from './support/fixtures';
import { RegistryApi } from './support/registry-api';
import { run, runFull } from './support/run';
import { createOrganization } from './support/wharf-cli';

jest.setTimeout(600_000);

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Established TCP connections of process `pid` to `port` on this host (from /proc). */
/** The process's established TCP connections to `port`, with the bytes each has received and not read yet. */
function connectionsTo(pid: number, port: number): { unread: number }[] {
  const sockets = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) sockets.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const remote = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const found: { unread: number }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl local remote state tx_queue:rx_queue ... inode
      if (fields.length > 9 && fields[2]!.endsWith(remote) && fields[3] === '01' && sockets.has(fields[9]!)) found.push({ unread: parseInt(fields[4]!.split(':')[1]!, 16) });
    }
  }
  return found;
}

/** What a client saw of one request. */
interface Seen {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly contentType: string | null;
  readonly body: string;
}

async function seen(response: Response): Promise<Seen> {
  return { status: response.status, retryAfter: response.headers.get('retry-after'), contentType: response.headers.get('content-type'), body: await response.text() };
}

/** A dependency outage as the protocol wants it: 503, Retry-After, an OCI error body, no stack. */
function expectUnavailable(response: Seen, what: string, withBody = true): void {
  expect({ what, status: response.status }).toEqual({ what, status: 503 });
  expect(Number(response.retryAfter)).toBeGreaterThan(0);
  if (!withBody) return;
  expect(response.contentType).toMatch(/^application\/json/);
  const body = JSON.parse(response.body) as { errors: { code: string; message: string }[] };
  expect(body.errors.map((e) => e.code)).toEqual(['UNAVAILABLE']);
  expect(response.body).not.toMatch(/\bat .+\.(js|ts):\d+/);
}

/**
 * One fault after the other on one cluster (three API processes, Debian PostgreSQL, MinIO
 * erasure-coded over 4 drives, nginx), each followed by the consistency checker and a fresh
 * push and pull (reliability.md §4(b) rows 4, 6, 9, 10, 11).
 */
describe('faults: dependency outages, full storage, slow and vanishing clients', () => {
  const runDir = join(workspaceRoot, '.cache', 'test-runs', 'faults');
  let cluster: Cluster;
  /** The admin's raw HTTP client: a token per scope from the token service, as clients do. */
  let registry: RegistryApi;
  let work: string;
  let drives: TmpfsDrives | undefined;
  let pushes = 0;

  const url = (path: string, base = cluster.url) => new URL(path, base);
  /** A /v2 request, to the load balancer or to one process, with the admin's token. */
  const v2 = (input: URL, init?: RequestInit) => registry.fetch(input, init);
  const authorization = async (method: string, input: URL) => ({ Authorization: await registry.authorizationFor(method, input) });

  beforeAll(async () => {
    // A run that died in the storage-full test may have left its tmpfs mounts behind.
    unmountUnder(runDir);
    cluster = await startCluster('faults', { processes: 3, drives: 4 });
    registry = new RegistryApi(cluster.url);
    await createOrganization('faults', { target: cluster });
    await logIn(cluster.host, adminCredentials(), ['crane']);
    work = tempDir('faults');
  }, 180_000);

  afterAll(async () => {
    try {
      // Whatever a failed test left stopped is started, so that everything stops cleanly.
      if (cluster && !cluster.database.running()) await cluster.database.start();
      await cluster?.stop();
    } finally {
      drives?.unmount();
      unmountUnder(runDir);
      removeDir(work);
    }
  });

  /** Pushes a fresh one-layer image with crane and exports it back: service works. */
  async function freshPushPull(): Promise<void> {
    pushes += 1;
    const content = randomBytes(256 * 1024);
    const layer = join(work, `fresh-${pushes}.tar`);
    await tarOf({ 'fresh.bin': content }, layer);
    const ref = `${cluster.host}/faults/fresh:${pushes}`;
    await run('crane', ['append', '--oci-empty-base', '-f', layer, '-t', ref]);
    const exported = join(work, `fresh-${pushes}-export.tar`);
    await run('crane', ['export', ref, exported]);
    const into = join(work, `fresh-${pushes}-export`);
    await untar(exported, into);
    expect(sha256(readFileSync(join(into, 'fresh.bin')))).toBe(sha256(content));
  }

  async function afterFault(): Promise<void> {
    expect(await consistencyProblems(cluster)).toEqual([]);
    await freshPushPull();
  }

  async function startUpload(repo: string, base = cluster.url): Promise<URL> {
    const response = await v2(url(`/v2/${repo}/blobs/uploads/`, base), { method: 'POST' });
    expect(response.status).toBe(202);
    return url(response.headers.get('location')!, base);
  }

  async function patch(location: URL, body: Buffer, offset: number): Promise<Response> {
    return v2(location, { method: 'PATCH', body, headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${offset}-${offset + body.length - 1}` } });
  }

  async function finish(location: URL, data: Buffer): Promise<Response> {
    const close = new URL(location);
    close.searchParams.set('digest', sha256(data));
    return v2(close, { method: 'PUT' });
  }

  /** One PATCH streaming `data` chunked (no Content-Length, no Content-Range), as docker does. */
  async function streamPatch(location: URL, data: Buffer): Promise<Seen> {
    const headers = await authorization('PATCH', location);
    return new Promise((resolve, reject) => {
      const req = request(location, { method: 'PATCH', headers: { ...headers, 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' } });
      req.on('error', reject);
      req.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
            contentType: response.headers['content-type'] ?? null,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      for (let offset = 0; offset < data.length; offset += MiB) req.write(data.subarray(offset, offset + MiB));
      req.end();
    });
  }

  /** A blob pushed whole (POST, PATCH, PUT); returns its digest. */
  async function pushBlob(repo: string, data: Buffer): Promise<string> {
    const location = await startUpload(repo);
    const patched = await patch(location, data, 0);
    expect(patched.status).toBe(202);
    const closed = await finish(url(patched.headers.get('location')!), data);
    expect(closed.status).toBe(201);
    return sha256(data);
  }

  async function pullBlob(repo: string, digest: string, base = cluster.url): Promise<Buffer> {
    const response = await v2(url(`/v2/${repo}/blobs/${digest}`, base));
    const bytes = Buffer.from(await response.arrayBuffer());
    expect({ status: response.status, digest: sha256(bytes) }).toEqual({ status: 200, digest });
    return bytes;
  }

  /** The stored size of an upload, once the server has stopped changing it. */
  async function settledUploadSize(location: URL): Promise<number> {
    let previous: string | null = null;
    for (let tries = 0; tries < 20; tries++) {
      const status = await v2(location);
      expect(status.status).toBe(204);
      const range = status.headers.get('range');
      expect(range).toMatch(/^0-\d+$/);
      if (range === previous) {
        const last = Number(range!.split('-')[1]);
        return last === 0 ? 0 : last + 1;
      }
      previous = range;
      await sleep(300);
    }
    throw new Error(`upload ${location.pathname} kept changing size`);
  }

  async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<number> {
    const started = Date.now();
    while (!(await check().catch(() => false))) {
      if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
      await sleep(100);
    }
    return Date.now() - started;
  }

  const ready = async (base: string) => (await fetch(`${base}/readyz`)).status === 200;
  const allReady = async () => (await Promise.all(cluster.processes.map((p) => ready(p.url)))).every(Boolean);

  it('MinIO restarted in the middle of a push: 503 + Retry-After meanwhile, the retried push completes byte-identical', async () => {
    const seedRepo = 'faults/minio-seed';
    const seed = randomBytes(2 * MiB);
    const seedDigest = await pushBlob(seedRepo, seed);
    const big = randomBytes(48 * MiB);
    const layer = join(work, 'minio-big.tar');
    await tarOf({ 'big.bin': big }, layer);
    const ref = `${cluster.host}/faults/minio:1.0`;
    const attempt = () => runFull('crane', ['append', '--oci-empty-base', '-f', layer, '-t', ref], { timeoutMs: 300_000 });

    const firstPush = attempt().then(
      () => 'completed',
      (error: Error) => error.message,
    );
    // Once the layer's upload session exists, its PATCH is on its way: kill MinIO under it.
    let started: UpstreamHit | undefined;
    for (let waited = 0; !started && waited < 60_000; waited += 10) {
      started = cluster.hits().find((h) => h.method === 'POST' && h.uri.startsWith('/v2/faults/minio/blobs/uploads/'));
      if (!started) await sleep(10);
    }
    expect(started).toBeDefined();
    await sleep(100);
    await cluster.minio.stop('SIGKILL');
    let restarted = false;
    try {
      // Requests of our own while MinIO is down.
      expectUnavailable(await seen(await v2(url(`/v2/${seedRepo}/blobs/${seedDigest}`))), 'blob GET');
      const session = await startUpload('faults/minio-own');
      const chunk = randomBytes(MiB);
      expectUnavailable(await seen(await patch(session, chunk, 0)), 'blob upload PATCH');
      // Nothing was stored: the session is where it was.
      const status = await v2(session);
      expect({ status: status.status, range: status.headers.get('range') }).toEqual({ status: 204, range: '0-0' });
      expect((await fetch(`${cluster.url}/readyz`)).status).toBe(503);
      for (const p of cluster.processes) {
        expect((await fetch(`${p.url}/readyz`)).status).toBe(503);
        expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
      }
      await sleep(1_000);
      restarted = true;
      await cluster.minio.restart();
      await waitFor('every process ready again', allReady);
      expect((await fetch(`${cluster.url}/readyz`)).status).toBe(200);

      // Our session goes on where it stood.
      const resumed = await patch(session, chunk, 0);
      expect(resumed.status).toBe(202);
      expect((await finish(session, chunk)).status).toBe(201);
      expect(sha256(await pullBlob('faults/minio-own', sha256(chunk)))).toBe(sha256(chunk));
    } finally {
      if (!restarted) await cluster.minio.restart();
    }

    // crane gave up during the outage (or retried through it): a client's retry completes.
    const first = await firstPush;
    if (first !== 'completed') await attempt();
    const exported = join(work, 'minio-export.tar');
    await run('crane', ['export', ref, exported]);
    await untar(exported, join(work, 'minio-export'));
    expect(sha256(readFileSync(join(work, 'minio-export', 'big.bin')))).toBe(sha256(big));
    // Every blob of the image as the registry serves it hashes to its digest.
    const manifest = JSON.parse(await run('crane', ['manifest', ref])) as { config: { digest: string }; layers: { digest: string; size: number }[] };
    for (const { digest } of [manifest.config, ...manifest.layers]) await pullBlob('faults/minio', digest);
    expect(sha256(await pullBlob(seedRepo, seedDigest))).toBe(seedDigest);

    await afterFault();
  });

  it('PostgreSQL restarted under load: 503 + Retry-After (never 404) meanwhile, the pools reconnect without restarting Wharf', async () => {
    const repo = 'faults/pg';
    const layerFile = join(work, 'pg.tar');
    await tarOf({ 'pg.bin': randomBytes(MiB) }, layerFile);
    await run('crane', ['append', '--oci-empty-base', '-f', layerFile, '-t', `${cluster.host}/${repo}:base`]);
    const accept = { Accept: 'application/vnd.oci.image.manifest.v1+json' };
    const manifest = (await (await v2(url(`/v2/${repo}/manifests/base`), { headers: accept })).json()) as { layers: { digest: string }[] };
    const layerDigest = manifest.layers[0]!.digest;
    const pids = cluster.processes.map((p) => p.pid);

    // Load: pulls of the manifest and its layer and small pushes, through nginx and on each
    // process directly; every answer is recorded.
    const answers: { what: string; status: number; retryAfter: string | null; at: number }[] = [];
    let stop = false;
    const loop = async (base: string, n: number) => {
      let i = 0;
      while (!stop) {
        i += 1;
        const record = async (what: string, response: Promise<Response>) => {
          const r = await response.catch((error: Error) => error);
          if (r instanceof Error) answers.push({ what: `${what}: ${r.message}`, status: 0, retryAfter: null, at: Date.now() });
          else {
            await r.arrayBuffer();
            answers.push({ what, status: r.status, retryAfter: r.headers.get('retry-after'), at: Date.now() });
          }
          return r;
        };
        await record('manifest GET', v2(url(`/v2/${repo}/manifests/base`, base), { headers: accept }));
        await record('manifest HEAD', v2(url(`/v2/${repo}/manifests/base`, base), { method: 'HEAD', headers: accept }));
        await record('blob GET', v2(url(`/v2/${repo}/blobs/${layerDigest}`, base)));
        await record('tags GET', v2(url(`/v2/${repo}/tags/list`, base)));
        const data = randomBytes(64 * 1024 + n * 1000 + i);
        await record('upload POST', v2(url(`/v2/${repo}-push/blobs/uploads/?digest=${sha256(data)}`, base), { method: 'POST', body: data }));
      }
    };
    const loops = [cluster.url, cluster.url, ...cluster.processes.map((p) => p.url)].map((base, n) => loop(base, n));
    await sleep(500);
    // The token service needs PostgreSQL: the outage is met, as by clients in the middle of
    // their work, with tokens in hand (fresh ones, for every scope used below).
    await registry.authorizationFor('POST', url(`/v2/${repo}/blobs/uploads/`));
    await registry.renewTokens();

    const stoppedAt = Date.now();
    cluster.database.stop();
    try {
      // Our own requests while PostgreSQL is down.
      expectUnavailable(await seen(await v2(url(`/v2/${repo}/manifests/base`), { headers: accept })), 'manifest GET');
      expectUnavailable(await seen(await v2(url(`/v2/${repo}/manifests/base`), { method: 'HEAD', headers: accept })), 'manifest HEAD', false);
      expectUnavailable(await seen(await v2(url(`/v2/${repo}/blobs/${layerDigest}`))), 'blob GET');
      expectUnavailable(await seen(await v2(url(`/v2/${repo}/blobs/uploads/`), { method: 'POST' })), 'upload POST');
      for (const p of cluster.processes) {
        expect((await fetch(`${p.url}/readyz`)).status).toBe(503);
        expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
      }
      await sleep(1_500);
    } finally {
      await cluster.database.start();
    }
    // The pools reconnect by themselves.
    const reconnectMs = await waitFor('every process ready again', allReady, 10_000);
    await waitFor('manifest GET 200 on every process', async () => {
      const statuses = await Promise.all(cluster.processes.map(async (p) => (await v2(url(`/v2/${repo}/manifests/base`, p.url), { headers: accept })).status));
      return statuses.every((s) => s === 200);
    }, 10_000);
    const recoveredAt = Date.now();
    await sleep(1_000);
    stop = true;
    await Promise.all(loops);

    expect(reconnectMs).toBeLessThan(10_000);
    // The same processes, never restarted.
    expect(cluster.processes.map((p) => p.pid)).toEqual(pids);
    for (const pid of pids) expect(() => process.kill(pid, 0)).not.toThrow();
    const wrong = answers.filter((a) => ![200, 201, 503].includes(a.status) || (a.status === 503 && !(Number(a.retryAfter) > 0)));
    expect(wrong).toEqual([]);
    // The load did overlap the outage, and nothing failed once PostgreSQL was back.
    expect(answers.filter((a) => a.status === 503 && a.at >= stoppedAt).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.at > recoveredAt && a.status !== 200 && a.status !== 201)).toEqual([]);
    expect(answers.filter((a) => a.at > recoveredAt).length).toBeGreaterThan(10);
    expect(answers.filter((a) => a.at < stoppedAt && a.status === 503)).toEqual([]);

    await afterFault();
  });

  it('requests cut off by the PostgreSQL restart halfway (chunk stored, blob completed) succeed when the client retries them', async () => {
    const repo = 'faults/pg-inflight';
    const target = cluster.processes[2]!;
    // A chunk whose bytes are in storage when its UPDATE fails, and an upload whose object is
    // complete when its commit fails: a lock of our own holds the statement at that point, its
    // connection is cut as a restart cuts it, then PostgreSQL restarts.
    const stuckAt = async (uploadId: string, what: string, send: () => Promise<Seen>): Promise<Seen> => {
      const locker = new Client({ connectionString: cluster.database.url });
      locker.on('error', () => undefined);
      await locker.connect();
      let answer: Promise<Seen> | undefined;
      try {
        await locker.query('BEGIN');
        await locker.query('SELECT 1 FROM upload WHERE id = $1 FOR UPDATE', [uploadId]);
        answer = send();
        let waiting: number | undefined;
        // (pg_stat_activity.query may still show the statement before: who waits on us is enough.)
        let early: Seen | undefined;
        void answer.then((a) => (early = a));
        for (const started = Date.now(); waiting === undefined; await sleep(50)) {
          if (early) throw new Error(`the ${what} was answered before it reached our lock: ${early.status} ${early.body}`);
          if (Date.now() - started > 60_000) throw new Error(`the ${what} did not reach our lock within 60 s`);
          const { rows } = await locker.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))');
          waiting = rows[0]?.pid;
        }
        await locker.query('SELECT pg_terminate_backend($1)', [waiting]);
        return await answer;
      } finally {
        await locker.end().catch(() => undefined);
        await answer?.catch(() => undefined);
        await cluster.database.restart();
      }
    };
    const uploadIdOf = (location: URL) => location.pathname.split('/').pop()!;

    // 1. A chunk (through the process that keeps the upload's running hash) stored in MinIO,
    //    then its UPDATE dies with PostgreSQL: 503. Its retry and the upload must succeed.
    const first = randomBytes(3 * MiB);
    const second = randomBytes(4 * MiB);
    const data = Buffer.concat([first, second]);
    const location = await startUpload(repo, target.url);
    expect((await patch(location, first, 0)).status).toBe(202);
    expectUnavailable(await stuckAt(uploadIdOf(location), 'UPDATE of the chunk', async () => seen(await patch(location, second, first.length))), 'PATCH whose UPDATE died');
    await waitFor('process ready again', () => ready(target.url), 10_000);
    expect((await v2(location)).headers.get('range')).toBe(`0-${first.length - 1}`);
    const retried = await patch(location, second, first.length);
    expect(retried.status).toBe(202);
    const closed = await seen(await finish(location, data));
    expect({ status: closed.status, body: closed.body }).toEqual({ status: 201, body: '' });
    expect((await pullBlob(repo, sha256(data))).equals(data)).toBe(true);

    // 2. A blob of several parts completed in MinIO, then its commit dies with PostgreSQL:
    //    503. The retried PUT must commit it (with and without a tail past the last whole part).
    for (const size of [6 * MiB, 5 * MiB]) {
      const blob = randomBytes(size);
      const upload = await startUpload(repo, target.url);
      expect((await patch(upload, blob, 0)).status).toBe(202);
      expectUnavailable(await stuckAt(uploadIdOf(upload), 'commit of the blob', async () => seen(await finish(upload, blob))), 'PUT whose commit died');
      await waitFor('process ready again', () => ready(target.url), 10_000);
      expect((await v2(url(`/v2/${repo}/blobs/${sha256(blob)}`), { method: 'HEAD' })).status).toBe(404);
      const again = await seen(await finish(upload, blob));
      expect({ size, status: again.status, body: again.body }).toEqual({ size, status: 201, body: '' });
      expect((await pullBlob(repo, sha256(blob))).equals(blob)).toBe(true);
    }

    await afterFault();
  });

  it('a slow client trickling a PATCH completes correctly and does not hold up other clients', async () => {
    const repo = 'faults/slow';
    const target = cluster.processes[0]!;
    const pulled = randomBytes(2 * MiB);
    const pulledDigest = await pushBlob(repo, pulled);
    const location = await startUpload(repo, target.url);

    // 64 KiB every 200 ms for 4 s, as one chunked PATCH to one process.
    const pieces = Array.from({ length: 20 }, () => randomBytes(64 * 1024));
    const data = Buffer.concat(pieces);
    let slowDone = false;
    const headers = await authorization('PATCH', location);
    const slow = new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(location, { method: 'PATCH', headers: { ...headers, 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' } });
      req.on('error', reject);
      req.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response));
      });
      void (async () => {
        for (const piece of pieces) {
          req.write(piece);
          await sleep(200);
        }
        req.end();
      })();
    }).finally(() => (slowDone = true));

    await sleep(600);
    // Meanwhile, other clients pull from the same process (and through nginx): fast and whole.
    const pullStarted = Date.now();
    const timings = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const t0 = Date.now();
        const bytes = await pullBlob(repo, pulledDigest, i % 2 === 0 ? target.url : cluster.url);
        expect(bytes.equals(pulled)).toBe(true);
        return Date.now() - t0;
      }),
    );
    const pullsTook = Date.now() - pullStarted;
    expect(slowDone).toBe(false);
    expect(Math.max(...timings)).toBeLessThan(2_000);
    expect(pullsTook).toBeLessThan(2_500);

    const response = await slow;
    expect(response.statusCode).toBe(202);
    expect(response.headers.range).toBe(`0-${data.length - 1}`);
    expect((await finish(location, data)).status).toBe(201);
    expect((await pullBlob(repo, sha256(data))).equals(data)).toBe(true);

    await afterFault();
  });

  it('a client that drops the connection mid-upload: nothing visible, a consistent Range, and the upload resumes', async () => {
    const repo = 'faults/dropped-upload';
    const target = cluster.processes[1]!;
    const data = randomBytes(13 * MiB);
    const digest = sha256(data);
    const location = await startUpload(repo);
    const sendFirst = 8 * MiB;
    // Stream part of the blob to one process, then reset the TCP connection.
    const headers = await authorization('PATCH', location);
    await new Promise<void>((resolve) => {
      const req = request(url(location.pathname, target.url), { method: 'PATCH', headers: { ...headers, 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' } });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(data.subarray(0, sendFirst), () => {
        setTimeout(() => {
          req.socket?.resetAndDestroy();
          req.destroy();
        }, 300);
      });
    });
    expect((await v2(url(`/v2/${repo}/blobs/${digest}`), { method: 'HEAD' })).status).toBe(404);
    const stored = await settledUploadSize(location);
    expect(stored).toBeLessThanOrEqual(sendFirst);
    // The client resumes from what the registry says it holds; the digest check proves the prefix.
    const rest = await patch(location, data.subarray(stored), stored);
    expect({ status: rest.status, range: rest.headers.get('range') }).toEqual({ status: 202, range: `0-${data.length - 1}` });
    expect((await v2(url(`/v2/${repo}/blobs/${digest}`), { method: 'HEAD' })).status).toBe(404);
    expect((await finish(location, data)).status).toBe(201);
    expect((await pullBlob(repo, digest)).equals(data)).toBe(true);

    // Cut off a second time, the client may also throw the session away and start again.
    const again = await startUpload(repo);
    await new Promise<void>((resolve) => {
      const req = request(again, { method: 'PATCH', headers: { ...headers, 'Transfer-Encoding': 'chunked' } });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(data.subarray(0, 6 * MiB), () => setTimeout(() => req.destroy(), 200));
    });
    await settledUploadSize(again);
    expect((await v2(again, { method: 'DELETE' })).status).toBe(204);
    expect((await v2(again)).status).toBe(404);
    const other = randomBytes(3 * MiB);
    expect((await pullBlob(repo, await pushBlob(repo, other))).equals(other)).toBe(true);

    await afterFault();
  });

  it('clients that abort blob downloads halfway do not hurt the server', async () => {
    const repo = 'faults/dropped-download';
    const data = randomBytes(16 * MiB);
    const digest = await pushBlob(repo, data);
    const headers = await authorization('GET', url(`/v2/${repo}/blobs/${digest}`));
    const abortOne = (base: string, reset: boolean) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url(`/v2/${repo}/blobs/${digest}`, base), { headers });
        req.on('error', () => undefined);
        req.on('response', (response) => {
          if (response.statusCode !== 200) reject(new Error(`blob GET answered ${response.statusCode}`));
          let received = 0;
          response.on('error', () => undefined);
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received >= data.length / 2) {
              response.removeAllListeners('data');
              if (reset) req.socket?.resetAndDestroy();
              req.destroy();
              resolve(received);
            }
          });
        });
        req.end();
      });
    const bases = [...cluster.processes.map((p) => p.url), cluster.url];
    for (let round = 0; round < 5; round++) {
      const received = await Promise.all(bases.map((base, i) => abortOne(base, (round + i) % 2 === 0)));
      for (const r of received) expect(r).toBeLessThan(data.length);
    }
    // The object streams of the aborted downloads were closed, not left hanging on MinIO.
    await sleep(500);
    const after = cluster.processes.map((p) => connectionsTo(p.pid, cluster.minio.port));
    // Each process aborted six or seven downloads. A stream left open would hold its connection,
    // stalled with bytes it never reads; idle keep-alive connections hold none.
    expect(after.map((connections) => connections.filter((c) => c.unread > 0).length)).toEqual(after.map(() => 0));
    expect(Math.max(...after.map((connections) => connections.length))).toBeLessThan(6);
    // Every process still serves, whole and fast.
    for (const p of cluster.processes) {
      expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
    }
    const t0 = Date.now();
    const whole = await Promise.all(bases.flatMap((base) => [pullBlob(repo, digest, base), pullBlob(repo, digest, base)]));
    for (const bytes of whole) expect(bytes.equals(data)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // A range read still works too.
    const partial = await v2(url(`/v2/${repo}/blobs/${digest}`), { headers: { Range: 'bytes=1000-1999' } });
    expect(partial.status).toBe(206);
    expect(Buffer.from(await partial.arrayBuffer()).equals(data.subarray(1000, 2000))).toBe(true);

    await afterFault();
  });

  it('MinIO drives full (real ENOSPC on tmpfs): uploads answer 503, nothing becomes visible, the upload succeeds once space is back', async () => {
    const repo = 'faults/full';
    const existing = randomBytes(MiB);
    const existingDigest = await pushBlob(repo, existing);
    drives = await moveDrivesToTmpfs(cluster.minio, 256 * MiB);
    await waitFor('every process ready on the moved drives', allReady);
    const data = randomBytes(12 * MiB);
    const digest = sha256(data);
    const location = await startUpload(repo);
    drives.fill(256 * 1024);
    try {
      // A chunk that needs a whole part, a streamed blob and a monolithic one: all refused with 503.
      expectUnavailable(await seen(await patch(location, data, 0)), 'chunk PATCH on full drives');
      const streamed = await startUpload(repo);
      expectUnavailable(await streamPatch(streamed, data), 'streamed PATCH on full drives');
      expectUnavailable(await seen(await v2(url(`/v2/${repo}/blobs/uploads/?digest=${digest}`), { method: 'POST', body: data })), 'monolithic POST on full drives');
      // Nothing visible, nothing stored, and what was there is still served.
      expect((await v2(url(`/v2/${repo}/blobs/${digest}`), { method: 'HEAD' })).status).toBe(404);
      const status = await v2(location);
      expect({ status: status.status, range: status.headers.get('range') }).toEqual({ status: 204, range: '0-0' });
      expect((await pullBlob(repo, existingDigest)).equals(existing)).toBe(true);
    } finally {
      drives.free();
    }
    // Space is back: the same session succeeds (once MinIO notices, within a retry or two).
    let resumed: Response | undefined;
    await waitFor('the PATCH succeeds once space is back', async () => {
      resumed = await patch(location, data, 0);
      if (resumed.status === 503) {
        await sleep(500);
        return false;
      }
      return true;
    });
    expect(resumed!.status).toBe(202);
    expect((await finish(location, data)).status).toBe(201);
    expect((await pullBlob(repo, digest)).equals(data)).toBe(true);

    await afterFault();
  });
});
