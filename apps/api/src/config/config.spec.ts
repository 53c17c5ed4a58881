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
