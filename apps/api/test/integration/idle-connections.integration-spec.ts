import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

import { RegistryClient, send, sha256 } from './support/registry-client';
import { startTestApp, type TestApp } from './support/test-app';

/*
 * reliability.md §4(b) row 10: a client that goes quiet (mid-body, or between requests) has
 * its connection closed after WHARF_IDLE_TIMEOUT (1 s here), and what it uploaded is kept.
 */

const IDLE_MS = 1_000;

/** A raw connection to the app, with what it has received and whether it was closed. */
async function open(app: TestApp): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const url = new URL(app.url);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const opened = Date.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  return { socket, received: () => received, closed };
}

/** Resolves with how long until `closed` settled, or rejects after `ms`. */
const within = <T>(closed: Promise<T>, ms: number) =>
  Promise.race([closed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms))]);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('idle connections (WHARF_IDLE_TIMEOUT)', () => {
  let app: TestApp;
  let registry: RegistryClient;

  beforeAll(async () => {
    app = await startTestApp({ env: { WHARF_IDLE_TIMEOUT: `${IDLE_MS}ms` } });
    registry = new RegistryClient(app.url);
  });
  afterAll(async () => app.close());

  async function streamedPatch(location: string) {
    const connection = await open(app);
    const path = new URL(registry.url(location)).pathname;
    connection.socket.write(`PATCH ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${await app.authorization('PATCH', path)}\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = (bytes: Buffer) => connection.socket.write(`${bytes.length.toString(16)}\r\n${bytes.toString('latin1')}\r\n`, 'latin1');
    return { ...connection, chunk, end: () => connection.socket.write('0\r\n\r\n') };
  }

  it('closes a connection whose client stops in the middle of a body; the upload keeps what was stored, and resumes', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    const sent = 3 * 1024 * 1024;
    const location = await registry.startUpload('idle/stalled');
    const stalled = await streamedPatch(location);
    for (let offset = 0; offset < sent; offset += 64 * 1024) stalled.chunk(data.subarray(offset, offset + 64 * 1024));
    const openFor = await within(stalled.closed, IDLE_MS * 4);
    expect(openFor).toBeGreaterThanOrEqual(IDLE_MS - 50);

    // What reached storage before the stall is kept (bytes still in the last write batch may not be).
    let stored = 0;
    for (let tries = 0; tries < 30; tries++) {
      stored = Number((await send(registry.url(location), { method: 'GET' })).header('range')!.split('-')[1]) + 1;
      if (stored > 1) break;
      await pause(100);
    }
    expect(stored).toBeGreaterThan(1);
    expect(stored).toBeLessThanOrEqual(sent);
    const close = new URL(registry.url(location));
    close.searchParams.set('digest', sha256(data));
    const rest = data.subarray(stored);
    const done = await send(close.toString(), { method: 'PUT', body: rest, headers: { 'Content-Range': `${stored}-${data.length - 1}`, 'Content-Length': String(rest.length) } });
    expect(done.status).toBe(201);
  });

  it('keeps a slow client that keeps sending, however long its body takes', async () => {
    const data = randomBytes(700);
    const location = await registry.startUpload('idle/slow');
    const slow = await streamedPatch(location);
    for (let i = 0; i < 7; i++) {
      slow.chunk(data.subarray(i * 100, (i + 1) * 100));
      await pause(IDLE_MS / 2.5);
    }
    slow.end();
    for (let waited = 0; !slow.received().includes('\r\n\r\n') && waited < 5_000; waited += 50) await pause(50);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 202 /);
    expect(slow.received().toLowerCase()).toContain('range: 0-699');
    slow.socket.destroy();
  });

  it('closes a connection whose client stops reading the answer', async () => {
    const blob = randomBytes(48 * 1024 * 1024);
    const digest = await registry.pushBlob('idle/unread', blob);
    const path = `/v2/idle/unread/blobs/${digest}`;
    const authorization = await app.authorization('GET', path);
    const reader = await open(app);
    reader.socket.pause();
    reader.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${authorization}\r\n\r\n`);
    // A paused socket sees no close: read again after the server has had time to give up.
    await pause(IDLE_MS * 4);
    reader.socket.resume();
    await within(reader.closed, IDLE_MS * 4);
    expect(reader.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(reader.received().length).toBeLessThan(blob.length);
  });
});
