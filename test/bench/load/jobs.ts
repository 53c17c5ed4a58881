// What the harness asks of the load process, and what it answers. Every job that talks to
// a server runs in the load process (load/worker.ts), never in the harness or a server.

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';

export interface RequestSpec {
  readonly method: Method;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Requests at a fixed concurrency for a duration, or until `count` requests were sent. */
export interface RateJob {
  readonly kind: 'rate';
  readonly origin: string;
  /** Sent in turn, round-robin. */
  readonly requests: readonly RequestSpec[];
  readonly connections: number;
  readonly durationMs?: number;
  readonly count?: number;
  readonly expectStatus: readonly number[];
}
export interface RateResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  /** Latency percentiles in ms. */
  readonly p50: number;
  readonly p99: number;
}

/**
 * Blob pushes, all at once (one connection each). `monolithic`: POST, then PUT ?digest= with
 * the body. `streamed`: POST, one PATCH with the whole body, PUT ?digest= — what docker and
 * skopeo do. Bodies of up to 512 MiB in all are made, and hashed, before the clock starts;
 * bigger ones are generated and hashed while they are sent, so they cannot go monolithic.
 */
export interface PushJob {
  readonly kind: 'push';
  readonly origin: string;
  readonly repository: string;
  readonly authorization: string;
  readonly blobs: readonly { readonly seed: string }[];
  readonly size: number;
  /**
   * monolithic: POST + PUT ?digest= with the body; streamed: POST, one PATCH declaring its
   * Content-Length, PUT ?digest=; lengthless: the same PATCH without Content-Length (chunked
   * transfer encoding), as docker sends its layers.
   */
  readonly mode: 'monolithic' | 'streamed' | 'lengthless';
}
export interface PushResult {
  readonly seconds: number;
  readonly each: readonly number[];
}

/**
 * A chunked upload (POST, PATCHes of `chunkSize` with Content-Range, PUT ?digest=). With
 * `stopAfterChunks` it stops there and answers a handle; a later job with `resume` asks the
 * server where the upload stands and finishes it.
 */
export interface ChunkedJob {
  readonly kind: 'chunked';
  readonly origin: string;
  readonly repository: string;
  readonly authorization: string;
  readonly seed: string;
  readonly size: number;
  readonly chunkSize: number;
  readonly stopAfterChunks?: number;
  readonly resume?: string;
}
export interface ChunkedResult {
  readonly seconds: number;
  readonly handle?: string;
  readonly digest?: string;
}

/** One blob GET, following a redirect without the Authorization header. */
export interface PullJob {
  readonly kind: 'pull';
  readonly url: string;
  readonly authorization?: string;
  readonly expectSize: number;
  readonly hash?: boolean;
}
export interface PullResult {
  readonly seconds: number;
  readonly ttfbMs: number;
  readonly redirected: boolean;
}

/** Small images pushed at once: config and layer blobs (POST + PUT), then the manifest. */
export interface ImagesJob {
  readonly kind: 'images';
  readonly origin: string;
  readonly authorization: string;
  readonly repositories: readonly string[];
  readonly tag: string;
  readonly seed: string;
  readonly configSize: number;
  readonly layerSize: number;
}
export interface ImagesResult {
  readonly seconds: number;
  readonly each: readonly number[];
}

/**
 * Seeding: for i in [0, count), the `steps` in order (`{i}` in a path is i, zero-padded to
 * 5 digits), `concurrency` indexes at a time; index i uses authorizations[floor(i / groupSize)].
 */
export interface BatchJob {
  readonly kind: 'batch';
  readonly origin: string;
  readonly count: number;
  readonly steps: readonly (RequestSpec & { readonly expectStatus: readonly number[] })[];
  readonly authorizations: readonly string[];
  readonly groupSize: number;
  readonly concurrency: number;
}
export interface BatchResult {
  readonly seconds: number;
}

/** GET of a list (tags or catalog), following Link rel="next" when `follow`; `repeat` times. */
export interface WalkJob {
  readonly kind: 'walk';
  readonly origin: string;
  readonly path: string;
  readonly authorization: string;
  readonly follow: boolean;
  readonly repeat: number;
}
export interface WalkRun {
  readonly firstMs: number;
  readonly totalMs: number;
  readonly pages: number;
  readonly items: number;
}
export interface WalkResult {
  readonly runs: readonly WalkRun[];
}

/** `@after` and `@limit` in params stand for the keyset bound and the page size. */
export type PgParam = string | number | boolean | null | readonly string[] | '@after' | '@limit';

/** A keyset query from a PostgreSQL client: one page, or every page when `all`. */
export interface PgPagesJob {
  readonly kind: 'pgPages';
  readonly url: string;
  readonly sql: string;
  readonly params: readonly PgParam[];
  readonly limit: number | null;
  readonly after: string | null;
  readonly all: boolean;
  readonly repeat: number;
}

/** One query after another on one connection, for a duration. */
export interface PgRateJob {
  readonly kind: 'pgRate';
  readonly url: string;
  readonly sql: string;
  readonly params: readonly PgParam[];
  readonly durationMs: number;
}

/** node:crypto SHA-256 over `size` bytes already in memory. */
export interface HashRateJob {
  readonly kind: 'hashRate';
  readonly size: number;
}

/** ES256 JWT signatures with jose, as a token service makes them, one after another. */
export interface SignRateJob {
  readonly kind: 'signRate';
  readonly durationMs: number;
}

/** argon2id verifications with Wharf's parameters, `concurrency` at a time. */
export interface Argon2RateJob {
  readonly kind: 'argon2Rate';
  readonly count: number;
  readonly concurrency: number;
}

export interface DigestJob {
  readonly kind: 'digest';
  readonly seed: string;
  readonly size: number;
}

/** A raw PUT of a generated body to a URL (a presigned S3 URL). */
export interface PutUrlJob {
  readonly kind: 'putUrl';
  readonly url: string;
  readonly seed: string;
  readonly size: number;
}

/** Reads and hashes the first `bytes` of a file. */
export interface HashFileJob {
  readonly kind: 'hashFile';
  readonly path: string;
  readonly bytes: number;
}

export interface Jobs {
  rate: [RateJob, RateResult];
  push: [PushJob, PushResult];
  chunked: [ChunkedJob, ChunkedResult];
  pull: [PullJob, PullResult];
  images: [ImagesJob, ImagesResult];
  batch: [BatchJob, BatchResult];
  walk: [WalkJob, WalkResult];
  pgPages: [PgPagesJob, WalkResult];
  pgRate: [PgRateJob, RateResult];
  hashRate: [HashRateJob, { readonly mbps: number }];
  signRate: [SignRateJob, { readonly rps: number }];
  argon2Rate: [Argon2RateJob, { readonly rps: number }];
  digest: [DigestJob, { readonly digest: string }];
  putUrl: [PutUrlJob, { readonly seconds: number }];
  hashFile: [HashFileJob, { readonly seconds: number }];
}

export type Job = { [K in keyof Jobs]: Jobs[K][0] }[keyof Jobs];

export type Reply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: string };
