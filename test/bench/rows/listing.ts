// B8 and B9: tag lists and the catalog, with 10,000 entries.
import { Client } from 'pg';

import type { WalkResult } from '../load/jobs';
import { interleave, type Runner } from '../measure';
import { repositoryName, seedRepositories, seedTags, TAGS_REPOSITORY, tagName } from '../seed';
import { CATALOG, pull, type Registry } from '../servers/registry';
import { BENCH_ORG } from '../servers/wharf';
import { median } from '../support/stats';
import type { Row } from './row';

const medianOf = (result: WalkResult, field: 'firstMs' | 'totalMs') => median(result.runs.map((r) => r[field]));

function expectItems(result: WalkResult, expected: number, what: string): void {
  const short = result.runs.find((r) => r.items < expected);
  if (short) throw new Error(`${what}: ${short.items} entries, expected at least ${expected}`);
}

/** Wharf's own tag-list query (libs/db tags.repository.ts), the repository looked up by name. */
export const TAGS_SQL = `SELECT name FROM tag
  WHERE repository_id = (SELECT id FROM repository WHERE name = $1) AND ($2::text IS NULL OR name > $2)
  ORDER BY name LIMIT $3`;

export const b8: Row = {
  id: 'B8',
  title: 'Tag list of a repository with 10,000 tags',
  perStorage: true,
  async run(phase) {
    await seedTags(phase);
    const { tags, listingRepeats: repeat } = phase.plan;
    const middle = tagName(Math.floor(tags / 2));
    const walk = async (registry: Registry, path: string, follow: boolean) =>
      phase.worker.run({ kind: 'walk', origin: registry.url, path, authorization: await registry.authorization([pull(TAGS_REPOSITORY)]), follow, repeat });
    const registryRunner =
      (registry: Registry, paged: boolean): Runner =>
      async () => {
        const full = await walk(registry, `/v2/${TAGS_REPOSITORY}/tags/list`, true);
        expectItems(full, tags, `${registry.label} tags/list`);
        const metrics: Record<string, number> = { full: medianOf(full, 'totalMs') };
        if (paged) metrics.page = medianOf(await walk(registry, `/v2/${TAGS_REPOSITORY}/tags/list?n=100&last=${middle}`, false), 'totalMs');
        return metrics;
      };
    const pgPage = (limit: number | null, after: string | null) =>
      phase.worker.run({ kind: 'pgPages', url: phase.databaseUrl, sql: TAGS_SQL, params: [TAGS_REPOSITORY, '@after', '@limit'], limit, after, all: false, repeat });
    const measured = await interleave(`B8${phase.suffix}`, phase.plan, {
      wharf: registryRunner(phase.wharf, true),
      // Distribution 2.8 has no pagination of tag lists: it answers the full list only.
      peer: registryRunner(phase.peer, false),
      ceiling: async () => ({ full: medianOf(await pgPage(null, null), 'totalMs'), page: medianOf(await pgPage(101, middle), 'totalMs') }),
    });
    const peerOf = `Distribution 2.8.2 (${phase.storage === 'fs' ? 'filesystem' : 'S3'}), full list only`;
    phase.results.figure(measured, {
      id: `B8-full${phase.suffix}`,
      name: `GET tags/list of ${tags.toLocaleString('en-US')} tags, whole list (${phase.storage})`,
      unit: 'ms',
      better: 'lower',
      metric: 'full',
      peerOf,
      ceilingOf: "Wharf's tag query in PostgreSQL, all rows, from a client",
    });
    phase.results.figure(measured, {
      id: `B8-page${phase.suffix}`,
      name: `GET tags/list?n=100&last=<middle> of ${tags.toLocaleString('en-US')} tags (${phase.storage})`,
      unit: 'ms',
      better: 'lower',
      metric: 'page',
      peerOf: 'Distribution 2.8 does not page tag lists',
      ceilingOf: "Wharf's tag query in PostgreSQL, LIMIT 101 after the middle tag",
    });
  },
};

/** Wharf's catalog query for a caller limited to some namespaces (libs/db repositories.repository.ts). */
const CATALOG_SQL = `SELECT r.name, r.namespace_id, r.public, n.public AS namespace_public
  FROM repository r JOIN namespace n ON n.id = r.namespace_id
  WHERE ($1::text IS NULL OR r.name > $1)
    AND EXISTS (SELECT 1 FROM manifest m WHERE m.repository_id = r.id)
    AND ($3::boolean OR COALESCE(r.public, n.public) OR r.namespace_id = ANY($4::bigint[]))
  ORDER BY r.name
  LIMIT $2`;

export const b9: Row = {
  id: 'B9',
  title: 'Catalog of a registry with 10,000 repositories',
  perStorage: true,
  async run(phase) {
    await seedRepositories(phase);
    const { repositories: count, listingRepeats } = phase.plan;
    // Walking the whole catalog is slow on the peer with S3 (it lists storage): once per run.
    const fullRepeat = 1;
    const firstRepeat = Math.max(1, Math.ceil(listingRepeats / 2));
    const walk = async (registry: Registry, follow: boolean) =>
      phase.worker.run({ kind: 'walk', origin: registry.url, path: '/v2/_catalog?n=1000', authorization: await registry.authorization([CATALOG]), follow, repeat: follow ? fullRepeat : firstRepeat });
    const registryRunner =
      (registry: Registry): Runner =>
      async () => {
        const first = await walk(registry, false);
        const all = await walk(registry, true);
        expectItems(all, count, `${registry.label} _catalog`);
        return { first: medianOf(first, 'firstMs'), all: medianOf(all, 'totalMs') / 1000 };
      };
    const namespaceId = await namespaceIdOf(phase.databaseUrl, BENCH_ORG);
    const pgPages = (all: boolean) =>
      phase.worker.run({ kind: 'pgPages', url: phase.databaseUrl, sql: CATALOG_SQL, params: ['@after', '@limit', false, [namespaceId]], limit: 1000, after: null, all, repeat: all ? fullRepeat : firstRepeat });
    const measured = await interleave(`B9${phase.suffix}`, phase.plan, {
      wharf: registryRunner(phase.wharf),
      peer: registryRunner(phase.peer),
      ceiling: async () => ({ first: medianOf(await pgPages(false), 'firstMs'), all: medianOf(await pgPages(true), 'totalMs') / 1000 }),
    });
    const peerOf = `Distribution 2.8.2 (${phase.storage === 'fs' ? 'filesystem' : 'S3'}), same requests`;
    const n = `${count.toLocaleString('en-US')} repositories (${repositoryName(0)}…)`;
    phase.results.figure(measured, {
      id: `B9-first${phase.suffix}`,
      name: `GET _catalog?n=1000, first page, ${n} (${phase.storage})`,
      unit: 'ms',
      better: 'lower',
      metric: 'first',
      peerOf,
      ceilingOf: "Wharf's catalog keyset query in PostgreSQL, first page",
    });
    phase.results.figure(measured, {
      id: `B9-all${phase.suffix}`,
      name: `GET _catalog?n=1000 following every Link, ${n} (${phase.storage})`,
      unit: 's',
      better: 'lower',
      metric: 'all',
      peerOf,
      ceilingOf: "Wharf's catalog keyset query in PostgreSQL, every page",
    });
  },
};

async function namespaceIdOf(databaseUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM namespace WHERE name = $1', [name]);
    if (!rows[0]) throw new Error(`no namespace ${name} in Wharf's database`);
    return rows[0].id;
  } finally {
    await client.end();
  }
}
