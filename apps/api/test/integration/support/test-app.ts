import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';

import { createApp } from '../../../src/app';
import { loadConfig, type WharfConfig } from '../../../src/config/config';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');

export interface TestApp {
  /** Base URL, e.g. http://127.0.0.1:43125 */
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly config: WharfConfig;
  readonly databaseUrl: string;
  /** Runs SQL against this app's database, to look at what the API stored. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.WHARF_TEST_DATABASE_URL;
  if (!url) throw new Error('WHARF_TEST_DATABASE_URL is not set: run integration tests through jest --selectProjects integration (its globalSetup starts PostgreSQL)');
  return url;
}

/** A fresh, empty database in the test PostgreSQL. */
export async function createTestDatabase(): Promise<string> {
  const name = `wharf_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Boots the real application (real PostgreSQL, real filesystem storage) on a random port.
 * Pass `databaseUrl` / `storageDir` to share them between several apps, as several API
 * processes behind a load balancer do.
 */
export async function startTestApp(options: { databaseUrl?: string; storageDir?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const storageDir = options.storageDir ?? join(workspaceRoot, '.cache', 'test-runs', 'integration-blobs', randomBytes(6).toString('hex'));
  mkdirSync(storageDir, { recursive: true });
  const config = loadConfig({ DATABASE_URL: databaseUrl, WHARF_STORAGE_DIR: storageDir, LOG_LEVEL: 'error', WHARF_DB_POOL_SIZE: '5', ...options.env });
  const app = await createApp(config, databaseUrl);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    config,
    databaseUrl,
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async close() {
      await client.end();
      await app.close();
      if (!options.storageDir) rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
