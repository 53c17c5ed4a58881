import type { IncomingHttpHeaders } from 'node:http';

import type { Agent, Dispatcher } from 'undici';

import { MAX_ERROR_TEXT, type ObjectAnswer, type ObjectReads, type ObjectSource, WaitingReads } from './object-reads';

/**
 * One object GET through undici's handler API: each socket read is copied into the read that
 * waits for it, and the response is paused while none waits. Used where the store is reached
 * over TLS; over plain HTTP, SocketObjectReads has the kernel read into the buffers instead.
 */
class UndiciObjectGet implements Dispatcher.DispatchHandler, ObjectSource {
  readonly answer: Promise<ObjectAnswer>;
  private settleAnswer!: { resolve(answer: ObjectAnswer): void; reject(error: Error): void };
  private controller: Dispatcher.DispatchController | undefined;
  private readonly reads = new WaitingReads();
  /** The part of a socket read that arrived while no read waited (a view: undici never reuses a read's buffer). */
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
    if (!this.reads.waiting && this.undelivered > 0) controller.pause();
  }

  onResponseEnd(): void {
    this.ended = true;
    if (this.errorText !== undefined) this.settleAnswer.resolve({ statusCode: this.status, headers: this.headers, errorText: this.errorText });
    this.reads.settleAtEnd();
  }

  /** Whether the request failed before any answer: on a reused connection the store may have just closed. */
  get failedUnanswered(): boolean {
    return this.status === 0 && this.failure !== undefined;
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.failure = error;
    this.settleAnswer.reject(error);
    this.reads.fail(error);
  }

  readInto(buffer: Buffer, length: number): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const read = this.reads.add(buffer, length);
    const leftover = this.leftover;
    this.leftover = undefined;
    if (leftover) this.deliver(leftover);
    if (this.ended) this.reads.settleAtEnd();
    else if (this.reads.waiting) this.controller?.resume();
    return read;
  }

  close(): void {
    if (this.ended || this.failure) return;
    this.failure = new Error('the object body was closed before its end');
    // A read still waiting would otherwise wait for bytes that no longer come.
    this.reads.fail(this.failure);
    this.controller?.abort(this.failure);
  }

  private deliver(chunk: Buffer): void {
    const taken = this.reads.deliver(chunk);
    if (taken < chunk.length) this.leftover = chunk.subarray(taken);
  }
}

/** Object GETs through an undici Agent (any endpoint, TLS included). */
export class UndiciObjectReads implements ObjectReads {
  constructor(private readonly agent: Agent) {}

  async get(url: URL, headers: Record<string, string>): Promise<ObjectAnswer> {
    const send = () => {
      const get = new UndiciObjectGet();
      this.agent.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET', headers }, get);
      return get;
    };
    const first = send();
    try {
      return await first.answer;
    } catch (error) {
      // The store closed a kept-alive connection as the request went out: once more, on a new one.
      if (!first.failedUnanswered || (error as { code?: string }).code !== 'UND_ERR_SOCKET') throw error;
      return send().answer;
    }
  }
}
