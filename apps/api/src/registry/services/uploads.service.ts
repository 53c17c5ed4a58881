import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { BlobsRepository, RepositoriesRepository, Sql, UploadsRepository, type StoredBlob, type UploadSession } from '@wharf/db';
import { createDigester, OciError, OciErrorCode, parseDigest, type ByteRange, type Digest, type DigestAlgorithm } from '@wharf/oci';
import { AppendInterruptedError, InvalidOffsetError, readEach, UploadTooLargeError, type BlobStorage, type UploadHandle } from '@wharf/storage';

import { ManifestCache } from '../../database/manifest-cache';
import { BLOB_STORAGE } from '../../storage/storage.module';
import { UploadClaim } from './upload-claim';
import { UploadDigesters } from './upload-digesters';

/** What the client declared about a chunk: its Content-Range and/or Content-Length. */
export interface ChunkDeclaration {
  readonly range?: ByteRange;
  readonly length?: number;
}

export type Body = AsyncIterable<Uint8Array>;

const handleOf = (session: UploadSession): UploadHandle => ({ key: session.storageKey, state: session.driverState });

/** The digest the session was stored with, if it is in `algorithm` (another process hashed all its bytes). */
const storedDigestIn = (session: UploadSession, algorithm: DigestAlgorithm) => (session.storedDigest?.startsWith(`${algorithm}:`) ? session.storedDigest : undefined);

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const uploadUnknown = () => new OciError(OciErrorCode.BlobUploadUnknown);

/**
 * Blob upload sessions: start, append (streamed or chunked), complete with digest
 * verification, status and cancel. Bytes always reach storage before any row that makes
 * them visible, and a blob becomes visible only in the transaction that links it.
 */
@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);

  constructor(
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    @Inject(Sql) private readonly sql: Sql,
    @Inject(UploadsRepository) private readonly uploads: UploadsRepository,
    @Inject(RepositoriesRepository) private readonly repositories: RepositoriesRepository,
    @Inject(BlobsRepository) private readonly blobs: BlobsRepository,
    @Inject(UploadDigesters) private readonly digesters: UploadDigesters,
    @Inject(ManifestCache) private readonly notices: ManifestCache,
  ) {}

  private newClaim(): UploadClaim {
    return new UploadClaim(this.uploads, () => this.notices.sessionPid);
  }

  /** The chunk size to ask clients for (OCI-Chunk-Min-Length), when the store has a smallest one it takes as it is. */
  get minChunkLength(): number | undefined {
    return this.storage.minChunkLength;
  }

  /** Opens a session that only `owner` (a principal key) may use; `claim` holds it from the start. */
  async start(repository: string, owner: string, algorithm: DigestAlgorithm = 'sha256', claim?: UploadClaim): Promise<UploadSession> {
    const repositoryId = await this.repositories.ensure(repository);
    const handle = await this.storage.beginUpload();
    const session = { id: randomUUID(), repositoryId, storageKey: handle.key, driverState: handle.state, owner };
    try {
      await this.uploads.create(session, claim?.record);
    } catch (error) {
      await this.storage.abortUpload(handle).catch(() => undefined);
      throw error;
    }
    this.digesters.start(session.id, algorithm);
    return { ...session, size: 0, storedDigest: undefined, hashState: undefined, createdAt: new Date() };
  }

  /** Links `digest` from repository `from` when it holds it; undefined means "upload it". */
  async mount(repository: string, from: string, digest: string): Promise<StoredBlob | undefined> {
    const repositoryId = await this.repositories.ensure(repository);
    return this.blobs.mount(repositoryId, from, digest);
  }

  async status(repository: string, uploadId: string, owner: string): Promise<UploadSession> {
    return this.find(repository, uploadId, owner);
  }

  /** Appends one chunk (or the whole streamed blob); returns the stored size. */
  async append(repository: string, uploadId: string, owner: string, body: Body, declared: ChunkDeclaration): Promise<number> {
    return this.claimed(repository, uploadId, owner, async (session, claim) => (await this.write(session, claim, body, declared, { release: true })).size);
  }

  /**
   * Closes an upload: appends the optional last chunk, verifies the digest over every byte,
   * then makes the blob visible in this repository.
   */
  async complete(repository: string, uploadId: string, owner: string, digest: string | undefined, body: Body | undefined, declared: ChunkDeclaration): Promise<Digest> {
    return this.claimed(repository, uploadId, owner, async (claimed, claim) => {
      if (digest === undefined || digest === '') throw new OciError(OciErrorCode.DigestInvalid, 'digest parameter is required');
      const expected = parseDigest(digest);
      const session = body ? await this.write(claimed, claim, body, declared, { release: false }) : claimed;
      return this.commit(session, claim, expected);
    });
  }

  /** A whole blob in one request (POST ?digest=). */
  async uploadMonolithic(repository: string, owner: string, digest: string, body: Body, declared: ChunkDeclaration): Promise<Digest> {
    const expected = parseDigest(digest);
    const claim = this.newClaim();
    const session = await this.start(repository, owner, expected.algorithm, claim);
    claim.keep(session.id);
    try {
      return await this.commit(await this.write(session, claim, body, declared, { release: false }), claim, expected);
    } catch (error) {
      await this.discard(session);
      throw error;
    } finally {
      claim.stop();
    }
  }

  async cancel(repository: string, uploadId: string, owner: string): Promise<void> {
    const session = await this.find(repository, uploadId, owner);
    await this.discard(session);
  }

  /** Removes sessions idle since before `cutoff`; returns how many. */
  async purgeIdle(cutoff: Date): Promise<number> {
    let purged = 0;
    for (;;) {
      const idle = await this.uploads.listIdle(cutoff, 100);
      for (const session of idle) {
        await this.discard(session);
        purged += 1;
      }
      if (idle.length < 100) return purged;
    }
  }

  /** Another principal's session is answered exactly like a session that does not exist. */
  private async find(repository: string, uploadId: string, owner: string): Promise<UploadSession> {
    if (!UPLOAD_ID.test(uploadId)) throw uploadUnknown();
    const session = await this.uploads.find(repository, uploadId);
    if (!session || session.owner !== owner) throw uploadUnknown();
    return session;
  }

  /**
   * Runs `work` on the session while this request alone may write to it (see UploadClaim).
   * A session another request is writing to is refused with 416, as a chunk that came too
   * early; the claim ends with `work` unless the work ended it (or the session).
   */
  private async claimed<T>(repository: string, uploadId: string, owner: string, work: (session: UploadSession, claim: UploadClaim) => Promise<T>): Promise<T> {
    const claim = this.newClaim();
    const session = UPLOAD_ID.test(uploadId) ? await this.uploads.claim(repository, uploadId, owner, claim.record) : undefined;
    if (!session) {
      await this.find(repository, uploadId, owner);
      throw new OciError(OciErrorCode.RangeInvalid, 'another request is writing to this upload');
    }
    claim.keep(session.id);
    try {
      return await work(session, claim);
    } catch (error) {
      await claim.release(session.id);
      throw error;
    } finally {
      claim.stop();
    }
  }

  /**
   * Appends a body under `claim`; returns the session as stored afterwards (size and driver
   * state). With `release`, the claim ends with the new offset.
   */
  private async write(session: UploadSession, claim: UploadClaim, body: Body, declared: ChunkDeclaration, { release }: { release: boolean }): Promise<UploadSession> {
    const { range, length } = declared;
    if (range && range.start !== session.size) {
      throw new OciError(OciErrorCode.RangeInvalid, `chunk must start at byte ${session.size}`, { expected: session.size, got: range.start });
    }
    const expectedLength = range ? range.end - range.start + 1 : length;
    if (range && length !== undefined && length !== expectedLength) {
      throw new OciError(OciErrorCode.SizeInvalid, 'Content-Length does not match Content-Range');
    }
    const hash = this.digesters.forBody(session.id, session.size, {
      read: async () => this.storage.readUpload?.(handleOf(session), session.size),
      hashState: session.hashState,
      // A chunk, to a store that cannot read it back: its hash state is saved with it, so
      // whichever process takes the next chunk, or the commit, need not re-read the upload.
      savable: range !== undefined && this.storage.readUpload === undefined,
    });
    let received = 0;
    const counted = async function* (): AsyncGenerator<Uint8Array> {
      for await (const chunk of body) {
        claim.check();
        received += chunk.byteLength;
        if (expectedLength !== undefined && received > expectedLength) throw new OciError(OciErrorCode.SizeInvalid, 'body is longer than declared');
        const held = hash.update(chunk);
        if (held) await held;
        yield chunk;
      }
      if (expectedLength !== undefined && received < expectedLength) throw new OciError(OciErrorCode.SizeInvalid, 'body is shorter than declared');
    };
    let stored: { size: number; state: UploadSession['driverState'] };
    try {
      stored = await this.storage.append(handleOf(session), session.size, counted(), expectedLength);
    } catch (error) {
      hash.abandon();
      if (error instanceof InvalidOffsetError) throw new OciError(OciErrorCode.RangeInvalid, 'upload offset is out of date');
      // Nothing of this chunk is kept; larger chunks, or the blob in one request with its length, fit.
      if (error instanceof UploadTooLargeError) throw new OciError(OciErrorCode.BlobUploadInvalid, `${error.message}: send larger chunks, or the blob in one request with its length`, undefined, 413);
      if (!(error instanceof AppendInterruptedError)) throw error;
      // A streamed body that broke off keeps what arrived, so the client can resume from
      // there; a declared chunk is all or nothing.
      if (expectedLength === undefined && error.size > session.size) await this.uploads.advance(session.id, claim.writer, session.size, error.size, error.state, undefined, false);
      throw error.cause instanceof OciError ? error.cause : new OciError(OciErrorCode.BlobUploadInvalid, 'upload body ended early', undefined, 400);
    }
    if (expectedLength !== undefined && received !== expectedLength) {
      hash.abandon();
      throw new OciError(OciErrorCode.SizeInvalid, 'body is shorter than declared');
    }
    const hashed = await hash.settle();
    // The hash has consumed this chunk: unless the offset moves with it, it is wrong (a
    // database error here would otherwise make the retried chunk count twice).
    const advanced = await this.uploads.advance(session.id, claim.writer, session.size, stored.size, stored.state, hashed, release).catch((error: unknown) => {
      hash.abandon();
      throw error;
    });
    if (!advanced) {
      hash.abandon();
      throw new OciError(OciErrorCode.RangeInvalid, 'another request changed this upload');
    }
    hash.record(stored.size);
    return { ...session, size: stored.size, driverState: stored.state, storedDigest: hashed?.digest, hashState: hashed?.state };
  }

  private async commit(session: UploadSession, claim: UploadClaim, expected: Digest): Promise<Digest> {
    const handle = handleOf(session);
    // Complete first: it makes the bytes durable, and an S3 upload can only be read (to
    // re-hash it) once completed. Nothing points at the object until the transaction below.
    const objectKey = await this.storage.completeUpload(handle, session.size);
    const actual = this.digesters.finish(session.id, session.size, expected.algorithm) ?? storedDigestIn(session, expected.algorithm) ?? (await this.hashObject(objectKey, expected.algorithm));
    if (actual !== expected.value) {
      await this.discard(session);
      throw new OciError(OciErrorCode.DigestInvalid, 'provided digest did not match uploaded content', { expected: expected.value, actual });
    }
    const blob = await this.sql.transaction(async (tx) => {
      // Only while the claim holds: had it lapsed and another request written since, the
      // digest checked above would not be of the bytes stored.
      if (!(await this.uploads.delete(session.id, tx, claim.writer))) throw uploadUnknown();
      const stored = await this.blobs.insertOrGet({ digest: expected.value, size: session.size, storageKey: objectKey }, tx);
      await this.blobs.link(session.repositoryId, expected.value, tx);
      return stored;
    });
    if (blob.storageKey !== objectKey) {
      // The registry had these bytes already: keep one copy.
      await this.storage.delete(objectKey).catch((error: Error) => this.logger.warn(`could not remove duplicate upload ${objectKey}: ${error.message}`));
    }
    return expected;
  }

  /** Hashes the stored bytes again: the running hash is elsewhere, gone, or of another algorithm. */
  private async hashObject(key: string, algorithm: DigestAlgorithm): Promise<string> {
    const hash = createDigester(algorithm);
    await readEach(await this.storage.read(key), (chunk) => hash.update(chunk));
    return `${algorithm}:${hash.digest('hex')}`;
  }

  private async discard(session: UploadSession): Promise<void> {
    this.digesters.drop(session.id);
    if (await this.uploads.delete(session.id)) await this.storage.abortUpload(handleOf(session));
  }
}
