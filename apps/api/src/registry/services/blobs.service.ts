import type { Readable } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import { BlobsRepository, type StoredBlob } from '@wharf/db';
import { OciError, OciErrorCode, parseDigest, parseRangeHeader, type RangeRequest } from '@wharf/oci';
import type { BlobStorage } from '@wharf/storage';

import { BLOB_STORAGE } from '../../storage/storage.module';

export type BlobContent =
  | { readonly kind: 'redirect'; readonly blob: StoredBlob; readonly url: string }
  | { readonly kind: 'stream'; readonly blob: StoredBlob; readonly range: Exclude<RangeRequest, { kind: 'unsatisfiable' }>; readonly stream: Readable }
  | { readonly kind: 'unsatisfiable'; readonly blob: StoredBlob };

const blobUnknown = (digest: string) => new OciError(OciErrorCode.BlobUnknown, undefined, { digest });

/** Reading and unlinking blobs of one repository. */
@Injectable()
export class BlobsService {
  constructor(
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    @Inject(BlobsRepository) private readonly blobs: BlobsRepository,
  ) {}

  async stat(repository: string, digest: string): Promise<StoredBlob> {
    parseDigest(digest);
    const blob = await this.blobs.findLinked(repository, digest);
    if (!blob) throw blobUnknown(digest);
    return blob;
  }

  async open(repository: string, digest: string, rangeHeader: string | undefined): Promise<BlobContent> {
    const blob = await this.stat(repository, digest);
    const range = parseRangeHeader(rangeHeader, blob.size);
    if (range.kind === 'unsatisfiable') return { kind: 'unsatisfiable', blob };
    if (range.kind === 'full') {
      const url = await this.storage.redirectUrl(blob.storageKey);
      if (url) return { kind: 'redirect', blob, url };
    }
    const stream = await this.storage.read(blob.storageKey, range.kind === 'partial' ? range.range : {});
    return { kind: 'stream', blob, range, stream };
  }

  async unlink(repository: string, digest: string): Promise<void> {
    parseDigest(digest);
    if (!(await this.blobs.unlink(repository, digest))) throw blobUnknown(digest);
  }
}
