// B11: a real client. skopeo pushes and pulls a one-layer image, pushes it again, and pushes
// it to a second repository of the same registry (a cross-repository mount).
import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import { sha256, writeDataFile } from '../load/data';
import { interleave, type Runner } from '../measure';
import { sizeLabel } from '../plan';
import { OCI_MANIFEST } from '../seed';
import type { Registry } from '../servers/registry';
import { processCounters } from '../support/processes';
import type { Row } from './row';

const exec = promisify(execFile);

/** Writes an OCI image layout with one generated layer of `size` bytes, tagged `v1`. */
async function writeLayout(dir: string, seed: string, size: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const temporary = join(blobs, 'layer.tmp');
  const layerDigest = await writeDataFile(temporary, seed, size);
  const write = (content: Buffer) => {
    const digest = sha256(content);
    writeFileSync(join(blobs, digest.slice(7)), content);
    return digest;
  };
  renameSync(temporary, join(blobs, layerDigest.slice(7)));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layerDigest] }, config: {} }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: write(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: statSync(join(blobs, layerDigest.slice(7))).size }],
    }),
  );
  const manifestDigest = write(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] }),
  );
}

/** Seconds that one `skopeo copy` takes. */
async function copy(args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  try {
    await exec('skopeo', ['copy', '--quiet', ...args], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`skopeo copy ${args.slice(-2).join(' ')} failed: ${stderr?.trim() ?? String(error)}`);
  }
  return (performance.now() - t0) / 1000;
}

export const b11: Row = {
  id: 'B11',
  title: 'skopeo: push, pull, push again, cross-repository mount',
  perStorage: true,
  async run(phase) {
    const size = phase.plan.blobBytes;
    const layouts = join(phase.dir, 'b11');
    const layoutOf = (round: number) => join(layouts, `image-${round < 0 ? 'w' : round}`);
    const scratch = join(layouts, 'pulled');
    let prepared: number | undefined;
    // One new image per round (a new layer, so no registry already has it), written before
    // the round's first copy; the previous round's is deleted.
    const layout = async (round: number) => {
      if (prepared !== round) {
        if (prepared !== undefined) rmSync(layoutOf(prepared), { recursive: true, force: true });
        await writeLayout(layoutOf(round), `b11${phase.suffix}-${round}`, size);
        prepared = round;
      }
      return `oci:${layoutOf(round)}:v1`;
    };
    // What serving a pull costs each registry, apart from the client's pace: Wharf's process
    // and its PostgreSQL (which only Wharf uses), Distribution's process.
    const registryCpuSeconds = (registry: Registry) => processCounters(registry.pid).cpuSeconds + (registry === phase.wharf ? phase.pg.cpuSeconds() : 0);
    // Logged, not reported: on S3, MinIO's CPU over the pull (it shares the cores too) and
    // the MB it read from the drive rather than the page cache.
    const store = phase.storage === 's3' ? phase.minio?.pid : undefined;
    const storeCounters = () => (store === undefined ? { cpuSeconds: 0, storageReadBytes: 0 } : processCounters(store));
    const runner =
      (registry: Registry): Runner =>
      async (round) => {
        const source = await layout(round);
        const host = new URL(registry.url).host;
        const repository = `bench/b11-${round < 0 ? 'w' : round}`;
        const creds = `${registry.credentials.username}:${registry.credentials.password}`;
        const dest = ['--dest-tls-verify=false', '--dest-creds', creds];
        rmSync(scratch, { recursive: true, force: true });
        const push = await copy([...dest, source, `docker://${host}/${repository}:v1`]);
        const cpuBefore = registryCpuSeconds(registry);
        const storeBefore = storeCounters();
        const pulled = await copy(['--src-tls-verify=false', '--src-creds', creds, `docker://${host}/${repository}:v1`, `dir:${scratch}`]);
        const pullCpu = registryCpuSeconds(registry) - cpuBefore;
        const storeAfter = storeCounters();
        const minio = { minioCpu: storeAfter.cpuSeconds - storeBefore.cpuSeconds, minioDiskMB: (storeAfter.storageReadBytes - storeBefore.storageReadBytes) / 1e6 };
        rmSync(scratch, { recursive: true, force: true });
        const repush = await copy([...dest, source, `docker://${host}/${repository}:v1`]);
        const mount = await copy([...dest, source, `docker://${host}/${repository}-mounted:v1`]);
        return { push, pull: pulled, repush, mount, pullCpu, ...(store === undefined ? {} : minio) };
      };
    const measured = await interleave(`B11${phase.suffix}`, phase.plan, {
      wharf: runner(phase.wharf),
      peer: runner(phase.peer),
      // The same copy into a local directory: what skopeo's own reading, hashing and writing cost.
      ceiling: async (round) => {
        rmSync(scratch, { recursive: true, force: true });
        const seconds = await copy([await layout(round), `dir:${scratch}`]);
        rmSync(scratch, { recursive: true, force: true });
        return { push: seconds, pull: seconds };
      },
    }, { rounds: phase.plan.clientRounds });
    rmSync(layouts, { recursive: true, force: true });
    const image = `a one-layer ${sizeLabel(size)} image`;
    const common = { unit: 's', better: 'lower' as const, peerOf: `Distribution 2.8.2 (${phase.storage === 'fs' ? 'filesystem' : 'S3'}), same copies; token from the harness's token service` };
    const local = 'skopeo copy of the same image oci: → dir: (its own reading, hashing, writing)';
    phase.results.figure(measured, { id: `B11-push${phase.suffix}`, name: `skopeo copy of ${image} to the registry (${phase.storage})`, metric: 'push', ceilingOf: local, ...common });
    phase.results.figure(measured, { id: `B11-pull${phase.suffix}`, name: `skopeo copy of ${image} from the registry to dir: (${phase.storage})`, metric: 'pull', ceilingOf: local, ...common });
    phase.results.figure(measured, {
      id: `B11-pull-cpu${phase.suffix}`,
      name: `registry CPU while skopeo pulls ${image} (${phase.storage})`,
      unit: 's',
      better: 'lower',
      metric: 'pullCpu',
      peerOf: "Distribution 2.8.2's process, same pulls; Wharf's figure is its process and its PostgreSQL's",
    });
    phase.results.figure(measured, { id: `B11-repush${phase.suffix}`, name: `skopeo copy of the same image again (blobs exist) (${phase.storage})`, metric: 'repush', ...common });
    phase.results.figure(measured, { id: `B11-mount${phase.suffix}`, name: `skopeo copy of the same image to another repository (mount) (${phase.storage})`, metric: 'mount', ...common });
  },
};
