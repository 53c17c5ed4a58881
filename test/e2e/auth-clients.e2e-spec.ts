import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { adminCredentials, credsFlag, logIn, type Credentials } from './support/credentials';
import { e2eEnv, uniqueSuffix } from './support/e2e-env';
import { digestsOf, randomText, readTree, removeDir, tarOf, tempDir, untar, writeTree, type Tree } from './support/fixtures';
import { RegistryApi } from './support/registry-api';
import { attempt, run, runFull, type Outcome } from './support/run';
import { createOrganization, wharfCli } from './support/wharf-cli';

jest.setTimeout(300_000);

/**
 * Access control as users meet it, with real clients against the Wharf of
 * test/support/e2e-setup.ts: users, robots and personal access tokens made with the admin CLI
 * log docker, podman, crane and oras in (skopeo takes them per call), and what each may do is
 * what the registry lets through. Every client keeps its credentials in files of this suite
 * only, so logging in and out here touches no other suite.
 */
describe('access control with real clients', () => {
  const env = e2eEnv();
  const admin = adminCredentials(env.adminPassword);
  /** The admin's view, to see what a refused push left behind: nothing. */
  const adminApi = new RegistryApi(env.url, admin);
  const id = uniqueSuffix();
  /** A private organization, and a public one anyone may pull from. */
  const org = `team-${id}`;
  const publicOrg = `open-${id}`;
  const developer: Credentials = { username: `dev-${id}`, password: `dev-password-${id}` };
  const leaver: Credentials = { username: `leaver-${id}`, password: `leaver-password-${id}` };
  /** `robot$<org>+ci`: pull and push on app/*. */
  let robot: Credentials;
  /** `robot$<org>+reader`: pull only, on app/*. */
  let reader: Credentials;
  /** The developer with personal access tokens instead of the password. */
  let writeToken: Credentials;
  let readToken: Credentials;

  let work: string;
  let dockerEnv: Record<string, string>;
  let containersEnv: Record<string, string>;
  let craneEnv: Record<string, string>;
  let orasEnv: Record<string, string>;

  /** The image every docker test pushes (one layer of random text), and its tarball. */
  let imageId: string;
  let imageTar: string;
  /** What `docker push` reported for the first push. */
  let webDigest: string;

  const repository = (name: string) => `${env.host}/${name}`;
  const ref = (name: string, tag: string) => `${repository(name)}:${tag}`;
  const docker = (args: string[]) => runFull('docker', args, { env: { DOCKER_BUILDKIT: '0', ...dockerEnv } });
  const tryDocker = (args: string[]) => attempt('docker', args, { env: dockerEnv });
  const dockerLogin = (credentials: Credentials) => logIn(env.host, credentials, ['docker'], { env: dockerEnv });
  const dockerLogout = () => tryDocker(['logout', env.host]);
  const dockerAuth = () => (JSON.parse(readFileSync(join(dockerEnv.DOCKER_CONFIG!, 'config.json'), 'utf8')) as { auths?: Record<string, { auth?: string; identitytoken?: string }> }).auths?.[env.host];
  const skopeo = (args: string[]) => run('skopeo', [...env.skopeoFlags, ...args], { env: containersEnv });
  const trySkopeo = (args: string[]) => attempt('skopeo', [...env.skopeoFlags, ...args], { env: containersEnv });

  /** A client refused by the registry: a non-zero exit and the registry's word for it. */
  function expectRefused(outcome: Outcome, message: RegExp): void {
    expect({ exitCode: outcome.exitCode === 0 ? 0 : 'non-zero', message: message.test(outcome.stderr + outcome.stdout) ? 'as expected' : outcome.stderr + outcome.stdout }).toEqual({
      exitCode: 'non-zero',
      message: 'as expected',
    });
  }

  /** Tags the test image as `reference`, loading it back first when a test removed it. */
  async function tagImage(reference: string): Promise<void> {
    await docker(['load', '-q', '-i', imageTar]);
    await docker(['tag', imageId, reference]);
  }

  /** Removes every local copy of the image, so that a pull has to fetch it from Wharf. */
  const forgetImage = () => tryDocker(['rmi', '-f', imageId]);

  /** Pulls `reference` with nothing of it local; fails unless it is the very image pushed. */
  async function pullBack(reference: string): Promise<void> {
    await forgetImage();
    const { stdout } = await docker(['pull', reference]);
    expect(stdout).toContain('Downloaded newer image');
    expect((await docker(['image', 'inspect', '--format', '{{.Id}}', reference])).stdout.trim()).toBe(imageId);
  }

  async function push(reference: string): Promise<string> {
    await tagImage(reference);
    const { stdout } = await docker(['push', reference]);
    const digest = /: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(stdout)?.[1];
    if (!digest) throw new Error(`no digest in push output:\n${stdout}`);
    return digest;
  }

  async function tryPush(reference: string): Promise<Outcome> {
    await tagImage(reference);
    return tryDocker(['push', reference]);
  }

  beforeAll(async () => {
    work = tempDir('auth-clients');
    const configDir = (name: string) => {
      const dir = join(work, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.json'), '{"auths":{}}\n', { mode: 0o600 });
      return dir;
    };
    dockerEnv = { DOCKER_CONFIG: configDir('docker') };
    craneEnv = { DOCKER_CONFIG: configDir('crane') };
    orasEnv = { DOCKER_CONFIG: configDir('oras') };
    // podman and skopeo read $DOCKER_CONFIG too (and podman refuses to log in where docker
    // holds an identity token): an empty one, so that only their own file counts.
    const authFile = join(work, 'containers-auth.json');
    writeFileSync(authFile, '{"auths":{}}\n', { mode: 0o600 });
    containersEnv = { REGISTRY_AUTH_FILE: authFile, DOCKER_CONFIG: configDir('containers-docker') };

    await createOrganization(org);
    await createOrganization(publicOrg, { public: true });
    for (const user of [developer, leaver]) {
      await wharfCli(['user', 'create', user.username], { password: user.password });
      await wharfCli(['org', 'member', org, user.username, 'developer']);
    }
    const ci = await wharfCli<{ username: string; secret: string }>(['robot', 'create', org, 'ci', '--rule', 'app/*=pull,push']);
    const pullOnly = await wharfCli<{ username: string; secret: string }>(['robot', 'create', org, 'reader', '--rule', 'app/*=pull']);
    expect([ci.username, pullOnly.username]).toEqual([`robot$${org}+ci`, `robot$${org}+reader`]);
    robot = { username: ci.username, password: ci.secret };
    reader = { username: pullOnly.username, password: pullOnly.secret };
    const write = await wharfCli<{ secret: string }>(['token', 'create', developer.username, 'laptop', '--scope', 'read-write']);
    const read = await wharfCli<{ secret: string }>(['token', 'create', developer.username, 'dashboard', '--scope', 'read']);
    expect([write.secret, read.secret]).toEqual([expect.stringMatching(/^wharf_pat_/), expect.stringMatching(/^wharf_pat_/)]);
    writeToken = { username: developer.username, password: write.secret };
    readToken = { username: developer.username, password: read.secret };

    const context = join(work, 'context');
    writeTree(context, { 'payload.txt': `access control ${id}\n${randomText()}`, Dockerfile: 'FROM scratch\nCOPY payload.txt /payload.txt\n' });
    await docker(['build', '-q', '-t', `wharf-e2e-auth:${id}`, context]);
    imageId = (await docker(['image', 'inspect', '--format', '{{.Id}}', `wharf-e2e-auth:${id}`])).stdout.trim();
    imageTar = join(work, 'image.tar');
    await docker(['save', '-o', imageTar, `wharf-e2e-auth:${id}`]);
  });

  afterAll(async () => {
    if (imageId) await forgetImage();
    removeDir(work);
  });

  describe('docker', () => {
    it('logs in as a developer of the organization, pushes, pulls back and logs out', async () => {
      await dockerLogin(developer);
      webDigest = await push(ref(`${org}/app/web`, '1'));
      await pullBack(ref(`${org}/app/web`, '1'));
      expect((await dockerLogout()).stdout).toContain('Removing login credentials');
      expect(dockerAuth()).toBeUndefined();
    });

    it('once logged out, cannot pull the private image', async () => {
      await forgetImage();
      expectRefused(await tryDocker(['pull', ref(`${org}/app/web`, '1')]), /pull access denied.*denied: requested access to the resource is denied/s);
    });

    it('refuses a wrong password at docker login', async () => {
      const outcome = await attempt('docker', ['login', '--username', developer.username, '--password-stdin', env.host], { env: dockerEnv, input: 'not-the-password' });
      expectRefused(outcome, /unauthorized/);
      expect(dockerAuth()).toBeUndefined();
    });

    it('keeps the refresh token Wharf gives at login as its identity token, and pushes with it alone', async () => {
      await dockerLogin(developer);
      // docker asked with offline_token=true and got a refresh_token: it keeps that, and the
      // user name, but not the password
      const stored = dockerAuth();
      expect(stored?.identitytoken).toMatch(/^wharf_rt_/);
      expect(Buffer.from(stored?.auth ?? '', 'base64').toString('utf8')).toBe(`${developer.username}:`);
      expect(await push(ref(`${org}/app/web`, 'identity'))).toBe(webDigest);
      await pullBack(ref(`${org}/app/web`, 'identity'));
      // revoked, the identity token no longer logs docker in: it was the credential in use
      const revoked = await fetch(`${env.url}/token/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: stored!.identitytoken! }) });
      expect(revoked.status).toBe(200);
      expectRefused(await tryPush(ref(`${org}/app/web`, 'revoked')), /unauthorized/);
      await dockerLogout();
    });

    it('logs in as a robot account (robot$org+name) with its secret', async () => {
      await dockerLogin(robot);
      expect(await push(ref(`${org}/app/robot`, '1'))).toBe(webDigest);
      await pullBack(ref(`${org}/app/robot`, '1'));
      await dockerLogout();
    });

    it('takes a personal access token as the password', async () => {
      await dockerLogin(writeToken);
      expect(await push(ref(`${org}/app/token`, '1'))).toBe(webDigest);
      await pullBack(ref(`${org}/app/token`, '1'));
      await dockerLogout();
    });

    it('a robot with pull only on app/* pulls, and cannot push', async () => {
      await dockerLogin(reader);
      await pullBack(ref(`${org}/app/web`, '1'));
      expectRefused(await tryPush(ref(`${org}/app/reader`, '1')), /denied: requested access to the resource is denied/);
      expect(await adminApi.manifestStatus(`${org}/app/reader`, '1')).toBe(404);
      await dockerLogout();
    });

    it('a personal access token with scope read pulls, and cannot push', async () => {
      await dockerLogin(readToken);
      await pullBack(ref(`${org}/app/token`, '1'));
      expectRefused(await tryPush(ref(`${org}/app/read-token`, '1')), /denied: requested access to the resource is denied/);
      expect(await adminApi.manifestStatus(`${org}/app/read-token`, '1')).toBe(404);
      await dockerLogout();
    });

    it('pulls from a public organization without logging in, and cannot push there without', async () => {
      await dockerLogin(admin);
      expect(await push(ref(`${publicOrg}/app`, '1'))).toBe(webDigest);
      await dockerLogout();
      expect(dockerAuth()).toBeUndefined();
      await pullBack(ref(`${publicOrg}/app`, '1'));
      expectRefused(await tryPush(ref(`${publicOrg}/anonymous`, '1')), /denied: requested access to the resource is denied/);
      expect(await adminApi.manifestStatus(`${publicOrg}/anonymous`, '1')).toBe(404);
    });

    it('once the user is deleted, their stored login stops working and docker login fails', async () => {
      await dockerLogin(leaver);
      await pullBack(ref(`${org}/app/web`, '1'));
      expect(await wharfCli(['user', 'delete', leaver.username])).toEqual({ user: leaver.username, deleted: true });
      await forgetImage();
      expectRefused(await tryDocker(['pull', ref(`${org}/app/web`, '1')]), /unauthorized/);
      await dockerLogout();
      expectRefused(await attempt('docker', ['login', '--username', leaver.username, '--password-stdin', env.host], { env: dockerEnv, input: leaver.password }), /unauthorized/);
    });
  });

  describe('podman', () => {
    const podman = (args: string[]) => run('podman', args, { env: containersEnv });
    const tree: Tree = { 'etc/greeting': `hello from podman ${id}\n` };
    const image = ref(`${org}/app/podman`, '1');

    it('logs in, pushes, pulls back and logs out', async () => {
      const rootfs = join(work, 'rootfs.tar');
      await tarOf(tree, rootfs);
      await logIn(env.host, developer, ['podman'], { env: containersEnv });
      await podman(['import', rootfs, image]);
      const digestFile = join(work, 'podman.digest');
      await podman(['push', '--digestfile', digestFile, image]);
      const digest = readFileSync(digestFile, 'utf8').trim();
      await podman(['rmi', image]);
      await podman(['pull', '--signature-policy', env.containersPolicy, image]);
      expect((await podman(['image', 'inspect', '--format', '{{.Digest}}', image])).trim()).toBe(digest);
      await podman(['rmi', image]);
      await podman(['logout', env.host]);
      expectRefused(await attempt('podman', ['pull', '--signature-policy', env.containersPolicy, image], { env: containersEnv }), /unauthorized|authentication required|denied/i);
    });

    it('refuses a wrong password at podman login', async () => {
      const outcome = await attempt('podman', ['login', '--tls-verify=false', '--username', developer.username, '--password-stdin', env.host], { env: containersEnv, input: 'not-the-password' });
      expectRefused(outcome, /invalid username\/password/);
    });
  });

  describe('skopeo', () => {
    it('copies with --src-creds and --dest-creds, and inspects with --creds', async () => {
      const digestFile = join(work, 'skopeo.digest');
      await skopeo(['copy', '--src-creds', credsFlag(reader), '--dest-creds', credsFlag(writeToken), '--digestfile', digestFile, `docker://${ref(`${org}/app/web`, '1')}`, `docker://${ref(`${org}/app/skopeo`, 'copy')}`]);
      expect(readFileSync(digestFile, 'utf8').trim()).toBe(webDigest);
      const inspected = JSON.parse(await skopeo(['inspect', '--creds', credsFlag(readToken), `docker://${ref(`${org}/app/skopeo`, 'copy')}`])) as { Name: string; Digest: string };
      expect(inspected).toMatchObject({ Name: repository(`${org}/app/skopeo`), Digest: webDigest });
    });

    it('is refused without credentials, and a pull-only robot cannot copy into the organization', async () => {
      expectRefused(await trySkopeo(['inspect', `docker://${ref(`${org}/app/skopeo`, 'copy')}`]), /unauthorized|authentication required|denied/i);
      const pushed = await trySkopeo(['copy', '--src-creds', credsFlag(reader), '--dest-creds', credsFlag(reader), `docker://${ref(`${org}/app/web`, '1')}`, `docker://${ref(`${org}/app/not-mine`, '1')}`]);
      expectRefused(pushed, /unauthorized|authentication required|denied/i);
      expect(await adminApi.manifestStatus(`${org}/app/not-mine`, '1')).toBe(404);
    });
  });

  describe('crane', () => {
    const crane = (args: string[]) => run('crane', args, { env: craneEnv });
    const tree: Tree = { 'crane.txt': `pushed by crane ${id}\n` };
    const image = ref(`${org}/app/crane`, '1');

    it('logs in with crane auth login, pushes, pulls back and logs out', async () => {
      const layer = join(work, 'crane.tar');
      await tarOf(tree, layer);
      await logIn(env.host, developer, ['crane'], { env: craneEnv });
      await crane(['append', '--oci-empty-base', '-f', layer, '-t', image]);
      const exported = join(work, 'crane-export.tar');
      await crane(['export', image, exported]);
      await untar(exported, join(work, 'crane-export'));
      expect(readTree(join(work, 'crane-export'))).toEqual(digestsOf(tree));
      await crane(['auth', 'logout', env.host]);
      expectRefused(await attempt('crane', ['manifest', image], { env: craneEnv }), /UNAUTHORIZED/);
    });
  });

  describe('oras', () => {
    const tree: Tree = { 'report.json': JSON.stringify({ run: id, by: 'oras' }) };
    const artifact = ref(`${org}/app/oras`, 'v1');

    it('logs in as the robot, pushes an artifact, pulls it back and logs out', async () => {
      const dir = join(work, 'oras');
      writeTree(dir, tree);
      await logIn(env.host, robot, ['oras'], { env: orasEnv });
      await run('oras', ['push', '--plain-http', artifact, '--artifact-type', 'application/vnd.wharf.e2e.auth.v1+json', 'report.json:application/json'], { env: orasEnv, cwd: dir });
      const out = join(work, 'oras-pull');
      await run('oras', ['pull', '--plain-http', '-o', out, artifact], { env: orasEnv });
      expect(readTree(out)).toEqual(digestsOf(tree));
      await run('oras', ['logout', env.host], { env: orasEnv });
      expectRefused(await attempt('oras', ['pull', '--plain-http', '-o', join(work, 'oras-anonymous'), artifact], { env: orasEnv }), /unauthorized/i);
    });
  });
});
