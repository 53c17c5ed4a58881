import type { Measured } from './measure';

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
  readonly error?: string;
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
    const { id, name, unit, wharf, peer, ceiling, runs, ...rest } = entry;
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
    });
  }

  /** An entry from interleaved runs: the medians of `spec.metric` unless overridden. */
  figure(measured: Measured, spec: FigureSpec): void {
    const { metric, wharf, peer, ceiling, ...rest } = spec;
    this.add({
      ...rest,
      wharf: wharf !== undefined ? wharf : measured.median('wharf', metric),
      peer: peer !== undefined ? peer : measured.median('peer', metric),
      ceiling: ceiling !== undefined ? ceiling : measured.median('ceiling', metric),
      runs: { wharf: measured.runs('wharf', metric), peer: measured.runs('peer', metric), ceiling: measured.runs('ceiling', metric) },
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
