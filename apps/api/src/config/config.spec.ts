import { mkdtempSync, writeFileSync } from 'node:fs';

import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has embedded defaults: port 5000, ./data, no external database, deletes on', () => {
    const config = loadConfig({});
    expect(config.port).toBe(5000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(`${process.cwd()}/data`);
    expect(config.storageDir).toBe(`${process.cwd()}/data/blobs`);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.deleteEnabled).toBe(true);
    expect(config.uploadTtlMs).toBe(24 * 3600 * 1000);
    expect(config.idleTimeoutMs).toBe(5 * 60 * 1000);
  });

  it("refuses the deploy example's placeholder secrets, naming each", () => {
    const example = { WHARF_ADMIN_PASSWORD: 'change-me-admin', WHARF_SECRET: 'change-me-to-32-random-characters', WHARF_S3_SECRET_KEY: 'Change-Me-minio-secret' };
    expect(() => loadConfig(example)).toThrow(
      new ConfigError(
        "invalid configuration: WHARF_ADMIN_PASSWORD: still the deploy example's placeholder; choose your own; WHARF_SECRET: still the deploy example's placeholder; choose your own; WHARF_S3_SECRET_KEY: still the deploy example's placeholder; choose your own",
      ),
    );
    expect(loadConfig({ WHARF_ADMIN_PASSWORD: 'please-change-me', WHARF_SECRET: 'a-secret-that-is-long-enough' }).auth.adminPassword).toBe('please-change-me');
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig({
      PORT: '6000',
      HOST: '0.0.0.0',
      WHARF_DATA_DIR: '/srv/wharf',
      DATABASE_URL: 'postgres://u:p@db:5432/wharf',
      WHARF_STORAGE_DIR: '/mnt/blobs',
      WHARF_DELETE_ENABLED: 'false',
      WHARF_UPLOAD_TTL: '30m',
      WHARF_UPLOAD_PURGE_INTERVAL: '90s',
      WHARF_IDLE_TIMEOUT: '0s',
      WHARF_DB_POOL_SIZE: '7',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 6000,
      host: '0.0.0.0',
      dataDir: '/srv/wharf',
      databaseUrl: 'postgres://u:p@db:5432/wharf',
      storageDir: '/mnt/blobs',
      deleteEnabled: false,
      uploadTtlMs: 30 * 60 * 1000,
      uploadPurgeIntervalMs: 90 * 1000,
      idleTimeoutMs: 0,
      databasePoolSize: 7,
      logLevel: 'debug',
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'not a url'],
    ['WHARF_DELETE_ENABLED', 'maybe'],
    ['WHARF_UPLOAD_TTL', '10 minutes'],
    ['LOG_LEVEL', 'verbose'],
    ['WHARF_DB_POOL_SIZE', '0'],
  ])('stops with one message naming %s when it is %p', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
  });
});

describe('loadConfig: S3 storage', () => {
  const s3 = {
    WHARF_STORAGE: 's3',
    WHARF_S3_ENDPOINT: 'http://minio:9000',
    WHARF_S3_BUCKET: 'registry',
    WHARF_S3_ACCESS_KEY: 'key',
    WHARF_S3_SECRET_KEY: 'secret',
  };

  it('reads the S3 settings with their defaults: 8MiB parts, create the bucket, stream GETs', () => {
    expect(loadConfig(s3).s3).toEqual({
      endpoint: 'http://minio:9000',
      bucket: 'registry',
      accessKey: 'key',
      secretKey: 'secret',
      region: 'us-east-1',
      partSize: 8 * 1024 * 1024,
      createBucket: true,
    });
  });

  it('redirects to the public endpoint with the presign lifetime when asked', () => {
    const config = loadConfig({ ...s3, WHARF_S3_REDIRECT: 'true', WHARF_S3_PUBLIC_ENDPOINT: 'https://blobs.example.com', WHARF_S3_PRESIGN_TTL: '2m', WHARF_S3_PART_SIZE: '16MiB' });
    expect(config.s3?.redirect).toEqual({ publicEndpoint: 'https://blobs.example.com', expirySeconds: 120 });
    expect(config.s3?.partSize).toBe(16 * 1024 * 1024);
  });

  it('names every missing S3 setting', () => {
    expect(() => loadConfig({ WHARF_STORAGE: 's3', WHARF_S3_ENDPOINT: 'http://minio:9000' })).toThrow(
      /WHARF_S3_BUCKET: required when WHARF_STORAGE=s3; WHARF_S3_ACCESS_KEY: required when WHARF_STORAGE=s3; WHARF_S3_SECRET_KEY: required/,
    );
  });

  it.each([
    ['WHARF_S3_PART_SIZE', '4MiB'],
    ['WHARF_S3_PART_SIZE', 'big'],
    ['WHARF_S3_PRESIGN_TTL', '30d'],
    ['WHARF_STORAGE', 'gcs'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadConfig({ ...s3, [name]: value })).toThrow(new RegExp(name));
  });

  it('reads settings from WHARF_CONFIG_FILE, the environment winning', () => {
    const dir = mkdtempSync('/tmp/wharf-config-');
    const file = `${dir}/wharf.env`;
    writeFileSync(file, 'PORT=7000\nWHARF_STORAGE=s3\nWHARF_S3_ENDPOINT=http://minio:9000\nWHARF_S3_BUCKET=b\nWHARF_S3_ACCESS_KEY=k\nWHARF_S3_SECRET_KEY=s\n');
    const config = loadConfig({ WHARF_CONFIG_FILE: file, PORT: '7001' });
    expect(config.port).toBe(7001);
    expect(config.s3?.bucket).toBe('b');
    expect(() => loadConfig({ WHARF_CONFIG_FILE: `${dir}/missing.env` })).toThrow(/WHARF_CONFIG_FILE/);
  });
});

describe('loadConfig: authentication', () => {
  // Spec: protocol.md §6 (`expires_in` ≥ 60: clients floor token lifetimes to 60 s; `kid` as
  // libtrust fingerprint or JWK thumbprint; an absolute realm) and reliability.md §4(c)
  // rows 15 and 26 (registry tokens live ≤ 5 min by default; failed logins are limited).

  const refuses = (env: Record<string, string>, name: string) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
  };

  it('has defaults: generated admin password and secret, realm per request, 5-minute ES256 tokens with JWK-thumbprint kids', () => {
    expect(loadConfig({}).auth).toEqual({
      adminPassword: undefined,
      secret: undefined,
      publicUrl: undefined,
      service: 'wharf',
      issuer: 'wharf',
      tokenTtlMs: 5 * 60_000,
      kidFormat: 'jwk-thumbprint',
      refreshTokenTtlMs: 90 * 86_400_000,
      loginMaxFailures: 10,
      loginMaxFailuresPerAddress: 100,
      loginFailureWindowMs: 15 * 60_000,
      loginBlockMs: 15 * 60_000,
      credentialCacheTtlMs: 10_000,
      trustProxy: false,
      sessionTtlMs: 86_400_000,
      sessionIdleMs: 7_200_000,
    });
  });

  it('reads every authentication setting from the environment', () => {
    const config = loadConfig({
      WHARF_ADMIN_PASSWORD: 'correct horse',
      WHARF_SECRET: '0123456789abcdef',
      WHARF_PUBLIC_URL: 'https://registry.example.com',
      WHARF_TOKEN_SERVICE: 'registry.example.com',
      WHARF_TOKEN_ISSUER: 'wharf-issuer',
      WHARF_TOKEN_TTL: '10m',
      WHARF_TOKEN_KID_FORMAT: 'libtrust',
      WHARF_REFRESH_TOKEN_TTL: '30d',
      WHARF_LOGIN_MAX_FAILURES: '5',
      WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
      WHARF_LOGIN_FAILURE_WINDOW: '5m',
      WHARF_LOGIN_BLOCK: '1h',
      WHARF_CREDENTIAL_CACHE_TTL: '0s',
      WHARF_TRUST_PROXY: 'true',
      WHARF_SESSION_TTL: '8h',
      WHARF_SESSION_IDLE_TIMEOUT: '30m',
    });
    expect(config.auth).toEqual({
      adminPassword: 'correct horse',
      secret: '0123456789abcdef',
      publicUrl: 'https://registry.example.com',
      service: 'registry.example.com',
      issuer: 'wharf-issuer',
      tokenTtlMs: 10 * 60_000,
      kidFormat: 'libtrust',
      refreshTokenTtlMs: 30 * 86_400_000,
      loginMaxFailures: 5,
      loginMaxFailuresPerAddress: 50,
      loginFailureWindowMs: 5 * 60_000,
      loginBlockMs: 3_600_000,
      credentialCacheTtlMs: 0,
      trustProxy: true,
      sessionTtlMs: 8 * 3_600_000,
      sessionIdleMs: 30 * 60_000,
    });
  });

  it.each([
    ['60s', 60_000],
    ['60000ms', 60_000],
    ['1h', 3_600_000],
    ['60m', 3_600_000],
  ])('accepts WHARF_TOKEN_TTL=%s (60s..1h)', (value, ms) => {
    expect(loadConfig({ WHARF_TOKEN_TTL: value }).auth.tokenTtlMs).toBe(ms);
  });

  it.each([['59s'], ['59999ms'], ['0s'], ['3600001ms'], ['61m'], ['2h'], ['1d'], ['five minutes']])('refuses WHARF_TOKEN_TTL=%s', (value) => {
    refuses({ WHARF_TOKEN_TTL: value }, 'WHARF_TOKEN_TTL');
  });

  it('wants an admin password of at least 8 characters and a secret of at least 16', () => {
    expect(loadConfig({ WHARF_ADMIN_PASSWORD: '12345678' }).auth.adminPassword).toBe('12345678');
    refuses({ WHARF_ADMIN_PASSWORD: '1234567' }, 'WHARF_ADMIN_PASSWORD');
    expect(loadConfig({ WHARF_SECRET: 'x'.repeat(16) }).auth.secret).toBe('x'.repeat(16));
    refuses({ WHARF_SECRET: 'x'.repeat(15) }, 'WHARF_SECRET');
  });

  it.each([['jwk-thumbprint'], ['libtrust']])('accepts WHARF_TOKEN_KID_FORMAT=%s', (value) => {
    expect(loadConfig({ WHARF_TOKEN_KID_FORMAT: value }).auth.kidFormat).toBe(value);
  });

  it.each([['x5c'], ['LIBTRUST'], ['']])('refuses WHARF_TOKEN_KID_FORMAT=%p', (value) => {
    refuses({ WHARF_TOKEN_KID_FORMAT: value }, 'WHARF_TOKEN_KID_FORMAT');
  });

  it.each([['WHARF_LOGIN_MAX_FAILURES'], ['WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS']])('wants %s to be a positive integer', (name) => {
    expect(loadConfig({ [name]: '1' }).auth).toMatchObject(name === 'WHARF_LOGIN_MAX_FAILURES' ? { loginMaxFailures: 1 } : { loginMaxFailuresPerAddress: 1 });
    for (const value of ['0', '-3', '2.5', 'ten']) refuses({ [name]: value }, name);
  });

  it.each([['WHARF_LOGIN_FAILURE_WINDOW'], ['WHARF_LOGIN_BLOCK'], ['WHARF_REFRESH_TOKEN_TTL']])('wants %s to be a duration', (name) => {
    refuses({ [name]: '15 minutes' }, name);
  });

  it.each([
    ['https://registry.example.com/', 'https://registry.example.com'],
    ['https://registry.example.com//', 'https://registry.example.com'],
    ['http://localhost:5000/wharf/', 'http://localhost:5000/wharf'],
    ['https://registry.example.com', 'https://registry.example.com'],
  ])('drops trailing slashes from WHARF_PUBLIC_URL=%s', (value, expected) => {
    expect(loadConfig({ WHARF_PUBLIC_URL: value }).auth.publicUrl).toBe(expected);
  });

  it('refuses a WHARF_PUBLIC_URL that is not a URL', () => {
    refuses({ WHARF_PUBLIC_URL: 'registry.example.com' }, 'WHARF_PUBLIC_URL');
  });
});
