import { Inject, Injectable } from '@nestjs/common';
import { RepositoriesRepository, TagsRepository } from '@wharf/db';
import { MAX_PAGE_SIZE, OciError, OciErrorCode, type PageRequest } from '@wharf/oci';

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
  ) {}

  async tagsOf(repository: string, page: PageRequest): Promise<Page> {
    const repositoryId = await this.repositories.findId(repository);
    if (repositoryId === undefined) throw new OciError(OciErrorCode.NameUnknown, undefined, { name: repository });
    const after = keysetAfter(page.last);
    return this.paged(page, (limit) => this.tags.list(repositoryId, { limit, ...(after !== undefined ? { after } : {}) }));
  }

  async catalog(page: PageRequest): Promise<Page> {
    const after = keysetAfter(page.last);
    return this.paged(page, (limit) => this.repositories.listWithContent({ limit, ...(after !== undefined ? { after } : {}) }));
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
