import type { Plan } from './plan';
import { fmt, say } from './support/log';
import { median } from './support/stats';

export type Subject = 'wharf' | 'peer' | 'ceiling';
export type Metrics = Record<string, number>;
/** One run of one subject; `round` is -1 for the warm-up. */
export type Runner = (round: number) => Promise<Metrics>;

const ORDER: readonly Subject[] = ['wharf', 'peer', 'ceiling'];

export class Measured {
  constructor(readonly samples: Partial<Record<Subject, Metrics[]>>) {}

  runs(subject: Subject, metric: string): number[] {
    return (this.samples[subject] ?? []).map((m) => m[metric]).filter((v): v is number => v !== undefined);
  }

  median(subject: Subject, metric: string): number | null {
    const runs = this.runs(subject, metric);
    return runs.length === 0 ? null : median(runs);
  }
}

/**
 * The rule of performance.md §3: one warm-up run of each subject, then `plan.rounds` rounds
 * in which Wharf, the peer and the ceiling run in turn, so that whatever else the machine
 * does falls on all of them alike; every figure is the median of its runs. The order changes
 * every round, through every order of the subjects, so that none always runs first or right
 * after the same other one: a shared server such as MinIO carries what one subject left it
 * with into the next one's run (B4, docs/benchmarks.md). A row whose figure does not depend on
 * warm caches (peak memory) may skip the warm-up; a row may ask for more rounds than
 * `plan.rounds` (the big transfers take `plan.transferRounds`).
 */
export async function interleave(label: string, plan: Plan, runners: Partial<Record<Subject, Runner>>, options: { warmup?: boolean; rounds?: number } = {}): Promise<Measured> {
  const samples: Partial<Record<Subject, Metrics[]>> = {};
  const subjects = ORDER.filter((s) => runners[s]);
  const roundCount = options.rounds ?? plan.rounds;
  const measuredRounds = Array.from({ length: roundCount }, (_, i) => i);
  const rounds = (options.warmup ?? plan.warmup) ? [-1, ...measuredRounds] : measuredRounds;
  const orders = permutations(subjects);
  for (const round of rounds) {
    const line = new Map<Subject, string>();
    for (const subject of round < 0 ? subjects : orders[round % orders.length]) {
      const metrics = await runners[subject]!(round);
      if (round >= 0) (samples[subject] ??= []).push(metrics);
      line.set(subject, `${subject} ${Object.entries(metrics).map(([k, v]) => `${k}=${fmt(v)}`).join(' ')}`);
    }
    say(`  ${label} ${round < 0 ? 'warm-up' : `run ${round + 1}/${roundCount}`}: ${subjects.map((s) => line.get(s)).join(' | ')}`);
  }
  return new Measured(samples);
}

/** Every order of `items`, the given one first. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((first, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest]));
}
