import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

import { root, startWharf, type StartedWharf } from '../support/wharf-process.cjs';
import { uniqueSuffix } from './support/e2e-env';
import { RegistryApi } from './support/registry-api';
import { createOrganization } from './support/wharf-cli';

const MiB = 1024 * 1024;
const BLOB_MIB = 256;

/**
 * V8's old-space growth (apps/api/src/heap-growth.ts). With growth fixed at half the live heap, a
 * process without the portal (a heap of about 42 MB) started incremental marking every 70-80 ms
 * of a big push: 3-6 full collections per 256 MiB, as much of the thread as hashing (B5 in
 * docs/benchmarks.md). Counted by the process itself: no timing.
 */
describe('Wharf without the portal, pushing big blobs', () => {
  const dataDir = join(root, '.cache', 'test-runs', 'e2e-heap-growth');
  const gcFile = join(dataDir, 'gc.json');
  const organization = `heap${uniqueSuffix()}`;
  let server: StartedWharf | undefined;

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    server = await startWharf({
      dataDir,
      env: { WHARF_PORTAL: 'off', WHARF_TEST_GC_FILE: gcFile, NODE_OPTIONS: `--require ${join(root, 'test/e2e/support/gc-counter.cjs')}` },
    });
    await createOrganization(organization, { target: server });
  });

  afterAll(async () => {
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const gcCounts = (): { major: number; minor: number } => JSON.parse(readFileSync(gcFile, 'utf8'));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

  /** One monolithic POST ?digest= of `BLOB_MIB` MiB, streamed in 1 MiB pieces (the last one made unique by `seed`). */
  async function push(api: RegistryApi, name: string, seed: number): Promise<number> {
    const piece = randomBytes(MiB);
    const last = Buffer.from(piece);
    last.writeUInt32BE(seed);
    const hash = createHash('sha256');
    for (let i = 1; i < BLOB_MIB; i++) hash.update(piece);
    const digest = `sha256:${hash.update(last).digest('hex')}`;
    const url = new URL(`/v2/${name}/blobs/uploads/?digest=${digest}`, server!.url);
    const authorization = await api.authorizationFor('POST', url);
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { Authorization: authorization, 'Content-Type': 'application/octet-stream', 'Content-Length': String(BLOB_MIB * MiB) } });
      req.on('error', reject);
      req.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      void (async () => {
        for (let i = 1; i < BLOB_MIB; i++) if (!req.write(piece)) await new Promise((drained) => req.once('drain', drained));
        req.end(last);
      })();
    });
  }

  it('receives a 256 MiB push with no full garbage collection once warmed up', async () => {
    const api = new RegistryApi(server!.url);
    const name = `${organization}/big`;
    // The first push of a fresh process settles its heap (one full collection, measured).
    expect(await push(api, name, 1)).toBe(201);
    await settle();
    const before = gcCounts();
    expect(await push(api, name, 2)).toBe(201);
    await settle();
    const after = gcCounts();
    // Young-generation collections do happen: the counter is live.
    expect(after.minor).toBeGreaterThan(before.minor);
    expect(after.major - before.major).toBeLessThanOrEqual(1);
  });
});
