// The benchmark harness (performance.md §3, B1–B12): Wharf against Distribution 2.8.2 and
// against each operation's physical limit, interleaved in one run, on a folder and on MinIO.
// Started by test/bench/bench.mjs (`npm run bench`), which builds Wharf and this harness.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { LoadWorker } from './load/client';
import { openPhase, CEILING_BUCKET, type Phase, type Shared } from './phase';
import { parsePlan, selected, sizeLabel, type Plan } from './plan';
import { describeMachine, writeReport } from './report';
import { Results } from './results';
import { b4, b5, b6, b12 } from './rows/blobs';
import { b7 } from './rows/images';
import { b8, b9 } from './rows/listing';
import { b10, CHROMIUM } from './rows/portal';
import { b1, b2, b3 } from './rows/requests';
import type { Row } from './rows/row';
import { b11 } from './rows/skopeo';
import { startCeiling } from './servers/ceiling';
import { DISTRIBUTION_BINARY } from './servers/distribution';
import { hasMinio, MinioServer, minioBinary } from './servers/minio';
import { PeerAuth } from './servers/peer-auth';
import { Postgres } from './servers/postgres';
import { say } from './support/log';
import { benchCache, root } from './support/paths';
import { installExitHandlers, interrupted, stopAll } from './support/processes';
import { MiB } from './support/stats';

/** In order: B10 after B8 (it uses B8's tags), the restarts of B6 after the rows that time steady state. */
const ROWS: readonly Row[] = [b1, b2, b3, b4, b5, b7, b8, b9, b10, b11, b6, b12];

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

/** Everything the harness needs that is not an npm package; fails naming all that is missing. */
function preflight(plan: Plan): void {
  const missing: string[] = [];
  const needs = (id: string) => selected(plan, id);
  if (!existsSync(join(root, 'apps/api/dist/main.js'))) missing.push('the API build (apps/api/dist/main.js): run `npx nx run api:build`');
  if (needs('B10') && !existsSync(join(root, 'apps/web/.next/BUILD_ID'))) missing.push('the portal build (apps/web/.next): run `npx nx run web:build`');
  if (!existsSync(DISTRIBUTION_BINARY)) missing.push(`Distribution 2.8.2 (${DISTRIBUTION_BINARY}): apt-get install -y docker-registry`);
  if (plan.storages.includes('s3') && !hasMinio()) missing.push(`MinIO (${minioBinary()}): bash infra/scripts/ensure-tools.sh`);
  if (needs('B11') && !onPath('skopeo')) missing.push('skopeo: apt-get install -y skopeo');
  if (needs('B10') && !existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM}): apt-get install -y chromium`);
  if (!onPath('openssl')) missing.push('openssl (makes the peer\'s token signing certificate): apt-get install -y openssl');
  if (missing.length > 0) {
    throw new Error(`the benchmark cannot run; missing:\n  - ${missing.join('\n  - ')}\n(bash infra/scripts/ensure-tools.sh installs the tools)`);
  }
}

async function startShared(plan: Plan, results: Results, worker: LoadWorker): Promise<Shared> {
  const runDir = join(benchCache, 'run');
  rmSync(runDir, { recursive: true, force: true });
  const logDir = join(runDir, 'logs');
  const filesDir = join(runDir, 'files');
  const sinkDir = join(runDir, 'sink');
  for (const dir of [logDir, filesDir, sinkDir]) mkdirSync(dir, { recursive: true });
  say(`run folder ${runDir}`);
  const peerAuth = PeerAuth.create(join(runDir, 'pki'));
  say('starting the reference servers, PostgreSQL (embedded, as npm start runs it) and MinIO');
  const startMinio = async () => {
    if (!plan.storages.includes('s3')) return undefined;
    const server = await MinioServer.start(join(runDir, 'minio'), join(logDir, 'minio.log'));
    for (const bucket of ['wharf', 'peer', CEILING_BUCKET]) await server.makeBucket(bucket);
    return server;
  };
  const [tokenServer, hello, sink, files, pg, minio] = await Promise.all([
    startCeiling('token', { keyFile: peerAuth.keyFile, certFile: peerAuth.certFile }, join(logDir, 'peer-token-service.log')),
    startCeiling('hello', {}, join(logDir, 'ceiling-hello.log')),
    startCeiling('sink', { dir: sinkDir }, join(logDir, 'ceiling-sink.log')),
    startCeiling('file', { dir: filesDir }, join(logDir, 'ceiling-files.log')),
    Postgres.start(join(runDir, 'postgres')),
    startMinio(),
  ]);
  results.reference('node:crypto SHA-256 (in the load process)', (await worker.run({ kind: 'hashRate', size: 512 * MiB })).mbps, 'MB/s');
  return { plan, worker, results, runDir, logDir, pg, minio, peerAuth, tokenServer, hello, sink, files, filesDir, sinkDir };
}

async function runPhase(phase: Phase, onceDone: Set<string>): Promise<void> {
  for (const row of ROWS) {
    if (!selected(phase.plan, row.id) || (!row.perStorage && onceDone.has(row.id))) continue;
    if (!row.perStorage) onceDone.add(row.id);
    say(`${row.id}${row.perStorage ? phase.suffix : ''}: ${row.title}`);
    try {
      await row.run(phase);
    } catch (error) {
      if (interrupted()) throw error;
      console.error(`bench: ${row.id}${row.perStorage ? phase.suffix : ''} failed: ${(error as Error).stack ?? String(error)}`);
      phase.results.fail(`${row.id}${row.perStorage ? phase.suffix : ''}`, row.title, error as Error);
    }
  }
}

/** Data goes (gigabytes of blobs), logs stay (.cache/bench/run/logs). */
function removeData(): void {
  for (const data of ['minio', 'files', 'postgres', 'sink', 'fs', 's3']) rmSync(join(benchCache, 'run', data), { recursive: true, force: true });
}

async function main(): Promise<number> {
  const plan = parsePlan(process.argv.slice(2));
  installExitHandlers(removeData);
  preflight(plan);
  say(
    `${plan.quick ? 'quick' : 'full'} run: rows ${plan.only.size ? [...plan.only].join(',') : 'B1–B12'}, storage ${plan.storages.join(' then ')}, ${plan.rounds} run(s) per subject${plan.warmup ? ' after a warm-up' : ''}, blobs ${sizeLabel(plan.blobBytes)}, ${plan.tags} tags, ${plan.repositories} repositories`,
  );
  const machine = describeMachine();
  const results = new Results();
  const worker = LoadWorker.start();
  try {
    const shared = await startShared(plan, results, worker);
    const onceDone = new Set<string>();
    for (const storage of plan.storages) {
      const phase = await openPhase(shared, storage);
      try {
        await runPhase(phase, onceDone);
      } finally {
        await phase.close();
      }
    }
  } finally {
    const t0 = Date.now();
    say('stopping the shared servers and removing the run\'s data (after B9 on MinIO this takes a minute or more)');
    await stopAll();
    removeData();
    say(`stopped and removed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (interrupted()) return 130;
  const { json, markdown } = writeReport(plan, machine, results);
  say(`wrote ${json} and ${markdown}`);
  const failed = results.failed;
  if (failed.length > 0) {
    console.error(`bench: ${failed.length} figure(s) failed or have no Wharf value: ${failed.map((e) => e.id).join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (error: Error) => {
    console.error(`bench: ${error.message}`);
    await stopAll();
    process.exit(1);
  },
);
