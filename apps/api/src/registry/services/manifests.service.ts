import { Inject, Injectable } from '@nestjs/common';
import { BlobsRepository, ManifestsRepository, RepositoriesRepository, Sql, TagsRepository, type ReferrerRow, type StoredManifest } from '@wharf/db';
import {
  artifactTypeOf,
  digestOf,
  isTag,
  OciError,
  OciErrorCode,
  OciErrors,
  parseDigest,
  parseManifest,
  parseReference,
  requiredBlobs,
  type ParsedManifest,
  type Reference,
} from '@wharf/oci';

import { ManifestCache } from '../../database/manifest-cache';
import { PullRecorder } from './pull-recorder';

export interface PushedManifest {
  readonly digest: string;
  readonly subject?: string;
  readonly tags: readonly string[];
}

const manifestUnknown = () => new OciError(OciErrorCode.ManifestUnknown);

const NUL = '\u0000';
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The strings copied into columns (artifact type, annotations) must be storable: PostgreSQL
 * text refuses NUL and jsonb also refuses unpaired surrogates. Refuse such a manifest as
 * invalid (400) rather than fail the insert (500).
 */
function assertStorable(manifest: ParsedManifest): void {
  const texts = [artifactTypeOf(manifest), ...Object.entries(manifest.annotations ?? {}).flat()];
  if (texts.some((text) => text !== undefined && (text.includes(NUL) || UNPAIRED_SURROGATE.test(text)))) {
    throw new OciError(OciErrorCode.ManifestInvalid, 'artifactType and annotations must not contain NUL characters or unpaired surrogates');
  }
}

/** Manifests and tags: fetch, push with reference checks, delete, and the referrers index. */
/** Refuses the first descriptor whose size is not that of what is stored under its digest. */
function assertSizes(descriptors: readonly { digest: string; size: number }[], stored: ReadonlyMap<string, number>, what: 'blob' | 'manifest'): void {
  const wrong = descriptors.find((d) => stored.get(d.digest) !== d.size);
  if (wrong) throw new OciError(OciErrorCode.ManifestInvalid, `descriptor size does not match the stored ${what}`, { digest: wrong.digest, size: wrong.size, stored: stored.get(wrong.digest) });
}

@Injectable()
export class ManifestsService {
  constructor(
    @Inject(Sql) private readonly sql: Sql,
    @Inject(ManifestsRepository) private readonly manifests: ManifestsRepository,
    @Inject(TagsRepository) private readonly tags: TagsRepository,
    @Inject(BlobsRepository) private readonly blobs: BlobsRepository,
    @Inject(RepositoriesRepository) private readonly repositories: RepositoriesRepository,
    @Inject(PullRecorder) private readonly pulls: PullRecorder,
    @Inject(ManifestCache) private readonly cache: ManifestCache,
  ) {}

  /** GET and HEAD. An unparsable reference is simply unknown (404), as clients expect. */
  async fetch(repository: string, reference: string, withContent: boolean): Promise<StoredManifest> {
    let ref: Reference;
    try {
      ref = parseReference(reference);
    } catch {
      throw manifestUnknown();
    }
    const manifest = await this.cache.lookup(repository, reference, withContent, () =>
      ref.kind === 'tag' ? this.manifests.findByTag(repository, ref.tag, withContent) : this.manifests.findByDigest(repository, ref.digest.value, withContent),
    );
    if (!manifest) throw manifestUnknown();
    if (withContent) this.pulls.record(manifest.id);
    return manifest;
  }

  async push(repository: string, reference: string, content: Buffer, contentType: string | undefined, extraTags: readonly string[]): Promise<PushedManifest> {
    const ref = parseReference(reference);
    for (const tag of extraTags) {
      if (!isTag(tag)) throw new OciError(OciErrorCode.TagInvalid, 'invalid tag', { tag: tag.slice(0, 200) });
    }
    const manifest = parseManifest(content, contentType);
    assertStorable(manifest);
    const digest = digestOf(content, ref.kind === 'digest' ? ref.digest.algorithm : 'sha256');
    if (ref.kind === 'digest' && ref.digest.value !== digest) {
      throw new OciError(OciErrorCode.DigestInvalid, 'manifest digest does not match the reference', { expected: ref.digest.value, actual: digest });
    }
    const tags = [...new Set(ref.kind === 'tag' ? [ref.tag, ...extraTags] : extraTags)];
    const blobRefs = requiredBlobs(manifest);
    const children = manifest.manifests.map((m) => m.digest);

    await this.sql.transaction(async (tx) => {
      const repositoryId = await this.repositories.ensure(repository, tx);
      const linked = await this.blobs.linkedSizes(repositoryId, blobRefs.map((b) => b.digest), tx);
      const existingChildren = await this.manifests.existingSizes(repositoryId, children, tx);
      const missing = [...new Set([...blobRefs.map((b) => b.digest).filter((d) => !linked.has(d)), ...children.filter((d) => !existingChildren.has(d))])];
      if (missing.length > 0) {
        throw new OciErrors(missing.map((d) => new OciError(OciErrorCode.ManifestBlobUnknown, 'blob unknown to registry', { digest: d })));
      }
      // A client that checks sizes could not pull what a descriptor misstates.
      assertSizes(blobRefs, linked, 'blob');
      assertSizes(manifest.manifests, existingChildren, 'manifest');
      const artifactType = artifactTypeOf(manifest);
      await this.manifests.save(
        {
          repositoryId,
          digest,
          mediaType: manifest.mediaType,
          content,
          blobDigests: [...new Set(blobRefs.map((b) => b.digest))],
          childDigests: [...new Set(children)],
          ...(artifactType !== undefined ? { artifactType } : {}),
          ...(manifest.subject ? { subjectDigest: manifest.subject.digest } : {}),
          ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
        },
        tags,
        tx,
      );
    });
    await this.cache.changed(repository);
    return { digest, tags: [...new Set(extraTags)], ...(manifest.subject ? { subject: manifest.subject.digest } : {}) };
  }

  /** By digest: the manifest and every tag on it. By tag: only the tag. */
  async delete(repository: string, reference: string): Promise<void> {
    const ref = parseReference(reference);
    const deleted = ref.kind === 'digest' ? await this.manifests.deleteByDigest(repository, ref.digest.value) : await this.tags.delete(repository, ref.tag);
    await this.cache.changed(repository);
    if (!deleted) throw manifestUnknown();
  }

  async referrers(repository: string, subject: string, artifactType: string | undefined): Promise<ReferrerRow[]> {
    parseDigest(subject);
    // No stored artifact type holds a NUL (see assertStorable), and PostgreSQL text cannot.
    if (artifactType?.includes(NUL)) return [];
    return this.manifests.referrers(repository, subject, artifactType);
  }
}
