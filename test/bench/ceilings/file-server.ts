import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { MiB } from '../support/stats';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json' };

/**
 * The B4 ceiling (Node file → HTTP response with a 1 MiB highWaterMark) and the static
 * half of the B10 ceiling: GET /<file> answers a file under `dir` (`/` is index.html).
 */
export function startFileServer(dir: string): Promise<number> {
  const server = createServer((request, response) => {
    const name = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '') || 'index.html';
    const path = join(dir, name);
    let size: number;
    try {
      if (name.startsWith('..')) throw new Error('outside');
      size = statSync(path).size;
    } catch {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Length': String(size), 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    if (request.method === 'HEAD') return response.end();
    pipeline(createReadStream(path, { highWaterMark: MiB }), response).catch(() => response.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}
