import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@wharf/authz';
import { RepositoriesRepository, TagsRepository } from '@wharf/db';
import { MAX_PAGE_SIZE, OciError, OciErrorCode, type PageRequest } from '@wharf/oci';

import { AccessService } from '../../access/access.service';

export interface Page {
  readonly items: readonly string[];
  /** Set when more entries follow: the last item returned and the page size to ask for. */
  readonly next?: { readonly last: string; readonly n: number };
}

/**
 * The keyset bound for `last`. PostgreSQL text cannot hold a NUL, and no tag or repository
 * name contains one, so the entries after "a<NUL>b" in byte order are exactly the entries
 * after "a": cut `last` at its first NUL instead of failing the query.
 */
const keysetAfter = (last: string | undefined): string | undefined => last?.split('\u0000', 1)[0];

/** Tag lists and the catalog: byte-ordered keyset pages. */
@Injectable()
export class ListingService {
  constructor(
    @Inject(RepositoriesRepository) private readonly repositories: RepositoriesRepository,
    @Inject(TagsRepository) private readonly tags: TagsRepository,
    @Inject(AccessService) private readonly access: AccessService,
  ) {}

  async tagsOf(repository: string, page: PageRequest): Promise<Page> {
    const repositoryId = await this.repositories.findId(repository);
    if (repositoryId === undefined) throw new OciError(OciErrorCode.NameUnknown, undefined, { name: repository });
    const after = keysetAfter(page.last);
    return this.paged(page, (limit) => this.tags.list(repositoryId, { limit, ...(after !== undefined ? { after } : {}) }));
  }

  /** The repositories `principal` may see, and only those. */
  async catalog(page: PageRequest, principal: Principal): Promise<Page> {
    const filter = await this.access.listingFilter(principal);
    return this.paged(page, async (limit) => {
      // Fetch in database pages until `limit` visible names are found or the end is reached:
      // the pre-filter is coarse (whole namespaces), the decision per repository is exact.
      const visible: string[] = [];
      let after = keysetAfter(page.last);
      for (;;) {
        const batch = await this.repositories.listWithContent({ limit: Math.max(limit, 100), ...(after !== undefined ? { after } : {}) }, filter.scope);
        for (const repository of batch) {
          if (await filter.visible(repository)) visible.push(repository.name);
          if (visible.length === limit) return visible;
        }
        if (batch.length < Math.max(limit, 100)) return visible;
        after = batch[batch.length - 1]!.name;
      }
    });
  }

  /** Fetches one row more than the page to learn whether a next page exists. */
  private async paged(page: PageRequest, fetch: (limit: number) => Promise<string[]>): Promise<Page> {
    const n = page.n ?? MAX_PAGE_SIZE;
    if (n === 0) return { items: [] };
    const rows = await fetch(n + 1);
    if (rows.length <= n) return { items: rows };
    const items = rows.slice(0, n);
    return { items, next: { last: items[items.length - 1]!, n } };
  }
}
