import type { IncomingMessage } from 'node:http';

import type { FastifyRequest } from 'fastify';

import { first } from '../common/query';

/** How much of a refused body is read and thrown away, so that the client gets its answer. */
export const DISCARD_BYTES = 64 * 1024 * 1024;
const DISCARD_MS = 10_000;

/** The body's declared length, when it has one (Number: a malformed value is NaN). */
export function contentLength(request: FastifyRequest): number | undefined {
  const value = first(request.headers['content-length']);
  return value === undefined ? undefined : Number(value);
}

const discarding = new WeakMap<IncomingMessage, Promise<boolean>>();

/**
 * Reads and drops the rest of a refused body, within bounds; resolves true once the body has
 * ended, false when it was cut (past the bounds, or the client went away). Closing at once
 * would reset a connection the client is still writing to, and the client could lose the
 * error response; past the bounds the connection is cut. One discard per request.
 */
export function discardRest(raw: IncomingMessage): Promise<boolean> {
  const running = discarding.get(raw);
  if (running) return running;
  const done = new Promise<boolean>((resolve) => {
    if (raw.complete || raw.destroyed) return resolve(raw.complete);
    let discarded = 0;
    const timer = setTimeout(() => raw.destroy(), DISCARD_MS);
    timer.unref();
    raw.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_BYTES) raw.destroy();
    });
    raw.once('end', () => {
      clearTimeout(timer);
      resolve(true);
    });
    raw.once('close', () => {
      clearTimeout(timer);
      resolve(raw.complete);
    });
    raw.resume();
  });
  discarding.set(raw, done);
  return done;
}
