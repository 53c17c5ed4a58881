import type { IncomingHttpHeaders } from 'node:http';

import { PooledBody } from './pooled-body';

/** An object body being read: its bytes in order, into buffers the reader hands in. */
export interface ObjectSource {
  /** Fills the start of `buffer` with the body's next `length` bytes; fewer only at its end. */
  readInto(buffer: Buffer, length: number): Promise<number>;
  /** Lets go of the body; one closed before its end drops its connection. */
  close(): void;
}

/** What an object GET answered: a body to read (2xx), or the text of a failure. */
export type ObjectAnswer = { readonly statusCode: number; readonly headers: IncomingHttpHeaders } & ({ readonly body: ObjectSource } | { readonly errorText: string });

/** GETs of objects by (presigned) URL. */
export interface ObjectReads {
  get(url: URL, headers: Record<string, string>): Promise<ObjectAnswer>;
}

/** S3's error documents are a few hundred bytes; an endpoint that sends more is cut short. */
export const MAX_ERROR_TEXT = 64 * 1024;

interface WaitingRead {
  readonly buffer: Buffer;
  readonly length: number;
  filled: number;
  resolve(filled: number): void;
  reject(error: Error): void;
}

/** The reads waiting on a body, filled in the order they came. */
export class WaitingReads {
  private readonly queue: WaitingRead[] = [];

  get waiting(): boolean {
    return this.queue.length > 0;
  }

  add(buffer: Buffer, length: number): Promise<number> {
    return new Promise((resolve, reject) => this.queue.push({ buffer, length, filled: 0, resolve, reject }));
  }

  /** The unfilled part of the first waiting read, at most `limit` bytes, for the socket to read into. */
  nextTarget(limit: number): Buffer | undefined {
    const read = this.queue[0];
    return read && read.buffer.subarray(read.filled, read.filled + Math.min(read.length - read.filled, limit));
  }

  /** `bytes` were written into the region nextTarget gave. */
  filled(bytes: number): void {
    const read = this.queue[0];
    read.filled += bytes;
    if (read.filled === read.length) {
      this.queue.shift();
      read.resolve(read.filled);
    }
  }

  /** Copies from the start of `chunk` into the waiting reads; returns how many bytes they took. */
  deliver(chunk: Buffer): number {
    let offset = 0;
    while (offset < chunk.length && this.queue.length > 0) {
      const read = this.queue[0];
      const copied = chunk.copy(read.buffer, read.filled, offset, offset + Math.min(read.length - read.filled, chunk.length - offset));
      offset += copied;
      this.filled(copied);
    }
    return offset;
  }

  /** The body ended: reads still waiting get what they have, a short read that the body reports. */
  settleAtEnd(): void {
    for (const read of this.queue.splice(0)) read.resolve(read.filled);
  }

  fail(error: Error): void {
    for (const read of this.queue.splice(0)) read.reject(error);
  }
}

/** An object GET's body as a PooledBody: its reads are served one after the other, in order. */
export class ObjectBody extends PooledBody {
  constructor(
    private readonly source: ObjectSource,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  protected readAt(buffer: Buffer, _position: number, length: number): Promise<number> {
    return this.source.readInto(buffer, length);
  }

  protected async release(): Promise<void> {
    this.source.close();
  }
}
