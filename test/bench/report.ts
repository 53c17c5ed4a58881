import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

import type { Plan } from './plan';
import type { Entry, Results } from './results';
import { DISTRIBUTION_BINARY } from './servers/distribution';
import { minioBinary } from './servers/minio';
import { CHROMIUM } from './rows/portal';
import { fmt } from './support/log';
import { root } from './support/paths';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly node: string;
  readonly os: string;
  readonly tools: Record<string, string>;
}

function firstLine(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!.trim();
  } catch {
    return 'unknown';
  }
}

/** MinIO built from the Go module proxy reports no release; ensure-tools.sh stamps the pinned version. */
function minioVersion(): string {
  const stamp = join(dirname(minioBinary()), '.stamps', 'minio');
  return existsSync(stamp) ? `github.com/minio/minio@${readFileSync(stamp, 'utf8').trim()}` : firstLine(minioBinary(), ['--version']);
}

export function describeMachine(): Machine {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${/^PRETTY_NAME="?([^"\n]+)"?$/m.exec(osRelease)?.[1] ?? 'unknown'} (Linux ${release()})`,
    tools: {
      distribution: firstLine(DISTRIBUTION_BINARY, ['--version']),
      skopeo: firstLine('skopeo', ['--version']),
      minio: minioVersion(),
      chromium: firstLine(CHROMIUM, ['--version']),
    },
  };
}

/** What each row measures, against what (performance.md §3); the prose under each stays the maintainers'. */
export const ROW_TEXT: Record<string, { title: string; text: string }> = {
  B1: { title: 'GET /v2/ with a bearer token', text: 'The cost of a request that only checks its token: c=32 for the run time. Ceiling: a NestJS + Fastify hello route under the same load generator. Peer: Distribution with Docker token auth.' },
  B2: { title: 'Manifest GET and HEAD by tag', text: 'A tag resolved to its manifest, c=32, with a pull token. Ceiling: the lower of the B1 hello rate and a PostgreSQL tag → manifest point select on one connection (latency ceilings: that query alone).' },
  B3: { title: 'Token issue', text: 'GET /token with Basic auth at c=16: the same user again and again (Wharf remembers a verified password), and every request the first login of its own user. Ceilings: ES256 signatures per second on one core; argon2id verifications per second with Wharf\'s parameters. Distribution has no token service: no peer.' },
  B4: { title: 'Blob pull', text: 'One blob GET at a time, streamed through the registry (proxy) and, with S3, answered with a redirect to a presigned URL. Ceilings: a Node file → HTTP server (filesystem) or a raw MinIO GET (S3), same client.' },
  B5: { title: 'Monolithic push', text: 'POST then PUT ?digest= with the whole body; and, as docker pushes a layer, POST, one PATCH with the whole body and no Content-Length (chunked transfer encoding), PUT ?digest= (B5-lengthless). Ceilings: a Node server that hashes the body into a file (filesystem), a raw MinIO PUT (S3, which takes none without a length).' },
  B6: { title: 'Chunked push and resume', text: 'PATCHes of 5 MiB with Content-Range, then PUT ?digest=; and the same upload with a server restart after half the PATCHes (the restart itself is not timed): the client asks where the upload stands and sends the rest. The resume figure is what the resumed half takes beyond as many PATCHes of a new upload, also sent first to a freshly restarted server (so that what a new process pays for any first requests is not counted as the resume\'s); the restart figure is the whole extra time over the plain upload on the long-running server. Their ceiling re-reads and hashes the part sent before the restart.' },
  B7: { title: 'Concurrent small-image pushes', text: 'Many images (1 KiB config, 1 MiB layer, manifest) pushed at once, one repository each: time until all are done, p99 per image, peak server RSS. Ceiling: the same requests against a Node server that only hashes bodies into files.' },
  B8: { title: 'Tag list', text: 'tags/list of a repository with 10,000 tags: the whole list, and one page of 100 from the middle (Distribution 2.8 does not page tag lists). Ceiling: Wharf\'s own tag query from a PostgreSQL client.' },
  B9: { title: 'Catalog', text: '_catalog?n=1000 in a registry with 10,000 repositories: the first page, and every page following Link. Ceiling: Wharf\'s catalog keyset query from a PostgreSQL client.' },
  B10: { title: 'Portal repository page', text: 'The portal page of the repository with 10,000 tags in headless Chromium, from navigation until 50 tag rows show, and the tags API call as the browser sees it. Ceiling: a static page that fetches the same 50 rows as JSON, plus the PostgreSQL page query.' },
  B11: { title: 'skopeo push and pull', text: 'A real client: skopeo copies a one-layer image from an OCI layout to the registry, back into a directory, to the registry again (blobs exist), and to another repository (cross-repository mount); and the CPU each registry spends serving the pull (Wharf\'s process and its PostgreSQL, Distribution\'s process). Ceiling: the same copy from the layout to a local directory.' },
  B12: { title: 'Memory under big pushes', text: 'Peak RSS of the server process during one push, one push four times as big, and 20 concurrent pushes (streamed: POST, one PATCH, PUT). It should not grow with blob size; per in-flight upload at most about one S3 part. Ceiling: a Node server receiving the same pushes into files.' },
};

const RUNNING = `\`\`\`sh
npm run bench                       # everything (roughly 50–75 min on 2 cores): bench-results.json, this file
npm run bench -- --quick            # 16 MiB blobs, 500 tags and repositories, one run each (about 2–3 min)
npm run bench -- --only B2,B8 --storage fs --rounds 5   # part of the suite: reports/bench-partial.{json,md}
\`\`\`

It builds Wharf as \`npm start\` does, then needs Distribution 2.8.2 (\`docker-registry\`), skopeo, Chromium and
the MinIO binary that \`bash infra/scripts/ensure-tools.sh\` installs; it stops, naming what is missing, when one
is not there. Everything listens on 127.0.0.1; data and logs go to \`.cache/bench/run/\` (logs kept, data deleted
at the end); every process it started is stopped on exit, on an error and on Ctrl-C. Run it on an otherwise idle
machine: servers, load generator and ceilings share the cores, and anything else running shows up in the figures.

The harness (test/bench/, TypeScript): \`main.ts\` runs the phases (filesystem, then MinIO) and the rows;
\`servers/\` starts Wharf (\`test/support/wharf-process.cjs\`, with the embedded PostgreSQL started once by the
harness), Distribution (its config written by the harness, token auth with an openssl-made ES256 certificate),
MinIO and the reference servers of \`ceilings/\`; \`load/\` is the load generator, a child process using undici
Pools (request rates with p50/p99, streamed pushes and pulls of generated data, seeding); \`rows/\` holds B1–B12;
\`measure.ts\` interleaves Wharf, peer and ceiling runs and takes medians; \`report.ts\` writes the results.
The load generator is one Node process: on two cores it tops out well below what \`wrk\` reaches against the
same hello server, so the B1 ceiling is partly the load generator's own limit — the ratios compare like with like.`;

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '—' : `${fmt(a / b)}×`);

const perRound = (e: Entry) => (e.pairs ? `${fmt(e.pairs.ratio)}×, ${e.pairs.wharfBetter}/${e.pairs.rounds}` : '—');

function resultsTable(entries: readonly Entry[]): string {
  const lines = [
    '| id | measured | unit | better | Wharf | peer | ceiling | Wharf/peer | per round | Wharf/ceiling |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|',
    ...entries.map(
      (e) =>
        `| ${e.id} | ${e.error ? `${e.name} — **failed:** ${e.error.replace(/\|/g, '\\|').split('\n')[0]}` : e.name} | ${e.unit} | ${e.better === 'higher' ? '↑' : '↓'} | ${fmt(e.wharf)} | ${fmt(e.peer)} | ${fmt(e.ceiling)} | ${ratio(e.wharf, e.peer)} | ${perRound(e)} | ${ratio(e.wharf, e.ceiling)} |`,
    ),
  ];
  const sources = entries.filter((e) => e.peerOf || e.ceilingOf).map((e) => `- **${e.id}** — peer: ${e.peerOf ?? 'none'}; ceiling: ${e.ceilingOf ?? 'none'}`);
  return [...lines, '', '<details><summary>What each peer and ceiling figure is</summary>', '', ...sources, '', '</details>'].join('\n');
}

function summary(plan: Plan, machine: Machine, date: string): string {
  return [
    `Measured ${date} by \`npm run bench${plan.quick ? ' -- --quick' : ''}\` (test/bench/)${plan.partial && !plan.quick ? `: rows ${plan.only.size ? [...plan.only].join(', ') : 'B1–B12'}, storage ${plan.storages.join(' then ')}` : ''}.`,
    '',
    `- **Machine:** ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM; ${machine.os}; Node ${machine.node}. Servers, load generator and ceilings share the cores.`,
    `- **Peer:** CNCF Distribution (\`${machine.tools.distribution}\`) with Docker token auth (ES256 tokens the harness mints, checked to be enforced), in-memory blob descriptor cache, on the same storage as Wharf: a folder, then MinIO (\`${machine.tools.minio}\`). Wharf as built by \`npm start\`, token auth on, embedded PostgreSQL.`,
    `- **Clients:** a load generator in its own process (undici; blob bodies made before the clock starts, but for B12's; blob pulls over plain sockets into one reused buffer); skopeo (\`${machine.tools.skopeo}\`); ${machine.tools.chromium}.`,
    `- **Method:** each row ${plan.warmup ? 'warms up once, then runs' : 'runs'} ${plan.rounds} time${plan.rounds === 1 ? '' : 's'} per subject${plan.transferRounds !== plan.rounds ? ` (B4's pulls ${plan.pullRounds} times, the single big transfers of B5 and B6 ${plan.transferRounds} times, B11's copies ${plan.clientRounds} times)` : ''}, Wharf, peer and ceiling in turn, in an order that changes every round through every order of the three; figures are medians, and the targets are judged on the ratio of Wharf's median to the peer's (Wharf/peer). "Per round" is the median of the ratios of the two runs of each round, and in how many rounds Wharf did better. Rates of request rows are over ${plan.rateMs / 1000} s runs. MB/s is 10⁶ bytes per second. ↑: higher is better; ↓: lower is better (so a Wharf/peer ratio above 1 is good for ↑ rows and bad for ↓ rows).`,
  ].join('\n');
}

function references(results: Results): string {
  if (results.references.length === 0) return '';
  return ['', 'Reference figures of the same run:', '', ...results.references.map((r) => `- ${r.name}: ${fmt(r.value)} ${r.unit}`)].join('\n');
}

const region = (name: string, body: string) => `<!-- bench:${name}:start -->\n${body}\n<!-- bench:${name}:end -->`;

/** The whole document, for a first write (the prose sections are left for the maintainers). */
export function benchmarksDocument(plan: Plan, machine: Machine | undefined, entries: readonly Entry[], results: Results | undefined, date: string): string {
  const rows = Object.entries(ROW_TEXT).flatMap(([id, row]) => [`### ${id} — ${row.title}`, '', row.text, '', '#### What limits it now', '', '_To be written from the full run._', '']);
  return [
    '# Benchmarks',
    '',
    'Wharf against CNCF Distribution 2.8.2 (the reference registry) and against the physical limit of each operation on the same machine, in the same run: the benchmark plan B1–B12 of performance.md §3. `npm run bench` measures everything and rewrites the marked regions of this file and `bench-results.json`; `npm run bench -- --quick` is a small version (reports/bench-quick.md), run by `npm test`.',
    '',
    region('summary', machine ? summary(plan, machine, date) : '_Not measured yet: run `npm run bench` on a quiet machine._'),
    '',
    '## Running it',
    '',
    RUNNING,
    '',
    '## Results',
    '',
    region('results', results ? `${resultsTable(entries)}\n${references(results)}` : '_Not measured yet._'),
    '',
    '## Rows',
    '',
    ...rows,
  ].join('\n');
}

/** Replaces the marked regions of an existing document, keeping everything else (the prose). */
function updateDocument(text: string, plan: Plan, machine: Machine, entries: readonly Entry[], results: Results, date: string): string {
  const replace = (doc: string, name: string, body: string) => doc.replace(new RegExp(`<!-- bench:${name}:start -->[\\s\\S]*?<!-- bench:${name}:end -->`), region(name, body));
  return replace(replace(text, 'summary', summary(plan, machine, date)), 'results', `${resultsTable(entries)}\n${references(results)}`);
}

/** Writes the JSON array and the markdown report of a run. */
export function writeReport(plan: Plan, machine: Machine, results: Results): { json: string; markdown: string } {
  const date = new Date().toISOString().slice(0, 10);
  const json = join(root, plan.jsonFile);
  const markdown = join(root, plan.markdownFile);
  mkdirSync(dirname(json), { recursive: true });
  mkdirSync(dirname(markdown), { recursive: true });
  // Row order (B1…B12), each row's figures in the order measured.
  const order = (id: string) => Number(/^B(\d+)/.exec(id)?.[1] ?? 99);
  const entries = [...results.entries].sort((a, b) => order(a.id) - order(b.id));
  writeFileSync(json, `${JSON.stringify(entries, null, 2)}\n`);
  const existing = existsSync(markdown) ? readFileSync(markdown, 'utf8') : '';
  const document =
    plan.quick
      ? ['# Quick benchmark (npm run bench -- --quick)', '', 'Small sizes and one run each: a check that every row works, not figures to quote (docs/benchmarks.md has those).', '', summary(plan, machine, date), '', resultsTable(entries), references(results), ''].join('\n')
      : plan.partial
        ? ['# Partial benchmark run', '', 'Full sizes, part of the suite: figures to compare with docs/benchmarks.md, which only a run of the whole suite rewrites.', '', summary(plan, machine, date), '', resultsTable(entries), references(results), ''].join('\n')
        : existing.includes('<!-- bench:results:start -->') && existing.includes('<!-- bench:summary:start -->')
          ? updateDocument(existing, plan, machine, entries, results, date)
          : benchmarksDocument(plan, machine, entries, results, date);
  writeFileSync(markdown, document);
  return { json, markdown };
}
