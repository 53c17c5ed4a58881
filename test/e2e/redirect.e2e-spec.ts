import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { consistencyProblems } from '../support/consistency';
import { startDebianPostgres, type ExternalPostgres } from '../support/debian-postgres';
import { workspaceRoot } from '../support/embedded-postgres';
import { startMinio, type MinioServer } from '../support/minio';
import { startWharf, type StartedWharf } from '../support/wharf-process.cjs';
import { adminCredentials, credsFlag, logIn } from './support/credentials';
import { e2eEnv, uniqueSuffix } from './support/e2e-env';
import { removeDir, tarOf, tempDir, untar, type Tree } from './support/fixtures';
import { MANIFEST_ACCEPT, RegistryApi } from './support/registry-api';
import { run, runFull } from './support/run';
import { createOrganization } from './support/wharf-cli';

jest.setTimeout(600_000);

const MiB = 1024 * 1024;
const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

interface Hit {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly range?: string;
  readonly location?: string;
}

/**
 * A pass-through HTTP proxy in front of Wharf that records every request and its answer, so
 * that a test can see which blob GETs real clients got redirected on.
 */
async function recordingProxy(target: string): Promise<{ url: string; host: string; hits: Hit[]; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      hits.push({
        method: req.method!,
        path: req.url!,
        status: answer.statusCode!,
        ...(req.headers.range ? { range: req.headers.range } : {}),
        ...(answer.headers.location ? { location: answer.headers.location } : {}),
      });
      res.writeHead(answer.statusCode!, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Manifest {
  readonly config: { readonly digest: string; readonly size: number };
  readonly layers: { readonly digest: string; readonly size: number }[];
}

/**
 * Blob GETs redirected to presigned MinIO URLs (WHARF_S3_REDIRECT=true) on the public
 * endpoint, while HEAD and Range GETs stay on the API (protocol.md §8), and real clients —
 * crane, docker, skopeo — pull through the redirect byte for byte.
 */
describe('blob GET redirects to presigned MinIO URLs', () => {
  const env = e2eEnv();
  const runDir = join(workspaceRoot, '.cache', 'test-runs', 'redirect');
  const id = uniqueSuffix();
  const repo = `redirect/app-${id}`;
  // A layer larger than one 5 MiB part (a multipart object) and one small enough to stay a staging object.
  const bigTree: Tree = { 'data/big.bin': randomBytes(7 * MiB) };
  const smallTree: Tree = { 'etc/greeting': `hello through the redirect ${id}\n` };
  const tree: Tree = { ...bigTree, ...smallTree };

  let database: ExternalPostgres | undefined;
  let minio: MinioServer | undefined;
  let wharf: StartedWharf | undefined;
  let proxy: Awaited<ReturnType<typeof recordingProxy>> | undefined;
  /** Raw HTTP as the admin, with a token (the presigned URLs themselves need none). */
  let api: RegistryApi;
  let wharfEnv: Record<string, string>;
  let work: string;
  let publicEndpoint: string;
  let ref: string;
  let manifestBytes: Buffer;
  let manifest: Manifest;
  let big: { digest: string; size: number };

  const blobUrl = (digest: string) => `${wharf!.url}/v2/${repo}/blobs/${digest}`;

  beforeAll(async () => {
    work = tempDir('redirect');
    database = await startDebianPostgres('redirect/postgres');
    minio = await startMinio('redirect/minio', 1);
    // Wharf talks to MinIO on 127.0.0.1; clients are sent to it as localhost.
    publicEndpoint = `http://localhost:${minio.port}`;
    wharfEnv = {
      DATABASE_URL: database.url,
      WHARF_STORAGE: 's3',
      WHARF_S3_ENDPOINT: minio.endpoint,
      WHARF_S3_BUCKET: 'wharf',
      WHARF_S3_ACCESS_KEY: minio.accessKey,
      WHARF_S3_SECRET_KEY: minio.secretKey,
      WHARF_S3_PART_SIZE: '5MiB',
      WHARF_S3_REDIRECT: 'true',
      WHARF_S3_PUBLIC_ENDPOINT: publicEndpoint,
      WHARF_S3_PRESIGN_TTL: '120s',
      LOG_LEVEL: 'warn',
    };
    wharf = await startWharf({ dataDir: join(runDir, 'wharf'), env: wharfEnv });
    proxy = await recordingProxy(wharf.url);
    api = new RegistryApi(wharf.url);
    await createOrganization('redirect', { target: wharf });
    // The clients go through the proxy, so that is the registry they log in to.
    await logIn(proxy.host, adminCredentials(), ['crane', 'docker']);

    const bigTar = join(work, 'big.tar');
    const smallTar = join(work, 'small.tar');
    await tarOf(bigTree, bigTar);
    await tarOf(smallTree, smallTar);
    ref = `${proxy.host}/${repo}:1.0`;
    await run('crane', ['append', '--oci-empty-base', '-f', bigTar, '-f', smallTar, '-t', ref]);
    // A platform, so that docker accepts the image.
    await run('crane', ['mutate', '--set-platform', 'linux/amd64', ref]);
    const response = await api.request(`/v2/${repo}/manifests/1.0`, { headers: { Accept: MANIFEST_ACCEPT } });
    expect(response.status).toBe(200);
    manifestBytes = Buffer.from(await response.arrayBuffer());
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    expect(manifest.layers).toHaveLength(2);
    big = manifest.layers.reduce((a, b) => (a.size > b.size ? a : b));
    expect(big.size).toBeGreaterThan(5 * MiB);
  }, 180_000);

  afterAll(async () => {
    await runFull('docker', ['rmi', '-f', `${proxy?.host}/${repo}:1.0`]).catch(() => undefined);
    await proxy?.close();
    await wharf?.stop();
    await minio?.stop();
    try {
      database?.stop();
    } finally {
      removeDir(work);
    }
  });

  it('answers a blob GET without Range with 307 to a presigned URL on the public endpoint', async () => {
    for (const blob of [...manifest.layers, manifest.config]) {
      // no token, no presigned URL
      const anonymous = await fetch(blobUrl(blob.digest), { redirect: 'manual' });
      expect({ status: anonymous.status, location: anonymous.headers.get('location') }).toEqual({ status: 401, location: null });
      const response = await api.fetch(blobUrl(blob.digest), { redirect: 'manual' });
      expect(response.status).toBe(307);
      expect(response.headers.get('docker-content-digest')).toBe(blob.digest);
      const location = new URL(response.headers.get('location')!);
      expect(location.origin).toBe(publicEndpoint);
      expect(location.pathname).toMatch(/^\/wharf\//);
      expect(location.searchParams.get('X-Amz-Expires')).toBe('120');
      expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      expect(await response.arrayBuffer()).toHaveProperty('byteLength', 0);
      // The URL works on its own, with no credentials of the registry.
      const direct = await fetch(location);
      const bytes = Buffer.from(await direct.arrayBuffer());
      expect({ status: direct.status, digest: sha256(bytes), size: bytes.length }).toEqual({ status: 200, digest: blob.digest, size: blob.size });
    }
  });

  it('never redirects HEAD: 200 with Content-Length and Docker-Content-Digest', async () => {
    for (const blob of manifest.layers) {
      const response = await api.fetch(blobUrl(blob.digest), { method: 'HEAD', redirect: 'manual' });
      expect(response.status).toBe(200);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-length')).toBe(String(blob.size));
      expect(response.headers.get('docker-content-digest')).toBe(blob.digest);
    }
  });

  it('serves Range GETs itself (206), and refuses a bad range (416) rather than passing it on', async () => {
    const whole = Buffer.from(await (await api.fetch(blobUrl(big.digest))).arrayBuffer());
    expect(sha256(whole)).toBe(big.digest);
    const partial = await api.fetch(blobUrl(big.digest), { redirect: 'manual', headers: { Range: 'bytes=5242000-5243999' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('location')).toBeNull();
    expect(partial.headers.get('content-range')).toBe(`bytes 5242000-5243999/${big.size}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(whole.subarray(5242000, 5244000))).toBe(true);
    const tail = await api.fetch(blobUrl(big.digest), { redirect: 'manual', headers: { Range: `bytes=${big.size - 100}-` } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(big.size - 100))).toBe(true);
    const bad = await api.fetch(blobUrl(big.digest), { redirect: 'manual', headers: { Range: 'bytes=500-0' } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${big.size}`);
    expect(bad.headers.get('location')).toBeNull();
  });

  it('never redirects manifests', async () => {
    const response = await api.fetch(`${wharf!.url}/v2/${repo}/manifests/1.0`, { redirect: 'manual', headers: { Accept: MANIFEST_ACCEPT } });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(manifestBytes)).toBe(true);
  });

  /** The blob GETs a client made since `from` (an index into the proxy's hits), by digest. */
  function blobGets(from: number): Map<string, Hit[]> {
    const gets = new Map<string, Hit[]>();
    for (const hit of proxy!.hits.slice(from)) {
      const match = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(hit.path);
      if (hit.method === 'GET' && match) gets.set(match[1]!, [...(gets.get(match[1]!) ?? []), hit]);
    }
    return gets;
  }

  /** Every layer was fetched through a 307 to the public endpoint. */
  function expectRedirected(from: number): void {
    const gets = blobGets(from);
    for (const layer of manifest.layers) {
      const hits = gets.get(layer.digest) ?? [];
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits) {
        expect({ status: hit.status, range: hit.range }).toEqual({ status: 307, range: undefined });
        expect(hit.location!.startsWith(`${publicEndpoint}/wharf/`)).toBe(true);
      }
    }
  }

  function expectTree(root: string): void {
    for (const [path, content] of Object.entries(tree)) expect({ path, digest: sha256(readFileSync(join(root, path))) }).toEqual({ path, digest: sha256(content) });
  }

  it('crane pulls and exports through the redirect, byte-identical', async () => {
    const from = proxy!.hits.length;
    const layout = join(work, 'crane-layout');
    await run('crane', ['pull', '--format', 'oci', ref, layout]);
    for (const blob of [manifest.config, ...manifest.layers]) {
      const bytes = readFileSync(join(layout, 'blobs', 'sha256', blob.digest.slice('sha256:'.length)));
      expect(sha256(bytes)).toBe(blob.digest);
    }
    expectRedirected(from);

    const exported = join(work, 'crane-export.tar');
    await run('crane', ['export', ref, exported]);
    await untar(exported, join(work, 'crane-export'));
    expectTree(join(work, 'crane-export'));
  });

  it('docker pulls through the redirect, byte-identical', async () => {
    const from = proxy!.hits.length;
    const docker = (args: string[]) => run('docker', args);
    await runFull('docker', ['rmi', '-f', ref]).catch(() => undefined);
    await docker(['pull', ref]);
    expectRedirected(from);
    const config = JSON.parse(Buffer.from(await (await api.fetch(blobUrl(manifest.config.digest))).arrayBuffer()).toString('utf8')) as { rootfs: { diff_ids: string[] } };
    expect(JSON.parse(await docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref]))).toEqual(config.rootfs.diff_ids);
    const container = (await docker(['create', ref, '/none'])).trim();
    try {
      const exported = join(work, 'docker-export.tar');
      await docker(['export', '-o', exported, container]);
      await untar(exported, join(work, 'docker-export'));
      expectTree(join(work, 'docker-export'));
    } finally {
      await docker(['rm', '-f', container]);
    }
  });

  it('skopeo copies through the redirect, byte-identical', async () => {
    const from = proxy!.hits.length;
    const dir = join(work, 'skopeo-dir');
    await run('skopeo', [...env.skopeoFlags, 'copy', '--src-creds', credsFlag(adminCredentials()), `docker://${ref}`, `dir:${dir}`]);
    expectRedirected(from);
    expect(readFileSync(join(dir, 'manifest.json')).equals(manifestBytes)).toBe(true);
    for (const blob of [manifest.config, ...manifest.layers]) {
      expect(sha256(readFileSync(join(dir, blob.digest.slice('sha256:'.length))))).toBe(blob.digest);
    }
  });

  it('leaves storage and database consistent', async () => {
    expect(await consistencyProblems({ database: database!, env: wharfEnv })).toEqual([]);
  });
});
