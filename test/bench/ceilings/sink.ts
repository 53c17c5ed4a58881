import { createHash, randomUUID, type Hash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';

const WRITE_BYTES = 1024 * 1024;

interface Upload {
  readonly hash: Hash;
  readonly file: string;
  size: number;
}

/**
 * The upload ceiling: the request shapes of a registry push (POST, PATCH, PUT ?digest=,
 * manifest PUT) answered by plain node:http that does only the physical work — every body
 * byte hashed with node:crypto SHA-256 and appended to a file — and no metadata, auth or
 * storage logic (nor fsync). The file is deleted once the upload completes.
 */
export function startSink(dir: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const uploads = new Map<string, Upload>();

  // Appended in 1 MiB writes, one in flight while the next gathers: a fast Node server's way
  // (a write per socket chunk, as a write stream makes them, halves the rate).
  const receive = async (request: IncomingMessage, upload: Upload) => {
    const file = await open(upload.file, 'a');
    try {
      let batch: Buffer[] = [];
      let bytes = 0;
      let writing: Promise<unknown> = Promise.resolve();
      const flush = async () => {
        await writing;
        writing = file.writev(batch);
        // A failed write surfaces at the next await of `writing`, not as an unhandled rejection.
        writing.catch(() => undefined);
        batch = [];
        bytes = 0;
      };
      for await (const chunk of request as AsyncIterable<Buffer>) {
        upload.hash.update(chunk);
        upload.size += chunk.length;
        batch.push(chunk);
        bytes += chunk.length;
        if (bytes >= WRITE_BYTES) await flush();
      }
      if (bytes > 0) await flush();
      await writing;
    } finally {
      await file.close();
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const upload = /^\/upload\/([0-9a-f-]+)$/.exec(url.pathname);
    if (request.method === 'POST' && url.pathname.endsWith('/blobs/uploads/')) {
      request.resume();
      const id = randomUUID();
      uploads.set(id, { hash: createHash('sha256'), file: join(dir, id), size: 0 });
      response.writeHead(202, { Location: `/upload/${id}`, Range: '0-0', 'Content-Length': '0' }).end();
    } else if (upload && (request.method === 'PATCH' || request.method === 'PUT')) {
      const state = uploads.get(upload[1]!);
      if (!state) return response.writeHead(404).end();
      await receive(request, state);
      if (request.method === 'PATCH') return response.writeHead(202, { Location: url.pathname, Range: `0-${state.size - 1}`, 'Content-Length': '0' }).end();
      uploads.delete(upload[1]!);
      rmSync(state.file, { force: true });
      const digest = `sha256:${state.hash.digest('hex')}`;
      if (digest !== url.searchParams.get('digest')) return response.writeHead(400).end(`digest ${digest}`);
      response.writeHead(201, { Location: `/blobs/${digest}`, 'Docker-Content-Digest': digest, 'Content-Length': '0' }).end();
    } else if (request.method === 'PUT' && url.pathname.includes('/manifests/')) {
      const hash = createHash('sha256');
      for await (const chunk of request) hash.update(chunk as Buffer);
      response.writeHead(201, { 'Docker-Content-Digest': `sha256:${hash.digest('hex')}`, 'Content-Length': '0' }).end();
    } else {
      request.resume();
      response.writeHead(request.url === '/ping' ? 200 : 404, { 'Content-Length': '0' }).end();
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}
