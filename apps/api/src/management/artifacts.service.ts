import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@wharf/authz';
import { BlobsRepository, BrowseRepository, ManifestsRepository, TagsRepository, type BrowsedArtifact, type BrowsedTag, type ContentWanted } from '@wharf/db';
import { isTag, manifestKindOf, parseDigest, parseManifest, SUPPORTED_MANIFEST_MEDIA_TYPES, type Descriptor, type ParsedManifest } from '@wharf/oci';
import { ObjectNotFoundError, type BlobStorage } from '@wharf/storage';

import { ManifestCache } from '../database/manifest-cache';
import { ConflictError, NotFoundError, ValidationError } from '../identity/errors';
import { BLOB_STORAGE } from '../storage/storage.module';
import { cursorAt, positionFrom, type KeyKind } from './browse-cursor';
import type {
  ArtifactDetailDto,
  ArtifactDto,
  ArtifactListQueryDto,
  ArtifactPageDto,
  ChildDto,
  ConfigDto,
  HistoryEntryDto,
  LayerDto,
  PlatformDto,
  ReferrerGroupDto,
  TagDto,
  TagListQueryDto,
  TagPageDto,
} from './dto/artifacts.dto';
import { DEFAULT_PAGE, pageOf } from './paging';
import { RepositoriesService } from './repositories.service';

/** The largest config blob read and shown, and the largest index whose platforms a listing reads. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Listings read the content of indexes only, to show their children's platforms. */
const INDEX_CONTENT: ContentWanted = {
  mediaTypes: SUPPORTED_MANIFEST_MEDIA_TYPES.filter((mediaType) => manifestKindOf(mediaType) === 'index'),
  maxSize: MAX_CONFIG_BYTES,
};

const SORT_KEYS: Record<'name' | 'pushed' | 'size', KeyKind> = { name: 'name', pushed: 'time', size: 'size' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** os/architecture/variant of a descriptor's platform or of an image config. */
function platformOf(value: unknown): PlatformDto | undefined {
  if (!isObject(value) || typeof value.os !== 'string' || typeof value.architecture !== 'string') return undefined;
  const variant = text(value.variant);
  return { os: value.os, architecture: value.architecture, ...(variant !== undefined ? { variant } : {}) };
}

/** buildx stores provenance and SBOM attestations as index children of platform unknown/unknown. */
const isAttestation = (descriptor: Record<string, unknown>) => isObject(descriptor.annotations) && descriptor.annotations['vnd.docker.reference.type'] === 'attestation-manifest';

/** The platforms of an index's children, from its stored bytes; none for anything else. */
function platformsOf(content: Buffer | null): PlatformDto[] {
  if (content === null) return [];
  let index: unknown;
  try {
    index = JSON.parse(content.toString('utf8'));
  } catch {
    return [];
  }
  if (!isObject(index) || !Array.isArray(index.manifests)) return [];
  return index.manifests.filter((child): child is Record<string, unknown> => isObject(child) && !isAttestation(child)).flatMap((child) => platformOf(child.platform) ?? []);
}

function historyOf(config: Record<string, unknown> | null): HistoryEntryDto[] {
  if (config === null || !Array.isArray(config.history)) return [];
  return config.history.filter(isObject).map((entry) => {
    const [created, createdBy, comment, author] = [text(entry.created), text(entry.created_by), text(entry.comment), text(entry.author)];
    return {
      ...(created !== undefined ? { created } : {}),
      ...(createdBy !== undefined ? { createdBy } : {}),
      emptyLayer: entry.empty_layer === true,
      ...(comment !== undefined ? { comment } : {}),
      ...(author !== undefined ? { author } : {}),
    };
  });
}

const annotationsOf = (descriptor: Descriptor) => (descriptor.annotations ? { annotations: { ...descriptor.annotations } } : {});

const toTagDto = (row: BrowsedTag): TagDto => ({
  name: row.name,
  digest: row.digest,
  mediaType: row.mediaType,
  artifactType: row.artifactType,
  size: row.totalSize,
  platforms: platformsOf(row.content),
  pushedAt: row.pushedAt.toISOString(),
  lastPulledAt: row.lastPulledAt?.toISOString() ?? null,
});

const toArtifactDto = (row: BrowsedArtifact): ArtifactDto => ({
  digest: row.digest,
  mediaType: row.mediaType,
  artifactType: row.artifactType,
  tags: row.tags,
  tagCount: row.tagCount,
  manifestSize: row.size,
  size: row.totalSize,
  platforms: platformsOf(row.content),
  pushedAt: row.pushedAt.toISOString(),
  lastPulledAt: row.lastPulledAt?.toISOString() ?? null,
});

function assertDigest(value: string): string {
  try {
    return parseDigest(value).value;
  } catch {
    throw new ValidationError('digest', 'is not a digest (sha256: and 64 lower-case hex digits)');
  }
}

/**
 * Tags and artifacts of a repository: listings, the detail of one artifact (manifest,
 * config, layers, build history, children, referrers), and deletion. Authorization is the
 * repository's, through RepositoriesService.authorize.
 */
@Injectable()
export class ArtifactsService {
  private readonly logger = new Logger(ArtifactsService.name);

  constructor(
    @Inject(RepositoriesService) private readonly repositories: RepositoriesService,
    @Inject(BrowseRepository) private readonly browse: BrowseRepository,
    @Inject(ManifestsRepository) private readonly manifests: ManifestsRepository,
    @Inject(TagsRepository) private readonly tags: TagsRepository,
    @Inject(ManifestCache) private readonly manifestCache: ManifestCache,
    @Inject(BlobsRepository) private readonly blobs: BlobsRepository,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
  ) {}

  /** Who: whoever may read the repository. */
  async listTags(actor: Principal, name: string, query: TagListQueryDto): Promise<TagPageDto> {
    const sort = query.sort ?? 'name';
    const order = query.order ?? (sort === 'name' ? 'asc' : 'desc');
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = positionFrom(query.cursor, sort, SORT_KEYS[sort]);
    const repository = await this.repositories.authorize(actor, name);
    const rows = await this.browse.listTags(
      repository.id,
      { sort, order, limit: limit + 1, ...(after ? { after } : {}), ...(query.q !== undefined ? { q: query.q } : {}) },
      INDEX_CONTENT,
    );
    return pageOf(rows, limit, (row) => cursorAt(sort, SORT_KEYS[sort], sort === 'size' ? String(row.totalSize) : row.pushedKey, row.name), toTagDto);
  }

  /** Who: maintainers and up (tag:delete). The manifest stays. */
  async deleteTag(actor: Principal, name: string, tag: string): Promise<void> {
    if (!isTag(tag)) throw new ValidationError('tag', 'is not a tag');
    await this.repositories.authorize(actor, name, 'tag:delete');
    const deleted = await this.tags.delete(name, tag);
    await this.manifestCache.changed(name);
    if (!deleted) throw new NotFoundError('tag');
  }

  /** Who: whoever may read the repository. Top-level artifacts only (see BrowseRepository). */
  async listArtifacts(actor: Principal, name: string, query: ArtifactListQueryDto): Promise<ArtifactPageDto> {
    const sort = query.sort ?? 'pushed';
    const order = query.order ?? 'desc';
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = positionFrom(query.cursor, sort, SORT_KEYS[sort]);
    const repository = await this.repositories.authorize(actor, name);
    const rows = await this.browse.listArtifacts(
      repository.id,
      { sort, order, limit: limit + 1, ...(after ? { after } : {}), ...(query.q !== undefined ? { q: query.q } : {}) },
      INDEX_CONTENT,
    );
    return pageOf(rows, limit, (row) => cursorAt(sort, SORT_KEYS[sort], sort === 'size' ? String(row.totalSize) : row.pushedKey, row.digest), toArtifactDto);
  }

  /** Who: whoever may read the repository. */
  async getArtifact(actor: Principal, name: string, digestParam: string): Promise<ArtifactDetailDto> {
    const digest = assertDigest(digestParam);
    const repository = await this.repositories.authorize(actor, name);
    const row = await this.browse.findArtifact(repository.id, digest);
    if (!row) throw new NotFoundError('artifact');
    // Validated when it was pushed, with the media type it was stored under.
    const manifest = parseManifest(row.content, row.mediaType);
    const config = manifest.config ? await this.config(name, manifest.config) : null;
    const children = await this.children(repository.id, manifest);
    const platform = platformOf(config?.content);
    return {
      ...toArtifactDto({ ...row, content: null }),
      platforms: manifest.kind === 'index' ? platformsOf(row.content) : [],
      manifest: JSON.parse(row.content.toString('utf8')) as Record<string, unknown>,
      subject: manifest.subject?.digest ?? null,
      config,
      ...(platform ? { platform } : {}),
      layers: manifest.layers.map((layer): LayerDto => ({ digest: layer.digest, mediaType: layer.mediaType, size: layer.size, ...annotationsOf(layer) })),
      history: historyOf(config?.content ?? null),
      children,
      referrers: await this.referrers(name, digest),
    };
  }

  /**
   * Who: maintainers and up (artifact:delete). Deletes the manifest, every tag on it and its
   * referrers (signatures, SBOMs, attestations, and theirs), as Harbor deletes an artifact's
   * accessories with it; a referrer that an index lists stays. A child of an index of the
   * repository is refused (409): deleting it would break the index. /v2 DELETE stays the
   * protocol's: the manifest alone.
   */
  async deleteArtifact(actor: Principal, name: string, digestParam: string): Promise<void> {
    const digest = assertDigest(digestParam);
    const repository = await this.repositories.authorize(actor, name, 'artifact:delete');
    if (await this.browse.isChildOfIndex(repository.id, digest)) throw new ConflictError('an index of this repository lists this manifest: delete the index first');
    const deleted = await this.manifests.deleteWithReferrers(name, digest);
    await this.manifestCache.changed(name);
    if (deleted.length === 0) throw new NotFoundError('artifact');
  }

  /** The config descriptor and, when it is JSON of at most MAX_CONFIG_BYTES, its content read from storage. */
  private async config(repository: string, descriptor: Descriptor): Promise<ConfigDto> {
    const shown = { digest: descriptor.digest, mediaType: descriptor.mediaType, size: descriptor.size };
    if (descriptor.size > MAX_CONFIG_BYTES) return { ...shown, content: null };
    const blob = await this.blobs.findLinked(repository, descriptor.digest);
    if (!blob || blob.size > MAX_CONFIG_BYTES) return { ...shown, content: null };
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      const stream = await this.storage.read(blob.storageKey);
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        // Never more than the cap in memory, whatever the store returns.
        if (size > MAX_CONFIG_BYTES) return { ...shown, content: null };
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      this.logger.warn(`config ${descriptor.digest} of ${repository} is missing from storage`);
      return { ...shown, content: null };
    }
    try {
      const content: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      return { ...shown, content: isObject(content) ? content : null };
    } catch {
      return { ...shown, content: null };
    }
  }

  private async children(repositoryId: string, manifest: ParsedManifest): Promise<ChildDto[]> {
    if (manifest.manifests.length === 0) return [];
    const stored = await this.browse.manifestsAmong(
      repositoryId,
      manifest.manifests.map((child) => child.digest),
    );
    return manifest.manifests.map((child) => {
      const platform = platformOf(child.platform);
      const totalSize = stored.get(child.digest)?.totalSize;
      return {
        digest: child.digest,
        mediaType: child.mediaType,
        size: child.size,
        ...(totalSize !== undefined ? { totalSize } : {}),
        ...(platform ? { platform } : {}),
        ...annotationsOf(child),
      };
    });
  }

  /** Manifests whose subject is `digest`, grouped by artifact type (in byte order; untyped last). */
  private async referrers(repository: string, digest: string): Promise<ReferrerGroupDto[]> {
    const groups = new Map<string | null, ReferrerGroupDto>();
    for (const referrer of await this.manifests.referrers(repository, digest)) {
      const artifactType = referrer.artifactType ?? null;
      let group = groups.get(artifactType);
      if (!group) groups.set(artifactType, (group = { artifactType, referrers: [] }));
      group.referrers.push({
        digest: referrer.digest,
        mediaType: referrer.mediaType,
        size: referrer.size,
        ...(referrer.annotations ? { annotations: referrer.annotations } : {}),
      });
    }
    return [...groups.values()].sort((a, b) => (a.artifactType === null ? 1 : b.artifactType === null ? -1 : a.artifactType < b.artifactType ? -1 : a.artifactType > b.artifactType ? 1 : 0));
  }
}
