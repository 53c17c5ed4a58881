import { ChangeListener, listenerName, MANIFEST_CHANGES_CHANNEL } from '@wharf/db';
import { Client } from 'pg';

import { ApiClient } from './support/api-client';
import { eventually } from './support/eventually';
import { RegistryClient, send, type RawResponse } from './support/registry-client';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from './support/test-app';

/*
 * Manifest lookups are remembered per process (ManifestCache) and forgotten on every change
 * of a repository's tags and manifests: at once by the process that made it, through
 * PostgreSQL notices by every other process sharing the database. These tests move and
 * delete tags behind a process that has just served them, and cut the notices off.
 */

const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json';

async function digestAt(app: TestApp, name: string, reference: string, method: 'GET' | 'HEAD' = 'GET'): Promise<string | number> {
  const response: RawResponse = await send(`${app.url}/v2/${name}/manifests/${reference}`, { method, headers: { Accept: MANIFEST_ACCEPT } });
  return response.status === 200 ? response.header('docker-content-digest')! : response.status;
}

describe('manifest lookups remembered per process', () => {
  let first: TestApp;
  let second: TestApp;
  let registry: RegistryClient;
  let other: RegistryClient;

  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({ databaseUrl: first.databaseUrl, storageDir: first.config.storageDir, env: first.storageEnv });
    registry = new RegistryClient(first.url);
    other = new RegistryClient(second.url);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('answers a moved tag with its new manifest at once in the process that moved it', async () => {
    for (let round = 0; round < 20; round++) {
      const pushed = await registry.pushImage('cache/same-process', 'latest', [`layer ${round}`]);
      // Twice: the second answer comes from memory.
      expect(await digestAt(first, 'cache/same-process', 'latest')).toBe(pushed.digest);
      expect(await digestAt(first, 'cache/same-process', 'latest', 'HEAD')).toBe(pushed.digest);
    }
    expect((await registry.request('/v2/cache/same-process/manifests/latest', { method: 'DELETE' })).status).toBe(202);
    expect(await digestAt(first, 'cache/same-process', 'latest')).toBe(404);
  });

  it('forgets a tag deleted through the management API at once', async () => {
    const pushed = await registry.pushImage('cache/portal', 'v1');
    expect(await digestAt(first, 'cache/portal', 'v1')).toBe(pushed.digest);
    const api = await new ApiClient(first.url).signIn('admin', ADMIN_PASSWORD);
    expect((await api.delete(`/api/v1/repositories/${encodeURIComponent('cache/portal')}/tags/v1`)).status).toBe(204);
    expect(await digestAt(first, 'cache/portal', 'v1')).toBe(404);
    // The manifest itself stays, by digest, until it is deleted.
    expect(await digestAt(first, 'cache/portal', pushed.digest)).toBe(pushed.digest);
    expect((await api.delete(`/api/v1/repositories/${encodeURIComponent('cache/portal')}/artifacts/${pushed.digest}`)).status).toBe(204);
    expect(await digestAt(first, 'cache/portal', pushed.digest)).toBe(404);
  });

  it('sees a tag moved or deleted by another API process as soon as that process has answered', async () => {
    // The writer answers once its own notice of the change is back, by which time the notice
    // has reached this process too.
    for (let round = 0; round < 10; round++) {
      const before = await registry.pushImage('cache/shared', 'stable', [`one ${round}`]);
      expect(await digestAt(first, 'cache/shared', 'stable')).toBe(before.digest);
      expect(await digestAt(first, 'cache/shared', 'stable', 'HEAD')).toBe(before.digest);

      const moved = await other.pushImage('cache/shared', 'stable', [`two ${round}`]);
      expect(await digestAt(first, 'cache/shared', 'stable', 'HEAD')).toBe(moved.digest);

      expect((await other.request('/v2/cache/shared/manifests/stable', { method: 'DELETE' })).status).toBe(202);
      expect(await digestAt(first, 'cache/shared', 'stable', 'HEAD')).toBe(404);
    }
  });

  /**
   * Stops the database session of `channel`'s listener (SIGSTOP): it passes nothing on until
   * `resume` (SIGCONT), called by the test or after `ms` at the latest.
   */
  async function holdListenerSession(client: Client, channel: string, ms: number) {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [listenerName(channel)]);
    expect(rows).toHaveLength(1);
    process.kill(rows[0]!.pid, 'SIGSTOP');
    const held = { resumed: false, resume: () => undefined as void };
    const timer = setTimeout(() => held.resume(), ms);
    held.resume = () => {
      clearTimeout(timer);
      if (held.resumed) return;
      held.resumed = true;
      process.kill(rows[0]!.pid, 'SIGCONT');
    };
    return held;
  }

  /** Runs `test` with a started listener of `channel` and a database client of its own. */
  async function withListener(channel: string, changed: (payload: string) => void, test: (listener: ChangeListener, client: Client) => Promise<void>) {
    const listener = new ChangeListener(first.databaseUrl, channel, { changed, reset: () => undefined });
    await listener.start();
    const client = new Client({ connectionString: first.databaseUrl });
    await client.connect();
    try {
      await test(listener, client);
    } finally {
      await client.end();
      await listener.stop();
    }
  }

  it('a listener caught up has had every notice committed before, even one its database session has not passed on yet', async () => {
    const seen: string[] = [];
    await withListener('wharf_test_order', (payload) => seen.push(payload), async (listener, writer) => {
      // Notices committed while the listener's session is held still wait in the queue.
      const held = await holdListenerSession(writer, 'wharf_test_order', 300);
      try {
        for (let n = 0; n < 50; n++) await writer.query('SELECT pg_notify($1, $2)', ['wharf_test_order', String(n)]);
        await listener.caughtUp();
        expect(held.resumed).toBe(true);
      } finally {
        held.resume();
      }
      // In commit order, and its own marker is not passed on as a change.
      expect(seen).toEqual(Array.from({ length: 50 }, (_, n) => String(n)));
    });
  });

  // A process whose database session passed the notice on late used to serve the old
  // manifest after the writer had answered (CI: a tag deleted, then found by another process).
  it('a listener caught up waits until every other listener has had the notices too, even one whose session lags', async () => {
    const seenByOther: string[] = [];
    const other = new ChangeListener(first.databaseUrl, 'wharf_test_others', { changed: (payload) => seenByOther.push(payload), reset: () => undefined });
    await other.start();
    try {
      await withListener('wharf_test_others', () => undefined, async (listener, writer) => {
        const pid = other.backendPid!;
        process.kill(pid, 'SIGSTOP');
        const resumeAt = setTimeout(() => process.kill(pid, 'SIGCONT'), 300);
        try {
          await writer.query('SELECT pg_notify($1, $2)', ['wharf_test_others', 'moved']);
          const started = Date.now();
          await listener.caughtUp();
          expect(seenByOther).toEqual(['moved']);
          expect(Date.now() - started).toBeGreaterThanOrEqual(250);
        } finally {
          clearTimeout(resumeAt);
          process.kill(pid, 'SIGCONT');
        }
      });
    } finally {
      await other.stop();
    }
  });

  it('a writer waits for its notice a bounded time: a listener whose database session hangs does not hold the answer', async () => {
    await withListener('wharf_test_hang', () => undefined, async (listener, client) => {
      const held = await holdListenerSession(client, 'wharf_test_hang', 5_000);
      try {
        await listener.caughtUp();
        expect(held.resumed).toBe(false);
      } finally {
        held.resume();
      }
    });
  });

  it('serves nothing from memory while the notices are cut off, and resumes when they flow again', async () => {
    const before = await registry.pushImage('cache/outage', 'edge', ['a']);
    expect(await digestAt(first, 'cache/outage', 'edge')).toBe(before.digest);

    // Ends every LISTEN connection of the database: both processes lose their notices.
    const admin = new Client({ connectionString: first.databaseUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '${listenerName(MANIFEST_CHANGES_CHANNEL)}'`);
      expect(rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    // Moved by the other process while this one hears nothing: it must read the database.
    const moved = await other.pushImage('cache/outage', 'edge', ['b']);
    expect(await digestAt(first, 'cache/outage', 'edge')).toBe(moved.digest);

    // Listening again (reconnects after a second): changes are seen as before.
    const listening = async () => {
      const probe = new Client({ connectionString: first.databaseUrl });
      await probe.connect();
      try {
        const { rows } = await probe.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = '${listenerName(MANIFEST_CHANGES_CHANNEL)}'`);
        return Number(rows[0]!.n);
      } finally {
        await probe.end();
      }
    };
    expect(await eventually(listening, 2, 10_000)).toBe(2);
    expect(await digestAt(first, 'cache/outage', 'edge')).toBe(moved.digest);
    const again = await other.pushImage('cache/outage', 'edge', ['c']);
    expect(await eventually(() => digestAt(first, 'cache/outage', 'edge'), again.digest, 1_000)).toBe(again.digest);
  });
});
