import type { Phase } from '../phase';

/** One row of performance.md §3: measures Wharf, the peer and the ceiling, and records entries. */
export interface Row {
  readonly id: string;
  readonly title: string;
  /** Run once per storage kind (entry ids end in -fs / -s3), or once per run. */
  readonly perStorage: boolean;
  run(phase: Phase): Promise<void>;
}
