import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from 'pg';

import { startDebianPostgres, type ExternalPostgres } from '../support/debian-postgres';
import { workspaceRoot } from '../support/embedded-postgres';
import { startWharf, type StartedWharf } from '../support/wharf-process.cjs';
import { RegistryApi } from './support/registry-api';
import { createOrganization } from './support/wharf-cli';

describe('with DATABASE_URL set', () => {
  let database: ExternalPostgres;
  let wharf: StartedWharf;
  const dataDir = join(workspaceRoot, '.cache', 'test-runs', 'external-db-wharf');

  beforeAll(async () => {
    database = await startDebianPostgres('external-db-pg');
    wharf = await startWharf({ dataDir, env: { DATABASE_URL: database.url } });
    await createOrganization('external', { target: wharf });
  });
  afterAll(async () => {
    await wharf?.stop();
    database?.stop();
  });

  it('uses that PostgreSQL and starts none of its own', async () => {
    const blob = Buffer.from('kept in the external database');
    const { createHash } = await import('node:crypto');
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const response = await new RegistryApi(wharf.url).request(`/v2/external/db/blobs/uploads/?digest=${digest}`, { method: 'POST', body: blob });
    expect(response.status).toBe(201);

    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT size FROM blob WHERE digest = $1', [digest]);
      expect(rows).toEqual([{ size: String(blob.length) }]);
      const migrations = await client.query('SELECT name FROM wharf_migrations');
      expect(migrations.rows.length).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
