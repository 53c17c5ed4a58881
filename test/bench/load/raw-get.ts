// A blob GET as light as the load process can make it. undici parses every body byte in its
// WebAssembly parser and hands out a fresh 64 KiB buffer per socket read; at a few GB/s that made
// the client, not the server, the slowest of the three in B4 (0.3–0.5 s of CPU per 256 MiB, about
// 1 GB/s at best). Here the kernel reads the body straight into one reused 1 MiB buffer and only the
// header is parsed, so the same Node file server is pulled at about twice that rate.
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RawGetResult {
  status: number;
  headers: Record<string, string>;
  /** The body's bytes, counted (hashed too when asked, for the cost of it) and dropped. */
  bytes: number;
  /** performance.now() when the first byte of the body arrived, or the header when the body is empty. */
  firstByteAt: number;
  /** Only for a status other than 2xx: the start of the body, for the error message. */
  errorText?: string;
}

const READ_BUFFER = 1024 * 1024;
const HEADER_LIMIT = 64 * 1024;
const ERROR_TEXT_LIMIT = 300;

/**
 * One `GET` over a new plain-http connection (closed after it). The response must declare its
 * length, as blob and redirect responses do; a chunked one is an error.
 */
export function rawGet(url: URL, headers: Record<string, string>, options: { hash?: boolean } = {}): Promise<RawGetResult> {
  if (url.protocol !== 'http:') return Promise.reject(new Error(`rawGet: only http:// URLs, not ${url.href}`));
  return new Promise((resolve, reject) => {
    const hash = options.hash ? createHash('sha256') : undefined;
    let head: Buffer | undefined = Buffer.alloc(0);
    let response: Pick<RawGetResult, 'status' | 'headers' | 'errorText'> | undefined;
    let length = 0;
    let bytes = 0;
    let firstByteAt = 0;
    let settled = false;

    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error || !response) return reject(error ?? new Error(`GET ${url.href}: no response`));
      resolve({ ...response, bytes, firstByteAt: firstByteAt || performance.now() });
    };

    const receive = (chunk: Buffer): void => {
      if (chunk.length === 0) return;
      if (firstByteAt === 0) firstByteAt = performance.now();
      if (bytes + chunk.length > length) return settle(new Error(`GET ${url.href}: more than the ${length} bytes declared`));
      bytes += chunk.length;
      hash?.update(chunk);
      if (response && response.errorText !== undefined && response.errorText.length < ERROR_TEXT_LIMIT) response.errorText += chunk.toString('utf8', 0, ERROR_TEXT_LIMIT);
      if (bytes === length) settle(undefined);
    };

    const parseHead = (chunk: Buffer): void => {
      head = Buffer.concat([head!, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > HEADER_LIMIT) settle(new Error(`GET ${url.href}: response header over ${HEADER_LIMIT} bytes`));
        return;
      }
      const [statusLine, ...lines] = head.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      const fields: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const declared = fields['content-length'];
      if (declared === undefined || !/^\d+$/.test(declared)) return settle(new Error(`GET ${url.href}: ${status} without Content-Length`));
      length = Number(declared);
      response = { status, headers: fields, ...(status >= 200 && status < 300 ? {} : { errorText: '' }) };
      const rest = head.subarray(end + 4);
      head = undefined;
      if (length === 0) return settle(rest.length ? new Error(`GET ${url.href}: bytes after an empty body`) : undefined);
      receive(rest);
    };

    const socket = connect({
      host: url.hostname,
      port: Number(url.port || 80),
      noDelay: true,
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER),
        callback: (size: number, buffer: Uint8Array): boolean => {
          const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, size);
          if (head) parseHead(chunk);
          else receive(chunk);
          return true;
        },
      },
    });
    socket.on('error', (error) => settle(error));
    socket.on('close', () => settle(new Error(`GET ${url.href}: connection closed after ${bytes} of ${length} body bytes`)));
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, 'connection: close', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}
