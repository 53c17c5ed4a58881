import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { S3BlobStorage } from '@wharf/storage';
import { Client } from 'pg';

import { createApp } from '../../../src/app';
import { loadConfig, type WharfConfig } from '../../../src/config/config';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');

export interface TestApp {
  /** Base URL, e.g. http://127.0.0.1:43125 */
  readonly url: string;
  readonly app: NestFastifyApplication;
  /** Sizes of every object in blob storage, whatever the driver. */
  objectSizes(): Promise<number[]>;
  /** The storage settings this app runs with: pass them as `env` to share its blobs. */
  readonly storageEnv: Record<string, string>;
  readonly config: WharfConfig;
  readonly databaseUrl: string;
  /** Runs SQL against this app's database, to look at what the API stored. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Every registry row, as sorted strings: compare two snapshots to prove nothing changed. */
  state(): Promise<RegistryState>;
  /** Runs `act` and expects no registry row to have changed; returns what `act` returned. */
  unchanged<T>(act: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface RegistryState {
  readonly repositories: string[];
  readonly blobs: string[];
  /** `<repository> <digest>` for each repository_blob link. */
  readonly links: string[];
  /** `<repository> <digest>` */
  readonly manifests: string[];
  /** `<repository>:<tag> <digest>` */
  readonly tags: string[];
  /** `<repository> <upload id> <size>` */
  readonly uploads: string[];
}

const STATE_QUERIES: Record<keyof RegistryState, string> = {
  repositories: 'SELECT name AS v FROM repository',
  blobs: "SELECT digest || ' ' || size AS v FROM blob",
  links: "SELECT r.name || ' ' || rb.digest AS v FROM repository_blob rb JOIN repository r ON r.id = rb.repository_id",
  manifests: "SELECT r.name || ' ' || m.digest AS v FROM manifest m JOIN repository r ON r.id = m.repository_id",
  tags: "SELECT r.name || ':' || t.name || ' ' || m.digest AS v FROM tag t JOIN repository r ON r.id = t.repository_id JOIN manifest m ON m.id = t.manifest_id",
  uploads: "SELECT r.name || ' ' || u.id || ' ' || u.size AS v FROM upload u JOIN repository r ON r.id = u.repository_id",
};

function adminUrl(): string {
  const url = process.env.WHARF_TEST_DATABASE_URL;
  if (!url) throw new Error('WHARF_TEST_DATABASE_URL is not set: run integration tests through jest --selectProjects integration (its globalSetup starts PostgreSQL)');
  return url;
}

/**
 * A fresh, empty database in the test PostgreSQL. The cluster's locale is C; pass an ICU
 * locale (e.g. `en-US`) to get a database whose default collation is not byte order, as on
 * most production servers.
 */
export async function createTestDatabase(icuLocale?: string): Promise<string> {
  const name = `wharf_${randomBytes(6).toString('hex')}`;
  if (icuLocale !== undefined && !/^[A-Za-z0-9-]+$/.test(icuLocale)) throw new Error(`unexpected ICU locale ${icuLocale}`);
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(icuLocale === undefined ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${icuLocale}' LOCALE 'C'`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export type StorageKind = 'filesystem' | 's3';

/** Settings for blobs in the test MinIO, in a bucket of their own (created at start). */
export function s3Env(bucket = `wharf-${randomBytes(5).toString('hex')}`): Record<string, string> {
  const endpoint = process.env.WHARF_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('WHARF_TEST_S3_ENDPOINT is not set: run integration tests through jest --selectProjects integration (its globalSetup starts MinIO)');
  return {
    WHARF_STORAGE: 's3',
    WHARF_S3_ENDPOINT: endpoint,
    WHARF_S3_BUCKET: bucket,
    WHARF_S3_ACCESS_KEY: process.env.WHARF_TEST_S3_ACCESS_KEY!,
    WHARF_S3_SECRET_KEY: process.env.WHARF_TEST_S3_SECRET_KEY!,
    WHARF_S3_PART_SIZE: '5MiB',
  };
}

/**
 * Boots the real application (real PostgreSQL, real filesystem storage) on a random port.
 * Pass `databaseUrl` / `storageDir` to share them between several apps, as several API
 * processes behind a load balancer do; `icuLocale` for a database with a locale collation.
 */
export async function startTestApp(
  options: { databaseUrl?: string; storageDir?: string; storage?: StorageKind; env?: Record<string, string>; icuLocale?: string } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(options.icuLocale));
  const storageDir = options.storageDir ?? join(workspaceRoot, '.cache', 'test-runs', 'integration-blobs', randomBytes(6).toString('hex'));
  mkdirSync(storageDir, { recursive: true });
  const env = { WHARF_STORAGE_DIR: storageDir, ...(options.storage === 's3' ? s3Env() : {}), ...options.env };
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', WHARF_DB_POOL_SIZE: '5', ...env });
  const app = await createApp(config, databaseUrl);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const testApp: TestApp = {
    url: `http://127.0.0.1:${address.port}`,
    app,
    storageEnv: env,
    async objectSizes() {
      if (config.s3) {
        const s3 = new S3BlobStorage(config.s3);
        return Promise.all((await s3.listKeys()).map(async (key) => (await s3.stat(key))?.size ?? -1));
      }
      const files = readdirSync(config.storageDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      return files.map((entry) => statSync(join(entry.parentPath, entry.name)).size);
    },
    config,
    databaseUrl,
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async state() {
      const state: Record<string, string[]> = {};
      for (const [key, sql] of Object.entries(STATE_QUERIES)) {
        const { rows } = await client.query<{ v: string }>(`${sql} ORDER BY 1`);
        state[key] = rows.map((r) => r.v);
      }
      return state as unknown as RegistryState;
    },
    async unchanged<T>(act: () => Promise<T>) {
      const before = await testApp.state();
      const result = await act();
      expect(await testApp.state()).toEqual(before);
      return result;
    },
    async close() {
      await client.end();
      await app.close();
      if (!options.storageDir) rmSync(storageDir, { recursive: true, force: true });
    },
  };
  return testApp;
}
