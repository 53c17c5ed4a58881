import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { hostPort, root, startWharf, type StartedWharf } from '../support/wharf-process.cjs';
import { adminCredentials, logIn } from './support/credentials';
import { digestsOf, readTree, removeDir, tarOf, tempDir, untar, type Tree } from './support/fixtures';
import { bearerChallenge, RegistryApi, sha256, type ImageManifest } from './support/registry-api';
import { run } from './support/run';

/**
 * Wharf listening on an IPv6 address (HOST=::1), as a dual-stack deployment runs it: the
 * token realm and upload locations it derives from the Host header keep the address in
 * brackets, and clients that parse IPv6 references (crane, oras) push and pull through it.
 * The docker daemon (20.10), podman (4.3) and skopeo (1.9) of this machine refuse a reference
 * such as `[::1]:5000/x` before sending anything ("invalid reference format"): their limit,
 * not the registry's (the docker CLI here, 28.2, parses it; its daemon does not).
 */
describe('Wharf on IPv6', () => {
  // Not under mkdtemp's /tmp folder: the embedded PostgreSQL runs as OS user postgres and needs
  // every parent folder to be traversable.
  const dataDir = join(root, '.cache', 'test-runs', 'e2e-ipv6');
  const imageTree: Tree = { 'etc/motd': 'served over IPv6\n', 'data/payload.bin': randomBytes(64 * 1024) };
  let server: StartedWharf;
  let host: string;
  let api: RegistryApi;
  let work: string;

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    work = tempDir('ipv6');
    server = await startWharf({ dataDir, host: '::1' });
    host = hostPort('::1', server.port);
    api = new RegistryApi(server.url);
    await logIn(host, adminCredentials(), ['crane', 'oras']);
  });

  afterAll(async () => {
    await server?.stop();
    removeDir(work);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on ::1 and names its token service at the same bracketed address', async () => {
    expect(server.url).toBe(`http://[::1]:${server.port}`);
    const response = await fetch(`${server.url}/v2/`);
    await response.arrayBuffer();
    expect(response.status).toBe(401);
    expect(bearerChallenge(response.headers.get('www-authenticate'))?.realm).toBe(`http://[::1]:${server.port}/token`);
  });

  it('takes a chunked upload at the location it gives, and serves the blob', async () => {
    const name = 'admin/ipv6-blobs';
    const parts = [randomBytes(300 * 1024), randomBytes(100 * 1024)];
    const whole = Buffer.concat(parts);
    const started = await api.request(`/v2/${name}/blobs/uploads/`, { method: 'POST' });
    await started.arrayBuffer();
    expect(started.status).toBe(202);
    let location = new URL(started.headers.get('location')!, server.url);
    expect(location.host).toBe(host);
    let offset = 0;
    for (const part of parts) {
      const patched = await api.fetch(location, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${offset}-${offset + part.length - 1}` },
        body: part,
      });
      await patched.arrayBuffer();
      expect(patched.status).toBe(202);
      offset += part.length;
      location = new URL(patched.headers.get('location')!, server.url);
      expect(location.host).toBe(host);
    }
    location.searchParams.set('digest', sha256(whole));
    const committed = await api.fetch(location, { method: 'PUT' });
    await committed.arrayBuffer();
    expect(committed.status).toBe(201);
    expect(new URL(committed.headers.get('location')!, server.url).host).toBe(host);
    expect(await api.blob(name, sha256(whole))).toEqual(whole);
  });

  it('lets crane push an image and export it again', async () => {
    const ref = `${host}/admin/ipv6-app:1.0`;
    await tarOf(imageTree, join(work, 'layer.tar'));
    await run('crane', ['append', '--insecure', '--oci-empty-base', '-f', join(work, 'layer.tar'), '-t', ref]);
    const digest = (await run('crane', ['digest', '--insecure', ref])).trim();
    const served = await api.manifest('admin/ipv6-app', '1.0');
    expect(digest).toBe(served.digest);
    await run('crane', ['export', '--insecure', `${host}/admin/ipv6-app@${digest}`, join(work, 'exported.tar')]);
    await untar(join(work, 'exported.tar'), join(work, 'exported'));
    expect(readTree(join(work, 'exported'))).toEqual(digestsOf(imageTree));
  });

  it('lets oras push a file and pull it back', async () => {
    const content = `an artifact over IPv6 ${randomBytes(8).toString('hex')}\n`;
    const pushDir = join(work, 'oras-push');
    mkdirSync(pushDir);
    writeFileSync(join(pushDir, 'notes.txt'), content);
    const ref = `${host}/admin/ipv6-artifact:v1`;
    await run('oras', ['push', '--plain-http', ref, 'notes.txt'], { cwd: pushDir });
    const manifest = await api.manifest('admin/ipv6-artifact', 'v1');
    const layers = (JSON.parse(manifest.bytes.toString('utf8')) as ImageManifest).layers;
    expect(layers.map((layer) => layer.digest)).toEqual([sha256(content)]);
    const pullDir = join(work, 'oras-pull');
    await run('oras', ['pull', '--plain-http', '-o', pullDir, ref]);
    expect(readFileSync(join(pullDir, 'notes.txt'), 'utf8')).toBe(content);
  });
});
