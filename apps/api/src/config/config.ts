import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { parse as parseDotenv } from 'dotenv';
import { bool, cleanEnv, makeValidator, num, port, str, url } from 'envalid';

/** A duration such as `90s`, `30m`, `24h` or `7d`, in milliseconds. */
const duration = makeValidator<number>((input) => {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(input.trim());
  if (!match) throw new Error('expected a duration such as 90s, 30m, 24h or 7d');
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
});

/** A size such as `8MiB`, `5242880` or `1GiB`, in bytes. */
const byteSize = makeValidator<number>((input) => {
  const match = /^(\d+)\s*(B|KiB|MiB|GiB)?$/.exec(input.trim());
  if (!match) throw new Error('expected a size such as 8MiB, 16MiB or a number of bytes');
  return Number(match[1]) * { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[(match[2] ?? 'B') as 'B' | 'KiB' | 'MiB' | 'GiB'];
});

export interface S3Config {
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
  readonly partSize: number;
  readonly createBucket: boolean;
  /** Redirect blob GETs to presigned URLs for this endpoint; undefined streams them. */
  readonly redirect?: { readonly publicEndpoint: string; readonly expirySeconds: number };
}

/** Every setting, read from the environment once at start. The README lists them all. */
export interface WharfConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** External PostgreSQL; when undefined an embedded one runs under `dataDir/postgres`. */
  readonly databaseUrl: string | undefined;
  readonly embeddedPostgresPort: number | undefined;
  readonly databasePoolSize: number;
  readonly storage: 'filesystem' | 's3';
  /** Filesystem blob folder (storage `filesystem`). */
  readonly storageDir: string;
  readonly s3: S3Config | undefined;
  readonly deleteEnabled: boolean;
  readonly uploadTtlMs: number;
  readonly uploadPurgeIntervalMs: number;
  /** A connection silent this long while waiting on its client is closed (0: never); see closeIdleConnections. */
  readonly idleTimeoutMs: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
  readonly auth: AuthConfig;
  /** Serve the web portal (apps/web, when built) on the same port; off answers 404 outside the API. */
  readonly portal: boolean;
}

export interface AuthConfig {
  /** Password of the `admin` created at first start; undefined generates one and prints it. */
  readonly adminPassword: string | undefined;
  /** Seals token signing keys at rest; undefined keeps a generated one in `<dataDir>/secret`. */
  readonly secret: string | undefined;
  /** How clients reach Wharf (realm of the token challenge); undefined derives it per request. */
  readonly publicUrl: string | undefined;
  readonly service: string;
  readonly issuer: string;
  readonly tokenTtlMs: number;
  readonly kidFormat: 'jwk-thumbprint' | 'libtrust';
  readonly refreshTokenTtlMs: number;
  readonly loginMaxFailures: number;
  readonly loginMaxFailuresPerAddress: number;
  readonly loginFailureWindowMs: number;
  readonly loginBlockMs: number;
  /** How long a process trusts a credential it checked (0: never); see CredentialCache. */
  readonly credentialCacheTtlMs: number;
  /** Believe X-Forwarded-For / X-Forwarded-Proto (behind a reverse proxy). */
  readonly trustProxy: boolean;
  /** A portal session ends this long after sign-in, whatever happens. */
  readonly sessionTtlMs: number;
  /** …or after this long without a request. */
  readonly sessionIdleMs: number;
}

export class ConfigError extends Error {}

/**
 * The environment, over the settings of WHARF_CONFIG_FILE when one is named (KEY=value
 * lines, as in a .env file): a variable set in the environment wins.
 */
function withConfigFile(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = env.WHARF_CONFIG_FILE;
  if (!file) return env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`invalid configuration: WHARF_CONFIG_FILE: cannot read ${file}: ${(error as Error).message}`);
  }
  return { ...parseDotenv(text), ...env };
}

/**
 * The deploy kit's example secrets (infra/deploy/.env.example) begin so: a stack started from
 * the example unchanged would otherwise run with an admin password anyone can read.
 */
const PLACEHOLDER = /^change-me/i;
const SECRET_SETTINGS = ['WHARF_ADMIN_PASSWORD', 'WHARF_SECRET', 'WHARF_S3_SECRET_KEY'] as const;

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): WharfConfig {
  const env = withConfigFile(environment);
  const problems: string[] = [];
  const values = cleanEnv(
    env,
    {
      PORT: port({ default: 5000, desc: 'HTTP port of the registry, API and portal' }),
      HOST: str({ default: '127.0.0.1', desc: 'address to listen on; 0.0.0.0 to serve other machines' }),
      WHARF_DATA_DIR: str({ default: './data', desc: 'folder for the embedded database and filesystem blobs' }),
      DATABASE_URL: url({ default: undefined, desc: 'external PostgreSQL; unset starts an embedded one' }),
      WHARF_EMBEDDED_PG_PORT: port({ default: undefined, desc: 'port of the embedded PostgreSQL (default: any free port)' }),
      WHARF_DB_POOL_SIZE: num({ default: 20, desc: 'PostgreSQL connections per API process' }),
      WHARF_STORAGE: str({ default: 'filesystem', choices: ['filesystem', 's3'], desc: 'where blobs live' }),
      WHARF_STORAGE_DIR: str({ default: undefined, desc: 'blob folder (default: <WHARF_DATA_DIR>/blobs)' }),
      WHARF_S3_ENDPOINT: url({ default: undefined, desc: 'S3/MinIO endpoint, e.g. http://minio:9000' }),
      WHARF_S3_BUCKET: str({ default: undefined, desc: 'bucket for blobs' }),
      WHARF_S3_ACCESS_KEY: str({ default: undefined }),
      WHARF_S3_SECRET_KEY: str({ default: undefined }),
      WHARF_S3_REGION: str({ default: 'us-east-1' }),
      WHARF_S3_PART_SIZE: byteSize({ default: 8 * 1024 ** 2, desc: 'multipart part size, at least 5MiB; an upload whose request body has no Content-Length holds one part in memory' }),
      WHARF_S3_CREATE_BUCKET: bool({ default: true, desc: 'create the bucket at start when missing' }),
      WHARF_S3_REDIRECT: bool({ default: false, desc: 'redirect blob GETs to presigned S3 URLs' }),
      WHARF_S3_PUBLIC_ENDPOINT: url({ default: undefined, desc: 'S3 endpoint as clients reach it (default: WHARF_S3_ENDPOINT)' }),
      WHARF_S3_PRESIGN_TTL: duration({ default: 5 * 60_000, desc: 'lifetime of a presigned blob URL' }),
      WHARF_DELETE_ENABLED: bool({ default: true, desc: 'allow DELETE of manifests, tags and blobs through /v2' }),
      WHARF_UPLOAD_TTL: duration({ default: 24 * 3_600_000, desc: 'idle time after which an unfinished upload is purged' }),
      WHARF_UPLOAD_PURGE_INTERVAL: duration({ default: 10 * 60_000, desc: 'how often expired uploads are purged' }),
      WHARF_IDLE_TIMEOUT: duration({ default: 5 * 60_000, desc: 'a connection on which the client sends or reads nothing for this long is closed (0s: never)' }),
      LOG_LEVEL: str({ default: 'log', choices: ['error', 'warn', 'log', 'debug'] }),
      WHARF_ADMIN_PASSWORD: str({ default: undefined, desc: 'password of the admin user created at first start (default: generated and printed once)' }),
      WHARF_SECRET: str({ default: undefined, desc: 'key sealing the token signing keys; the same on every process (default: generated in <WHARF_DATA_DIR>/secret)' }),
      WHARF_PUBLIC_URL: url({ default: undefined, desc: 'URL clients use to reach Wharf, e.g. https://registry.example.com (default: from each request)' }),
      WHARF_TOKEN_SERVICE: str({ default: 'wharf', desc: 'service name of the token service (aud of registry tokens)' }),
      WHARF_TOKEN_ISSUER: str({ default: 'wharf', desc: 'iss of registry tokens' }),
      WHARF_TOKEN_TTL: duration({ default: 5 * 60_000, desc: 'lifetime of a registry token' }),
      WHARF_TOKEN_KID_FORMAT: str({ default: 'jwk-thumbprint', choices: ['jwk-thumbprint', 'libtrust'], desc: 'key id format of token signing keys' }),
      WHARF_REFRESH_TOKEN_TTL: duration({ default: 90 * 86_400_000, desc: 'lifetime of a refresh (identity) token' }),
      WHARF_LOGIN_MAX_FAILURES: num({ default: 10, desc: 'failed logins of one account within the window before it is blocked' }),
      WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS: num({ default: 100, desc: 'failed logins from one address within the window before it is blocked' }),
      WHARF_LOGIN_FAILURE_WINDOW: duration({ default: 15 * 60_000, desc: 'window in which failed logins are counted' }),
      WHARF_LOGIN_BLOCK: duration({ default: 15 * 60_000, desc: 'how long a blocked account or address waits' }),
      WHARF_CREDENTIAL_CACHE_TTL: duration({ default: 10_000, desc: 'how long a process trusts a checked credential without asking the database again (0s: never)' }),
      WHARF_TRUST_PROXY: bool({ default: false, desc: 'trust X-Forwarded-For/-Proto from a reverse proxy' }),
      WHARF_SESSION_TTL: duration({ default: 24 * 3_600_000, desc: 'a portal session ends this long after sign-in' }),
      WHARF_SESSION_IDLE_TIMEOUT: duration({ default: 2 * 3_600_000, desc: 'a portal session ends after this long without a request' }),
      WHARF_PORTAL: str({ default: 'on', choices: ['on', 'off'], desc: 'serve the web portal (when built) on the same port' }),
    },
    {
      reporter: ({ errors }) => {
        for (const [name, error] of Object.entries(errors)) problems.push(`${name}: ${(error as Error).message}`);
      },
    },
  );
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  const placeholders = SECRET_SETTINGS.filter((name) => PLACEHOLDER.test(values[name] ?? ''));
  if (placeholders.length > 0) throw new ConfigError(`invalid configuration: ${placeholders.map((name) => `${name}: still the deploy example's placeholder; choose your own`).join('; ')}`);
  if (values.WHARF_DB_POOL_SIZE < 1 || !Number.isInteger(values.WHARF_DB_POOL_SIZE)) throw new ConfigError('invalid configuration: WHARF_DB_POOL_SIZE: expected a positive integer');
  const s3 = values.WHARF_STORAGE === 's3' ? s3Config(values) : undefined;
  const dataDir = resolve(values.WHARF_DATA_DIR);
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir,
    databaseUrl: values.DATABASE_URL,
    embeddedPostgresPort: values.WHARF_EMBEDDED_PG_PORT,
    databasePoolSize: values.WHARF_DB_POOL_SIZE,
    storage: values.WHARF_STORAGE as WharfConfig['storage'],
    storageDir: resolve(values.WHARF_STORAGE_DIR ?? `${dataDir}/blobs`),
    s3,
    deleteEnabled: values.WHARF_DELETE_ENABLED,
    uploadTtlMs: values.WHARF_UPLOAD_TTL,
    idleTimeoutMs: values.WHARF_IDLE_TIMEOUT,
    uploadPurgeIntervalMs: values.WHARF_UPLOAD_PURGE_INTERVAL,
    logLevel: values.LOG_LEVEL as WharfConfig['logLevel'],
    auth: authConfig(values),
    portal: values.WHARF_PORTAL === 'on',
  };
}

function authConfig(values: {
  WHARF_ADMIN_PASSWORD?: string;
  WHARF_SECRET?: string;
  WHARF_PUBLIC_URL?: string;
  WHARF_TOKEN_SERVICE: string;
  WHARF_TOKEN_ISSUER: string;
  WHARF_TOKEN_TTL: number;
  WHARF_TOKEN_KID_FORMAT: string;
  WHARF_REFRESH_TOKEN_TTL: number;
  WHARF_LOGIN_MAX_FAILURES: number;
  WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS: number;
  WHARF_LOGIN_FAILURE_WINDOW: number;
  WHARF_LOGIN_BLOCK: number;
  WHARF_CREDENTIAL_CACHE_TTL: number;
  WHARF_TRUST_PROXY: boolean;
  WHARF_SESSION_TTL: number;
  WHARF_SESSION_IDLE_TIMEOUT: number;
}): AuthConfig {
  // Clients floor token lifetimes to 60 s; registry tokens are not meant to live for hours.
  if (values.WHARF_TOKEN_TTL < 60_000 || values.WHARF_TOKEN_TTL > 3_600_000) throw new ConfigError('invalid configuration: WHARF_TOKEN_TTL: between 60s and 1h');
  if (values.WHARF_ADMIN_PASSWORD !== undefined && values.WHARF_ADMIN_PASSWORD.length < 8) throw new ConfigError('invalid configuration: WHARF_ADMIN_PASSWORD: at least 8 characters');
  if (values.WHARF_SECRET !== undefined && values.WHARF_SECRET.length < 16) throw new ConfigError('invalid configuration: WHARF_SECRET: at least 16 characters');
  for (const name of ['WHARF_LOGIN_MAX_FAILURES', 'WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS'] as const) {
    if (!Number.isInteger(values[name]) || values[name] < 1) throw new ConfigError(`invalid configuration: ${name}: expected a positive integer`);
  }
  return {
    adminPassword: values.WHARF_ADMIN_PASSWORD,
    secret: values.WHARF_SECRET,
    publicUrl: values.WHARF_PUBLIC_URL?.replace(/\/+$/, ''),
    service: values.WHARF_TOKEN_SERVICE,
    issuer: values.WHARF_TOKEN_ISSUER,
    tokenTtlMs: values.WHARF_TOKEN_TTL,
    kidFormat: values.WHARF_TOKEN_KID_FORMAT as AuthConfig['kidFormat'],
    refreshTokenTtlMs: values.WHARF_REFRESH_TOKEN_TTL,
    loginMaxFailures: values.WHARF_LOGIN_MAX_FAILURES,
    loginMaxFailuresPerAddress: values.WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS,
    loginFailureWindowMs: values.WHARF_LOGIN_FAILURE_WINDOW,
    loginBlockMs: values.WHARF_LOGIN_BLOCK,
    credentialCacheTtlMs: values.WHARF_CREDENTIAL_CACHE_TTL,
    trustProxy: values.WHARF_TRUST_PROXY,
    sessionTtlMs: values.WHARF_SESSION_TTL,
    sessionIdleMs: Math.min(values.WHARF_SESSION_IDLE_TIMEOUT, values.WHARF_SESSION_TTL),
  };
}

const MIN_PART_SIZE = 5 * 1024 ** 2;

function s3Config(values: {
  WHARF_S3_ENDPOINT?: string;
  WHARF_S3_BUCKET?: string;
  WHARF_S3_ACCESS_KEY?: string;
  WHARF_S3_SECRET_KEY?: string;
  WHARF_S3_REGION: string;
  WHARF_S3_PART_SIZE: number;
  WHARF_S3_CREATE_BUCKET: boolean;
  WHARF_S3_REDIRECT: boolean;
  WHARF_S3_PUBLIC_ENDPOINT?: string;
  WHARF_S3_PRESIGN_TTL: number;
}): S3Config {
  const required = ['WHARF_S3_ENDPOINT', 'WHARF_S3_BUCKET', 'WHARF_S3_ACCESS_KEY', 'WHARF_S3_SECRET_KEY'] as const;
  const missing = required.filter((name) => !values[name]);
  if (missing.length > 0) throw new ConfigError(`invalid configuration: ${missing.map((name) => `${name}: required when WHARF_STORAGE=s3`).join('; ')}`);
  if (values.WHARF_S3_PART_SIZE < MIN_PART_SIZE) throw new ConfigError('invalid configuration: WHARF_S3_PART_SIZE: S3 parts are at least 5MiB');
  if (values.WHARF_S3_PRESIGN_TTL < 1_000 || values.WHARF_S3_PRESIGN_TTL > 7 * 86_400_000) throw new ConfigError('invalid configuration: WHARF_S3_PRESIGN_TTL: between 1s and 7d');
  return {
    endpoint: values.WHARF_S3_ENDPOINT!,
    bucket: values.WHARF_S3_BUCKET!,
    accessKey: values.WHARF_S3_ACCESS_KEY!,
    secretKey: values.WHARF_S3_SECRET_KEY!,
    region: values.WHARF_S3_REGION,
    partSize: values.WHARF_S3_PART_SIZE,
    createBucket: values.WHARF_S3_CREATE_BUCKET,
    ...(values.WHARF_S3_REDIRECT
      ? { redirect: { publicEndpoint: values.WHARF_S3_PUBLIC_ENDPOINT ?? values.WHARF_S3_ENDPOINT!, expirySeconds: Math.round(values.WHARF_S3_PRESIGN_TTL / 1000) } }
      : {}),
  };
}

export const WHARF_CONFIG = Symbol('WHARF_CONFIG');
