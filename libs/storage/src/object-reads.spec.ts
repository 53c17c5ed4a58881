import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Readable } from 'node:stream';

import { ObjectNotFoundError, StorageUnavailableError } from './errors';
import { readEach } from './pooled-body';
import { S3BlobStorage, S3_MIN_PART_SIZE } from './s3-storage';
import { SocketObjectReads } from './socket-object-reads';
import { closed, getResponse, readSlowly, serveBodies } from './testing/piped-responses';

// How object bodies read from real MinIO is in the storage contract (s3-storage integration
// spec). These are what a real store will not do on demand: answers that stop, stall, lack
// a length or fail, from a stand-in endpoint on 127.0.0.1.

const MiB = 1024 * 1024;
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const KEY = 'blobs/object';

async function drain(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  // undici frees a connection for the next request on the next turn of the event loop.
  await new Promise(setImmediate);
  return Buffer.concat(chunks);
}

/** Resolves once the client has closed `socket` (a body it will not read on, dropped). */
function connectionClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.readableEnded || socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

describe.each(['socket', 'undici'] as const)('S3BlobStorage reading object bodies through %s', (readsVia) => {
  let server: Server;
  let storage: S3BlobStorage;
  let answer: (request: IncomingMessage, response: ServerResponse) => void;
  /** The connections the store was asked for, in order. */
  let sockets: Socket[];

  beforeEach(async () => {
    sockets = [];
    server = createServer((request, response) => answer(request, response));
    server.on('connection', (socket: Socket) => sockets.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    storage = new S3BlobStorage({ endpoint, bucket: 'bucket', accessKey: 'key', secretKey: 'secret', region: 'us-east-1', partSize: S3_MIN_PART_SIZE }, readsVia);
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Answers every GET with `content` (or its requested range), with a Content-Length. */
  function serveObject(content: Buffer): void {
    answer = (request, response) => {
      const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Number(range[2]) : content.length - 1;
      response.writeHead(range ? 206 : 200, { 'content-length': String(end + 1 - start) });
      response.end(content.subarray(start, end + 1));
    };
  }

  it('reads one object after another over one connection, iterated or piped', async () => {
    const content = randomBytes(3 * MiB + 5);
    serveObject(content);
    for (let i = 0; i < 3; i += 1) expect(sha(await drain(await storage.read(KEY)))).toBe(sha(content));
    expect(sha(await drain(await storage.read(KEY, { start: 7, end: 2 * MiB })))).toBe(sha(content.subarray(7, 2 * MiB + 1)));
    const proxy = await serveBodies(async () => ({ body: await storage.read(KEY), length: content.length }));
    try {
      for (let i = 0; i < 3; i += 1) {
        expect(sha(await readSlowly(await getResponse(proxy.url)))).toBe(sha(content));
        await closed(proxy.bodies[i]);
        await new Promise(setImmediate);
      }
    } finally {
      await proxy.close();
    }
    expect(sockets).toHaveLength(1);
  });

  it('reads only as fast as its reader, and closing it midway drops that connection alone', async () => {
    const content = randomBytes(64 * MiB);
    let sent = 0;
    answer = (_request, response) => {
      response.writeHead(200, { 'content-length': String(content.length) });
      // In 1 MiB writes, each once the last left the process: `sent` is what the socket took.
      const writeFrom = (offset: number): void => {
        if (offset >= content.length) return void response.end();
        response.write(content.subarray(offset, offset + MiB), (error) => {
          if (error) return;
          sent = offset + MiB;
          writeFrom(offset + MiB);
        });
      };
      writeFrom(0);
    };
    const body = await storage.read(KEY);
    const first = (await body[Symbol.asyncIterator]().next()).value as Buffer;
    expect(first.equals(content.subarray(0, first.length))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // What the socket buffers hold, both ends, and one read: far from the 64 MiB sent if unpaused.
    expect(sent).toBeLessThan(24 * MiB);
    body.destroy();
    await closed(body);
    await connectionClosed(sockets[0]);

    serveObject(content.subarray(0, MiB));
    expect(sha(await drain(await storage.read(KEY)))).toBe(sha(content.subarray(0, MiB)));
  });

  it('lets go at once of a store that stalls midway when the body is closed or its consumer gives up', async () => {
    // 1.5 MiB, then nothing more until the test ends: the second 1 MiB read waits.
    answer = (_request, response) => {
      response.writeHead(200, { 'content-length': String(64 * MiB) });
      response.write(randomBytes(1.5 * MiB));
    };
    const started = Date.now();
    const body = await storage.read(KEY);
    await expect(
      readEach(body, () => {
        throw new Error('the consumer gave up');
      }),
    ).rejects.toThrow('the consumer gave up');
    expect(body.destroyed).toBe(true);
    await connectionClosed(sockets[0]);
    // Well inside the 60 s a store has to answer, and jest's 5 s for the test.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails the body, not hangs, when the answer stops before its Content-Length', async () => {
    answer = (_request, response) => {
      response.writeHead(200, { 'content-length': String(4 * MiB) });
      response.write(randomBytes(MiB + 17), () => response.socket?.destroy());
    };
    await expect(drain(await storage.read(KEY))).rejects.toThrow();

    const proxy = await serveBodies(async () => ({ body: await storage.read(KEY), length: 4 * MiB }));
    try {
      const response = await getResponse(proxy.url);
      await expect(readSlowly(response)).rejects.toThrow();
      await closed(proxy.bodies[0]);
    } finally {
      await proxy.close();
    }
  });

  it('reads answers that arrive in small pieces, the head split among them', async () => {
    const content = randomBytes(300 * 1024 + 1);
    answer = (request) => {
      // Written on the socket itself, so that even the status line comes in pieces.
      const raw = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${content.length}\r\nX-Padding: ${'p'.repeat(3000)}\r\n\r\n`), content]);
      const writeFrom = (offset: number): void => {
        if (offset >= raw.length) return;
        const end = Math.min(raw.length, offset + 1 + Math.floor(Math.random() * 9000));
        request.socket.write(raw.subarray(offset, end), () => setImmediate(() => writeFrom(end)));
      };
      writeFrom(0);
    };
    expect(sha(await drain(await storage.read(KEY)))).toBe(sha(content));
  });

  it('sends a request again on a new connection when the store closes the idle one as it arrives', async () => {
    const content = randomBytes(MiB);
    const served = new Set<Socket>();
    answer = (request, response) => {
      if (served.has(request.socket)) return void request.socket.destroy();
      served.add(request.socket);
      response.writeHead(200, { 'content-length': String(content.length) }).end(content);
    };
    expect(sha(await drain(await storage.read(KEY)))).toBe(sha(content));
    expect(sha(await drain(await storage.read(KEY)))).toBe(sha(content));
    expect(sockets).toHaveLength(2);
  });

  it('does not reuse a connection the store closed while it was idle', async () => {
    const content = randomBytes(1000);
    answer = (request, response) => response.writeHead(200, { 'content-length': String(content.length) }).end(content, () => request.socket.end());
    expect(sha(await drain(await storage.read(KEY)))).toBe(sha(content));
    await connectionClosed(sockets[0]);
    expect(sha(await drain(await storage.read(KEY)))).toBe(sha(content));
    expect(sockets).toHaveLength(2);
  });

  it('refuses an answer whose headers are too large', async () => {
    answer = (_request, response) => response.writeHead(200, { 'content-length': '3', 'x-padding': 'p'.repeat(80 * 1024) }).end('abc');
    await expect(storage.read(KEY)).rejects.toThrow(StorageUnavailableError);
  });

  it('refuses an answer without a Content-Length, and lets go of it', async () => {
    answer = (_request, response) => {
      response.writeHead(200, { 'transfer-encoding': 'chunked' });
      response.write(randomBytes(MiB)); // and never ends
    };
    await expect(storage.read(KEY)).rejects.toThrow(new StorageUnavailableError('s3', 'cannot read object: the answer has no Content-Length'));
    await connectionClosed(sockets[0]);
    serveObject(randomBytes(10));
    expect((await drain(await storage.read(KEY))).length).toBe(10);
  });

  it("tells a missing object from a failing store by the store's error code", async () => {
    const fail = (status: number, code: string) =>
      (answer = (_request, response) => {
        const document = `<?xml version="1.0"?><Error><Code>${code}</Code><Message>no</Message></Error>`;
        response.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(document.length) }).end(document);
      });
    fail(404, 'NoSuchKey');
    await expect(storage.read(KEY)).rejects.toThrow(ObjectNotFoundError);
    await new Promise(setImmediate);
    fail(403, 'AccessDenied');
    await expect(storage.read(KEY)).rejects.toThrow(new StorageUnavailableError('s3', 'cannot read object: AccessDenied'));
    await new Promise(setImmediate);
    answer = (_request, response) => response.writeHead(503).end();
    await expect(storage.read(KEY)).rejects.toThrow(new StorageUnavailableError('s3', 'cannot read object: HTTP 503'));
    // Error answers are read whole, so their connection is reused.
    expect(sockets).toHaveLength(1);
  });

  it('reports an unreachable store as unavailable', async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await expect(storage.read(KEY)).rejects.toThrow(StorageUnavailableError);
    server = createServer().listen(0, '127.0.0.1'); // for afterEach
  });
});

describe('SocketObjectReads', () => {
  it('gives up on a store that does not answer in time, and not on a body that pauses', async () => {
    let stall = true;
    const server = createServer((_request, response) => {
      if (stall) return; // never answers
      response.writeHead(200, { 'content-length': '6' });
      response.write('abc');
      setTimeout(() => response.end('def'), 300);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const reads = new SocketObjectReads('127.0.0.1', port, 100);
      const url = new URL(`http://127.0.0.1:${port}/bucket/key`);
      await expect(reads.get(url, {})).rejects.toMatchObject({ code: 'ETIMEDOUT' });
      stall = false;
      const answer = await reads.get(url, {});
      if (!('body' in answer)) throw new Error(`expected a body, got ${answer.statusCode}`);
      const buffer = Buffer.alloc(6);
      expect(await answer.body.readInto(buffer, 6)).toBe(6);
      expect(buffer.toString()).toBe('abcdef');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
