import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';

import { freePort, root, startWharf, type StartedWharf } from '../support/wharf-process.cjs';
import { adminCredentials, logIn } from './support/credentials';
import { uniqueSuffix } from './support/e2e-env';
import { digestsOf, readTree, removeDir, tarOf, tempDir, untar, type Tree } from './support/fixtures';
import { MANIFEST_ACCEPT, RegistryApi, sha256 } from './support/registry-api';
import { run } from './support/run';
import { createOrganization } from './support/wharf-cli';

const MiB = 1024 * 1024;

/**
 * A second Wharf process with its own data folder (embedded PostgreSQL + filesystem blobs),
 * stopped and started again on the same folder: a clean SIGTERM keeps everything (tokens
 * issued before it included), a SIGKILL in the middle of a streamed upload leaves no visible
 * blob and no damage.
 */
describe('Wharf restarts', () => {
  // Not under mkdtemp's /tmp folder: the embedded PostgreSQL runs as OS user postgres and needs
  // every parent folder to be traversable.
  const dataDir = join(root, '.cache', 'test-runs', 'e2e-restart');
  const id = uniqueSuffix();
  const imageRepo = `restart/app-${id}`;
  const blobRepo = `restart/big-${id}`;
  const imageTree: Tree = { 'etc/motd': `survives restarts ${id}\n`, 'data/payload.bin': randomBytes(64 * 1024) };
  // 50 MiB of random bytes, streamed as one PATCH in 1 MiB pieces
  const chunks = Array.from({ length: 50 }, () => randomBytes(MiB));
  const bigSize = chunks.length * MiB;
  const bigDigest = `sha256:${chunks.reduce((hash, chunk) => hash.update(chunk), createHash('sha256')).digest('hex')}`;

  let server: StartedWharf | undefined;
  let port: number;
  let api: RegistryApi;
  let work: string;
  let image: { digest: string; manifest: Buffer; layer: string };
  let interruptedUpload: URL;
  let bytesSentBeforeKill = 0;

  const ref = (reference: string) => `127.0.0.1:${port}/${imageRepo}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
  const crane = (args: string[]) => run('crane', args);

  async function start(): Promise<void> {
    server = await startWharf({ dataDir, ...(port ? { port } : {}) });
    port = server.port;
    // One client for the whole suite (the port stays): its tokens outlive the restarts.
    api ??= new RegistryApi(server.url);
  }

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    work = tempDir('restart');
    await tarOf(imageTree, join(work, 'layer.tar'));
    await start();
    await createOrganization('restart', { target: server! });
    await logIn(`127.0.0.1:${port}`, adminCredentials(), ['crane']);
  });

  afterAll(async () => {
    await server?.stop('SIGTERM');
    removeDir(work);
  });

  async function startUpload(name: string): Promise<URL> {
    const response = await api.request(`/v2/${name}/blobs/uploads/`, { method: 'POST' });
    expect(response.status).toBe(202);
    return new URL(response.headers.get('location')!, server!.url);
  }

  /**
   * Streams chunks as one chunked PATCH (no Content-Length, no Content-Range: what docker and
   * crane do). With `interruptAfter`, runs it once that many chunks were accepted by the socket
   * and stops writing; otherwise ends the body and resolves with the response.
   */
  async function streamPatch(location: URL, interruptAfter?: { chunks: number; action: () => Promise<void> }): Promise<{ response?: IncomingMessage; error?: Error; sent: number }> {
    const authorization = await api.authorizationFor('PATCH', location);
    return new Promise((resolve) => {
      let sent = 0;
      let error: Error | undefined;
      let response: IncomingMessage | undefined;
      const req = request(location, { method: 'PATCH', headers: { Authorization: authorization, 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' } });
      req.on('error', (failure) => (error = failure));
      const answered = new Promise<void>((done) => {
        req.on('response', (reply) => {
          response = reply;
          reply.resume();
          reply.on('end', done);
          reply.on('error', () => done());
        });
        req.on('close', () => setTimeout(done, 100));
      });
      void (async () => {
        for (const [index, chunk] of chunks.entries()) {
          if (error || response) break;
          if (interruptAfter && index === interruptAfter.chunks) {
            await interruptAfter.action();
            req.destroy();
            return resolve({ response, error, sent });
          }
          const flushed = req.write(chunk);
          sent += chunk.length;
          if (!flushed) {
            await new Promise<void>((drained) => {
              const done = () => {
                req.off('drain', done).off('close', done);
                drained();
              };
              req.on('drain', done).on('close', done);
            });
          }
        }
        req.end();
        await answered;
        resolve({ response, error, sent });
      })();
    });
  }

  it('stores an image pushed with crane', async () => {
    await crane(['append', '--oci-empty-base', '-f', join(work, 'layer.tar'), '-t', ref('1.0')]);
    const digest = (await crane(['digest', ref('1.0')])).trim();
    const fetched = await api.manifest(imageRepo, '1.0');
    expect(fetched.digest).toBe(digest);
    const layer = (JSON.parse(fetched.bytes.toString('utf8')) as { layers: Array<{ digest: string }> }).layers[0]!.digest;
    image = { digest, manifest: fetched.bytes, layer };
  });

  it('serves the same image, byte for byte, after a SIGTERM restart', async () => {
    const before = await api.blob(imageRepo, image.layer);
    const manifestUrl = `${server!.url}/v2/${imageRepo}/manifests/1.0`;
    const tokenBefore = await api.authorizationFor('GET', manifestUrl);
    const logFile = server!.logFile;
    const logStart = statSync(logFile).size;
    const postmasterPid = join(dataDir, 'postgres', 'cluster', 'postmaster.pid');
    expect(existsSync(postmasterPid)).toBe(true);
    const running = server!;
    server = undefined;
    await running.stop('SIGTERM');
    const shutdownLog = readFileSync(logFile, 'utf8').slice(logStart);
    const orphanedDatabase = existsSync(postmasterPid);
    await start();
    // a clean stop: no errors, and the embedded PostgreSQL was shut down (not left orphaned)
    expect(shutdownLog).toContain('SIGTERM: shutting down');
    expect(shutdownLog).not.toMatch(/ERROR/);
    expect(orphanedDatabase).toBe(false);
    // the signing keys were kept (sealed with the secret under the data folder)
    const withOldToken = await fetch(manifestUrl, { headers: { Authorization: tokenBefore, Accept: MANIFEST_ACCEPT } });
    expect({ status: withOldToken.status, digest: sha256(Buffer.from(await withOldToken.arrayBuffer())) }).toEqual({ status: 200, digest: image.digest });
    expect((await crane(['digest', ref('1.0')])).trim()).toBe(image.digest);
    expect((await api.manifest(imageRepo, '1.0')).bytes.equals(image.manifest)).toBe(true);
    expect((await api.blob(imageRepo, image.layer)).equals(before)).toBe(true);
    expect(await api.tags(imageRepo)).toEqual(['1.0']);
    const exported = join(work, 'export.tar');
    await crane(['export', ref(image.digest), exported]);
    await untar(exported, join(work, 'export'));
    expect(readTree(join(work, 'export'))).toEqual(digestsOf(imageTree));
  });

  it('survives a SIGKILL in the middle of a 50 MiB streamed upload', async () => {
    interruptedUpload = await startUpload(blobRepo);
    const outcome = await streamPatch(interruptedUpload, {
      chunks: 20,
      action: async () => {
        await new Promise((settle) => setTimeout(settle, 300));
        const running = server!;
        server = undefined;
        await running.stop('SIGKILL');
      },
    });
    bytesSentBeforeKill = outcome.sent;
    // the server died before it could answer
    expect(outcome.response).toBeUndefined();
    expect(bytesSentBeforeKill).toBe(20 * MiB);
    await start();
  });

  it('is healthy after the SIGKILL and shows no partial blob', async () => {
    expect((await api.request('/healthz')).status).toBe(200);
    expect((await api.request('/v2/')).status).toBe(200);
    expect(await api.blobHead(blobRepo, bigDigest)).toEqual(expect.objectContaining({ status: 404 }));
    expect((await api.request(`/v2/${blobRepo}/blobs/${bigDigest}`)).status).toBe(404);
    // the image from before is untouched
    expect((await api.manifest(imageRepo, '1.0')).digest).toBe(image.digest);
    // the interrupted session is either gone or reports no more than was sent
    const status = await api.request(interruptedUpload.pathname);
    expect([204, 404]).toContain(status.status);
    if (status.status === 204) {
      const range = /^0-(\d+)$/.exec(status.headers.get('range') ?? '');
      expect(range).not.toBeNull();
      expect(Number(range![1]) + 1).toBeLessThanOrEqual(bytesSentBeforeKill);
    }
  });

  it('accepts a fresh push of the same blob after the SIGKILL', async () => {
    const location = await startUpload(blobRepo);
    const { response, error } = await streamPatch(location);
    expect(error).toBeUndefined();
    expect(response?.statusCode).toBe(202);
    expect(response?.headers.range).toBe(`0-${bigSize - 1}`);
    const next = new URL(response!.headers.location!, server!.url);
    next.searchParams.set('digest', bigDigest);
    const done = await api.request(`${next.pathname}${next.search}`, { method: 'PUT' });
    expect(done.status).toBe(201);
    expect(done.headers.get('docker-content-digest')).toBe(bigDigest);
    expect(await api.blobHead(blobRepo, bigDigest)).toEqual({ status: 200, size: bigSize });
    expect(sha256(await api.blob(blobRepo, bigDigest))).toBe(bigDigest);
  });
});

/**
 * A process that starts answers /readyz only once the portal has loaded: loading Next takes a
 * CPU for a moment, and a load balancer's first requests would otherwise wait behind it.
 */
describe('Wharf readiness at start', () => {
  const dataDir = join(root, '.cache', 'test-runs', 'e2e-ready');
  let server: StartedWharf | undefined;

  afterAll(async () => {
    await server?.stop('SIGTERM');
  });

  it('answers /readyz 503 `starting` until the web portal has loaded, then 200', async () => {
    rmSync(dataDir, { recursive: true, force: true });
    const port = await freePort();
    const logFile = join(dataDir, 'wharf.log');
    const answers: Array<{ status: number; body: unknown; portalLoaded: boolean }> = [];
    let stopPolling = false;
    const polling = (async () => {
      while (!stopPolling) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/readyz`);
          const body: unknown = await response.json();
          // Read after the answer: a loaded portal is logged before /readyz may say 200.
          answers.push({ status: response.status, body, portalLoaded: existsSync(logFile) && readFileSync(logFile, 'utf8').includes('serving the web portal from') });
          if (response.status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolveWait) => setTimeout(resolveWait, 5));
      }
    })();
    try {
      server = await startWharf({ dataDir, port });
      await polling;
    } finally {
      stopPolling = true;
    }
    expect(answers[0]).toEqual(expect.objectContaining({ status: 503, body: { status: 'starting', failing: ['portal'] } }));
    expect(answers.at(-1)).toEqual({ status: 200, body: { status: 'ok' }, portalLoaded: true });
    expect(answers.filter((answer) => answer.status !== 503 && answer.status !== 200)).toEqual([]);
    // The portal answers at once now.
    const page = await fetch(`${server.url}/sign-in`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});
