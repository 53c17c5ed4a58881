import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { adminCredentials, credsFlag, logIn } from './support/credentials';
import { e2eEnv, uniqueSuffix } from './support/e2e-env';
import { digestsOf, randomText, readTree, removeDir, tarOf, tempDir, untar, writeTree, type Tree } from './support/fixtures';
import { RegistryApi, sha256, type ImageManifest, type IndexManifest } from './support/registry-api';
import { run, runFull, type RunOptions } from './support/run';
import { createOrganization } from './support/wharf-cli';

/**
 * Real clients (docker, podman, skopeo, crane, oras) against the one Wharf process started by
 * test/support/e2e-setup.ts, logged in as its admin, pushing into an organization created
 * with the admin CLI. The steps run in order and build on each other (the docker image
 * pushed first is copied, mounted and referred to later). Repository names carry a random
 * suffix so that reruns against a reused server do not collide.
 */
describe('real clients against Wharf', () => {
  const env = e2eEnv();
  const admin = adminCredentials(env.adminPassword);
  const api = new RegistryApi(env.url, admin);
  const id = uniqueSuffix();
  const repo = {
    team: `org/team/app-${id}`,
    other: `org/other/app-${id}`,
    never: `org/never/pushed-${id}`,
    podman: `org/podman/app-${id}`,
    skopeo: `org/skopeo/copy-${id}`,
    multi: `org/crane/multi-${id}`,
    oras: `org/oras/artifact-${id}`,
  };
  /** `host/name:tag` or `host/name@digest` */
  const ref = (name: string, reference: string) => `${env.host}/${name}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;

  const docker = (args: string[], options: RunOptions = {}) => runFull('docker', args, { ...options, env: { DOCKER_BUILDKIT: '0', ...options.env } });
  const podman = (args: string[]) => run('podman', args);
  // skopeo gets its credentials per call
  const skopeo = (args: string[]) => run('skopeo', [...env.skopeoFlags, ...args]);
  const crane = (args: string[]) => run('crane', args);
  const oras = (args: string[], cwd?: string) => runFull('oras', args, { cwd });

  let work: string;
  // docker: one build context, two Dockerfiles whose first layer is the same COPY
  const content = { a: `shared layer ${id}\n${randomText(512)}`, b: randomText(), c: randomBytes(4096), v2: randomText() };
  const contextTree: Tree = { 'a.txt': content.a, 'b.txt': content.b, 'c.bin': content.c, 'v2.txt': content.v2 };
  // what the images hold under /wharf
  const appTree: Tree = { 'a.txt': content.a, 'sub/b.txt': content.b, 'c.bin': content.c };
  const v2Tree: Tree = { 'a.txt': content.a, 'v2.txt': content.v2 };
  let contextDir: string;
  let imageId: string; // config digest of the first docker image
  let imageLayers: string[]; // its diff IDs
  let pushed: { digest: string; manifest: ImageManifest };
  // podman: a root filesystem tarball
  const podmanTree: Tree = { 'etc/greeting': `hello from podman ${id}\n`, 'data/blob.bin': randomBytes(3000) };
  let rootfsTar: string;
  // crane: one layer per platform
  const platforms = [
    { name: 'amd64', platform: 'linux/amd64', tree: { 'x/arch.txt': `amd64 payload ${id}\n` } as Tree },
    { name: 'arm64', platform: 'linux/arm64/v8', tree: { 'x/arch.txt': `arm64 payload ${id}\n`, 'x/extra.bin': randomBytes(1024) } as Tree },
  ];
  const platformDigests: Record<string, string> = {};
  // oras: an artifact and an SBOM-like referrer
  const artifactType = 'application/vnd.wharf.e2e.report.v1+json';
  const reportTree: Tree = { 'report.json': JSON.stringify({ run: id, ok: true, noise: randomText(64) }) };
  const sbomTree: Tree = { 'sbom.spdx.json': JSON.stringify({ spdxVersion: 'SPDX-2.3', name: `app-${id}`, packages: [] }) };
  let orasDir: string;
  let sbomDigest: string;

  beforeAll(async () => {
    await createOrganization('org');
    await logIn(env.host, admin, ['docker', 'podman', 'crane', 'oras']);
    work = tempDir('clients');
    contextDir = join(work, 'context');
    writeTree(contextDir, contextTree);
    writeFileSync(join(contextDir, 'Dockerfile'), ['FROM scratch', 'COPY a.txt /wharf/a.txt', 'COPY b.txt /wharf/sub/b.txt', 'COPY c.bin /wharf/c.bin', ''].join('\n'));
    writeFileSync(join(contextDir, 'Dockerfile.v2'), ['FROM scratch', 'COPY a.txt /wharf/a.txt', 'COPY v2.txt /wharf/v2.txt', ''].join('\n'));
    await docker(['build', '-q', '-f', join(contextDir, 'Dockerfile'), '-t', ref(repo.team, '1.0'), contextDir]);
    const inspected = JSON.parse((await docker(['image', 'inspect', ref(repo.team, '1.0')])).stdout) as Array<{ Id: string; RootFS: { Layers: string[] } }>;
    imageId = inspected[0]!.Id;
    imageLayers = inspected[0]!.RootFS.Layers;
    // The second image is built now, while the build cache still holds the first COPY (a
    // rebuild later would give /wharf a new mtime, i.e. another layer), then kept as a tarball
    // so that nothing local shares layers with the first image while it is pulled back.
    await docker(['build', '-q', '-f', join(contextDir, 'Dockerfile.v2'), '-t', ref(repo.team, '2.0'), contextDir]);
    await docker(['save', '-o', join(work, 'v2.tar'), ref(repo.team, '2.0')]);
    await docker(['rmi', ref(repo.team, '2.0')]);

    rootfsTar = join(work, 'rootfs.tar');
    await tarOf(podmanTree, rootfsTar);
    for (const { name, tree } of platforms) await tarOf(tree, join(work, `${name}.tar`));

    orasDir = join(work, 'oras');
    writeTree(orasDir, { ...reportTree, ...sbomTree });
  });

  afterAll(async () => {
    for (const image of [imageId, ref(repo.team, '2.0')]) {
      if (image) await docker(['rmi', '-f', image]).catch(() => undefined);
    }
    await podman(['rmi', '-f', ref(repo.podman, '1.0')]).catch(() => undefined);
    removeDir(work);
  });

  /** The files under /wharf of a local docker image, read without running it. */
  async function dockerImageFiles(image: string): Promise<Record<string, string>> {
    const container = (await docker(['create', '--network', 'none', image, '/nothing'])).stdout.trim();
    const out = tempDir('docker-cp');
    try {
      await docker(['cp', `${container}:/wharf`, out]);
      return readTree(join(out, 'wharf'));
    } finally {
      await docker(['rm', '-f', container]).catch(() => undefined);
      removeDir(out);
    }
  }

  /** The local image ID a reference resolves to, undefined when docker has no such image. */
  async function dockerImageId(reference: string): Promise<string | undefined> {
    try {
      return (await docker(['image', 'inspect', '--format', '{{.Id}}', reference])).stdout.trim();
    } catch (error) {
      if (/No such image/i.test(String(error))) return undefined;
      throw error;
    }
  }

  function pushedDigest(output: string, tag: string): string {
    const match = new RegExp(`${tag.replace('.', '\\.')}: digest: (sha256:[0-9a-f]{64}) size: (\\d+)`).exec(output);
    if (!match) throw new Error(`no digest line for ${tag} in push output:\n${output}`);
    return match[1]!;
  }

  const orasDigest = (output: string) => {
    const match = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(output);
    if (!match) throw new Error(`no Digest line in oras output:\n${output}`);
    return match[1]!;
  };

  describe('docker', () => {
    it('builds a multi-layer image from scratch', () => {
      expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(imageLayers).toHaveLength(3);
      expect(new Set(imageLayers).size).toBe(3);
    });

    it('pushes it to a nested repository path', async () => {
      const { stdout } = await docker(['push', ref(repo.team, '1.0')]);
      const digest = pushedDigest(stdout, '1.0');
      const fetched = await api.manifest(repo.team, '1.0');
      expect(fetched.digest).toBe(digest);
      expect(fetched.contentType).toBe('application/vnd.docker.distribution.manifest.v2+json');
      const manifest = JSON.parse(fetched.bytes.toString('utf8')) as ImageManifest;
      // the image ID is the config digest
      expect(manifest.config.digest).toBe(imageId);
      expect(manifest.layers).toHaveLength(3);
      for (const blob of [manifest.config, ...manifest.layers]) {
        expect(await api.blobHead(repo.team, blob.digest)).toEqual({ status: 200, size: blob.size });
      }
      expect(sha256(await api.blob(repo.team, manifest.config.digest))).toBe(manifest.config.digest);
      expect(await api.tags(repo.team)).toEqual(['1.0']);
      pushed = { digest, manifest };
    });

    it('pulls it back by tag after rmi, with identical content', async () => {
      await docker(['rmi', ref(repo.team, '1.0')]);
      expect(await dockerImageId(ref(repo.team, '1.0'))).toBeUndefined();
      const { stdout } = await docker(['pull', ref(repo.team, '1.0')]);
      expect(stdout).toContain(`Digest: ${pushed.digest}`);
      expect(stdout).toContain('Downloaded newer image');
      expect(stdout).not.toContain('Already exists');
      expect(await dockerImageId(ref(repo.team, '1.0'))).toBe(imageId);
      const [image] = JSON.parse((await docker(['image', 'inspect', imageId])).stdout) as Array<{ RepoDigests: string[]; RootFS: { Layers: string[] } }>;
      expect(image!.RepoDigests).toContain(ref(repo.team, pushed.digest));
      expect(image!.RootFS.Layers).toEqual(imageLayers);
      expect(await dockerImageFiles(imageId)).toEqual(digestsOf(appTree));
    });

    it('pulls it back by digest after rmi, with identical content', async () => {
      await docker(['rmi', '-f', imageId]);
      expect(await dockerImageId(imageId)).toBeUndefined();
      const { stdout } = await docker(['pull', ref(repo.team, pushed.digest)]);
      expect(stdout).toContain(`Digest: ${pushed.digest}`);
      expect(await dockerImageId(ref(repo.team, pushed.digest))).toBe(imageId);
      expect(await dockerImageFiles(ref(repo.team, pushed.digest))).toEqual(digestsOf(appTree));
    });

    it('pushes the same image to another repository by mounting its blobs', async () => {
      await docker(['tag', imageId, ref(repo.other, '1.0')]);
      const { stdout } = await docker(['push', ref(repo.other, '1.0')]);
      expect(pushedDigest(stdout, '1.0')).toBe(pushed.digest);
      // docker knows the layers came from repo.team and asks for a cross-repository mount
      expect(stdout.match(new RegExp(`Mounted from ${repo.team}`, 'g'))).toHaveLength(pushed.manifest.layers.length);
      for (const blob of [pushed.manifest.config, ...pushed.manifest.layers]) {
        expect(await api.blobHead(repo.other, blob.digest)).toEqual({ status: 200, size: blob.size });
        // linked per repository: a repository that never received it does not show it
        expect((await api.blobHead(repo.never, blob.digest)).status).toBe(404);
      }
      expect((await api.manifest(repo.other, '1.0')).digest).toBe(pushed.digest);
    });

    it('re-pushes an image sharing a layer without uploading that layer again', async () => {
      // built in beforeAll from the same first COPY, saved, removed: load it back
      await docker(['load', '-i', join(work, 'v2.tar')]);
      const [image] = JSON.parse((await docker(['image', 'inspect', ref(repo.team, '2.0')])).stdout) as Array<{ RootFS: { Layers: string[] } }>;
      expect(image!.RootFS.Layers).toHaveLength(2);
      expect(image!.RootFS.Layers[0]).toBe(imageLayers[0]);
      const { stdout } = await docker(['push', ref(repo.team, '2.0')]);
      expect(stdout.match(/Layer already exists/g)).toHaveLength(1);
      expect(stdout.match(/: Pushed/g)).toHaveLength(1);
      const fetched = await api.manifest(repo.team, '2.0');
      expect(fetched.digest).toBe(pushedDigest(stdout, '2.0'));
      const manifest = JSON.parse(fetched.bytes.toString('utf8')) as ImageManifest;
      expect(manifest.layers[0]).toEqual(pushed.manifest.layers[0]);
      expect(manifest.layers[1]!.digest).not.toBe(pushed.manifest.layers[1]!.digest);
      expect(await api.tags(repo.team)).toEqual(['1.0', '2.0']);
    });
  });

  describe('podman', () => {
    let digest: string;

    it('imports a rootfs tarball and pushes it', async () => {
      await podman(['import', rootfsTar, ref(repo.podman, '1.0')]);
      const digestFile = join(work, 'podman.digest');
      await podman(['push', '--digestfile', digestFile, ref(repo.podman, '1.0')]);
      digest = readFileSync(digestFile, 'utf8').trim();
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      const fetched = await api.manifest(repo.podman, '1.0');
      expect(fetched.digest).toBe(digest);
      const manifest = JSON.parse(fetched.bytes.toString('utf8')) as ImageManifest;
      expect(manifest.layers).toHaveLength(1);
      expect(await api.blobHead(repo.podman, manifest.layers[0]!.digest)).toEqual({ status: 200, size: manifest.layers[0]!.size });
      expect(await api.tags(repo.podman)).toEqual(['1.0']);
    });

    it('pulls it back after rmi, with identical content', async () => {
      await podman(['rmi', ref(repo.podman, '1.0')]);
      await expect(podman(['image', 'exists', ref(repo.podman, '1.0')])).rejects.toThrow(/exited with 1/);
      await podman(['pull', '--signature-policy', env.containersPolicy, ref(repo.podman, '1.0')]);
      expect((await podman(['image', 'inspect', '--format', '{{.Digest}}', ref(repo.podman, '1.0')])).trim()).toBe(digest);
      const mountpoint = (await podman(['image', 'mount', ref(repo.podman, '1.0')])).trim();
      try {
        expect(readTree(mountpoint)).toEqual(digestsOf(podmanTree));
      } finally {
        await podman(['image', 'unmount', ref(repo.podman, '1.0')]);
      }
    });
  });

  describe('skopeo', () => {
    it('copies an image between two repositories of Wharf', async () => {
      const digestFile = join(work, 'skopeo.digest');
      await skopeo(['copy', '--src-creds', credsFlag(admin), '--dest-creds', credsFlag(admin), '--digestfile', digestFile, `docker://${ref(repo.team, '1.0')}`, `docker://${ref(repo.skopeo, 'copy')}`]);
      // no conversion: the very same manifest lands in the other repository
      expect(readFileSync(digestFile, 'utf8').trim()).toBe(pushed.digest);
      const source = await api.manifest(repo.team, '1.0');
      const copy = await api.manifest(repo.skopeo, 'copy');
      expect(copy.bytes.equals(source.bytes)).toBe(true);
      for (const blob of pushed.manifest.layers) expect(await api.blobHead(repo.skopeo, blob.digest)).toEqual({ status: 200, size: blob.size });
    });

    it('inspects the copy', async () => {
      const inspected = JSON.parse(await skopeo(['inspect', '--creds', credsFlag(admin), `docker://${ref(repo.skopeo, 'copy')}`])) as { Name: string; Digest: string; RepoTags: string[]; Layers: string[]; Os: string };
      expect(inspected).toMatchObject({ Name: `${env.host}/${repo.skopeo}`, Digest: pushed.digest, RepoTags: ['copy'], Os: 'linux' });
      expect(inspected.Layers).toEqual(pushed.manifest.layers.map((layer) => layer.digest));
      const raw = await skopeo(['inspect', '--creds', credsFlag(admin), '--raw', `docker://${ref(repo.skopeo, 'copy')}`]);
      expect(sha256(raw)).toBe(pushed.digest);
    });
  });

  describe('crane', () => {
    let index: IndexManifest;
    let indexDigest: string;

    it('pushes two single-platform images', async () => {
      for (const { name, platform } of platforms) {
        await crane(['append', '--oci-empty-base', '-f', join(work, `${name}.tar`), '-t', ref(repo.multi, `tmp-${name}`)]);
        await crane(['mutate', '--set-platform', platform, ref(repo.multi, `tmp-${name}`), '-t', ref(repo.multi, name)]);
        platformDigests[name] = (await crane(['digest', ref(repo.multi, name)])).trim();
        expect((await api.manifest(repo.multi, name)).digest).toBe(platformDigests[name]);
        const config = JSON.parse(await crane(['config', ref(repo.multi, name)])) as { os: string; architecture: string; variant?: string };
        expect([config.os, config.architecture, config.variant].filter(Boolean).join('/')).toBe(platform);
      }
    });

    it('assembles and pushes a multi-platform index', async () => {
      await crane(['index', 'append', '-m', ref(repo.multi, 'amd64'), '-m', ref(repo.multi, 'arm64'), '-t', ref(repo.multi, '1.0')]);
      const raw = await crane(['manifest', ref(repo.multi, '1.0')]);
      index = JSON.parse(raw) as IndexManifest;
      expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(index.manifests.map((child) => ({ digest: child.digest, platform: child.platform }))).toEqual([
        { digest: platformDigests.amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { digest: platformDigests.arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ]);
      indexDigest = sha256(raw);
      const fetched = await api.manifest(repo.multi, '1.0');
      expect(fetched.contentType).toBe('application/vnd.oci.image.index.v1+json');
      expect(fetched.digest).toBe(indexDigest);
    });

    it('lists tags and resolves digests', async () => {
      expect((await crane(['ls', `${env.host}/${repo.multi}`])).trim().split('\n')).toEqual(['1.0', 'amd64', 'arm64', 'tmp-amd64', 'tmp-arm64']);
      expect((await crane(['digest', ref(repo.multi, '1.0')])).trim()).toBe(indexDigest);
      expect((await crane(['digest', '--platform', 'linux/arm64/v8', ref(repo.multi, '1.0')])).trim()).toBe(platformDigests.arm64);
      expect((await crane(['digest', '--platform', 'linux/amd64', ref(repo.multi, '1.0')])).trim()).toBe(platformDigests.amd64);
    });

    it('pulls a platform child by digest', async () => {
      for (const { name, tree } of platforms) {
        const exported = join(work, `export-${name}.tar`);
        await crane(['export', ref(repo.multi, platformDigests[name]!), exported]);
        const into = join(work, `export-${name}`);
        await untar(exported, into);
        expect(readTree(into)).toEqual(digestsOf(tree));
      }
    });
  });

  describe('oras', () => {
    let artifactDigest: string;

    it('pushes an artifact with a custom artifact type and pulls it back', async () => {
      const { stdout } = await oras(['push', '--plain-http', ref(repo.oras, 'v1'), '--artifact-type', artifactType, 'report.json:application/json'], orasDir);
      artifactDigest = orasDigest(stdout);
      const fetched = await api.manifest(repo.oras, 'v1');
      expect(fetched.digest).toBe(artifactDigest);
      const manifest = JSON.parse(fetched.bytes.toString('utf8')) as ImageManifest;
      expect(manifest.artifactType).toBe(artifactType);
      expect(manifest.layers).toEqual([expect.objectContaining({ mediaType: 'application/json', digest: sha256(reportTree['report.json']!), annotations: expect.objectContaining({ 'org.opencontainers.image.title': 'report.json' }) })]);
      const out = join(work, 'oras-pull');
      await oras(['pull', '--plain-http', '-o', out, ref(repo.oras, 'v1')]);
      expect(readTree(out)).toEqual(digestsOf(reportTree));
    });

    it('attaches an SBOM to the docker image through the referrers API', async () => {
      const { stdout } = await oras(['attach', '--plain-http', '--artifact-type', 'application/spdx+json', ref(repo.team, '1.0'), 'sbom.spdx.json:application/spdx+json'], orasDir);
      sbomDigest = orasDigest(stdout);
      const manifest = JSON.parse((await api.manifest(repo.team, sbomDigest)).bytes.toString('utf8')) as ImageManifest;
      expect(manifest.subject).toEqual({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: pushed.digest, size: expect.any(Number) });
      const referrers = await api.referrers(repo.team, pushed.digest);
      expect(referrers.manifests).toEqual([expect.objectContaining({ digest: sbomDigest, artifactType: 'application/spdx+json' })]);
      // the referrers API was used: no `sha256-<digest>` fallback tag was created
      const tags = await api.tags(repo.team);
      expect(tags.filter((tag) => tag.startsWith('sha256-'))).toEqual([]);
      expect(tags).toEqual(['1.0', '2.0']);
    });

    it('discovers the SBOM and pulls it back identical', async () => {
      const { stdout } = await oras(['discover', '--plain-http', '--format', 'json', ref(repo.team, '1.0')]);
      const discovered = JSON.parse(stdout) as { digest: string; referrers: Array<{ digest: string; artifactType: string }> };
      expect(discovered.digest).toBe(pushed.digest);
      expect(discovered.referrers).toEqual([expect.objectContaining({ digest: sbomDigest, artifactType: 'application/spdx+json' })]);
      const out = join(work, 'sbom-pull');
      await oras(['pull', '--plain-http', '-o', out, ref(repo.team, sbomDigest)]);
      expect(readTree(out)).toEqual(digestsOf(sbomTree));
    });
  });

  describe('tag deletion through the API', () => {
    it('removes the tag but keeps the manifest pullable by digest', async () => {
      const digest = (await api.manifest(repo.team, '2.0')).digest;
      const response = await api.request(`/v2/${repo.team}/manifests/2.0`, { method: 'DELETE' });
      expect(response.status).toBe(202);
      expect((await crane(['ls', `${env.host}/${repo.team}`])).trim().split('\n')).toEqual(['1.0']);
      expect(await api.manifestStatus(repo.team, '2.0')).toBe(404);
      expect((await crane(['digest', ref(repo.team, digest)])).trim()).toBe(digest);
      const exported = join(work, 'deleted-tag.tar');
      await crane(['export', ref(repo.team, digest), exported]);
      const into = join(work, 'deleted-tag');
      await untar(exported, into);
      expect(readTree(join(into, 'wharf'))).toEqual(digestsOf(v2Tree));
      // the other tag and its referrer are untouched
      expect((await api.manifest(repo.team, '1.0')).digest).toBe(pushed.digest);
    });
  });
});
