// The load process: forked by the harness (load/client.ts), it runs one job at a time and
// answers over IPC. Clients are undici Pools with keep-alive connections, except for blob pulls
// (raw-get.ts). Blob bodies are made before the clock starts (data.ts), except where they would
// not fit in memory (B12's twenty big pushes): those are generated and hashed while they are sent.
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';

import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { SignJWT } from 'jose';
import { Client as PgClient } from 'pg';
import { Agent, Pool, request, type Dispatcher } from 'undici';

import { MiB, percentile } from '../support/stats';
import { dataBuffer, dataStream, digestOf, prepareBlob, sha256, sliceStream, type PreparedBlob } from './data';
import { rawGet } from './raw-get';
import type {
  BatchJob,
  ChunkedJob,
  ChunkedResult,
  ImagesJob,
  Job,
  Jobs,
  PgPagesJob,
  PgParam,
  PgRateJob,
  PullJob,
  PushJob,
  RateJob,
  RequestSpec,
  RateResult,
  Reply,
  WalkJob,
  WalkRun,
} from './jobs';

const LONG = { headersTimeout: 600_000, bodyTimeout: 600_000 };
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

function pool(origin: string, connections: number): Pool {
  return new Pool(origin, { connections, ...LONG });
}

/** Reads a body to its end, so that the connection is reused. */
function drain(body: Dispatcher.ResponseData['body']): Promise<void> {
  return body.dump({ limit: Number.MAX_SAFE_INTEGER });
}

function header(response: Dispatcher.ResponseData, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function expectStatus(response: Dispatcher.ResponseData, expected: readonly number[], what: string): Promise<void> {
  if (expected.includes(response.statusCode)) return drain(response.body);
  const text = (await response.body.text()).slice(0, 300);
  throw new Error(`${what}: expected ${expected.join(' or ')}, got ${response.statusCode} ${text}`);
}

/** The path and query of a Location header, resolved against `origin`. */
function locationOf(response: Dispatcher.ResponseData, origin: string, what: string): URL {
  const location = header(response, 'location');
  if (!location) throw new Error(`${what}: no Location header`);
  return new URL(location, origin);
}

const pathOf = (url: URL) => `${url.pathname}${url.search}`;

/**
 * One request through undici's lowest-level API (a dispatch handler): no response stream is
 * built, so the load process spends as little as it can per request; answers the status
 * and the start of the body.
 */
function send(client: Pool, spec: RequestSpec): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let body = '';
    client.dispatch(
      // undici closes the connection after every HEAD unless told not to (against servers that
      // send a body anyway); registry clients keep theirs open, so the rows measure that.
      { origin: undefined, method: spec.method, path: spec.path, headers: spec.headers, body: spec.body ?? null, ...(spec.method === 'HEAD' ? { reset: false } : {}) },
      {
        // The handler interface undici's Client itself speaks.
        onConnect() {},
        onHeaders(statusCode) {
          status = statusCode;
          return true;
        },
        onData(chunk) {
          if (body.length < 300) body += chunk.toString('utf8', 0, 300);
          return true;
        },
        onComplete() {
          resolve({ status, body });
        },
        onError(error) {
          reject(error);
        },
      },
    );
  });
}

async function rate(job: RateJob): Promise<RateResult> {
  const client = pool(job.origin, job.connections);
  const latencies: number[] = [];
  const limit = job.count ?? Number.POSITIVE_INFINITY;
  const started = performance.now();
  const deadline = job.durationMs === undefined ? Number.POSITIVE_INFINITY : started + job.durationMs;
  let next = 0;
  let failure: Error | undefined;
  const loop = async () => {
    while (failure === undefined) {
      const i = next++;
      if (i >= limit || performance.now() >= deadline) return;
      const spec = job.requests[i % job.requests.length]!;
      const t0 = performance.now();
      try {
        const { status, body } = await send(client, spec);
        if (!job.expectStatus.includes(status)) throw new Error(`${spec.method} ${spec.path}: expected ${job.expectStatus.join(' or ')}, got ${status} ${body}`);
      } catch (error) {
        failure ??= error as Error;
        return;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: job.connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  if (failure) throw failure;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function startUpload(client: Pool, origin: string, repository: string, authorization: string): Promise<URL> {
  const path = `/v2/${repository}/blobs/uploads/`;
  const response = await client.request({ method: 'POST', path, headers: { authorization, 'content-length': '0' } });
  const location = locationOf(response, origin, `POST ${path}`);
  await expectStatus(response, [202], `POST ${path}`);
  return location;
}

/** POST, then PUT ?digest= with the whole body. */
async function putBlob(client: Pool, origin: string, repository: string, authorization: string, body: Buffer | Readable, size: number, digest: string): Promise<void> {
  const location = await startUpload(client, origin, repository, authorization);
  location.searchParams.set('digest', digest);
  const response = await client.request({
    method: 'PUT',
    path: pathOf(location),
    headers: { authorization, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body,
  });
  await expectStatus(response, [201], `PUT blob ${digest} to ${repository}`);
}

/** A push's body: a stream, and its digest once the stream has been sent. */
interface PushBody {
  readonly stream: Readable;
  digest(): string;
}

/** Up to this many bytes in all, a push job makes its bodies before the clock starts. */
const PREPARED_BYTES_MAX = 512 * MiB;

function pushBodies(job: PushJob): PushBody[] {
  return job.blobs.map(({ seed }) => {
    if (job.blobs.length * job.size <= PREPARED_BYTES_MAX) {
      const blob = prepareBlob(seed, job.size);
      return { stream: sliceStream(blob.bytes), digest: () => blob.digest };
    }
    if (job.mode === 'monolithic') throw new Error(`a monolithic push names its digest first: its bodies must fit in ${PREPARED_BYTES_MAX / MiB} MiB`);
    const hash = createHash('sha256');
    return { stream: dataStream(seed, 0, job.size, hash), digest: () => `sha256:${hash.digest('hex')}` };
  });
}

/** POST, one PATCH with the whole body (its Content-Length declared unless `declareLength` is false), then PUT ?digest=. */
async function streamBlob(client: Pool, origin: string, repository: string, authorization: string, body: PushBody, size: number, declareLength: boolean): Promise<void> {
  const location = await startUpload(client, origin, repository, authorization);
  const patch = await client.request({
    method: 'PATCH',
    path: pathOf(location),
    headers: { authorization, 'content-type': 'application/octet-stream', ...(declareLength ? { 'content-length': String(size) } : {}) },
    body: body.stream,
  });
  const next = locationOf(patch, origin, `PATCH ${repository}`);
  await expectStatus(patch, [202], `PATCH blob to ${repository}`);
  const digest = body.digest();
  next.searchParams.set('digest', digest);
  const put = await client.request({ method: 'PUT', path: pathOf(next), headers: { authorization, 'content-length': '0' } });
  await expectStatus(put, [201], `PUT ?digest=${digest} to ${repository}`);
}

async function push(job: PushJob): Promise<Jobs['push'][1]> {
  const bodies = pushBodies(job);
  const client = pool(job.origin, job.blobs.length);
  const started = performance.now();
  const each = await Promise.all(
    bodies.map(async (body) => {
      const t0 = performance.now();
      if (job.mode !== 'monolithic') {
        await streamBlob(client, job.origin, job.repository, job.authorization, body, job.size, job.mode === 'streamed');
      } else {
        // Not hashed again here: the server checks the body against the digest (201 or the job fails).
        await putBlob(client, job.origin, job.repository, job.authorization, body.stream, job.size, body.digest());
      }
      return (performance.now() - t0) / 1000;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  return { seconds, each };
}

interface ChunkedState {
  readonly job: ChunkedJob;
  location: URL;
  offset: number;
  readonly blob: PreparedBlob;
}
const uploads = new Map<string, ChunkedState>();

async function chunked(job: ChunkedJob): Promise<ChunkedResult> {
  const saved = job.resume === undefined ? undefined : uploads.get(job.resume);
  if (job.resume !== undefined && !saved) throw new Error(`no upload ${job.resume} to resume`);
  const blob = saved?.blob ?? prepareBlob(job.seed, job.size);
  const client = pool(job.origin, 1);
  const t0 = performance.now();
  let state: ChunkedState;
  if (saved) {
    uploads.delete(job.resume!);
    state = saved;
    // Where does the upload stand on the (restarted) server?
    const status = await client.request({ method: 'GET', path: pathOf(state.location), headers: { authorization: job.authorization } });
    const range = /^0-(\d+)$/.exec(header(status, 'range') ?? '');
    const location = header(status, 'location');
    await expectStatus(status, [204], `GET upload status of ${job.repository}`);
    if (location) state.location = new URL(location, job.origin);
    // The server may have kept less than was sent: go on from where it stands.
    state.offset = range ? Number(range[1]) + 1 : 0;
  } else {
    state = { job, location: await startUpload(client, job.origin, job.repository, job.authorization), offset: 0, blob };
  }
  let sent = 0;
  while (state.offset < job.size) {
    if (!job.resume && job.stopAfterChunks !== undefined && sent === job.stopAfterChunks) {
      const handle = randomUUID();
      uploads.set(handle, state);
      await client.close();
      return { seconds: (performance.now() - t0) / 1000, handle };
    }
    const end = Math.min(job.size, state.offset + job.chunkSize);
    const response = await client.request({
      method: 'PATCH',
      path: pathOf(state.location),
      headers: { authorization: job.authorization, 'content-type': 'application/octet-stream', 'content-length': String(end - state.offset), 'content-range': `${state.offset}-${end - 1}` },
      body: sliceStream(state.blob.bytes, state.offset, end),
    });
    state.location = locationOf(response, job.origin, `PATCH ${job.repository}`);
    await expectStatus(response, [202], `PATCH ${state.offset}-${end - 1} to ${job.repository}`);
    state.offset = end;
    sent++;
  }
  const { digest } = state.blob;
  state.location.searchParams.set('digest', digest);
  const put = await client.request({ method: 'PUT', path: pathOf(state.location), headers: { authorization: job.authorization, 'content-length': '0' } });
  await expectStatus(put, [201], `PUT ?digest=${digest} to ${job.repository}`);
  await client.close();
  return { seconds: (performance.now() - t0) / 1000, digest };
}

async function pull(job: PullJob): Promise<Jobs['pull'][1]> {
  const t0 = performance.now();
  let response = await rawGet(new URL(job.url), job.authorization ? { authorization: job.authorization } : {}, { hash: job.hash });
  let redirected = false;
  if ([301, 302, 303, 307, 308].includes(response.status)) {
    // Never carry the registry's Authorization to another host.
    response = await rawGet(new URL(response.headers.location ?? '', job.url), {}, { hash: job.hash });
    redirected = true;
  }
  if (response.status !== 200) throw new Error(`GET ${job.url}: ${response.status} ${response.errorText ?? ''}`);
  if (response.bytes !== job.expectSize) throw new Error(`GET ${job.url}: ${response.bytes} bytes, expected ${job.expectSize}`);
  // The first byte of the blob, after the redirect when there was one.
  return { seconds: (performance.now() - t0) / 1000, ttfbMs: response.firstByteAt - t0, redirected };
}

async function images(job: ImagesJob): Promise<Jobs['images'][1]> {
  // Everything is generated and hashed before the clock starts.
  const prepared = job.repositories.map((repository, i) => {
    const layer = dataBuffer(`${job.seed}/${i}/layer`, job.layerSize);
    const image = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, config: {} };
    const unpadded = JSON.stringify({ ...image, padding: '' }).length;
    const config = Buffer.from(JSON.stringify({ ...image, padding: 'x'.repeat(Math.max(0, job.configSize - unpadded)) }));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }],
      }),
    );
    return { repository, layer, config, manifest };
  });
  const client = pool(job.origin, job.repositories.length);
  const started = performance.now();
  const each = await Promise.all(
    prepared.map(async ({ repository, layer, config, manifest }) => {
      const t0 = performance.now();
      await putBlob(client, job.origin, repository, job.authorization, config, config.length, sha256(config));
      await putBlob(client, job.origin, repository, job.authorization, layer, layer.length, sha256(layer));
      const path = `/v2/${repository}/manifests/${job.tag}`;
      const response = await client.request({ method: 'PUT', path, headers: { authorization: job.authorization, 'content-type': OCI_MANIFEST }, body: manifest });
      await expectStatus(response, [201], `PUT ${path}`);
      return (performance.now() - t0) / 1000;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  return { seconds, each };
}

async function batch(job: BatchJob): Promise<Jobs['batch'][1]> {
  const client = pool(job.origin, job.concurrency);
  const started = performance.now();
  let next = 0;
  let failure: Error | undefined;
  const loop = async () => {
    while (failure === undefined) {
      const i = next++;
      if (i >= job.count) return;
      const index = String(i).padStart(5, '0');
      const authorization = job.authorizations[Math.floor(i / job.groupSize)]!;
      for (const step of job.steps) {
        const path = step.path.replaceAll('{i}', index);
        try {
          const response = await client.request({ method: step.method, path, headers: { authorization, ...step.headers }, body: step.body });
          await expectStatus(response, step.expectStatus, `${step.method} ${path}`);
        } catch (error) {
          failure ??= error as Error;
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  await client.close();
  if (failure) throw failure;
  return { seconds: (performance.now() - started) / 1000 };
}

async function walk(job: WalkJob): Promise<Jobs['walk'][1]> {
  const client = pool(job.origin, 1);
  const runs: WalkRun[] = [];
  for (let r = 0; r < job.repeat; r++) {
    const t0 = performance.now();
    let firstMs = 0;
    let pages = 0;
    let items = 0;
    let path: string | undefined = job.path;
    while (path) {
      const response = await client.request({ method: 'GET', path, headers: { authorization: job.authorization } });
      if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode} ${(await response.body.text()).slice(0, 300)}`);
      const body = (await response.body.json()) as { tags?: string[] | null; repositories?: string[] | null };
      items += (body.tags ?? body.repositories ?? []).length;
      pages++;
      if (pages === 1) firstMs = performance.now() - t0;
      const link = /<([^>]+)>;\s*rel="?next"?/.exec(header(response, 'link') ?? '');
      path = job.follow && link ? pathOf(new URL(link[1]!, job.origin)) : undefined;
    }
    runs.push({ firstMs, totalMs: performance.now() - t0, pages, items });
  }
  await client.close();
  return { runs };
}

function bind(params: readonly PgParam[], after: string | null, limit: number | null): unknown[] {
  return params.map((p) => (p === '@after' ? after : p === '@limit' ? limit : p));
}

async function pgPages(job: PgPagesJob): Promise<Jobs['pgPages'][1]> {
  const client = new PgClient({ connectionString: job.url });
  await client.connect();
  try {
    const runs: WalkRun[] = [];
    for (let r = 0; r < job.repeat; r++) {
      const t0 = performance.now();
      let firstMs = 0;
      let pages = 0;
      let items = 0;
      let after = job.after;
      for (;;) {
        const { rows } = await client.query<{ name: string }>(job.sql, bind(job.params, after, job.limit));
        pages++;
        items += rows.length;
        if (pages === 1) firstMs = performance.now() - t0;
        if (!job.all || job.limit === null || rows.length < job.limit) break;
        after = rows[rows.length - 1]!.name;
      }
      runs.push({ firstMs, totalMs: performance.now() - t0, pages, items });
    }
    return { runs };
  } finally {
    await client.end();
  }
}

async function pgRate(job: PgRateJob): Promise<RateResult> {
  const client = new PgClient({ connectionString: job.url });
  await client.connect();
  try {
    const values = bind(job.params, null, null);
    const latencies: number[] = [];
    const started = performance.now();
    while (performance.now() - started < job.durationMs) {
      const t0 = performance.now();
      const { rowCount } = await client.query(job.sql, values);
      if (!rowCount) throw new Error(`${job.sql}: no row`);
      latencies.push(performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { requests: latencies.length, seconds, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    await client.end();
  }
}

function hashRate(size: number): { mbps: number } {
  const block = dataBuffer('hash-rate', 64 * MiB);
  const hash = createHash('sha256');
  const t0 = performance.now();
  for (let done = 0; done < size; done += MiB) hash.update(block.subarray(done % block.length, (done % block.length) + MiB));
  hash.digest();
  return { mbps: size / 1e6 / ((performance.now() - t0) / 1000) };
}

async function signRate(durationMs: number): Promise<{ rps: number }> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const access = [{ type: 'repository', name: 'bench/b3', actions: ['pull', 'push'] }];
  let count = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < durationMs) {
    const now = Math.floor(Date.now() / 1000);
    await new SignJWT({ access }).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer('wharf').setAudience('wharf').setSubject('bench').setIssuedAt(now).setExpirationTime(now + 300).setJti(randomUUID()).sign(privateKey);
    count++;
  }
  return { rps: count / ((performance.now() - t0) / 1000) };
}

/** Wharf's own parameters (apps/api/src/auth/passwords.ts): OWASP's argon2id baseline. */
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

async function argon2Rate(count: number, concurrency: number): Promise<{ rps: number }> {
  const stored = await argon2Hash('bench-password', ARGON2);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) if (!(await argon2Verify(stored, 'bench-password'))) throw new Error('argon2 verify failed');
    }),
  );
  return { rps: count / ((performance.now() - t0) / 1000) };
}

async function putUrl(url: string, seed: string, size: number): Promise<{ seconds: number }> {
  const { bytes } = prepareBlob(seed, size);
  const agent = new Agent(LONG);
  try {
    const t0 = performance.now();
    const response = await request(url, { method: 'PUT', dispatcher: agent, headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' }, body: sliceStream(bytes) });
    await expectStatus(response, [200], `PUT ${new URL(url).pathname}`);
    return { seconds: (performance.now() - t0) / 1000 };
  } finally {
    await agent.close();
  }
}

async function hashFile(path: string, bytes: number): Promise<{ seconds: number }> {
  const t0 = performance.now();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1, highWaterMark: MiB })) hash.update(chunk as Buffer);
  hash.digest();
  return { seconds: (performance.now() - t0) / 1000 };
}

async function handle(job: Job): Promise<unknown> {
  switch (job.kind) {
    case 'rate':
      return rate(job);
    case 'push':
      return push(job);
    case 'chunked':
      return chunked(job);
    case 'pull':
      return pull(job);
    case 'images':
      return images(job);
    case 'batch':
      return batch(job);
    case 'walk':
      return walk(job);
    case 'pgPages':
      return pgPages(job);
    case 'pgRate':
      return pgRate(job);
    case 'hashRate':
      return hashRate(job.size);
    case 'signRate':
      return signRate(job.durationMs);
    case 'argon2Rate':
      return argon2Rate(job.count, job.concurrency);
    case 'digest':
      return { digest: digestOf(job.seed, job.size) };
    case 'putUrl':
      return putUrl(job.url, job.seed, job.size);
    case 'hashFile':
      return hashFile(job.path, job.bytes);
  }
}

process.on('message', (message: { id: number; job: Job }) => {
  handle(message.job).then(
    (result) => process.send!({ id: message.id, ok: true, result } satisfies Reply),
    (error: Error) => process.send!({ id: message.id, ok: false, error: error.stack ?? String(error) } satisfies Reply),
  );
});
// The harness going away ends this process too.
process.on('disconnect', () => process.exit(0));
