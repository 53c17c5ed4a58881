import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { FileBody } from './file-body';
import { readEach } from './pooled-body';
import { openFilesUnder } from './testing/open-files';
import { closed, getResponse, readSlowly, serveBodies } from './testing/piped-responses';

// How a FileBody reads into HTTP responses and elsewhere is also in the storage contract
// (fs-storage.spec.ts); these are what only a file shows.

const MiB = 1024 * 1024;
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('FileBody', () => {
  let dir: string;
  let path: string;
  let content: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wharf-file-body-'));
    path = join(dir, 'object');
    content = randomBytes(5 * MiB + 3);
    await writeFile(path, content);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function serveFile() {
    return serveBodies(async (target) => {
      const start = Number(target.searchParams.get('start') ?? 0);
      const end = Number(target.searchParams.get('end') ?? content.length - 1);
      return { body: new FileBody(await open(path, 'r'), start, end), length: Math.max(0, end + 1 - start) };
    });
  }

  it('closes its file once a response is sent, empty ranges included', async () => {
    const server = await serveFile();
    try {
      const targets = ['', '?start=7&end=6', '?start=5000000'];
      const got = await Promise.all(targets.map(async (target) => readSlowly(await getResponse(`${server.url}/${target}`))));
      expect(got.map((bytes) => bytes.length)).toEqual([content.length, 0, content.length - 5000000]);
      await Promise.all(server.bodies.map(closed));
      expect(openFilesUnder(path)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('closes its file when the client goes away midway', async () => {
    const server = await serveFile();
    try {
      const response = await getResponse(`${server.url}/`);
      await once(response, 'data');
      response.destroy();
      await closed(server.bodies[0]);
      expect(openFilesUnder(path)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  describe('into a response for a client slower than its reads', () => {
    let bigPath: string;
    let big: Buffer;

    beforeAll(async () => {
      bigPath = join(dir, 'big-object');
      big = randomBytes(24 * MiB + 5);
      await writeFile(bigPath, big);
    });

    /** Reads a response at about 100 MB/s, a tenth of the pace below which reads move to the loop. */
    async function readPaced(response: IncomingMessage): Promise<Buffer> {
      const chunks: Buffer[] = [];
      let sinceBreak = 0;
      for await (const chunk of response) {
        chunks.push(chunk as Buffer);
        sinceBreak += (chunk as Buffer).length;
        if (sinceBreak >= MiB) {
          sinceBreak = 0;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      return Buffer.concat(chunks);
    }

    // The loop as ReadPacing would find it in a process of its own: jest's parallel suites can
    // keep this one's loop busy, or delay one of its reads past the slow-read mark.
    const idleLoop = { busy: false, sawSlowReadLately: false, slowRead: () => undefined };

    function serveBig(end: number) {
      return serveBodies(async () => ({ body: new FileBody(await open(bigPath, 'r'), 0, end, idleLoop), length: end + 1 }));
    }

    it('moves its reads onto the event loop and sends every byte in order', async () => {
      const server = await serveBig(big.length - 1);
      try {
        const got = await readPaced(await getResponse(`${server.url}/`));
        expect(sha(got)).toBe(sha(big));
        await closed(server.bodies[0]);
        // The first reads go to the threadpool while the client's pace is measured; a read on
        // the loop that a busy host delays past 5 ms sends the rest back there (ReadPacing).
        expect((server.bodies[0] as FileBody).readsOnLoop).toBeGreaterThan(0);
        expect(openFilesUnder(bigPath)).toEqual([]);
      } finally {
        await server.close();
      }
    });

    it('fails the response, and closes the file, when a read on the loop finds the file shorter than its range', async () => {
      const server = await serveBig(big.length + 10);
      try {
        const response = await getResponse(`${server.url}/`);
        const error = await readPaced(response).then(
          () => undefined,
          (failure: Error) => failure,
        );
        expect(error?.message).toMatch(/aborted/);
        const body = server.bodies[0] as FileBody;
        await closed(body);
        expect(body.errored?.message).toBe(`the object ended at byte ${big.length}, before the range it was opened for`);
        expect(body.readsOnLoop).toBeGreaterThan(0);
        expect(openFilesUnder(bigPath)).toEqual([]);
      } finally {
        await server.close();
      }
    });
  });

  it('gives fresh buffers to any other destination, which may hold on to chunks after its write callback', async () => {
    const body = new FileBody(await open(path, 'r'), 0, content.length - 1);
    // A PassThrough calls back as soon as a chunk is queued on its readable side; nothing
    // reads that side until the whole file is through, so a reused buffer would be overwritten.
    const through = new PassThrough({ highWaterMark: 64 * MiB });
    body.pipe(through);
    await once(body, 'end');
    const chunks: Buffer[] = [];
    for await (const chunk of through) chunks.push(chunk as Buffer);
    expect(sha(Buffer.concat(chunks))).toBe(sha(content));
  });

  it('fails when the file is shorter than the range it was opened for', async () => {
    const body = new FileBody(await open(path, 'r'), 0, content.length + 10);
    await expect(
      (async () => {
        for await (const chunk of body) expect(chunk).toBeDefined();
      })(),
    ).rejects.toThrow(`the object ended at byte ${content.length}`);
    await closed(body);
    expect(openFilesUnder(path)).toEqual([]);
  });

  it('fails readEach, and closes its file, when the file is shorter than the range it was opened for', async () => {
    const body = new FileBody(await open(path, 'r'), 0, content.length + 10);
    let consumed = 0;
    await expect(readEach(body, (chunk) => (consumed += chunk.length))).rejects.toThrow(`the object ended at byte ${content.length}`);
    expect(consumed).toBe(5 * MiB);
    expect(openFilesUnder(path)).toEqual([]);
  });

  it('closes its file once readEach is through a range', async () => {
    const body = new FileBody(await open(path, 'r'), 3, content.length - 1);
    const hash = createHash('sha256');
    await readEach(body, (chunk) => hash.update(chunk));
    expect(hash.digest('hex')).toBe(sha(content.subarray(3)));
    expect(openFilesUnder(path)).toEqual([]);
  });

  it('refuses readEach on a body that is already being read', async () => {
    const body = new FileBody(await open(path, 'r'), 0, content.length - 1);
    body.resume();
    await expect(readEach(body, () => undefined)).rejects.toThrow('the body is already being read');
    body.destroy();
    await closed(body);
  });
});
