import type { Measured } from './measure';
import { median } from './support/stats';

export type Better = 'higher' | 'lower';

/** One measured figure: Wharf's, the peer's and the physical limit's, each a median. */
export interface Entry {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly better: Better;
  readonly wharf: number | null;
  readonly peer: number | null;
  readonly ceiling: number | null;
  readonly peerOf?: string;
  readonly ceilingOf?: string;
  readonly runs?: { readonly wharf: number[]; readonly peer: number[]; readonly ceiling: number[] };
  /** Wharf against the peer round by round (each round runs both, close in time). */
  readonly pairs?: Pairs;
  readonly error?: string;
}

/**
 * The median of the per-round ratios Wharf/peer, and in how many rounds Wharf did better.
 * Reported beside the ratio of the medians, which the targets are judged on: when the machine
 * changes speed in the middle of a row, the two medians can fall on either side of the step,
 * while each round's pair still ran at the same speed.
 */
export interface Pairs {
  readonly ratio: number;
  readonly wharfBetter: number;
  readonly rounds: number;
}

function pairsOf(wharf: readonly number[], peer: readonly number[], better: Better): Pairs | undefined {
  if (wharf.length !== peer.length || wharf.length < 2) return undefined;
  const ratios = wharf.map((w, i) => w / peer[i]!);
  return {
    ratio: median(ratios),
    wharfBetter: ratios.filter((r) => (better === 'higher' ? r > 1 : r < 1)).length,
    rounds: ratios.length,
  };
}

export interface FigureSpec {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly better: Better;
  readonly metric: string;
  readonly peerOf?: string;
  readonly ceilingOf?: string;
  /** Replaces the measured median (a derived figure, e.g. a penalty or a combined ceiling). */
  readonly wharf?: number | null;
  readonly peer?: number | null;
  readonly ceiling?: number | null;
}

const round = (value: number | null | undefined): number | null => (value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toPrecision(6)));

export class Results {
  readonly entries: Entry[] = [];
  /** Reference rates of this machine measured in the same run (report only). */
  readonly references: { name: string; value: number; unit: string }[] = [];

  add(entry: Entry): void {
    // The figures first, as bench-results.json is read.
    const { id, name, unit, wharf, peer, ceiling, runs, pairs, ...rest } = entry;
    const rounded = (values: number[]) => values.map((v) => round(v) ?? Number.NaN);
    this.entries.push({
      id,
      name,
      unit,
      wharf: round(wharf),
      peer: round(peer),
      ceiling: round(ceiling),
      ...rest,
      ...(runs ? { runs: { wharf: rounded(runs.wharf), peer: rounded(runs.peer), ceiling: rounded(runs.ceiling) } } : {}),
      ...(pairs ? { pairs: { ...pairs, ratio: round(pairs.ratio) ?? Number.NaN } } : {}),
    });
  }

  /** An entry from interleaved runs: the medians of `spec.metric` unless overridden. */
  figure(measured: Measured, spec: FigureSpec): void {
    const { metric, wharf, peer, ceiling, ...rest } = spec;
    const runs = { wharf: measured.runs('wharf', metric), peer: measured.runs('peer', metric), ceiling: measured.runs('ceiling', metric) };
    // Only figures that are the medians of the runs have pairs to compare.
    const pairs = wharf === undefined && peer === undefined ? pairsOf(runs.wharf, runs.peer, spec.better) : undefined;
    this.add({
      ...rest,
      wharf: wharf !== undefined ? wharf : measured.median('wharf', metric),
      peer: peer !== undefined ? peer : measured.median('peer', metric),
      ceiling: ceiling !== undefined ? ceiling : measured.median('ceiling', metric),
      runs,
      ...(pairs ? { pairs } : {}),
    });
  }

  /** A row that failed: recorded with its error, no figures; the run then exits non-zero. */
  fail(id: string, name: string, error: Error): void {
    this.add({ id, name, unit: '', better: 'higher', wharf: null, peer: null, ceiling: null, error: error.message });
  }

  value(id: string, subject: 'wharf' | 'peer' | 'ceiling'): number | null {
    return this.entries.find((e) => e.id === id)?.[subject] ?? null;
  }

  reference(name: string, value: number, unit: string): void {
    this.references.push({ name, value: round(value) ?? Number.NaN, unit });
  }

  get failed(): Entry[] {
    return this.entries.filter((e) => e.error !== undefined || e.wharf === null);
  }
}
