import { parseArgs } from 'node:util';

import { MiB } from './support/stats';

export type StorageKind = 'fs' | 's3';

/** How big and how long each row runs: the full suite of performance.md §3, or a small version. */
export interface Plan {
  readonly quick: boolean;
  /** Measured runs per subject (wharf, peer, ceiling), interleaved; medians are reported. */
  readonly rounds: number;
  /**
   * Measured runs of the rows that time one big transfer (B5, B6): each run takes a second
   * or two, and on two shared cores single runs swing by up to 2×, so they get more runs.
   */
  readonly transferRounds: number;
  /**
   * Measured runs of B4's pulls: a quarter second each, and the medians of five needed more
   * pairs (two registries doing the same work, B4's redirect row on MinIO, differed by a
   * quarter in one full run).
   */
  readonly pullRounds: number;
  /**
   * Measured runs of B11, where a real client's own work sets the pace: the registries' part
   * differs by less than a run's spread (about 1% of a pull), so the medians need more pairs.
   */
  readonly clientRounds: number;
  /** One discarded run per subject before the measured ones. */
  readonly warmup: boolean;
  readonly storages: readonly StorageKind[];
  /** Row ids to run (B1…B12); all when empty. */
  readonly only: ReadonlySet<string>;
  /** Duration of one request-rate run (B1–B3). */
  readonly rateMs: number;
  readonly blobBytes: number;
  readonly chunkedBytes: number;
  readonly chunkBytes: number;
  readonly images: number;
  readonly imageLayerBytes: number;
  readonly imageConfigBytes: number;
  readonly tags: number;
  readonly repositories: number;
  /** Timed requests per run in B8/B9 (their median is the run's figure). */
  readonly listingRepeats: number;
  readonly coldLogins: number;
  readonly bigBlobBytes: number;
  readonly concurrentPushes: number;
  readonly seedConcurrency: number;
  /** Not the whole suite (some rows, one storage, fewer rounds): reported apart from the full run. */
  readonly partial: boolean;
  /** Where the results go. */
  readonly jsonFile: string;
  readonly markdownFile: string;
}

export const ROW_IDS = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9', 'B10', 'B11', 'B12'] as const;

const USAGE = `npm run bench [-- options]

  --quick            a small version (16 MiB blobs, 500 tags and repositories, one run each,
                     no warm-up); writes reports/bench-quick.{json,md}
  --only B1,B5       run only these rows
  --storage fs,s3    storage kinds to run (default both: filesystem, then MinIO)
  --rounds N         measured runs per subject (default 3; 1 with --quick)
A full-size run of part of the suite (--only, one storage, fewer rounds) writes
reports/bench-partial.{json,md}; only the whole suite rewrites bench-results.json and
docs/benchmarks.md.
  -h, --help`;

export function parsePlan(argv: readonly string[]): Plan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      storage: { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = new Set((values.only ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));
  for (const id of only) if (!(ROW_IDS as readonly string[]).includes(id)) throw new Error(`--only: no row ${id} (rows are ${ROW_IDS.join(', ')})`);
  const storages = (values.storage ?? 'fs,s3').split(',').map((s) => s.trim()) as StorageKind[];
  for (const s of storages) if (s !== 'fs' && s !== 's3') throw new Error(`--storage: fs or s3, not ${s}`);
  const quick = values.quick ?? false;
  const rounds = values.rounds ? Number(values.rounds) : quick ? 1 : 3;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive whole number');
  const transferRounds = values.rounds || quick ? rounds : 5;
  const pullRounds = values.rounds || quick ? rounds : 9;
  const clientRounds = values.rounds || quick ? rounds : 9;
  const common = { quick, rounds, transferRounds, pullRounds, clientRounds, storages, only, partial: quick || only.size > 0 || storages.length < 2 || rounds < 3 };
  if (quick) {
    return {
      ...common,
      warmup: false,
      rateMs: 1_000,
      blobBytes: 16 * MiB,
      chunkedBytes: 20 * MiB,
      chunkBytes: 5 * MiB,
      images: 20,
      imageLayerBytes: MiB,
      imageConfigBytes: 1024,
      tags: 500,
      repositories: 500,
      listingRepeats: 3,
      coldLogins: 16,
      bigBlobBytes: 64 * MiB,
      concurrentPushes: 10,
      seedConcurrency: 16,
      jsonFile: 'reports/bench-quick.json',
      markdownFile: 'reports/bench-quick.md',
    };
  }
  const full = {
    ...common,
    warmup: true,
    rateMs: 10_000,
    blobBytes: 256 * MiB,
    chunkedBytes: 100 * MiB,
    chunkBytes: 5 * MiB,
    images: 50,
    imageLayerBytes: MiB,
    imageConfigBytes: 1024,
    tags: 10_000,
    repositories: 10_000,
    listingRepeats: 10,
    coldLogins: 200,
    bigBlobBytes: 1024 * MiB,
    concurrentPushes: 20,
    seedConcurrency: 16,
    jsonFile: 'bench-results.json',
    markdownFile: 'docs/benchmarks.md',
  };
  // Only a run of the whole suite replaces the committed results.
  return full.partial ? { ...full, jsonFile: 'reports/bench-partial.json', markdownFile: 'reports/bench-partial.md' } : full;
}

export const selected = (plan: Plan, id: string) => plan.only.size === 0 || plan.only.has(id);

/** "256 MiB", "1 GiB" */
export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * MiB && bytes % (1024 * MiB) === 0 ? `${bytes / (1024 * MiB)} GiB` : `${Math.round(bytes / MiB)} MiB`;
}
