import type { IncomingHttpHeaders } from 'node:http';

import type { Dispatcher } from 'undici';

import { PooledBody } from './pooled-body';

/** What an object GET answered: a body to read (2xx), or the text of a failure. */
export type ObjectAnswer = { readonly statusCode: number; readonly headers: IncomingHttpHeaders } & ({ readonly body: ObjectGet } | { readonly errorText: string });

/** S3's error documents are a few hundred bytes; an endpoint that sends more is cut short. */
const MAX_ERROR_TEXT = 64 * 1024;

interface WaitingRead {
  readonly buffer: Buffer;
  readonly length: number;
  filled: number;
  resolve(filled: number): void;
  reject(error: Error): void;
}

/**
 * One object GET, driven through undici's handler API rather than its `request` body: bytes
 * are copied from each socket read straight into the buffers readers wait to fill, and the
 * response is paused while no reader waits. The Readable that `request` returns cost about
 * a tenth more CPU per proxied pull: stream machinery on every 64 KiB socket read (B4 in
 * docs/benchmarks.md).
 */
export class ObjectGet implements Dispatcher.DispatchHandler {
  readonly answer: Promise<ObjectAnswer>;
  private settleAnswer!: { resolve(answer: ObjectAnswer): void; reject(error: Error): void };
  private controller: Dispatcher.DispatchController | undefined;
  private readonly waiting: WaitingRead[] = [];
  /** The part of a socket read that arrived while no reader waited. */
  private leftover: Buffer | undefined;
  /**
   * Body bytes not yet delivered. The response is never paused once it has none left, so
   * that it ends (and frees its connection) as soon as its last byte is read.
   */
  private undelivered = Infinity;
  private failure: Error | undefined;
  private ended = false;
  private errorText: string | undefined;
  private status = 0;
  private headers: IncomingHttpHeaders = {};

  constructor() {
    this.answer = new Promise((resolve, reject) => (this.settleAnswer = { resolve, reject }));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: the answer is still to come
    this.status = statusCode;
    this.headers = headers;
    if (statusCode !== 200 && statusCode !== 206) {
      this.errorText = ''; // a small XML error document, read whole
      return;
    }
    const length = Number(headers['content-length']);
    if (Number.isSafeInteger(length)) this.undelivered = length;
    this.settleAnswer.resolve({ statusCode, headers, body: this });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.errorText !== undefined) {
      if (this.errorText.length < MAX_ERROR_TEXT) this.errorText += chunk.toString('utf8');
      return;
    }
    this.undelivered -= chunk.length;
    this.deliver(chunk);
    if (this.waiting.length === 0 && this.undelivered > 0) controller.pause();
  }

  onResponseEnd(): void {
    this.ended = true;
    if (this.errorText !== undefined) this.settleAnswer.resolve({ statusCode: this.status, headers: this.headers, errorText: this.errorText });
    this.settleWaitingAtEnd();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.failure = error;
    this.settleAnswer.reject(error);
    for (const read of this.waiting.splice(0)) read.reject(error);
  }

  /** Fills the start of `buffer` with the body's next `length` bytes; fewer only at its end. */
  readInto(buffer: Buffer, length: number): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ buffer, length, filled: 0, resolve, reject });
      const leftover = this.leftover;
      this.leftover = undefined;
      if (leftover) this.deliver(leftover);
      if (this.ended) this.settleWaitingAtEnd();
      else if (this.waiting.length > 0) this.controller?.resume();
    });
  }

  /** Aborts the response unless it has ended: a body closed midway leaves its connection. */
  close(): void {
    if (this.ended || this.failure) return;
    this.failure = new Error('the object body was closed before its end');
    this.controller?.abort(this.failure);
  }

  /** Reads still waiting at the end get what they have: a short read, which the body reports. */
  private settleWaitingAtEnd(): void {
    for (const read of this.waiting.splice(0)) read.resolve(read.filled);
  }

  /** Copies `chunk` into the waiting reads in order; what does not fit waits for the next read. */
  private deliver(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && this.waiting.length > 0) {
      const read = this.waiting[0];
      const copied = chunk.copy(read.buffer, read.filled, offset, offset + Math.min(read.length - read.filled, chunk.length - offset));
      read.filled += copied;
      offset += copied;
      if (read.filled === read.length) {
        this.waiting.shift();
        read.resolve(read.filled);
      }
    }
    // A socket read is a buffer of its own, never reused by undici: keeping a view of it is safe.
    if (offset < chunk.length) this.leftover = chunk.subarray(offset);
  }
}

/** An object's body as a PooledBody: the reads are served one after the other from one GET. */
export class S3ObjectBody extends PooledBody {
  constructor(
    private readonly download: ObjectGet,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  protected readAt(buffer: Buffer, _position: number, length: number): Promise<number> {
    return this.download.readInto(buffer, length);
  }

  protected async release(): Promise<void> {
    this.download.close();
  }
}
