// The figures a complete run of the harness writes, and a check of a results file against
// them: every expected entry present with a numeric Wharf value. No timing is judged.
import { existsSync, readFileSync } from 'node:fs';

const perStorage = (storage) => [
  ...['GET', 'HEAD'].flatMap((m) => [`B2-${m}`, `B2-${m}-p50`, `B2-${m}-p99`]),
  'B4-proxy',
  'B4-proxy-ttfb',
  ...(storage === 's3' ? ['B4-redirect', 'B4-redirect-ttfb', 'B4-redirect-answer-p50', 'B4-redirect-answer-p99'] : []),
  'B5',
  'B5-lengthless',
  'B6',
  'B6-resume',
  'B6-restart',
  'B7',
  'B7-p99',
  'B7-rss',
  'B8-full',
  'B8-page',
  'B9-first',
  'B9-all',
  'B11-push',
  'B11-pull',
  'B11-pull-cpu',
  'B11-repush',
  'B11-mount',
  'B12-single',
  'B12-big',
  'B12-concurrent',
].map((id) => `${id}-${storage}`);

/** Every entry id of a run over both storage kinds. */
export const EXPECTED_IDS = ['B1', 'B1-p99', 'B3-cached', 'B3-cold', 'B10', 'B10-api', ...perStorage('fs'), ...perStorage('s3')];

/** What is wrong with a results file (empty when it is complete). */
export function resultProblems(file) {
  if (!existsSync(file)) return [`${file} was not written`];
  let entries;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return [`${file} is not JSON: ${error.message}`];
  }
  if (!Array.isArray(entries)) return [`${file} is not an array`];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const problems = [];
  for (const id of EXPECTED_IDS) {
    const entry = byId.get(id);
    if (!entry) problems.push(`${id}: missing`);
    else if (typeof entry.wharf !== 'number' || !Number.isFinite(entry.wharf)) problems.push(`${id}: no numeric Wharf value${entry.error ? ` (${entry.error.split('\n')[0]})` : ''}`);
  }
  return problems;
}
