// B4–B6 and B12: big blobs in and out, streamed and never held in memory by the harness.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { writeDataFile } from '../load/data';
import type { PushJob, RequestSpec } from '../load/jobs';
import { interleave, type Metrics, type Runner, type Subject } from '../measure';
import { CEILING_BUCKET, type Phase } from '../phase';
import { sizeLabel } from '../plan';
import { KEEP_PREFIX } from '../servers/minio';
import { pullPush, type Registry } from '../servers/registry';
import { processCounters, RssSampler } from '../support/processes';
import { mbPerSecond } from '../support/stats';
import { rateRunner } from './requests';
import type { Row } from './row';

const storageName = (phase: Phase) => (phase.storage === 'fs' ? 'filesystem' : 'S3');
const peerOf = (phase: Phase, what = 'same operation') => `Distribution 2.8.2 (${storageName(phase)}), ${what}`;

/** Seconds to push one generated blob in `mode` (the load process makes it, and its digest, before the clock starts). */
async function pushOne(phase: Phase, registry: Registry | 'sink', repository: string, seed: string, size: number, mode: PushJob['mode'] = 'monolithic'): Promise<number> {
  const target = registry === 'sink' ? { url: phase.sink.url, authorization: 'none' } : { url: registry.url, authorization: await registry.authorization([pullPush(repository)]) };
  const result = await phase.worker.run({ kind: 'push', origin: target.url, repository, authorization: target.authorization, blobs: [{ seed }], size, mode });
  return result.seconds;
}

/** Runs `run`, then deletes what it wrote (outside the measurement). */
function cleaning(phase: Phase, run: Runner): Runner {
  return async (round) => {
    const since = Date.now();
    try {
      return await run(round);
    } finally {
      await phase.cleanBigBlobs(since);
    }
  };
}

const B4_REPOSITORY = 'bench/b4';

/**
 * The registry's own part of a redirected pull: GETs of the blob, one at a time on a kept-alive
 * connection, answered with a 307 that is not followed, for 3 s per run. Ceiling: B1's hello route, also
 * one at a time.
 */
async function redirectAnswer(phase: Phase, wharf: Registry, peer: Registry, path: string, peerOf: string): Promise<void> {
  const oneAtATime = (origin: string, request: RequestSpec, status: number): Runner => rateRunner(phase, origin, [request], 1, [status], Math.min(phase.plan.rateMs, 3_000));
  const blobGet = async (registry: Registry): Promise<RequestSpec> => ({ method: 'GET', path, headers: { authorization: await registry.authorization([`repository:${B4_REPOSITORY}:pull`]) } });
  const measured = await interleave(`B4 redirect answer${phase.suffix}`, phase.plan, {
    wharf: oneAtATime(wharf.url, await blobGet(wharf), 307),
    peer: oneAtATime(peer.url, await blobGet(peer), 307),
    ceiling: oneAtATime(phase.hello.url, { method: 'GET', path: '/hello' }, 200),
  });
  const name = `blob GET answered with a 307 to a presigned URL, not followed, one at a time (${phase.storage})`;
  for (const p of ['p50', 'p99'] as const) {
    phase.results.figure(measured, { id: `B4-redirect-answer-${p}${phase.suffix}`, name: `${name}: ${p} latency`, unit: 'ms', better: 'lower', metric: p, peerOf, ceilingOf: `NestJS + Fastify hello route ${p}, one at a time` });
  }
}

export const b4: Row = {
  id: 'B4',
  title: 'Blob pull',
  perStorage: true,
  async run(phase) {
    const size = phase.plan.blobBytes;
    const seed = `b4${phase.suffix}`;
    for (const registry of phase.registries) await pushOne(phase, registry, B4_REPOSITORY, seed, size);
    const { digest } = await phase.worker.run({ kind: 'digest', seed, size });
    const path = `/v2/${B4_REPOSITORY}/blobs/${digest}`;

    // The same bytes where the physical limit is measured: a file (filesystem) or an object (S3).
    let ceilingUrl: string;
    let ceilingOf: string;
    let ceilingPid: number;
    if (phase.storage === 'fs') {
      const file = join(phase.filesDir, `b4${phase.suffix}.bin`);
      await writeDataFile(file, seed, size);
      ceilingUrl = `${phase.files.url}/b4${phase.suffix}.bin`;
      ceilingPid = phase.files.pid;
      ceilingOf = 'Node file → HTTP response, 1 MiB highWaterMark, same client';
      spawnSync('cat', [file], { stdio: 'ignore' });
      const t0 = performance.now();
      spawnSync('cat', [file], { stdio: 'ignore' });
      phase.results.reference(`cat ${sizeLabel(size)} (page cache) → /dev/null`, mbPerSecond(size, (performance.now() - t0) / 1000), 'MB/s');
    } else {
      await phase.worker.run({ kind: 'putUrl', url: await phase.minio!.presignPut(CEILING_BUCKET, `${KEEP_PREFIX}b4`), seed, size });
      ceilingUrl = await phase.minio!.presignGet(CEILING_BUCKET, `${KEEP_PREFIX}b4`);
      ceilingPid = phase.minio!.pid;
      ceilingOf = 'raw MinIO GET of the same object (presigned URL), same client';
    }
    // Logged with each run, not reported: the serving process's CPU seconds and the MB it had
    // read from storage rather than the page cache, to tell a busy server from a waiting one;
    // and the CPU seconds of the load process and (on S3) of MinIO, which share the two cores.
    const pull =
      (url: string, server: number, authorization?: string, expectRedirect = false): Runner =>
      async () => {
        const store = phase.storage === 's3' ? phase.minio?.pid : undefined;
        const counters = () => ({ server: processCounters(server), client: processCounters(phase.worker.pid).cpuSeconds, store: store === undefined ? 0 : processCounters(store).cpuSeconds });
        const before = counters();
        const result = await phase.worker.run({ kind: 'pull', url, ...(authorization ? { authorization } : {}), expectSize: size });
        const after = counters();
        if (expectRedirect !== result.redirected) throw new Error(`GET ${url}: ${expectRedirect ? 'expected' : 'did not expect'} a redirect`);
        return {
          mbps: mbPerSecond(size, result.seconds),
          ttfb: result.ttfbMs,
          cpu: after.server.cpuSeconds - before.server.cpuSeconds,
          diskMB: (after.server.storageReadBytes - before.server.storageReadBytes) / 1e6,
          clientCpu: after.client - before.client,
          ...(phase.storage === 's3' ? { minioCpu: after.store - before.store } : {}),
        };
      };
    const modes: { mode: string; wharf: Registry; peer: Registry; redirect: boolean }[] = [{ mode: 'proxy', wharf: phase.wharf, peer: phase.peer, redirect: false }];
    if (phase.wharfRedirect && phase.peerRedirect) modes.push({ mode: 'redirect', wharf: phase.wharfRedirect, peer: phase.peerRedirect, redirect: true });
    for (const { mode, wharf, peer, redirect } of modes) {
      const measured = await interleave(`B4 ${mode}${phase.suffix}`, phase.plan, {
        wharf: pull(`${wharf.url}${path}`, wharf.pid, await wharf.authorization([`repository:${B4_REPOSITORY}:pull`]), redirect),
        peer: pull(`${peer.url}${path}`, peer.pid, await peer.authorization([`repository:${B4_REPOSITORY}:pull`]), redirect),
        ceiling: pull(ceilingUrl, ceilingPid),
      }, { rounds: phase.plan.pullRounds });
      const id = `B4-${mode}`;
      const name = `blob pull ${sizeLabel(size)}, ${mode === 'proxy' ? 'bytes through the registry' : '307 to a presigned URL'} (${phase.storage})`;
      const common = { peerOf: peerOf(phase, mode === 'proxy' ? 'redirect disabled' : 'redirect (its S3 default)'), ceilingOf };
      phase.results.figure(measured, { id: `${id}${phase.suffix}`, name, unit: 'MB/s', better: 'higher', metric: 'mbps', ...common });
      phase.results.figure(measured, { id: `${id}-ttfb${phase.suffix}`, name: `${name}: time to first byte`, unit: 'ms', better: 'lower', metric: 'ttfb', ...common });
      if (redirect) await redirectAnswer(phase, wharf, peer, path, common.peerOf);
    }
  },
};

export const b5: Row = {
  id: 'B5',
  title: 'Monolithic blob push (POST + PUT ?digest=), and docker\'s one PATCH without a length',
  perStorage: true,
  async run(phase) {
    const size = phase.plan.blobBytes;
    const runner =
      (registry: Registry | 'sink' | 's3'): Runner =>
      async (round) => {
        const seed = `b5${phase.suffix}-${typeof registry === 'string' ? registry : registry.label}-${round}`;
        if (registry === 's3') {
          // S3 takes no PUT without a length: one ceiling for both ways.
          const result = await phase.worker.run({ kind: 'putUrl', url: await phase.minio!.presignPut(CEILING_BUCKET, `b5-${round}`), seed, size });
          const mbps = mbPerSecond(size, result.seconds);
          return { mbps, lengthlessMbps: mbps };
        }
        return {
          mbps: mbPerSecond(size, await pushOne(phase, registry, 'bench/b5', seed, size)),
          lengthlessMbps: mbPerSecond(size, await pushOne(phase, registry, 'bench/b5', `${seed}-lengthless`, size, 'lengthless')),
        };
      };
    const measured = await interleave(`B5${phase.suffix}`, phase.plan, {
      wharf: cleaning(phase, runner(phase.wharf)),
      peer: cleaning(phase, runner(phase.peer)),
      ceiling: cleaning(phase, runner(phase.storage === 'fs' ? 'sink' : 's3')),
    }, { rounds: phase.plan.transferRounds });
    phase.results.figure(measured, {
      id: `B5${phase.suffix}`,
      name: `monolithic push ${sizeLabel(size)} (${phase.storage})`,
      unit: 'MB/s',
      better: 'higher',
      metric: 'mbps',
      peerOf: peerOf(phase),
      ceilingOf: phase.storage === 'fs' ? 'Node server: PUT body → file with node:crypto SHA-256' : 'raw MinIO PUT of the same size (presigned URL), same client',
    });
    phase.results.figure(measured, {
      id: `B5-lengthless${phase.suffix}`,
      name: `push ${sizeLabel(size)} as one PATCH without Content-Length, as docker sends its layers (${phase.storage})`,
      unit: 'MB/s',
      better: 'higher',
      metric: 'lengthlessMbps',
      peerOf: peerOf(phase),
      ceilingOf: phase.storage === 'fs' ? 'Node server: PATCH body → file with node:crypto SHA-256' : 'raw MinIO PUT of the same size with its length (S3 takes none without)',
    });
  },
};

export const b6: Row = {
  id: 'B6',
  title: 'Chunked push (PATCHes), and resuming it after a server restart',
  perStorage: true,
  async run(phase) {
    const { chunkedBytes: size, chunkBytes } = phase.plan;
    const chunks = Math.ceil(size / chunkBytes);
    const half = Math.floor(chunks / 2);
    const repository = 'bench/b6';
    const job = async (registry: Registry | 'sink', seed: string, extra: { stopAfterChunks?: number; resume?: string; size?: number } = {}) => {
      const target = registry === 'sink' ? { url: phase.sink.url, authorization: 'none' } : { url: registry.url, authorization: await registry.authorization([pullPush(repository)]) };
      return phase.worker.run({ kind: 'chunked', origin: target.url, repository, authorization: target.authorization, seed, size, chunkSize: chunkBytes, ...extra });
    };
    const registryRun =
      (registry: Registry): Runner =>
      async (round) => {
        const seed = `b6${phase.suffix}-${registry.label}-${round}`;
        const plain = await job(registry, `${seed}-plain`);
        // Half the chunks, a restart of the server (not timed), then the client asks where the
        // upload stands and sends the rest.
        const first = await job(registry, `${seed}-resumed`, { stopAfterChunks: half });
        await registry.restart();
        const rest = await job(registry, `${seed}-resumed`, { resume: first.handle! });
        // As many PATCHes in a new upload, also first on a freshly restarted server: what any
        // upload pays there (code not yet optimised, a heap still settling) without a resume.
        await registry.restart();
        const restAlone = await job(registry, `${seed}-after-restart`, { size: size - half * chunkBytes });
        return { seconds: plain.seconds, resumed: first.seconds + rest.seconds, resumeExtra: rest.seconds - restAlone.seconds };
      };
    // Re-reading (and hashing) the part uploaded before the restart is the most a resume may cost.
    const rereadBytes = half * chunkBytes;
    let reread: () => Promise<number>;
    if (phase.storage === 'fs') {
      const file = join(phase.filesDir, `b6-half${phase.suffix}.bin`);
      await writeDataFile(file, 'b6-half', rereadBytes);
      reread = async () => (await phase.worker.run({ kind: 'hashFile', path: file, bytes: rereadBytes })).seconds;
    } else {
      await phase.worker.run({ kind: 'putUrl', url: await phase.minio!.presignPut(CEILING_BUCKET, `${KEEP_PREFIX}b6-half`), seed: 'b6-half', size: rereadBytes });
      const url = await phase.minio!.presignGet(CEILING_BUCKET, `${KEEP_PREFIX}b6-half`);
      reread = async () => (await phase.worker.run({ kind: 'pull', url, expectSize: rereadBytes, hash: true })).seconds;
    }
    const measured = await interleave(`B6${phase.suffix}`, phase.plan, {
      wharf: cleaning(phase, registryRun(phase.wharf)),
      peer: cleaning(phase, registryRun(phase.peer)),
      ceiling: cleaning(phase, async (round) => ({ seconds: (await job('sink', `b6${phase.suffix}-sink-${round}`)).seconds, reread: await reread() })),
    }, { rounds: phase.plan.transferRounds });
    const name = `push ${sizeLabel(size)} as ${chunks} PATCHes of ${sizeLabel(chunkBytes)} (${phase.storage})`;
    phase.results.figure(measured, {
      id: `B6${phase.suffix}`,
      name,
      unit: 's',
      better: 'lower',
      metric: 'seconds',
      peerOf: peerOf(phase),
      ceilingOf: 'Node server: the same PATCHes → file with node:crypto SHA-256',
    });
    // Noise can make an extra time slightly negative, which means none.
    const atLeastNothing = (seconds: number | null) => (seconds === null ? null : Math.max(0, seconds));
    const restartExtra = (subject: Subject) => {
      const resumed = measured.median(subject, 'resumed');
      const plain = measured.median(subject, 'seconds');
      return resumed === null || plain === null ? null : atLeastNothing(resumed - plain);
    };
    const rereadCeiling = {
      ceiling: measured.median('ceiling', 'reread'),
      peerOf: peerOf(phase, 'stores its hash state per PATCH'),
      ceilingOf: phase.storage === 'fs' ? `re-reading and hashing the ${sizeLabel(rereadBytes)} already uploaded from a file` : `raw MinIO GET of ${sizeLabel(rereadBytes)} with hashing`,
    };
    phase.results.figure(measured, {
      id: `B6-resume${phase.suffix}`,
      name: `${name}: what resuming adds after a restart at ${half} PATCHes, over as many PATCHes of a new upload on a restarted server`,
      unit: 's',
      better: 'lower',
      metric: 'resumeExtra',
      wharf: atLeastNothing(measured.median('wharf', 'resumeExtra')),
      peer: atLeastNothing(measured.median('peer', 'resumeExtra')),
      ...rereadCeiling,
    });
    phase.results.figure(measured, {
      id: `B6-restart${phase.suffix}`,
      name: `${name}: extra time when the server restarts after ${half} PATCHes (resume and fresh process together)`,
      unit: 's',
      better: 'lower',
      metric: 'resumed',
      wharf: restartExtra('wharf'),
      peer: restartExtra('peer'),
      ...rereadCeiling,
    });
  },
};

export const b12: Row = {
  id: 'B12',
  title: 'Server memory during big and concurrent pushes',
  perStorage: true,
  async run(phase) {
    const { blobBytes, bigBlobBytes, concurrentPushes } = phase.plan;
    const repository = 'bench/b12';
    // Streamed pushes (POST, one PATCH with the whole blob and its Content-Length, PUT ?digest=), as
    // skopeo and crane push; docker sends the same PATCH without a length (S3 then buffers a part).
    const peakDuring = async (pid: number, push: () => Promise<unknown>) => {
      const since = Date.now();
      const sampler = new RssSampler(pid);
      try {
        await push();
      } finally {
        sampler.stop();
        await phase.cleanBigBlobs(since);
      }
      return sampler.stop();
    };
    const runner =
      (target: Registry | 'sink'): Runner =>
      async (round) => {
        const url = target === 'sink' ? phase.sink.url : target.url;
        const authorization = target === 'sink' ? 'none' : await target.authorization([pullPush(repository)]);
        const pid = target === 'sink' ? phase.sink.pid : target.pid;
        const seed = `b12${phase.suffix}-${target === 'sink' ? 'sink' : target.label}-${round}`;
        const push = (size: number, count: number, tag: string) => () =>
          phase.worker.run({ kind: 'push', origin: url, repository, authorization, blobs: Array.from({ length: count }, (_, i) => ({ seed: `${seed}-${tag}-${i}` })), size, mode: 'streamed' });
        const metrics: Metrics = {
          single: await peakDuring(pid, push(blobBytes, 1, 'single')),
          big: await peakDuring(pid, push(bigBlobBytes, 1, 'big')),
          concurrent: await peakDuring(pid, push(blobBytes, concurrentPushes, 'concurrent')),
        };
        return metrics;
      };
    // Peak memory needs no warm caches: no warm-up run (each run pushes gigabytes).
    const measured = await interleave(`B12${phase.suffix}`, phase.plan, { wharf: runner(phase.wharf), peer: runner(phase.peer), ceiling: runner('sink') }, { warmup: false });
    const ceilingOf = 'Node server receiving the same pushes into a file with node:crypto SHA-256';
    const common = { unit: 'MiB', better: 'lower' as const, peerOf: peerOf(phase, 'RSS of its process'), ceilingOf };
    phase.results.figure(measured, { id: `B12-single${phase.suffix}`, name: `peak RSS during one ${sizeLabel(blobBytes)} push (${phase.storage})`, metric: 'single', ...common });
    phase.results.figure(measured, { id: `B12-big${phase.suffix}`, name: `peak RSS during one ${sizeLabel(bigBlobBytes)} push (${phase.storage})`, metric: 'big', ...common });
    phase.results.figure(measured, {
      id: `B12-concurrent${phase.suffix}`,
      name: `peak RSS during ${concurrentPushes} concurrent ${sizeLabel(blobBytes)} pushes (${phase.storage})`,
      metric: 'concurrent',
      ...common,
    });
  },
};
