import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { LoadWorker } from './load/client';
import type { Plan, StorageKind } from './plan';
import type { Results } from './results';
import type { CeilingServer } from './servers/ceiling';
import { DistributionServer, type PeerStorage } from './servers/distribution';
import type { MinioServer } from './servers/minio';
import type { PeerAuth } from './servers/peer-auth';
import type { Postgres } from './servers/postgres';
import type { Registry } from './servers/registry';
import { WharfServer } from './servers/wharf';
import { removeBigFilesSince } from './support/janitor';
import { say } from './support/log';
import { MiB } from './support/stats';

/** What every phase shares: started once per run. */
export interface Shared {
  readonly plan: Plan;
  readonly worker: LoadWorker;
  readonly results: Results;
  readonly runDir: string;
  readonly logDir: string;
  readonly pg: Postgres;
  readonly minio: MinioServer | undefined;
  readonly peerAuth: PeerAuth;
  /** The peer's token service (its realm), for clients that log in themselves. */
  readonly tokenServer: CeilingServer;
  readonly hello: CeilingServer;
  readonly sink: CeilingServer;
  /** Serves the files under `filesDir`. */
  readonly files: CeilingServer;
  readonly filesDir: string;
  readonly sinkDir: string;
}

/** One storage kind: Wharf and the peer on it, fresh, side by side. */
export interface Phase extends Shared {
  readonly storage: StorageKind;
  /** Appended to entry ids: `-fs`, `-s3`. */
  readonly suffix: string;
  readonly dir: string;
  readonly wharf: WharfServer;
  readonly peer: DistributionServer;
  /** S3 only: the same registries answering blob GETs with redirects to presigned URLs. */
  readonly wharfRedirect: WharfServer | undefined;
  readonly peerRedirect: DistributionServer | undefined;
  /** Wharf's database (for the PostgreSQL ceilings). */
  readonly databaseUrl: string;
  readonly registries: readonly Registry[];
  /** Deletes the big blobs written since `sinceMs` from both registries' storage and the ceilings'. */
  cleanBigBlobs(sinceMs: number): Promise<void>;
  /** Runs `make` once per phase (seeding shared by several rows). */
  once<T>(key: string, make: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const BUCKETS = { wharf: 'wharf', peer: 'peer', ceiling: 'ceiling' };
export const CEILING_BUCKET = BUCKETS.ceiling;

export async function openPhase(shared: Shared, storage: StorageKind): Promise<Phase> {
  const started = Date.now();
  const dir = join(shared.runDir, storage);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const minio = shared.minio;
  if (storage === 's3' && !minio) throw new Error('the s3 phase needs MinIO');
  say(`${storage}: starting Wharf and Distribution 2.8.2 (storage: ${storage === 'fs' ? 'filesystem' : 'MinIO'})`);

  const databaseUrl = await shared.pg.createDatabase(`wharf_bench_${storage}`);
  const wharfBlobs = join(dir, 'wharf-blobs');
  const peerRoot = join(dir, 'peer-storage');
  const storageEnv: Record<string, string> =
    storage === 'fs'
      ? { WHARF_STORAGE: 'filesystem', WHARF_STORAGE_DIR: wharfBlobs }
      : { WHARF_STORAGE: 's3', WHARF_S3_ENDPOINT: minio!.endpoint, WHARF_S3_BUCKET: BUCKETS.wharf, WHARF_S3_ACCESS_KEY: minio!.accessKey, WHARF_S3_SECRET_KEY: minio!.secretKey, WHARF_S3_REDIRECT: 'false' };
  const env = { DATABASE_URL: databaseUrl, WHARF_SECRET: randomBytes(24).toString('base64url'), ...storageEnv };
  const peerStorage: PeerStorage =
    storage === 'fs' ? { kind: 'filesystem', root: peerRoot } : { kind: 's3', endpoint: minio!.endpoint, bucket: BUCKETS.peer, accessKey: minio!.accessKey, secretKey: minio!.secretKey };
  const peerOptions = { dir: join(dir, 'peer'), storage: peerStorage, auth: shared.peerAuth, realm: `${shared.tokenServer.url}/token` };
  // Everything starts at once; the second Wharf (S3 redirects) once the first has migrated the database.
  const wharfStarted = WharfServer.start({ name: `wharf-${storage}`, dataDir: join(dir, 'wharf'), logFile: join(shared.logDir, `wharf-${storage}.log`), env });
  const [wharf, wharfRedirect, peer, peerRedirect] = await Promise.all([
    wharfStarted.then(async (server) => {
      await server.createBenchAccount();
      return server;
    }),
    storage === 's3'
      ? wharfStarted.then(() =>
          WharfServer.start({ name: 'wharf-s3-redirect', dataDir: join(dir, 'wharf'), logFile: join(shared.logDir, 'wharf-s3-redirect.log'), env: { ...env, WHARF_S3_REDIRECT: 'true' } }),
        )
      : undefined,
    DistributionServer.start({ ...peerOptions, name: `distribution-${storage}`, logFile: join(shared.logDir, `distribution-${storage}.log`), redirect: false }),
    storage === 's3' ? DistributionServer.start({ ...peerOptions, name: 'distribution-s3-redirect', logFile: join(shared.logDir, 'distribution-s3-redirect.log'), redirect: true }) : undefined,
  ]);

  say(`${storage}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const memo = new Map<string, Promise<unknown>>();
  return {
    ...shared,
    storage,
    suffix: `-${storage}`,
    dir,
    wharf,
    peer,
    wharfRedirect,
    peerRedirect,
    databaseUrl,
    registries: [wharf, peer],
    async cleanBigBlobs(sinceMs) {
      if (storage === 'fs') removeBigFilesSince([wharfBlobs, peerRoot, shared.sinkDir], sinceMs, MiB);
      else for (const bucket of Object.values(BUCKETS)) await minio!.removeBigObjectsSince(bucket, sinceMs, MiB);
    },
    once<T>(key: string, make: () => Promise<T>): Promise<T> {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as Promise<T>;
    },
    async close() {
      const t0 = Date.now();
      await Promise.all([peerRedirect, peer, wharfRedirect, wharf].map((server) => server?.stop()));
      rmSync(dir, { recursive: true, force: true });
      say(`${storage}: servers stopped and data removed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    },
  };
}
