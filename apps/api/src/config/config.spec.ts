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
