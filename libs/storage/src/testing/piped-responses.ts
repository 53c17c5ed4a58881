import { once } from 'node:events';
import { createServer, get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';

export interface BodyServer {
  readonly url: string;
  /** Every body the server opened, in request order. */
  readonly bodies: Readable[];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 that answers each GET with `open(path and query)`, piped into
 * the response as Fastify does (`body.pipe(response)`, Content-Length set by `length`).
 */
export async function serveBodies(open: (target: URL) => Promise<{ body: Readable; length: number }>): Promise<BodyServer> {
  const bodies: Readable[] = [];
  const server = createServer((request, response) => {
    void open(new URL(request.url ?? '/', 'http://body.test')).then(({ body, length }) => {
      bodies.push(body);
      body.on('error', () => response.destroy()); // as Fastify does once headers are out
      response.setHeader('content-length', String(length));
      body.pipe(response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function getResponse(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, resolve).on('error', reject));
}

/** Reads a response with pauses between chunks, so that the server's writes queue up. */
export async function readSlowly(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) {
    chunks.push(chunk as Buffer);
    if (chunks.length % 16 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return Buffer.concat(chunks);
}

/** Resolves once `body` has emitted 'close', whether or not that already happened. */
export function closed(body: Readable): Promise<void> {
  return new Promise((resolve) => (body.closed ? resolve() : body.once('close', () => resolve())));
}
