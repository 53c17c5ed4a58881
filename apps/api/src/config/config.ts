import { resolve } from 'node:path';

import { bool, cleanEnv, makeValidator, num, port, str, url } from 'envalid';

/** A duration such as `90s`, `30m`, `24h` or `7d`, in milliseconds. */
const duration = makeValidator<number>((input) => {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(input.trim());
  if (!match) throw new Error('expected a duration such as 90s, 30m, 24h or 7d');
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
});

/** Every setting, read from the environment once at start. The README lists them all. */
export interface WharfConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** External PostgreSQL; when undefined an embedded one runs under `dataDir/postgres`. */
  readonly databaseUrl: string | undefined;
  readonly embeddedPostgresPort: number | undefined;
  readonly databasePoolSize: number;
  readonly storageDir: string;
  readonly deleteEnabled: boolean;
  readonly uploadTtlMs: number;
  readonly uploadPurgeIntervalMs: number;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WharfConfig {
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
      WHARF_STORAGE_DIR: str({ default: undefined, desc: 'blob folder (default: <WHARF_DATA_DIR>/blobs)' }),
      WHARF_DELETE_ENABLED: bool({ default: true, desc: 'allow DELETE of manifests, tags and blobs through /v2' }),
      WHARF_UPLOAD_TTL: duration({ default: 24 * 3_600_000, desc: 'idle time after which an unfinished upload is purged' }),
      WHARF_UPLOAD_PURGE_INTERVAL: duration({ default: 10 * 60_000, desc: 'how often expired uploads are purged' }),
      LOG_LEVEL: str({ default: 'log', choices: ['error', 'warn', 'log', 'debug'] }),
    },
    {
      reporter: ({ errors }) => {
        for (const [name, error] of Object.entries(errors)) problems.push(`${name}: ${(error as Error).message}`);
      },
    },
  );
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  if (values.WHARF_DB_POOL_SIZE < 1 || !Number.isInteger(values.WHARF_DB_POOL_SIZE)) throw new ConfigError('invalid configuration: WHARF_DB_POOL_SIZE: expected a positive integer');
  const dataDir = resolve(values.WHARF_DATA_DIR);
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir,
    databaseUrl: values.DATABASE_URL,
    embeddedPostgresPort: values.WHARF_EMBEDDED_PG_PORT,
    databasePoolSize: values.WHARF_DB_POOL_SIZE,
    storageDir: resolve(values.WHARF_STORAGE_DIR ?? `${dataDir}/blobs`),
    deleteEnabled: values.WHARF_DELETE_ENABLED,
    uploadTtlMs: values.WHARF_UPLOAD_TTL,
    uploadPurgeIntervalMs: values.WHARF_UPLOAD_PURGE_INTERVAL,
    logLevel: values.LOG_LEVEL as WharfConfig['logLevel'],
  };
}

export const WHARF_CONFIG = Symbol('WHARF_CONFIG');
