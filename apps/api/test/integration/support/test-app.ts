import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { S3BlobStorage } from '@wharf/storage';
import { Client } from 'pg';

import { parseRegistryPath, requiredAccess, mountSourceAccess, type AccessScope } from '@wharf/oci';
import type { Principal } from '@wharf/authz';

import { AccessService, userPrincipal } from '../../../src/access/access.service';
import { createApp } from '../../../src/app';
import { loadConfig, type WharfConfig } from '../../../src/config/config';
import { AccountsService } from '../../../src/identity/accounts.service';
import { ConflictError } from '../../../src/identity/errors';
import { OrganizationsService } from '../../../src/identity/organizations.service';
import { RobotsService } from '../../../src/identity/robots.service';
import { UsersRepository } from '@wharf/db';
import { useTokens } from './registry-client';

/** The password of `admin` in every test app. */
export const ADMIN_PASSWORD = 'admin-password-for-tests';
/** Seals the signing keys; the same for apps sharing a database. */
const TEST_SECRET = 'wharf-integration-test-secret';

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
  /** The identity services of the running app, to set up users, organizations and robots. */
  readonly identity: { accounts: AccountsService; organizations: OrganizationsService; robots: RobotsService; access: AccessService };
  /** The system administrator `admin` as a principal. */
  admin(): Promise<Principal>;
  /** A registry token from the real token service (GET /token), for these credentials and scopes. */
  token(credentials: { username: string; password: string } | undefined, scopes: readonly string[]): Promise<string>;
  /** `Bearer <token>` as admin for a request, for requests built by hand (openRequest). */
  authorization(method: string, path: string): Promise<string>;
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
  options: {
    databaseUrl?: string;
    storageDir?: string;
    storage?: StorageKind;
    env?: Record<string, string>;
    icuLocale?: string;
    /** false: requests to this app carry no token unless the test adds one. */
    authenticate?: boolean;
  } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(options.icuLocale));
  const storageDir = options.storageDir ?? join(workspaceRoot, '.cache', 'test-runs', 'integration-blobs', randomBytes(6).toString('hex'));
  mkdirSync(storageDir, { recursive: true });
  const env = { WHARF_STORAGE_DIR: storageDir, ...(options.storage === 's3' ? s3Env() : {}), ...options.env };
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'error',
    WHARF_DB_POOL_SIZE: '5',
    WHARF_ADMIN_PASSWORD: ADMIN_PASSWORD,
    WHARF_SECRET: TEST_SECRET,
    WHARF_DATA_DIR: storageDir,
    ...env,
  });
  const app = await createApp(config, databaseUrl);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const url = `http://127.0.0.1:${address.port}`;
  const identity = { accounts: app.get(AccountsService), organizations: app.get(OrganizationsService), robots: app.get(RobotsService), access: app.get(AccessService) };
  const admin = async () => userPrincipal((await app.get(UsersRepository).findByName('admin'))!);
  const token = async (credentials: { username: string; password: string } | undefined, scopes: readonly string[]) => {
    const query = new URLSearchParams({ service: config.auth.service });
    for (const scope of scopes) query.append('scope', scope);
    const headers: Record<string, string> = credentials ? { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` } : {};
    const response = await fetch(`${url}/token?${query}`, { headers });
    if (response.status !== 200) throw new Error(`GET /token: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  };
  // As a real client would: a token covering what the request needs, fetched as admin from
  // the token service, after creating the organization of the repository when it is missing.
  const cache = new Map<string, { value: string; at: number }>();
  const ensured = new Set<string>();
  const adminToken = async (method: string, path: string) => {
    const pathname = path.split('?')[0]!.slice('/v2'.length).replace(/^\//, '');
    const parsed = parseRegistryPath(pathname);
    const query = new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?') + 1) : '');
    let scopes: AccessScope[] = [];
    if (parsed.ok) {
      scopes = [...requiredAccess(parsed.route, method)];
      const source = mountSourceAccess(parsed.route, method, { from: query.get('from') ?? undefined, mount: query.get('mount') ?? undefined });
      if (source) scopes.push(source);
    }
    for (const scope of scopes) {
      const namespace = scope.name.split('/', 1)[0]!;
      if (scope.type !== 'repository' || ensured.has(namespace)) continue;
      await identity.organizations.create(await admin(), { name: namespace }).catch((error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
      });
      ensured.add(namespace);
    }
    const wanted = scopes.map((scope) => (scope.type === 'repository' ? `repository:${scope.name}:pull,push,delete` : 'registry:catalog:*'));
    const key = wanted.join(' ');
    const cached = cache.get(key);
    // Tokens live 5 minutes; take a new one well before.
    if (cached && Date.now() - cached.at < 120_000) return cached.value;
    const value = await token({ username: 'admin', password: ADMIN_PASSWORD }, wanted);
    cache.set(key, { value, at: Date.now() });
    return value;
  };
  if (options.authenticate !== false) useTokens(url, adminToken);
  const testApp: TestApp = {
    url,
    identity,
    admin,
    token,
    authorization: async (method, path) => `Bearer ${await adminToken(method, path)}`,
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
      useTokens(url, undefined);
      await client.end();
      await app.close();
      if (!options.storageDir) rmSync(storageDir, { recursive: true, force: true });
    },
  };
  return testApp;
}
