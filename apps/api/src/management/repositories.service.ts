import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Permission, Principal } from '@wharf/authz';
import { BrowseRepository, NamespacesRepository, RepositoriesRepository, type BrowsedRepository, type Usage } from '@wharf/db';
import { isRepositoryName } from '@wharf/oci';
import type { BlobStorage } from '@wharf/storage';

import { AccessService } from '../access/access.service';
import { ManifestCache } from '../database/manifest-cache';
import { ForbiddenError, NotFoundError, ValidationError } from '../identity/errors';
import { OrganizationsService } from '../identity/organizations.service';
import { BLOB_STORAGE } from '../storage/storage.module';
import { cursorAt, positionFrom } from './browse-cursor';
import type { RepositoryDto, RepositoryListQueryDto, RepositoryPageDto } from './dto/repositories.dto';
import { DEFAULT_PAGE, pageOf } from './paging';

/** A repository the caller was found to hold a permission on. */
export interface AuthorizedRepository {
  readonly id: string;
  readonly name: string;
  readonly namespaceId: string;
}

export const toRepositoryDto = (row: BrowsedRepository): RepositoryDto => ({
  name: row.name,
  namespace: row.namespace,
  description: row.description,
  public: row.public ?? row.namespacePublic,
  publicOverride: row.public,
  tagCount: row.tagCount,
  lastPushedAt: row.lastPushedAt?.toISOString() ?? null,
});

/**
 * Repositories as the management API shows them: listing what the caller may see, details,
 * description and visibility, deletion, and storage usage. Every decision is the
 * authorization module's; a repository the caller may not see is NotFound, exactly like one
 * that does not exist.
 */
@Injectable()
export class RepositoriesService {
  private readonly logger = new Logger(RepositoriesService.name);

  constructor(
    @Inject(BrowseRepository) private readonly browse: BrowseRepository,
    @Inject(RepositoriesRepository) private readonly repositories: RepositoriesRepository,
    @Inject(NamespacesRepository) private readonly namespaces: NamespacesRepository,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(OrganizationsService) private readonly organizations: OrganizationsService,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    @Inject(ManifestCache) private readonly manifestCache: ManifestCache,
  ) {}

  /**
   * The repository when `actor` may read it (else NotFound) and holds `permission` on it
   * (else Forbidden). A name outside the distribution grammar is a validation error.
   */
  async authorize(actor: Principal, name: string, permission: Permission = 'repository:read'): Promise<AuthorizedRepository> {
    if (!isRepositoryName(name)) throw new ValidationError('name', 'is not a repository name (encode each / as %2F)');
    const repository = await this.repositories.findVisibility(name);
    if (!repository || !(await this.access.mayOnRepository(actor, 'repository:read', name))) throw new NotFoundError('repository');
    if (permission !== 'repository:read' && !(await this.access.mayOnRepository(actor, permission, name))) throw new ForbiddenError();
    return { id: repository.id, name, namespaceId: repository.namespaceId };
  }

  /** Who: anyone; each sees the repositories they may read (anonymous: public ones). */
  async list(actor: Principal, query: RepositoryListQueryDto): Promise<RepositoryPageDto> {
    const sort = query.sort ?? 'name';
    const order = query.order ?? (sort === 'name' ? 'asc' : 'desc');
    const limit = query.limit ?? DEFAULT_PAGE;
    const kind = sort === 'name' ? 'name' : 'time';
    let after = positionFrom(query.cursor, sort, kind);
    const filter = await this.access.listingFilter(actor);
    // The database pre-filter is coarse (public content, the caller's namespaces); the decision
    // per repository is exact. Fetch batches until one row more than the page is visible.
    const batchSize = Math.max(limit + 1, 100);
    const visible: BrowsedRepository[] = [];
    for (;;) {
      const batch = await this.browse.listRepositories({
        sort,
        order,
        limit: batchSize,
        ...(after ? { after } : {}),
        ...(query.q !== undefined ? { q: query.q } : {}),
        ...(query.namespace !== undefined ? { namespace: query.namespace } : {}),
        ...(filter.scope ? { scope: filter.scope } : {}),
      });
      for (const row of batch) {
        if (visible.length > limit) break;
        if (await filter.visible(row)) visible.push(row);
      }
      const last = batch[batch.length - 1];
      if (visible.length > limit || batch.length < batchSize || !last) break;
      after = { key: last.pushedKey, tiebreak: last.name };
    }
    return pageOf(visible, limit, (row) => cursorAt(sort, kind, row.pushedKey, row.name), toRepositoryDto);
  }

  /** Who: whoever may read it. */
  async get(actor: Principal, name: string): Promise<RepositoryDto> {
    await this.authorize(actor, name);
    return { ...(await this.current(name)), permissions: await this.access.permissionsOnRepository(actor, name) };
  }

  /** The repository as it is now, for an answer. */
  private async current(name: string): Promise<RepositoryDto> {
    const repository = await this.browse.findRepository(name);
    if (!repository) throw new NotFoundError('repository');
    return toRepositoryDto(repository);
  }

  /**
   * Who: the description needs repository:update (developer and up); the visibility override
   * is an organization setting (its admins). Both are checked before anything changes.
   */
  async update(actor: Principal, name: string, changes: { description?: string; public?: boolean | null }): Promise<RepositoryDto> {
    const repository = await this.authorize(actor, name);
    if (changes.description !== undefined && !(await this.access.mayOnRepository(actor, 'repository:update', name))) {
      throw new ForbiddenError('editing the description needs the developer role or higher');
    }
    if (changes.public !== undefined) {
      const namespace = await this.namespaces.findById(repository.namespaceId);
      if (namespace?.kind !== 'organization') throw new ValidationError('public', 'only repositories of organizations have a visibility override');
      if (!(await this.access.mayOnNamespace(actor, 'namespace:update', namespace))) throw new ForbiddenError('only organization admins change visibility');
    }
    if (changes.description !== undefined && !(await this.repositories.setDescription(repository.id, changes.description))) throw new NotFoundError('repository');
    if (changes.public !== undefined) await this.organizations.setRepositoryVisibility(actor, name, changes.public);
    return this.current(name);
  }

  /**
   * Who: maintainers and up (repository:delete). Deletes its tags, manifests, blob links and
   * upload sessions; blobs stay, deduplicated, for other repositories (a collector may remove
   * those nobody links).
   */
  async delete(actor: Principal, name: string): Promise<void> {
    const repository = await this.authorize(actor, name, 'repository:delete');
    const uploads = await this.repositories.delete(repository.id);
    await this.manifestCache.changed(name);
    await this.access.changed();
    if (uploads === undefined) throw new NotFoundError('repository');
    for (const upload of uploads) {
      await this.storage
        .abortUpload({ key: upload.storageKey, state: upload.driverState })
        .catch((error: Error) => this.logger.warn(`deleting ${name}: could not abort upload ${upload.storageKey}: ${error.message}`));
    }
  }

  /** Who: whoever may read it. */
  async repositoryUsage(actor: Principal, name: string): Promise<Usage> {
    const repository = await this.authorize(actor, name);
    return this.browse.usage([repository.id]);
  }

  /**
   * Who: whoever may see the organization (or personal namespace). Sums the repositories the
   * caller may read: a non-member of a public organization does not learn the size of its
   * private repositories.
   */
  async namespaceUsage(actor: Principal, name: string): Promise<Usage> {
    const namespace = await this.namespaces.findByName(name);
    if (!namespace || !(await this.access.mayOnNamespace(actor, 'namespace:read', namespace))) throw new NotFoundError('organization');
    const filter = await this.access.listingFilter(actor);
    const ids: string[] = [];
    for (const repository of await this.browse.repositoriesOf(namespace.id)) {
      if (await filter.visible(repository)) ids.push(repository.id);
    }
    return this.browse.usage(ids);
  }
}
