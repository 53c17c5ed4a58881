import { randomBytes } from 'node:crypto';

import { Client } from 'minio';

import { AppendInterruptedError, S3_MIN_PART_SIZE, S3BlobStorage, StorageUnavailableError, UploadTooLargeError, type BlobStorage, type UploadHandle } from '../src';
import { describeStorageContract } from '../src/testing/storage-contract';

function minio() {
  const endpoint = process.env.WHARF_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('WHARF_TEST_S3_ENDPOINT is not set: run through jest --selectProjects integration (its globalSetup starts MinIO)');
  return { endpoint, accessKey: process.env.WHARF_TEST_S3_ACCESS_KEY!, secretKey: process.env.WHARF_TEST_S3_SECRET_KEY! };
}

async function freshStorage(options: Partial<ConstructorParameters<typeof S3BlobStorage>[0]> = {}): Promise<S3BlobStorage> {
  const storage = new S3BlobStorage({ ...minio(), bucket: `contract-${randomBytes(5).toString('hex')}`, region: 'us-east-1', partSize: S3_MIN_PART_SIZE, ...options });
  await storage.ensureBucket();
  return storage;
}

async function* chunksOf(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function readAll(storage: BlobStorage, key: string): Promise<Buffer> {
  const stored: Buffer[] = [];
  for await (const chunk of await storage.read(key)) stored.push(chunk as Buffer);
  return Buffer.concat(stored);
}

/** The parts MinIO holds for the open multipart upload of `key`, by size. */
async function partSizesInMinio(storage: S3BlobStorage, key: string): Promise<number[]> {
  const [open] = await storage.listOpenMultipartUploads(key);
  const { endpoint, accessKey, secretKey } = minio();
  const url = new URL(endpoint);
  const client = new Client({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey, secretKey, region: 'us-east-1' });
  const bucket = (storage as unknown as { options: { bucket: string } }).options.bucket;
  // listParts is protected in the client's types, and the driver never needs it.
  const parts = await (client as unknown as { listParts: (b: string, k: string, id: string) => Promise<{ part: number; size: number }[]> }).listParts(bucket, key, open.uploadId);
  return parts.sort((a, b) => a.part - b.part).map((p) => p.size);
}

/** `failure` kept the first part (and nothing after it): the rest of `data` appended there completes the blob. */
async function expectResumableAfterOnePart(storage: S3BlobStorage, uploadKey: string, failure: unknown, data: Buffer): Promise<void> {
  expect(failure).toBeInstanceOf(AppendInterruptedError);
  const interrupted = failure as AppendInterruptedError;
  expect(interrupted.size).toBe(S3_MIN_PART_SIZE);
  const rest = data.subarray(S3_MIN_PART_SIZE);
  const resumed = await storage.append({ key: uploadKey, state: interrupted.state }, interrupted.size, chunksOf(rest, 256 * 1024), rest.length);
  const key = await storage.completeUpload({ key: uploadKey, state: resumed.state }, resumed.size);
  expect((await readAll(storage, key)).equals(data)).toBe(true);
}

type PutPart = (key: string, bytes: AsyncIterable<Uint8Array>, size: number, query: Record<string, string>, what: string) => Promise<string>;

/**
 * Wraps the storage's part PUTs (real requests to MinIO): `answer` gets each part's number and
 * the request's own answer, and decides when and how the storage sees it.
 */
function interceptParts(storage: S3BlobStorage, answer: (part: number, answered: Promise<string>) => Promise<string>): { log: string[]; maxInFlight: () => number } {
  const target = storage as unknown as { put: PutPart };
  const put = target.put.bind(storage);
  const log: string[] = [];
  let inFlight = 0;
  let max = 0;
  target.put = async (key, bytes, size, query, what) => {
    if (query.partNumber === undefined) return put(key, bytes, size, query, what);
    const part = Number(query.partNumber);
    log.push(`start ${part}`);
    max = Math.max(max, ++inFlight);
    try {
      return await answer(part, put(key, bytes, size, query, what));
    } finally {
      inFlight--;
      log.push(`answer ${part}`);
    }
  };
  return { log, maxInFlight: () => max };
}

/** Resolves when `gate` does, or after `ms` (so that a driver that never opens the gate fails an assertion, not the timeout). */
async function atTheLatest(gate: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([gate, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Intercepts the part PUTs, holding the answer to part `held` until part `held + 1` is on its way (10 s at most, which a loaded machine streams a part in). */
function holdingAnswerOf(storage: S3BlobStorage, held: number): ReturnType<typeof interceptParts> {
  let nextStarted!: () => void;
  const next = new Promise<void>((resolve) => (nextStarted = resolve));
  return interceptParts(storage, async (part, answered) => {
    if (part === held + 1) nextStarted();
    if (part === held) await atTheLatest(next, 10_000);
    return answered;
  });
}

describeStorageContract('s3 (real MinIO)', () => freshStorage(), undefined, { largeSize: S3_MIN_PART_SIZE });

describe('S3BlobStorage on MinIO', () => {
  it('feeds large uploads through one multipart upload and leaves no staging object behind', async () => {
    const storage = await freshStorage();
    const data = randomBytes(S3_MIN_PART_SIZE * 2 + 1000);
    const upload = await storage.beginUpload();
    // Three appends, none ending on a part boundary: tails are parked and picked up again.
    let state = upload.state;
    let offset = 0;
    for (const size of [3_000_000, 4_000_000, data.length - 7_000_000]) {
      const result = await storage.append({ key: upload.key, state }, offset, chunksOf(data.subarray(offset, offset + size), 256 * 1024));
      ({ state } = result);
      offset = result.size;
    }
    expect(await storage.listOpenMultipartUploads(upload.key)).toHaveLength(1);
    const key = await storage.completeUpload({ key: upload.key, state }, offset);
    expect(key).toBe(upload.key);
    expect(await storage.listKeys(upload.key)).toEqual([upload.key]);
    expect(await storage.listOpenMultipartUploads()).toEqual([]);
    expect(await storage.stat(key)).toEqual({ size: data.length });
    expect((await readAll(storage, key)).equals(data)).toBe(true);
  });

  it('streams a body of declared length into its part while it arrives, and loses a cut-off part whole', async () => {
    const storage = await freshStorage();
    const data = randomBytes(S3_MIN_PART_SIZE * 2 + 1000);
    const upload = await storage.beginUpload();
    const seen: number[] = [];
    // The multipart upload is open and its first part on its way before the part's bytes have
    // all arrived (a buffering driver would start it only once it held a whole part).
    async function* watched(): AsyncGenerator<Buffer> {
      for (let i = 0; i < S3_MIN_PART_SIZE + 300_000; i += 100_000) {
        if (i === 200_000) seen.push((await storage.listOpenMultipartUploads(upload.key)).length);
        yield data.subarray(i, Math.min(i + 100_000, S3_MIN_PART_SIZE + 300_000));
      }
      throw new Error('client went away');
    }
    const failure = await storage.append(upload, 0, watched(), data.length).catch((e: unknown) => e);
    expect(seen).toEqual([1]);
    // The first part was acknowledged; the 300,000 bytes of the second went with its request.
    await expectResumableAfterOnePart(storage, upload.key, failure, data);
    expect(await storage.listOpenMultipartUploads()).toEqual([]);
  });

  it('starts the next part while S3 still stores the previous one, two parts in flight at most', async () => {
    const storage = await freshStorage();
    const data = randomBytes(S3_MIN_PART_SIZE * 3 + 1000);
    const parts = holdingAnswerOf(storage, 1);
    const upload = await storage.beginUpload();
    const { size, state } = await storage.append(upload, 0, chunksOf(data, 256 * 1024), data.length);
    // Part 2 starts before part 1 is answered; which of the two MinIO answers first is its own affair.
    expect(parts.log.slice(0, 2)).toEqual(['start 1', 'start 2']);
    expect(parts.maxInFlight()).toBe(2);
    expect(size).toBe(data.length);
    const key = await storage.completeUpload({ key: upload.key, state }, size);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
  });

  it('streams each part of a body of unknown length after the first while it arrives, two in flight at most', async () => {
    const storage = await freshStorage();
    const data = randomBytes(S3_MIN_PART_SIZE * 3 + 1000);
    const parts = holdingAnswerOf(storage, 2);
    const upload = await storage.beginUpload();
    const { size, state } = await storage.append(upload, 0, chunksOf(data, 256 * 1024));
    // Part 1 was gathered and sent whole (the body might have been shorter than a part); parts 2
    // and 3 streamed; part 4 was given up when the body ended 1000 bytes into it.
    expect(parts.log.slice(0, 2)).toEqual(['start 2', 'start 3']);
    expect(parts.log).toContain('start 4');
    expect(parts.maxInFlight()).toBe(2);
    expect(size).toBe(data.length);
    expect(await partSizesInMinio(storage, upload.key)).toEqual([S3_MIN_PART_SIZE, S3_MIN_PART_SIZE, S3_MIN_PART_SIZE]);
    expect(await storage.listKeys(`${upload.key}.tail-`)).toHaveLength(1);
    const key = await storage.completeUpload({ key: upload.key, state }, size);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
  });

  it('keeps the bytes of a part cut off in a body of unknown length as its tail, after the parts acknowledged before it', async () => {
    const storage = await freshStorage();
    const data = randomBytes(S3_MIN_PART_SIZE * 3);
    const cut = 2 * S3_MIN_PART_SIZE + 300_000;
    async function* body(): AsyncGenerator<Buffer> {
      yield* chunksOf(data.subarray(0, cut), 100_000);
      throw new Error('client went away');
    }
    const upload = await storage.beginUpload();
    const failure = await storage.append(upload, 0, body()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppendInterruptedError);
    const interrupted = failure as AppendInterruptedError;
    expect(interrupted.size).toBe(cut);
    expect(await partSizesInMinio(storage, upload.key)).toEqual([S3_MIN_PART_SIZE, S3_MIN_PART_SIZE]);
    const resumed = await storage.append({ key: upload.key, state: interrupted.state }, cut, chunksOf(data.subarray(cut), 256 * 1024));
    const key = await storage.completeUpload({ key: upload.key, state: resumed.state }, resumed.size);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
    expect(await storage.listOpenMultipartUploads()).toEqual([]);
  });

  it('keeps the tail it started from when a body of unknown length breaks off and the new tail cannot be stored', async () => {
    const storage = await freshStorage();
    const data = randomBytes(3000);
    const upload = await storage.beginUpload();
    const first = await storage.append(upload, 0, chunksOf(data.subarray(0, 1000), 500));
    async function* brokenOff(): AsyncGenerator<Buffer> {
      yield data.subarray(1000, 1500);
      throw new Error('client went away');
    }
    const client = (storage as unknown as { client: { putObject: (...args: unknown[]) => Promise<unknown> } }).client;
    const putObject = client.putObject;
    client.putObject = async () => {
      throw new Error('SlowDown');
    };
    const failure = await storage.append({ key: upload.key, state: first.state }, first.size, brokenOff()).catch((e: unknown) => e);
    client.putObject = putObject;
    expect(failure).toBeInstanceOf(AppendInterruptedError);
    const interrupted = failure as AppendInterruptedError;
    expect(interrupted.size).toBe(1000);
    const resumed = await storage.append({ key: upload.key, state: interrupted.state }, 1000, chunksOf(data.subarray(1000), 500));
    const key = await storage.completeUpload({ key: upload.key, state: resumed.state }, resumed.size);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
  });

  it('takes a tail parked under a larger part size in pieces of the current one', async () => {
    const data = randomBytes(2 * S3_MIN_PART_SIZE + 5000);
    const larger = await freshStorage({ partSize: 2 * S3_MIN_PART_SIZE });
    const upload = await larger.beginUpload();
    const first = await larger.append(upload, 0, chunksOf(data.subarray(0, 2 * S3_MIN_PART_SIZE - 1), 256 * 1024));
    // The same bucket, after the part size was lowered.
    const smaller = new S3BlobStorage({ ...(larger as unknown as { options: ConstructorParameters<typeof S3BlobStorage>[0] }).options, partSize: S3_MIN_PART_SIZE });
    const { size, state } = await smaller.append({ key: upload.key, state: first.state }, first.size, chunksOf(data.subarray(first.size), 256 * 1024));
    expect(size).toBe(data.length);
    const key = await smaller.completeUpload({ key: upload.key, state }, size);
    expect((await readAll(smaller, key)).equals(data)).toBe(true);
  });

  it('fails the append when S3 refuses a part, after the part sent behind it has ended', async () => {
    const storage = await freshStorage();
    const data = randomBytes(S3_MIN_PART_SIZE * 3);
    let refused = false;
    const parts = interceptParts(storage, async (part, answered) => {
      await answered;
      if (part !== 1 || refused) return answered;
      refused = true;
      throw new StorageUnavailableError('s3', 'cannot upload part: SlowDown');
    });
    const upload = await storage.beginUpload();
    const failure = await storage.append(upload, 0, chunksOf(data, 256 * 1024), data.length).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    // The second part, already sending, has had its answer too (nothing still reads the body
    // once the append has failed), and no third part was started.
    expect([...parts.log].sort()).toEqual(['answer 1', 'answer 2', 'start 1', 'start 2']);
    // Nothing was recorded, so the client retries from the start, and that append stands alone.
    const { size, state } = await storage.append(upload, 0, chunksOf(data, 256 * 1024), data.length);
    const key = await storage.completeUpload({ key: upload.key, state }, size);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
    expect(await storage.listOpenMultipartUploads()).toEqual([]);
  });

  it('keeps a part S3 acknowledges after the body failed, while the part behind it was sending', async () => {
    const storage = await freshStorage();
    const data = randomBytes(S3_MIN_PART_SIZE * 3);
    let bodyFailed!: () => void;
    const failed = new Promise<void>((resolve) => (bodyFailed = resolve));
    interceptParts(storage, async (part, answered) => {
      // S3 answers for the first part only after the client has gone away.
      if (part === 1) await atTheLatest(failed, 2_000);
      return answered;
    });
    const upload = await storage.beginUpload();
    async function* body(): AsyncGenerator<Buffer> {
      yield* chunksOf(data.subarray(0, S3_MIN_PART_SIZE + 300_000), 100_000);
      bodyFailed();
      throw new Error('client went away');
    }
    const failure = await storage.append(upload, 0, body(), data.length).catch((e: unknown) => e);
    await expectResumableAfterOnePart(storage, upload.key, failure, data);
  });

  it('sends a body of known length as parts of whatever size S3 accepts, so that no tail is parked for the next append or the commit', async () => {
    const partSize = 8 * 1024 * 1024;
    const storage = await freshStorage({ partSize });
    // Chunks of 5 MiB, as a client PATCHing in S3's smallest part size sends them, then a short last one.
    const chunk = S3_MIN_PART_SIZE;
    const data = randomBytes(3 * chunk + 1000);
    const upload = await storage.beginUpload();
    let handle: UploadHandle = upload;
    let size = 0;
    for (const end of [chunk, 2 * chunk, 3 * chunk, data.length]) {
      const piece = data.subarray(size, end);
      const result = await storage.append(handle, size, chunksOf(piece, 256 * 1024), piece.length);
      handle = { key: upload.key, state: result.state };
      size = result.size;
    }
    // The first chunk, shorter than a part, waits in a staging object (it might be the whole
    // blob); the second goes out with it as one part, the third as a part of its own, and only
    // the last 1000 bytes wait for the commit.
    expect(await partSizesInMinio(storage, upload.key)).toEqual([2 * chunk, chunk]);
    expect(await storage.listKeys(`${upload.key}.tail-`)).toHaveLength(2);
    const key = await storage.completeUpload(handle, size);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
  });

  it('sends the bytes short of a part with the last whole part of a body of known length: nothing is left for the commit to read back', async () => {
    const partSize = 8 * 1024 * 1024;
    const storage = await freshStorage({ partSize });
    const data = randomBytes(2 * partSize + 1000);
    const upload = await storage.beginUpload();
    const { size, state } = await storage.append(upload, 0, chunksOf(data, 256 * 1024), data.length);
    expect(await partSizesInMinio(storage, upload.key)).toEqual([partSize, partSize + 1000]);
    expect(await storage.listKeys(`${upload.key}.tail-`)).toEqual([]);
    const key = await storage.completeUpload({ key: upload.key, state }, size);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
  });

  it('doubles the parts of a body of known length every so many parts, so that a big blob fits S3\'s 10,000 parts', async () => {
    // Doubling every 2 parts here (every 1,000 in production, which a test cannot send).
    const storage = await freshStorage({ partLimits: { maxParts: 10_000, partsPerSize: 2 } });
    const data = randomBytes(8 * S3_MIN_PART_SIZE);
    const upload = await storage.beginUpload();
    const { size, state } = await storage.append(upload, 0, chunksOf(data, 1 << 20), data.length);
    // Parts 1-2 of 5 MiB, 3-4 of 10; part 5 would be 20 MiB but takes the 10 left, too few to stand alone.
    expect((await partSizesInMinio(storage, upload.key)).map((bytes) => bytes / S3_MIN_PART_SIZE)).toEqual([1, 1, 2, 2, 2]);
    const key = await storage.completeUpload({ key: upload.key, state }, size);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
  });

  it('refuses an append that would need more parts than S3 takes before sending any of it, and keeps the upload as it was', async () => {
    const storage = await freshStorage({ partLimits: { maxParts: 3, partsPerSize: 1_000 } });
    const data = randomBytes(3 * S3_MIN_PART_SIZE);
    // In one request: a byte more goes with the third part, but a part more is a fourth.
    const fits = await storage.beginUpload();
    const withByte = Buffer.concat([data, Buffer.from('x')]);
    expect((await storage.append(fits, 0, chunksOf(withByte, 1 << 20), withByte.length)).size).toBe(withByte.length);
    const tooMuch = await storage.beginUpload();
    const fourParts = Buffer.concat([data, data.subarray(0, S3_MIN_PART_SIZE)]);
    const refused = await storage.append(tooMuch, 0, chunksOf(fourParts, 1 << 20), fourParts.length).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UploadTooLargeError);
    expect(await storage.listOpenMultipartUploads(tooMuch.key)).toEqual([]);
    // In chunks of a part each: the fourth is refused, and the three before it still complete the blob.
    const upload = await storage.beginUpload();
    let handle: UploadHandle = upload;
    for (let i = 0; i < 3; i++) {
      const chunk = data.subarray(i * S3_MIN_PART_SIZE, (i + 1) * S3_MIN_PART_SIZE);
      handle = { key: upload.key, state: (await storage.append(handle, i * S3_MIN_PART_SIZE, chunksOf(chunk, 1 << 20), chunk.length)).state };
    }
    const fourth = await storage.append(handle, data.length, chunksOf(Buffer.from('x'), 1), 1).catch((e: unknown) => e);
    expect(fourth).toBeInstanceOf(UploadTooLargeError);
    expect(await partSizesInMinio(storage, upload.key)).toEqual([S3_MIN_PART_SIZE, S3_MIN_PART_SIZE, S3_MIN_PART_SIZE]);
    const key = await storage.completeUpload(handle, data.length);
    expect((await readAll(storage, key)).equals(data)).toBe(true);
  });

  it('refuses a body of unknown length once it would need more parts than S3 takes', async () => {
    const storage = await freshStorage({ partLimits: { maxParts: 2, partsPerSize: 1_000 } });
    // Two whole parts fit; one byte more would need a third, as a part or as the tail.
    const fits = await storage.beginUpload();
    const { size, state } = await storage.append(fits, 0, chunksOf(randomBytes(2 * S3_MIN_PART_SIZE), 256 * 1024));
    expect(size).toBe(2 * S3_MIN_PART_SIZE);
    const next = await storage.append({ key: fits.key, state }, size, chunksOf(Buffer.from('x'), 1)).catch((e: unknown) => e);
    expect(next).toBeInstanceOf(UploadTooLargeError);
    const upload = await storage.beginUpload();
    const refused = await storage.append(upload, 0, chunksOf(randomBytes(2 * S3_MIN_PART_SIZE + 1), 256 * 1024)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UploadTooLargeError);
  });

  it('keeps a blob smaller than a part where its bytes already are: no copy at completion', async () => {
    const storage = await freshStorage();
    const upload = await storage.beginUpload();
    const { size, state } = await storage.append(upload, 0, chunksOf(Buffer.from('small blob'), 4));
    const key = await storage.completeUpload({ key: upload.key, state }, size);
    expect(key.startsWith(`${upload.key}.tail-`)).toBe(true);
    expect(await storage.listKeys(upload.key)).toEqual([key]);
    expect(await storage.listOpenMultipartUploads()).toEqual([]);
  });

  it('aborting leaves neither a multipart upload nor a staging object', async () => {
    const storage = await freshStorage();
    const upload = await storage.beginUpload();
    const { state } = await storage.append(upload, 0, chunksOf(randomBytes(S3_MIN_PART_SIZE + 100), 1 << 20));
    await storage.abortUpload({ key: upload.key, state });
    expect(await storage.listOpenMultipartUploads()).toEqual([]);
    expect(await storage.listKeys()).toEqual([]);
  });

  it('presigns GET URLs for the public endpoint when redirects are on', async () => {
    const { endpoint } = minio();
    const storage = await freshStorage({ redirect: { publicEndpoint: endpoint, expirySeconds: 60 } });
    const upload = await storage.beginUpload();
    const { size, state } = await storage.append(upload, 0, chunksOf(Buffer.from('fetch me'), 8));
    const key = await storage.completeUpload({ key: upload.key, state }, size);
    const url = await storage.redirectUrl(key);
    expect(url).toMatch(new RegExp(`^${endpoint}/`));
    expect(url).toContain('X-Amz-Expires=60');
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('fetch me');
  });

  it('streams through the API (no URL) when redirects are off', async () => {
    const storage: BlobStorage = await freshStorage();
    expect(await storage.redirectUrl('blobs/00/anything')).toBeUndefined();
  });

  it('refuses a part size below S3\'s minimum', () => {
    expect(() => new S3BlobStorage({ ...minio(), bucket: 'x', region: 'us-east-1', partSize: 1024 })).toThrow(/at least/);
  });
});

describe('S3BlobStorage after a crash mid-append', () => {
  it('completing aborts a multipart upload that an unrecorded request started', async () => {
    const storage = await freshStorage();
    const upload = await storage.beginUpload();
    // A request that uploaded a part and died before its state reached the database.
    await storage.append(upload, 0, chunksOf(randomBytes(S3_MIN_PART_SIZE + 10), 1 << 20));
    expect(await storage.listOpenMultipartUploads(upload.key)).toHaveLength(1);
    // The retry starts again from the recorded (empty) state.
    const data = randomBytes(S3_MIN_PART_SIZE + 20);
    const { size, state } = await storage.append(upload, 0, chunksOf(data, 1 << 20));
    const key = await storage.completeUpload({ key: upload.key, state }, size);
    expect(await storage.listOpenMultipartUploads()).toEqual([]);
    expect(await storage.listKeys()).toEqual([key]);
    expect(await storage.stat(key)).toEqual({ size: data.length });
  });
});
