import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

import { Client, S3Error } from 'minio';
import { Agent, type Dispatcher } from 'undici';

import type { AppendResult, BlobStorage, DriverState, ObjectInfo, ReadOptions, UploadHandle } from './blob-storage';
import { AppendInterruptedError, InvalidKeyError, InvalidOffsetError, ObjectNotFoundError, StorageUnavailableError, UploadTooLargeError } from './errors';
import { isValidKey, newBlobKey } from './keys';
import { type ObjectAnswer, ObjectBody, type ObjectReads } from './object-reads';
import { SocketObjectReads } from './socket-object-reads';
import { UndiciObjectReads } from './undici-object-reads';

const DRIVER = 's3';
/** S3's smallest part (all but the last part of a multipart upload). */
export const S3_MIN_PART_SIZE = 5 * 1024 * 1024;
/** S3's largest part, and its most parts per multipart upload. */
const S3_MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
export const S3_MAX_PARTS = 10_000;
/**
 * A body of known length doubles its parts' size every this many parts, so that a blob sent
 * with its length fits S3's 10,000 parts up to S3's largest object (5 TiB with 8 MiB parts).
 */
const PARTS_PER_SIZE = 1_000;

/** How many parts an upload may have, and how many of each size a body of known length sends. */
export interface S3PartLimits {
  readonly maxParts: number;
  readonly partsPerSize: number;
}
const S3_PART_LIMITS: S3PartLimits = { maxParts: S3_MAX_PARTS, partsPerSize: PARTS_PER_SIZE };

export interface S3StorageOptions {
  /** e.g. http://127.0.0.1:9000 or https://s3.eu-west-1.amazonaws.com */
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
  /** Bytes per multipart part, at least 5 MiB: the most an upload holds in memory. */
  readonly partSize: number;
  /** When set, blob GETs are redirected to URLs presigned for this endpoint (what clients reach). */
  readonly redirect?: { readonly publicEndpoint: string; readonly expirySeconds: number };
  /** S3's part limits (S3_MAX_PARTS, PARTS_PER_SIZE); lowered only by tests, which cannot send 10,000 parts. */
  readonly partLimits?: S3PartLimits;
}

interface Part {
  readonly part: number;
  readonly etag: string;
  readonly size: number;
}

/**
 * What an upload remembers between requests: the multipart upload and its parts, and the
 * tail (bytes short of a whole part) kept in a staging object until more arrive.
 */
interface S3UploadState {
  readonly uploadId?: string;
  readonly parts: readonly Part[];
  readonly tail?: { readonly key: string; readonly size: number };
}

function stateOf(state: DriverState): S3UploadState {
  const s = state as Partial<S3UploadState>;
  return { parts: s.parts ?? [], ...(s.uploadId ? { uploadId: s.uploadId } : {}), ...(s.tail ? { tail: s.tail } : {}) };
}

const storedSize = (state: S3UploadState) => state.parts.reduce((sum, p) => sum + p.size, 0) + (state.tail?.size ?? 0);

/** Lifetime of the URLs this process signs for its own reads and writes: each is used at once. */
const OWN_URL_TTL_SECONDS = 300;

const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound', 'NoSuchUpload']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

function isNotFound(error: unknown): boolean {
  return error instanceof S3Error && NOT_FOUND_CODES.has(String(error.code));
}

/** Anything that is not "no such object" means the store is unreachable or failing: 503. */
function unavailable(error: unknown, what: string): StorageUnavailableError {
  const code = (error as { code?: string })?.code;
  const reason = code && (NETWORK_CODES.has(code) || error instanceof S3Error) ? code : (error as Error)?.message;
  return new StorageUnavailableError(DRIVER, `${what}: ${reason}`, error);
}

/** The S3 error code in a failed answer's XML document. */
const s3ErrorCode = (text: string) => /<Code>([^<]+)<\/Code>/.exec(text)?.[1];

/** The S3 error code of a failed answer, or its HTTP status. */
async function errorCodeOf(response: Dispatcher.ResponseData): Promise<string> {
  return s3ErrorCode(await response.body.text().catch(() => '')) ?? `HTTP ${response.statusCode}`;
}

/** A fresh staging object for an upload's tail: never the one the database points at. */
const newTailKey = (key: string) => `${key}.tail-${randomBytes(6).toString('hex')}`;

/**
 * Hands a body out chunk by chunk or in pieces of exact sizes (each one an S3 request of a
 * known length), and remembers why the body failed, so that a client's fault is told apart from
 * the store's.
 */
class BodyReader {
  failure: unknown;
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Uint8Array | undefined;

  constructor(body: AsyncIterable<Uint8Array>, prefix?: Uint8Array) {
    this.iterator = body[Symbol.asyncIterator]();
    this.pending = prefix?.byteLength ? prefix : undefined;
  }

  async *take(size: number): AsyncGenerator<Uint8Array> {
    for (let left = size; left > 0; ) {
      const chunk = (await this.chunk()) ?? this.fail(new Error('body is shorter than declared'));
      const piece = chunk.byteLength > left ? chunk.subarray(0, left) : chunk;
      this.putBack(chunk.subarray(piece.byteLength));
      left -= piece.byteLength;
      yield piece;
    }
  }

  /** The body's next chunk that holds bytes (one put back comes first), undefined at its end. */
  async chunk(): Promise<Uint8Array | undefined> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) return pending;
    for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next()) if (chunk.byteLength > 0) return chunk;
    return undefined;
  }

  /** Hands these bytes out again before the body's next chunk (what was read beyond a part). */
  putBack(bytes: Uint8Array | undefined): void {
    if (bytes?.byteLength) this.pending = bytes;
  }

  /** Resolves when the body holds nothing beyond what was taken. */
  async end(): Promise<void> {
    if ((await this.chunk()) !== undefined) this.fail(new Error('body is longer than declared'));
  }

  /** The body's next chunk, undefined at its end. */
  private async next(): Promise<Uint8Array | undefined> {
    try {
      const next = await this.iterator.next();
      return next.done ? undefined : next.value;
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): never {
    this.failure = error;
    throw error;
  }
}

/**
 * How an append of known length cuts its `remaining` bytes (an old tail's included) into parts
 * numbered from `first`: their sizes, and the bytes left over as the tail. Until a multipart
 * upload is open only a whole part starts one; after that, anything S3 takes as a part is one.
 * Each part is a whole part (`partSize`, doubled every `partsPerSize` parts), or all the bytes
 * left where what would remain is too short to be a part. Such a body is streamed, never held
 * in memory, so a part longer or shorter than the rest costs nothing, and no tail is parked
 * only to be read back by the next append or the commit.
 */
function cutIntoParts(remaining: number, first: number, uploadOpen: boolean, partSize: number, partsPerSize: number): { sizes: number[]; tail: number } {
  const sizes: number[] = [];
  for (let number = first; remaining >= (uploadOpen || sizes.length > 0 ? S3_MIN_PART_SIZE : partSize); number++) {
    // With the bytes it may take on, a part stays within S3's largest.
    const whole = Math.min(partSize * 2 ** Math.floor((number - 1) / partsPerSize), S3_MAX_PART_SIZE - S3_MIN_PART_SIZE);
    const size = remaining - whole >= S3_MIN_PART_SIZE ? whole : remaining;
    sizes.push(size);
    remaining -= size;
  }
  return { sizes, tail: remaining };
}

/** One part's bytes, gathered in a buffer that grows by doubling up to a part, so that small blobs take small buffers. */
class PartBuffer {
  filled = 0;
  private buffer: Buffer | undefined;

  constructor(private readonly size: number) {}

  get full(): boolean {
    return this.filled === this.size;
  }

  /** Copies in what fits of `chunk`; returns the rest, if any. */
  add(chunk: Uint8Array): Uint8Array | undefined {
    const n = Math.min(chunk.byteLength, this.size - this.filled);
    if (!this.buffer || this.buffer.length < this.filled + n) {
      const grown = Buffer.allocUnsafe(Math.min(this.size, Math.max(this.filled + n, 2 * (this.buffer?.length ?? 0), 64 * 1024)));
      this.buffer?.copy(grown, 0, 0, this.filled);
      this.buffer = grown;
    }
    this.buffer.set(n === chunk.byteLength ? chunk : chunk.subarray(0, n), this.filled);
    this.filled += n;
    return n < chunk.byteLength ? chunk.subarray(n) : undefined;
  }

  /** The bytes gathered so far (a view, valid until the next add after clear). */
  bytes(): Buffer {
    return (this.buffer ?? Buffer.alloc(0)).subarray(0, this.filled);
  }

  clear(): void {
    this.filled = 0;
  }
}

/**
 * The parts of an append on their way to S3: at most two, one sending and one awaiting its
 * answer. `parts` holds those acknowledged, in order.
 */
class PartsInFlight {
  private awaitingAnswer: Promise<Part> | undefined;
  private sending: Promise<Part> | undefined;

  constructor(readonly parts: Part[]) {}

  /**
   * Sends a part: resolves once its last byte is handed over (`handedOver`) or it is answered,
   * and the part before it is acknowledged.
   */
  async send(part: Promise<Part>, handedOver: Promise<void>): Promise<void> {
    this.sending = part;
    await Promise.race([handedOver, part]);
    if (this.awaitingAnswer) this.parts.push(await this.awaitingAnswer);
    [this.awaitingAnswer, this.sending] = [part, undefined];
  }

  /** Waits for the last part handed over to be acknowledged. */
  async finish(): Promise<void> {
    const last = this.awaitingAnswer;
    this.awaitingAnswer = undefined;
    if (last) this.parts.push(await last);
  }

  /**
   * After a failure: the parts still in flight end one way or the other (a failed body fails its
   * request), and those S3 acknowledged right after the last kept one are kept too.
   */
  async settle(): Promise<void> {
    const pending = [this.awaitingAnswer, this.sending].filter((p) => p !== undefined);
    this.awaitingAnswer = this.sending = undefined;
    for (const part of await Promise.allSettled(pending)) {
      if (part.status === 'rejected' || part.value.part !== this.parts.length + 1) break;
      this.parts.push(part.value);
    }
  }
}

/** Passes `chunks` through and calls `taken` once the last one has been taken. */
async function* whenTaken(chunks: AsyncIterable<Uint8Array>, taken: () => void): AsyncGenerator<Uint8Array> {
  yield* chunks;
  taken();
}

function urlParts(endpoint: string): { endPoint: string; port: number; useSSL: boolean } {
  const url = new URL(endpoint);
  const useSSL = url.protocol === 'https:';
  return { endPoint: url.hostname, port: url.port ? Number(url.port) : useSSL ? 443 : 80, useSSL };
}

/**
 * Blobs in S3 or MinIO. An upload is a multipart upload under its key, fed one part at a
 * time, so memory per upload is bounded by one part whatever the blob size. Bytes short of
 * a part (a body of unknown length is cut into whole parts; one of known length only leaves
 * bytes short of S3's smallest part) are parked in a staging object, the tail; the next
 * append (on any process) reads it back first. A blob smaller than one part never starts a
 * multipart upload: its staging object becomes the blob, so completing never copies.
 * S3 takes at most 10,000 parts per upload: a body of known length grows its parts as it goes
 * (cutIntoParts), while one of unknown length holds its part in memory and keeps it at the part
 * size (10,000 of them are 78 GiB at 8 MiB), and a client's chunks are a part each. An append
 * that would need more parts is refused, before S3 refuses its part.
 */
export class S3BlobStorage implements BlobStorage {
  readonly kind = DRIVER;
  readonly minChunkLength = S3_MIN_PART_SIZE;
  private readonly client: Client;
  private readonly presigner: Client | undefined;
  /**
   * Parts are sent (and, over TLS, objects read) through undici, over URLs the client signs
   * locally: it moves a body at about twice the rate of the client's own http.request (B4 in
   * docs/benchmarks.md). Either end may pause a body (backpressure) for as long as it likes:
   * no body timeout.
   */
  private readonly http = new Agent({ headersTimeout: 60_000, bodyTimeout: 0 });
  /** Object GETs: read by the kernel straight into the read buffers over plain http, through undici over TLS. */
  private readonly objectReads: ObjectReads;

  /** `readsVia` pins how object GETs are made (for tests of either); by default, by the endpoint's scheme. */
  constructor(
    private readonly options: S3StorageOptions,
    readsVia?: 'socket' | 'undici',
  ) {
    const endpoint = urlParts(options.endpoint);
    this.objectReads = (readsVia ?? (endpoint.useSSL ? 'undici' : 'socket')) === 'socket' ? new SocketObjectReads(endpoint.endPoint.replace(/^\[(.*)\]$/, '$1'), endpoint.port) : new UndiciObjectReads(this.http);
    if (options.partSize < S3_MIN_PART_SIZE) throw new Error(`S3 part size must be at least ${S3_MIN_PART_SIZE} bytes`);
    const credentials = { accessKey: options.accessKey, secretKey: options.secretKey, region: options.region };
    this.client = new Client({ ...endpoint, ...credentials });
    // Over plain http the client would SHA-256 every part to sign it: a second hash of every
    // byte (the digest is already computed as bytes arrive). Sign headers only, as it does
    // over https.
    this.client.enableSHA256 = false;
    // Presigning is a local computation; with the region given, the client makes no request.
    this.presigner = options.redirect ? new Client({ ...urlParts(options.redirect.publicEndpoint), ...credentials }) : undefined;
  }

  private get bucket(): string {
    return this.options.bucket;
  }

  private check(key: string): string {
    if (!isValidKey(key)) throw new InvalidKeyError(DRIVER, key);
    return key;
  }

  private get partLimits(): S3PartLimits {
    return this.options.partLimits ?? S3_PART_LIMITS;
  }

  /** An upload that would need part `number` is refused, with S3's own limit named, before S3 refuses its part. */
  private checkPartNumber(number: number): void {
    const { maxParts } = this.partLimits;
    if (number > maxParts) throw new UploadTooLargeError(DRIVER, `an upload is at most ${maxParts} parts; this one would need part ${number}`);
  }

  /** Creates the bucket when it does not exist yet. */
  async ensureBucket(): Promise<void> {
    try {
      if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket, this.options.region);
    } catch (error) {
      if (error instanceof S3Error && (error.code === 'BucketAlreadyOwnedByYou' || error.code === 'BucketAlreadyExists')) return;
      throw unavailable(error, `cannot reach bucket ${this.bucket}`);
    }
  }

  /** For readiness checks: throws StorageUnavailableError when the bucket cannot be reached. */
  async ping(): Promise<void> {
    try {
      if (!(await this.client.bucketExists(this.bucket))) throw new Error(`bucket ${this.bucket} does not exist`);
    } catch (error) {
      throw unavailable(error, `cannot reach bucket ${this.bucket}`);
    }
  }

  async beginUpload(): Promise<UploadHandle> {
    return { key: newBlobKey(), state: { parts: [] } };
  }

  async append(upload: UploadHandle, offset: number, body: AsyncIterable<Uint8Array>, length?: number): Promise<AppendResult> {
    const key = this.check(upload.key);
    const start = stateOf(upload.state);
    if (storedSize(start) !== offset) throw new InvalidOffsetError(DRIVER, offset, storedSize(start));
    if (length === 0) {
      // Nothing to store (and the tail stays where it is), as long as the body is empty indeed.
      try {
        await new BodyReader(body).end();
      } catch (error) {
        throw new AppendInterruptedError(DRIVER, offset, upload.state, error);
      }
      return { size: offset, state: upload.state };
    }
    return length === undefined ? this.appendUnsized(key, start, body) : this.appendStreamed(key, start, body, length);
  }

  /**
   * A body of unknown length. Its first part is gathered in memory, so that a body shorter than a
   * part starts no multipart upload, and sent. Each later part streams to S3 as its bytes arrive
   * (S3 is told a whole part's length) and is copied into the same buffer as it passes: where the
   * body ends inside a part, that part's request is given up and its bytes are parked as the tail.
   * An upload holds one part in memory, and after the first part receiving overlaps sending, with
   * at most two parts in flight as for a body of known length.
   */
  private async appendUnsized(key: string, start: S3UploadState, body: AsyncIterable<Uint8Array>): Promise<AppendResult> {
    const partSize = this.options.partSize;
    const source = new BodyReader(body);
    const inFlight = new PartsInFlight([...start.parts]);
    const parts = inFlight.parts;
    let uploadId = start.uploadId;
    const current = (): S3UploadState => ({ ...(uploadId ? { uploadId } : {}), parts });
    // The part being gathered or sent; parked as the tail where the body ends (or breaks off) inside it.
    const part = new PartBuffer(partSize);
    let number = parts.length + 1;
    let endedInsidePart = false;
    const parkTail = async (): Promise<S3UploadState> => {
      if (part.filled === 0) return current();
      const tailKey = newTailKey(key);
      await this.call(() => this.client.putObject(this.bucket, tailKey, part.bytes(), part.filled), 'cannot store upload tail');
      return { ...current(), tail: { key: tailKey, size: part.filled } };
    };
    const result = (state: S3UploadState): AppendResult => ({ size: storedSize(state), state: state as unknown as DriverState });
    try {
      // A tail is shorter than a part, unless the part size was lowered since it was parked.
      if (start.tail) source.putBack(part.add(await this.readFully(start.tail.key, start.tail.size)));
      while (!part.full) {
        const chunk = await source.chunk();
        if (!chunk) return result(await parkTail());
        // With a multipart upload open, these bytes become part `number`, as a part or as the tail.
        if (uploadId) this.checkPartNumber(number);
        source.putBack(part.add(chunk));
      }
      const id = (uploadId ??= await this.call(() => this.client.initiateNewMultipartUpload(this.bucket, key, {}), 'cannot start multipart upload'));
      const { etag } = await this.call(() => this.client.uploadPart({ bucketName: this.bucket, objectName: key, uploadID: id, partNumber: number, headers: {} }, part.bytes()), 'cannot upload part');
      parts.push({ part: number, etag, size: partSize });
      for (number++; ; number++) {
        part.clear();
        const first = await source.chunk();
        if (!first) break;
        this.checkPartNumber(number);
        source.putBack(first);
        const partNumber = number;
        let handOver!: () => void;
        const handedOver = new Promise<void>((resolve) => (handOver = resolve));
        const copied = async function* (): AsyncGenerator<Uint8Array> {
          while (!part.full) {
            const chunk = await source.chunk();
            if (!chunk) {
              endedInsidePart = true;
              throw new Error('the body ended inside this part');
            }
            const rest = part.add(chunk);
            source.putBack(rest);
            yield rest ? chunk.subarray(0, chunk.byteLength - rest.byteLength) : chunk;
          }
          handOver();
        };
        await inFlight.send(this.put(key, copied(), partSize, { partNumber: String(partNumber), uploadId: id }, 'cannot upload part').then((etag) => ({ part: partNumber, etag, size: partSize })), handedOver);
      }
      await inFlight.finish();
      return result(current());
    } catch (error) {
      if (endedInsidePart) {
        // The part the body ended inside was given up on purpose; the one before it must stand.
        await inFlight.finish();
        return result(await parkTail());
      }
      await inFlight.settle();
      if (source.failure === undefined) throw error;
      // The client went away: keep what arrived so that the upload can resume there, as long as
      // every part before the one cut off was acknowledged. Until a new part holds them, the old
      // tail's bytes are still in its staging object.
      let kept = parts.length > start.parts.length ? current() : start;
      if (parts.length === number - 1) kept = await parkTail().catch(() => kept);
      throw new AppendInterruptedError(DRIVER, storedSize(kept), kept as unknown as DriverState, source.failure);
    }
  }

  /**
   * A body of known length: each part streams from the request to S3 as its bytes arrive, so
   * an upload holds no part in memory and receiving overlaps sending. The next part starts as
   * soon as the last byte of the previous one is handed over, while S3 still stores it: at most
   * two parts are in flight, one sending and one awaiting its answer. A part the client cuts off
   * is lost whole; the upload resumes after the last of the parts S3 acknowledged in a row.
   */
  private async appendStreamed(key: string, start: S3UploadState, body: AsyncIterable<Uint8Array>, length: number): Promise<AppendResult> {
    const first = start.parts.length + 1;
    // An upload shorter than a part stays a staging object, which completes into the blob.
    const cut = cutIntoParts((start.tail?.size ?? 0) + length, first, start.uploadId !== undefined, this.options.partSize, this.partLimits.partsPerSize);
    // The last part the upload then needs, counting the tail, which completes as one once a
    // multipart upload is open: refused before a byte is sent.
    const tailIsPart = cut.tail > 0 && (start.uploadId !== undefined || cut.sizes.length > 0);
    this.checkPartNumber(first + cut.sizes.length - 1 + (tailIsPart ? 1 : 0));
    const source = new BodyReader(body, start.tail ? await this.readFully(start.tail.key, start.tail.size) : undefined);
    let uploadId = start.uploadId;
    const inFlight = new PartsInFlight([...start.parts]);
    const parts = inFlight.parts;
    try {
      for (const [index, size] of cut.sizes.entries()) {
        uploadId ??= await this.call(() => this.client.initiateNewMultipartUpload(this.bucket, key, {}), 'cannot start multipart upload');
        const id = uploadId;
        const number = first + index;
        let handOver!: () => void;
        const handedOver = new Promise<void>((resolve) => (handOver = resolve));
        await inFlight.send(this.put(key, whenTaken(source.take(size), handOver), size, { partNumber: String(number), uploadId: id }, 'cannot upload part').then((etag) => ({ part: number, etag, size })), handedOver);
      }
      await inFlight.finish();
      const tail = cut.tail > 0 ? { key: newTailKey(key), size: cut.tail } : undefined;
      if (tail) await this.put(tail.key, source.take(tail.size), tail.size, {}, 'cannot store upload tail');
      await source.end();
      const state: S3UploadState = { ...(uploadId ? { uploadId } : {}), parts, ...(tail ? { tail } : {}) };
      return { size: storedSize(state), state: state as unknown as DriverState };
    } catch (error) {
      await inFlight.settle();
      if (source.failure === undefined) throw error;
      // Until a new part holds them, the old tail's bytes are still in its staging object.
      const kept: S3UploadState = parts.length > start.parts.length ? { ...(uploadId ? { uploadId } : {}), parts } : start;
      throw new AppendInterruptedError(DRIVER, storedSize(kept), kept as unknown as DriverState, source.failure);
    }
  }

  async completeUpload(upload: UploadHandle, size: number): Promise<string> {
    const key = this.check(upload.key);
    const state = stateOf(upload.state);
    if (storedSize(state) !== size) throw new InvalidOffsetError(DRIVER, size, storedSize(state));
    if (!state.uploadId) {
      // Smaller than one part: the staging object already is the blob.
      if (state.tail) {
        await this.removeLeftovers(key, state.tail.key);
        return state.tail.key;
      }
      await this.call(() => this.client.putObject(this.bucket, key, Buffer.alloc(0), 0), 'cannot store empty blob');
      return key;
    }
    const uploadId = state.uploadId;
    // Completed already, by a request whose commit then failed (database down): the multipart
    // upload is gone and its tail deleted, but the object under this upload's own key is whole.
    if ((await this.stat(key))?.size === size) {
      await this.removeLeftovers(key);
      return key;
    }
    const parts = [...state.parts];
    if (state.tail) {
      const tail = await this.readFully(state.tail.key, state.tail.size);
      const number = parts.length + 1;
      const { etag } = await this.call(() => this.client.uploadPart({ bucketName: this.bucket, objectName: key, uploadID: uploadId, partNumber: number, headers: {} }, tail), 'cannot upload last part');
      parts.push({ part: number, etag, size: tail.length });
    }
    await this.call(() => this.client.completeMultipartUpload(this.bucket, key, uploadId, parts.map(({ part, etag }) => ({ part, etag }))), 'cannot complete multipart upload');
    await this.removeLeftovers(key);
    return key;
  }

  async abortUpload(upload: UploadHandle): Promise<void> {
    const key = this.check(upload.key);
    await this.removeLeftovers(key);
    await this.delete(key);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    this.check(key);
    try {
      const info = await this.client.statObject(this.bucket, key);
      return { size: info.size };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw unavailable(error, 'cannot stat object');
    }
  }

  async read(key: string, options: ReadOptions = {}): Promise<Readable> {
    this.check(key);
    const start = options.start ?? 0;
    if (options.end !== undefined && options.end < start) return Readable.from([]);
    const range = options.end !== undefined ? `bytes=${start}-${options.end}` : start > 0 ? `bytes=${start}-` : undefined;
    let answer: ObjectAnswer;
    try {
      const url = new URL(await this.client.presignedGetObject(this.bucket, key, OWN_URL_TTL_SECONDS));
      answer = await this.objectReads.get(url, range ? { range } : {});
    } catch (error) {
      throw unavailable(error, 'cannot read object');
    }
    if ('body' in answer) {
      const length = Number(answer.headers['content-length']);
      if (!Number.isSafeInteger(length)) {
        answer.body.close();
        throw new StorageUnavailableError(DRIVER, 'cannot read object: the answer has no Content-Length');
      }
      return new ObjectBody(answer.body, start, start + length - 1);
    }
    const code = s3ErrorCode(answer.errorText) ?? `HTTP ${answer.statusCode}`;
    if (answer.statusCode === 404 || NOT_FOUND_CODES.has(code)) throw new ObjectNotFoundError(DRIVER, key);
    throw new StorageUnavailableError(DRIVER, `cannot read object: ${code}`);
  }

  /**
   * Streams exactly `size` bytes into an object, or a part of one (`query`); returns its ETag.
   * undici sends async iterables as they are, awaiting the socket between chunks (its types
   * name only Readable).
   */
  private async put(key: string, bytes: AsyncIterable<Uint8Array>, size: number, query: Record<string, string>, what: string): Promise<string> {
    let response: Dispatcher.ResponseData;
    try {
      const url = new URL(await this.client.presignedUrl('PUT', this.bucket, key, OWN_URL_TTL_SECONDS, query));
      response = await this.http.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'PUT', headers: { 'content-length': String(size) }, body: bytes as Readable });
    } catch (error) {
      throw unavailable(error, what);
    }
    if (response.statusCode !== 200) throw new StorageUnavailableError(DRIVER, `${what}: ${await errorCodeOf(response)}`);
    await response.body.dump();
    const etag = response.headers.etag;
    if (typeof etag !== 'string') throw new StorageUnavailableError(DRIVER, `${what}: the answer has no ETag`);
    return etag.replaceAll('"', '');
  }

  async delete(key: string): Promise<void> {
    this.check(key);
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (error) {
      if (!isNotFound(error)) throw unavailable(error, 'cannot delete object');
    }
  }

  async redirectUrl(key: string): Promise<string | undefined> {
    if (!this.presigner || !this.options.redirect) return undefined;
    return this.presigner.presignedGetObject(this.bucket, this.check(key), this.options.redirect.expirySeconds);
  }

  /** Every object in the bucket (for consistency checks and tests). */
  async listKeys(prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    try {
      for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) if (item.name) keys.push(item.name);
    } catch (error) {
      throw unavailable(error, 'cannot list objects');
    }
    return keys;
  }

  /** Multipart uploads still open (for consistency checks and tests). */
  async listOpenMultipartUploads(prefix = ''): Promise<{ key: string; uploadId: string }[]> {
    const uploads: { key: string; uploadId: string }[] = [];
    try {
      for await (const item of this.client.listIncompleteUploads(this.bucket, prefix, true)) uploads.push({ key: item.key, uploadId: item.uploadId });
    } catch (error) {
      throw unavailable(error, 'cannot list multipart uploads');
    }
    return uploads;
  }

  private async readFully(key: string, size: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.read(key)) chunks.push(chunk as Buffer);
    const data = Buffer.concat(chunks);
    if (data.length !== size) throw new StorageUnavailableError(DRIVER, `staging object ${key} holds ${data.length} bytes, expected ${size}`);
    return data;
  }

  /**
   * What requests that were never recorded (a process killed mid-append, a lost response)
   * may have left of an upload: open multipart uploads of its key and staging objects other
   * than `keep`.
   */
  private async removeLeftovers(key: string, keep?: string): Promise<void> {
    for (const open of await this.listOpenMultipartUploads(key)) {
      if (open.key !== key) continue;
      try {
        await this.client.abortMultipartUpload(this.bucket, key, open.uploadId);
      } catch (error) {
        if (!isNotFound(error)) throw unavailable(error, 'cannot abort multipart upload');
      }
    }
    for (const tail of await this.listKeys(`${key}.tail-`)) if (tail !== keep) await this.delete(tail);
  }

  private async call<T>(operation: () => Promise<T>, what: string): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw unavailable(error, what);
    }
  }
}
