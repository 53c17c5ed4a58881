import { connect, type Socket } from 'node:net';

import { MAX_ERROR_TEXT, type ObjectAnswer, type ObjectReads, type ObjectSource, WaitingReads } from './object-reads';

/** Room for an answer's status line and headers, and for body bytes that arrive while no read waits. */
const SPILL_BYTES = 64 * 1024;
/** How long an idle connection is kept: S3 servers close idle ones after a few seconds. */
const IDLE_MS = 4_000;
const MAX_IDLE_CONNECTIONS = 16;
/** How long a store may take to answer a GET (its status line and headers), as undici's headersTimeout. */
export const ANSWER_TIMEOUT_MS = 60_000;

/** The connection closed before the answer was complete; `code` says why, for StorageUnavailableError. */
class ConnectionLostError extends Error {
  constructor(
    readonly beforeAnswer: boolean,
    readonly code: string,
  ) {
    super(`the connection to the object store closed (${code})`);
  }
}

interface Head {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** The body's length, when Content-Length frames it. */
  readonly length: number | undefined;
  readonly keepAlive: boolean;
}

function parseHead(text: string): Head | undefined {
  const [statusLine, ...lines] = text.split('\r\n');
  const status = /^HTTP\/1\.([01]) (\d{3}) /.exec(`${statusLine} `);
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const declared = headers['content-length'];
  const length = declared !== undefined && /^\d{1,15}$/.test(declared) && headers['transfer-encoding'] === undefined ? Number(declared) : undefined;
  const keepAlive = status[1] === '1' && length !== undefined && !/\bclose\b/i.test(headers.connection ?? '');
  return { statusCode: Number(status[2]), headers, length, keepAlive };
}

/**
 * One object GET on its own connection (from a keep-alive pool). The kernel reads the body
 * straight into the buffer of the read that waits (net's `onread`): bytes go from the
 * store's socket to the client's with no copy in between and no allocation per socket read.
 * Bytes that arrive while no read waits (the status line and headers, the first bytes after
 * a pause) land in a small spill buffer and are copied from there. The socket is paused
 * while no read waits, and never reads past the body's end.
 */
class SocketObjectGet implements ObjectSource {
  readonly answer: Promise<ObjectAnswer>;
  private settleAnswer!: { resolve(answer: ObjectAnswer): void; reject(error: Error): void };
  private readonly reads = new WaitingReads();
  private readonly socket: Socket;
  private head: Head | undefined;
  /** Body bytes the socket has yet to read. */
  private unreceived = 0;
  /** Bytes in the spill not yet taken (head bytes before the head is parsed, body bytes after). */
  private spilled = 0;
  /** Whether the next socket read lands in a waiting read (else in the spill). */
  private landsInRead = false;
  private errorText: string | undefined;
  private ended = false;
  private failure: Error | undefined;

  constructor(
    private readonly connection: PooledConnection,
    request: string,
  ) {
    this.answer = new Promise((resolve, reject) => (this.settleAnswer = { resolve, reject }));
    this.socket = connection.socket;
    connection.serve(this);
    this.socket.write(request);
  }

  /** Where the socket's next read goes: the first waiting read, or the spill. */
  nextTarget(): Buffer {
    const target = this.head && this.errorText === undefined && this.spilled === 0 && this.unreceived > 0 ? this.reads.nextTarget(this.unreceived) : undefined;
    this.landsInRead = target !== undefined;
    if (target) return target;
    const room = SPILL_BYTES - this.spilled;
    return this.connection.spill.subarray(this.spilled, this.spilled + (this.head ? Math.max(1, Math.min(room, this.unreceived)) : room));
  }

  /** The socket read `bytes` into `landed`; returns false to pause it. */
  received(bytes: number, landed: Uint8Array): boolean {
    if (this.landsInRead) {
      this.unreceived -= bytes;
      this.reads.filled(bytes);
    } else {
      // A read that was set up before this GET took the spill (a reused connection's first
      // read, say) may have landed elsewhere in it.
      const spill = this.connection.spill;
      if (landed.byteOffset !== spill.byteOffset + this.spilled) spill.set(landed.subarray(0, bytes), this.spilled);
      this.spilled += bytes;
      if (this.head) this.unreceived -= bytes;
      else this.readHead();
      this.takeSpill();
    }
    return this.afterRead();
  }

  readInto(buffer: Buffer, length: number): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const read = this.reads.add(buffer, length);
    if (this.ended) this.reads.settleAtEnd();
    this.takeSpill();
    if (this.afterRead()) this.socket.resume();
    return read;
  }

  close(): void {
    // Fails a read still waiting (it would otherwise wait for bytes that no longer come) and drops the connection.
    if (!this.ended) this.fail(new Error('the object body was closed before its end'));
  }

  /** The connection closed under this GET. */
  lost(code: string): void {
    if (!this.ended) this.fail(new ConnectionLostError(this.head === undefined, code));
  }

  private readHead(): void {
    const spill = this.connection.spill;
    const end = spill.subarray(0, this.spilled).indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.spilled === SPILL_BYTES) this.fail(new Error('the object store answered with over 64 KiB of headers'));
      return;
    }
    const head = parseHead(spill.toString('latin1', 0, end));
    if (!head) return this.fail(new Error('the object store did not answer in HTTP/1.x'));
    const bodyBytes = this.spilled - (end + 4);
    this.spilled = spill.copy(spill, 0, end + 4, this.spilled);
    this.head = head;
    this.connection.answered();
    const success = head.statusCode === 200 || head.statusCode === 206;
    if (head.length === undefined) {
      // Framed some other way (chunked, or up to the close): a body this reader does not take,
      // and an error told by its status alone.
      this.settleAnswer.resolve(success ? { statusCode: head.statusCode, headers: head.headers, body: this } : { statusCode: head.statusCode, headers: head.headers, errorText: '' });
      this.close();
      return;
    }
    this.unreceived = head.length - bodyBytes;
    if (this.unreceived < 0) return this.fail(new Error('the object store sent more than its Content-Length'));
    if (success) this.settleAnswer.resolve({ statusCode: head.statusCode, headers: head.headers, body: this });
    else this.errorText = '';
  }

  /** Hands body bytes in the spill to waiting reads (or to the error text). */
  private takeSpill(): void {
    if (!this.head || this.spilled === 0 || this.failure) return;
    const spill = this.connection.spill;
    if (this.errorText !== undefined) {
      if (this.errorText.length < MAX_ERROR_TEXT) this.errorText += spill.toString('utf8', 0, this.spilled);
      this.spilled = 0;
      return;
    }
    const taken = this.reads.deliver(spill.subarray(0, this.spilled));
    this.spilled = taken === this.spilled ? 0 : spill.copy(spill, 0, taken, this.spilled);
  }

  /** Ends the GET once every byte is read and taken; says whether the socket should read on. */
  private afterRead(): boolean {
    if (this.failure || this.ended) return false;
    if (!this.head) return true;
    if (this.unreceived > 0) return this.errorText !== undefined || (this.spilled === 0 && this.reads.waiting);
    if (this.spilled > 0) return false;
    this.ended = true;
    if (this.errorText !== undefined) this.settleAnswer.resolve({ statusCode: this.head.statusCode, headers: this.head.headers, errorText: this.errorText });
    else this.reads.settleAtEnd();
    return this.connection.release(this.head.keepAlive);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.settleAnswer.reject(error);
    this.reads.fail(error);
    this.connection.drop();
  }
}

/** A keep-alive connection to the store, serving one GET at a time. */
class PooledConnection {
  readonly socket: Socket;
  readonly spill = Buffer.allocUnsafeSlow(SPILL_BYTES);
  private current: SocketObjectGet | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private error: (Error & { code?: string }) | undefined;
  private dropped = false;

  constructor(
    host: string,
    port: number,
    private readonly pool: SocketObjectReads,
  ) {
    this.socket = connect({ host, port, noDelay: true, onread: { buffer: () => this.nextTarget(), callback: (bytes, landed) => this.received(bytes, landed) } });
    this.socket.on('error', (error) => (this.error ??= error));
    this.socket.on('close', () => this.closed());
    this.socket.on('timeout', () => {
      this.error ??= Object.assign(new Error('the object store did not answer in time'), { code: 'ETIMEDOUT' });
      this.socket.destroy();
    });
  }

  serve(get: SocketObjectGet): void {
    clearTimeout(this.idleTimer);
    this.current = get;
    this.socket.ref();
    this.socket.setTimeout(this.pool.answerTimeoutMs);
  }

  /** The answer's head is in: a body may then pause for as long as its reader likes. */
  answered(): void {
    this.socket.setTimeout(0);
  }

  /**
   * The GET is done with the connection: kept for the next one, or closed. Returns whether
   * the socket reads on: an idle connection does, to see the store close it.
   */
  release(keepAlive: boolean): boolean {
    this.current = undefined;
    if (!keepAlive || this.dropped || !this.pool.keep(this)) {
      this.drop();
      return false;
    }
    this.socket.unref();
    this.socket.resume();
    this.idleTimer = setTimeout(() => this.drop(), IDLE_MS).unref();
    return true;
  }

  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    clearTimeout(this.idleTimer);
    this.pool.forget(this);
    this.socket.destroy();
  }

  private nextTarget(): Buffer {
    return this.current?.nextTarget() ?? this.spill;
  }

  private received(bytes: number, landed: Uint8Array): boolean {
    if (this.current) return this.current.received(bytes, landed);
    this.drop(); // an idle connection has nothing to say
    return false;
  }

  private closed(): void {
    this.drop();
    const get = this.current;
    this.current = undefined;
    get?.lost(this.error?.code ?? 'ECONNRESET');
  }
}

/**
 * Object GETs over plain HTTP/1.1 sockets (endpoints such as http://minio:9000). A proxied
 * 256 MiB pull took 0.10 s of CPU this way against 0.30 s through undici (B4 in
 * docs/benchmarks.md): undici copies every byte into its WebAssembly parser, then into the
 * reader's buffer, and allocates each 64 KiB socket read.
 */
export class SocketObjectReads implements ObjectReads {
  private readonly idle: PooledConnection[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    readonly answerTimeoutMs = ANSWER_TIMEOUT_MS,
  ) {}

  async get(url: URL, headers: Record<string, string>): Promise<ObjectAnswer> {
    const request = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
    const connection = this.idle.pop();
    if (connection) {
      try {
        return await new SocketObjectGet(connection, request).answer;
      } catch (error) {
        // The store closed the idle connection as the request went out: once more, on a new one.
        if (!(error instanceof ConnectionLostError && error.beforeAnswer)) throw error;
      }
    }
    return new SocketObjectGet(new PooledConnection(this.host, this.port, this), request).answer;
  }

  /** Takes an idle connection back; false when enough are idle already. */
  keep(connection: PooledConnection): boolean {
    if (this.idle.length >= MAX_IDLE_CONNECTIONS) return false;
    this.idle.push(connection);
    return true;
  }

  forget(connection: PooledConnection): void {
    const index = this.idle.indexOf(connection);
    if (index >= 0) this.idle.splice(index, 1);
  }
}
