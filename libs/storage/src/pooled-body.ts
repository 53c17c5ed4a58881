import { once } from 'node:events';
import { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';

import { processEventLoop, ReadPacing, type EventLoopState } from './read-pacing';

/** Bytes per read: 64 KiB pieces cap a streamed blob GET at a third of what 1 MiB gives. */
export const BODY_READ_BYTES = 1024 * 1024;

/** Reads one body keeps in flight: one being sent (or consumed) while the next is read. */
const READS_IN_FLIGHT = 2;

/** Read buffers kept between responses; beyond these, a finished response's buffers are left to the GC. */
const SPARE_BUFFERS_KEPT = 8;

const spareBuffers: Buffer[] = [];

function takeBuffer(): Buffer {
  return spareBuffers.pop() ?? Buffer.allocUnsafeSlow(BODY_READ_BYTES);
}

function giveBack(buffer: Buffer): void {
  if (spareBuffers.length < SPARE_BUFFERS_KEPT) spareBuffers.push(buffer);
}

/** A read that got fewer bytes than it claimed: the object is shorter than the range being served. */
function shortRead({ at }: { at: number }, bytesRead: number): Error {
  return new Error(`the object ended at byte ${at + bytesRead}, before the range it was opened for`);
}

/**
 * A byte range of a stored object as a Readable, read BODY_READ_BYTES at a time by `readAt`.
 *
 * Read chunk by chunk (iterated, or piped anywhere else) it hands out a fresh buffer per read,
 * as fs.createReadStream does. Piped into an HTTP response, it instead reads into a few
 * buffers it reuses, each only once the response's write callback says the socket is done
 * with it: a 256 MiB blob GET then allocates almost nothing. With a fresh 1 MiB buffer per
 * read, a long-running process fell into runs of full mark-compacts that halved B4 (see
 * docs/benchmarks.md). Only an HTTP response is trusted with reused buffers: a Transform,
 * say, calls back while it still holds the chunk.
 */
export abstract class PooledBody extends Readable {
  private position: number;
  private pumping = false;
  private released: Promise<void> | undefined;

  /** Serves bytes `start` to `end` inclusive; `end` below `start` is an empty body. */
  protected constructor(
    start: number,
    private readonly end: number,
    /** What ReadPacing asks of the event loop; the process's own but in tests. */
    private readonly eventLoop: EventLoopState = processEventLoop,
  ) {
    super({ highWaterMark: BODY_READ_BYTES });
    this.position = start;
  }

  /**
   * Reads `length` bytes at `position` into the start of `buffer` and resolves how many it
   * read: fewer only at the end of the object. Calls come in position order, up to
   * READS_IN_FLIGHT at a time; a sequential source serves them one after the other.
   */
  protected abstract readAt(buffer: Buffer, position: number, length: number): Promise<number>;

  /**
   * The same read, done synchronously: offered only by a source whose reads are quick when
   * its bytes are in memory (a local file in the page cache). A body piped into an HTTP
   * response uses it while ReadPacing says so: for a client slower than the reads.
   */
  protected readAtNow?(buffer: Buffer, position: number, length: number): number;

  /** Frees what the body holds (a file, a connection); called once, when it ends or is destroyed. */
  protected abstract release(): Promise<void>;

  private loopReadCount = 0;

  /** How many of the reads into an HTTP response ran on the event loop (see ReadPacing). */
  get readsOnLoop(): number {
    return this.loopReadCount;
  }

  private get remaining(): number {
    return Math.max(0, this.end + 1 - this.position);
  }

  /** Claims the next read: its position and length, or undefined at the end of the range. */
  private nextRead(): { at: number; length: number } | undefined {
    const length = Math.min(BODY_READ_BYTES, this.remaining);
    if (length === 0) return undefined;
    const at = this.position;
    this.position += length;
    return { at, length };
  }

  /** Reads a claimed range into `buffer`; a short read fails the body. */
  private async fill(buffer: Buffer, claim: { at: number; length: number }): Promise<boolean> {
    return this.filled(claim, await this.readAt(buffer, claim.at, claim.length));
  }

  /** fill, on the event loop: resolves nothing, so the chunk can be written at once. */
  private fillNow(buffer: Buffer, claim: { at: number; length: number }, pacing: ReadPacing): boolean {
    const started = performance.now();
    let bytesRead: number;
    try {
      bytesRead = this.readAtNow!(buffer, claim.at, claim.length);
    } catch (error) {
      this.destroy(error as Error);
      return false;
    }
    this.loopReadCount += 1;
    pacing.readOnLoopTook(performance.now() - started);
    return this.filled(claim, bytesRead);
  }

  private filled(claim: { at: number; length: number }, bytesRead: number): boolean {
    if (bytesRead === claim.length) return true;
    this.destroy(shortRead(claim, bytesRead));
    return false;
  }

  override _read(): void {
    if (this.pumping) return;
    const next = this.nextRead();
    if (!next) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafeSlow(next.length);
    this.fill(buffer, next).then(
      (complete) => complete && this.push(buffer),
      (error: Error) => this.destroy(error),
    );
  }

  /**
   * Hands the whole range to `consume`, chunk by chunk in position order, in a few buffers it
   * reuses: `consume` must be done with a chunk when it returns (a hash update is). Resolves
   * once all is consumed and the source released. Re-hashing a stored upload this way
   * allocates nothing; with a fresh 1 MiB buffer per read, the first resumed PATCH of a newly
   * started process set off a 60 ms full GC (B6, docs/benchmarks.md).
   */
  async readEach(consume: (chunk: Buffer) => void): Promise<void> {
    if (this.pumping || this.readableFlowing !== null || this.destroyed) throw new Error('the body is already being read');
    this.pumping = true;
    const buffers = Array.from({ length: READS_IN_FLIGHT }, takeBuffer);
    const readNext = (buffer: Buffer) => {
      const claim = this.nextRead();
      if (!claim) return undefined;
      const read = this.readAt(buffer, claim.at, claim.length).then((bytesRead) => ({ buffer, claim, bytesRead }));
      // Settled here or by the cleanup below, but never left unhandled while an earlier read is awaited.
      read.catch(() => undefined);
      return read;
    };
    const reads = buffers.map(readNext).filter((read) => read !== undefined);
    try {
      for (let read = reads.shift(); read; read = reads.shift()) {
        const { buffer, claim, bytesRead } = await read;
        if (bytesRead !== claim.length) throw shortRead(claim, bytesRead);
        consume(claim.length === buffer.length ? buffer : buffer.subarray(0, claim.length));
        const next = readNext(buffer);
        if (next) reads.push(next);
      }
    } finally {
      // Without an error: nobody listens for one, the caller gets it as this call's rejection.
      // Releasing the source first ends the reads still in flight (a stalled store's too).
      this.destroy();
      if (!this.closed) await once(this, 'close');
      // A read still in flight writes into its buffer: only once it settles may the buffer be reused.
      await Promise.allSettled(reads);
      buffers.forEach(giveBack);
    }
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    if (!(destination instanceof ServerResponse) || this.readableFlowing !== null || this.destroyed) return super.pipe(destination, options);
    this.pumping = true;
    this.pumpInto(destination, options?.end ?? true);
    return destination;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.released ??= this.release();
    this.released.then(
      () => callback(error),
      (releaseError: Error) => callback(error ?? releaseError),
    );
  }

  /** Keeps READS_IN_FLIGHT reads going, each written to the response as soon as it is in. */
  private pumpInto(response: ServerResponse, endResponse: boolean): void {
    const pacing = this.readAtNow ? new ReadPacing(this.eventLoop) : undefined;
    let inFlight = 0;
    let nextToWrite = this.position;
    // Reads may complete out of order; writes go out in position order.
    const ready = new Map<number, { buffer: Buffer; length: number }>();
    const finish = () => {
      if (endResponse) this.once('end', () => response.end());
      this.push(null);
      this.resume(); // nothing is buffered, so 'end' follows, then autoDestroy releases the source
    };
    // A response closed before the end (the client went away) may never call back again.
    response.once('close', () => {
      if (!this.readableEnded) this.destroy();
    });
    const writeReady = () => {
      for (let chunk = ready.get(nextToWrite); chunk && !this.destroyed; chunk = ready.get(nextToWrite)) {
        ready.delete(nextToWrite);
        nextToWrite += chunk.length;
        const { buffer } = chunk;
        response.write(chunk.length === buffer.length ? buffer : buffer.subarray(0, chunk.length), (error) => {
          inFlight -= 1;
          pacing?.delivered(chunk.length);
          // The socket is done with the bytes either way; reuse the buffer only then.
          giveBack(buffer);
          // A failed write is the response's failure, handled where the response is.
          if (error) this.destroy();
          else if (this.remaining === 0 && inFlight === 0) finish();
          else startReads();
        });
      }
    };
    const startReads = () => {
      for (let next = inFlight < READS_IN_FLIGHT ? this.nextRead() : undefined; next && !this.destroyed; next = inFlight < READS_IN_FLIGHT ? this.nextRead() : undefined) {
        const claimed = next;
        inFlight += 1;
        const buffer = takeBuffer();
        if (pacing?.readOnLoop) {
          if (!this.fillNow(buffer, claimed, pacing)) return;
          ready.set(claimed.at, { buffer, length: claimed.length });
          writeReady();
          continue;
        }
        this.fill(buffer, claimed).then(
          (complete) => {
            if (!complete || this.destroyed) return;
            ready.set(claimed.at, { buffer, length: claimed.length });
            writeReady();
          },
          (error: Error) => this.destroy(error),
        );
      }
      if (this.remaining === 0 && inFlight === 0 && !this.destroyed) finish();
    };
    startReads();
  }
}

/**
 * Hands all of `body` to `consume` chunk by chunk: in reused buffers when it is a PooledBody
 * (see readEach there), so `consume` must be done with each chunk when it returns.
 */
export async function readEach(body: Readable, consume: (chunk: Uint8Array) => void): Promise<void> {
  if (body instanceof PooledBody) return body.readEach(consume);
  for await (const chunk of body) consume(chunk as Uint8Array);
}
