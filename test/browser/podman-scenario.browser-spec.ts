// The portal's whole story with a real container client, in Debian's Chromium against a real
// Wharf: a system administrator creates two users and an organization in the portal, makes one
// user a maintainer and the other a guest, and creates a robot account; podman, logged in with
// the robot's secret read from the page, pushes two images; the maintainer finds them in the
// portal and deletes a tag, which podman then can no longer pull; the guest sees the image and
// no delete button. podman runs daemonless with private storage and configuration
// (infra/scripts/podman-env.sh); without podman the suite fails, it never skips.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { tarOf } from '../e2e/support/fixtures';
import { attempt, run, runFull } from '../e2e/support/run';
import { exportsOf } from '../support/script-exports';
import { apiSession, expectAccessible, expectTexts, portalSuite, screenshot } from './support/portal';

const ADMIN_PASSWORD = 'scenario-admin-password';
const PASSWORDS = { mia: 'mia-scenario-password', gus: 'gus-scenario-password' } as const;
const ORG = 'shipyard';
const REPO = `${ORG}/web`;

const suite = portalSuite('podman', {
  adminPassword: ADMIN_PASSWORD,
  // vfs layers hold read-only folders: the script makes them writable before removing them.
  cleanup: async () => {
    await attempt('bash', [join(__dirname, '..', '..', 'infra/scripts/podman-env.sh'), '--clean'], { env: { WHARF_PODMAN_DIR: podmanDir } });
  },
});
const { signedIn } = suite;
const podmanDir = join(suite.dataDir, 'podman');
let admin: Awaited<ReturnType<typeof apiSession>>;
/** podman's private configuration: storage, registries (127.0.0.1 over HTTP), auth file. */
let podmanEnv: Record<string, string>;
let host = '';
let robotUser = '';
let robotSecret = '';

const podman = (args: string[], input?: string) => runFull('podman', args, { env: podmanEnv, ...(input !== undefined ? { input } : {}) });
const ref = (tag: string) => `${host}/${REPO}:${tag}`;

beforeAll(async () => {
  // Fails loudly, naming what is missing, when podman is not installed.
  await run('podman', ['--version']);
  mkdirSync(podmanDir, { recursive: true });
  mkdirSync(join(suite.dataDir, 'docker-config'), { recursive: true });
  // DOCKER_CONFIG: podman also reads $DOCKER_CONFIG/config.json; give it an empty private one.
  podmanEnv = { ...exportsOf('infra/scripts/podman-env.sh', [], { WHARF_PODMAN_DIR: podmanDir }), DOCKER_CONFIG: join(suite.dataDir, 'docker-config') };
  host = new URL(suite.wharf.url).host;
  admin = await apiSession(suite.wharf.url, 'admin', ADMIN_PASSWORD);
});

async function tags(): Promise<string[]> {
  const response = await admin('GET', `/api/v1/repositories/${encodeURIComponent(REPO)}/tags?sort=name&order=asc`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { name: string }[] }).items.map((t) => t.name);
}

describe('an organization administered in the portal, pushed to with podman', () => {
  it('the administrator creates two users and an organization', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, '/admin');
    const form = p.getByRole('form', { name: 'New user' });
    for (const [name, password] of Object.entries(PASSWORDS)) {
      await form.getByLabel('User name').fill(name);
      await form.getByLabel('Initial password').fill(password);
      await form.getByRole('button', { name: 'Create user' }).click();
      await p.getByRole('status').filter({ hasText: `Created ${name}.` }).waitFor();
    }
    await p.getByRole('table', { name: 'Users' }).getByRole('cell', { name: 'gus', exact: true }).waitFor();

    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
    await p.getByRole('button', { name: 'New organization' }).click();
    const create = p.getByRole('form', { name: 'New organization' });
    await create.getByLabel('Name', { exact: true }).fill(ORG);
    await create.getByRole('button', { name: 'Create organization' }).click();
    await p.getByRole('heading', { name: ORG, level: 1 }).waitFor();
    await p.getByText('No repositories yet').waitFor();
    expect(errors).toEqual([]);
  });

  it('the administrator adds a maintainer, a guest and a robot that may push to web', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}?tab=members`);
    const form = p.getByRole('form', { name: 'Add a member' });
    for (const [name, role] of [
      ['mia', 'maintainer'],
      ['gus', 'guest'],
    ] as const) {
      await form.getByLabel('User name').fill(name);
      await form.getByLabel('Role').selectOption(role);
      await form.getByRole('button', { name: 'Add member' }).click();
      await p.getByRole('status').filter({ hasText: `${name} was added.` }).waitFor();
    }

    await p.getByRole('navigation', { name: 'Organization sections' }).getByRole('link', { name: 'Robot accounts' }).click();
    await p.getByRole('button', { name: 'New robot account' }).click();
    const robot = p.getByRole('form', { name: 'New robot account' });
    await robot.getByLabel('Name', { exact: true }).fill('builder');
    await robot.getByLabel('Repository pattern').fill('web');
    await robot.getByLabel('push (permission 1)').check();
    await robot.getByLabel('Expires after').selectOption('30');
    await robot.getByRole('button', { name: 'Create robot account' }).click();
    const panel = p.getByRole('region', { name: `Secret of robot$${ORG}+builder` });
    robotUser = (await panel.locator('code[data-field="username"]').textContent()) ?? '';
    robotSecret = (await panel.locator('code[data-field="secret"]').textContent()) ?? '';
    expect(robotUser).toBe(`robot$${ORG}+builder`);
    await screenshot(p, 'scenario-robot-secret');
    await expectAccessible(p);
    expect(errors).toEqual([]);
  });

  it('podman, logged in with the robot secret, pushes two images; nothing outside web', async () => {
    await podman(['login', '--tls-verify=false', '--username', robotUser, '--password-stdin', host], robotSecret);
    const work = join(suite.dataDir, 'images');
    mkdirSync(work, { recursive: true });
    for (const tag of ['1.0', '2.0']) {
      const rootfs = join(work, `${tag}.tar`);
      await tarOf({ 'etc/release': `shipyard web ${tag}\n`, 'srv/index.html': `<h1>web ${tag}</h1>\n` }, rootfs);
      await podman(['import', rootfs, ref(tag)]);
      await podman(['push', ref(tag)]);
    }
    expect(await tags()).toEqual(['1.0', '2.0']);
    // Its permission line covers `web` only.
    await podman(['tag', ref('1.0'), `${host}/${ORG}/other:1.0`]);
    await expect(podman(['push', `${host}/${ORG}/other:1.0`])).rejects.toThrow(/denied|unauthorized|forbidden/i);
  });

  it('the maintainer finds the images in the portal and deletes a tag, which podman then cannot pull', async () => {
    const { page: p, errors } = await signedIn('mia', PASSWORDS.mia, '/');
    const recent = p.getByRole('region', { name: 'Recently pushed' });
    await recent.getByRole('link', { name: REPO }).click();
    await p.getByRole('heading', { name: REPO, level: 1 }).waitFor();
    const table = p.getByRole('table', { name: /^Tags of shipyard\/web/ });
    await table.waitFor();
    await expectTexts(table.locator('tbody tr td:first-child .mono'), ['2.0', '1.0']);
    // The pull command shown is the one podman needs here.
    await p.getByRole('region', { name: 'Pull 2.0' }).getByText(`podman pull --tls-verify=false ${ref('2.0')}`).waitFor();
    await screenshot(p, 'scenario-repository-maintainer');
    await expectAccessible(p);

    await table.getByRole('button', { name: 'Delete tag 1.0' }).click();
    await p.getByRole('dialog', { name: 'Delete the tag 1.0?' }).getByRole('button', { name: 'Delete tag' }).click();
    await p.getByRole('status').filter({ hasText: 'Deleted the tag 1.0' }).waitFor();
    await p.waitForFunction("document.querySelectorAll('table tbody tr').length === 1");
    expect(await tags()).toEqual(['2.0']);

    // podman agrees: 2.0 pulls back, 1.0 is gone.
    await podman(['rmi', ref('1.0'), ref('2.0'), `${host}/${ORG}/other:1.0`]);
    await podman(['pull', '--signature-policy', podmanEnv.WHARF_CONTAINERS_POLICY!, ref('2.0')]);
    await expect(podman(['pull', '--signature-policy', podmanEnv.WHARF_CONTAINERS_POLICY!, ref('1.0')])).rejects.toThrow(/manifest unknown|not found/i);
    expect(errors).toEqual([]);
  });

  it('the guest sees the image but no delete button, and the API refuses the guest', async () => {
    const { page: p, errors } = await signedIn('gus', PASSWORDS.gus, `/repositories/${REPO}`);
    const table = p.getByRole('table', { name: /^Tags of shipyard\/web/ });
    await table.getByText('2.0', { exact: true }).waitFor();
    expect(await p.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    await expectTexts(table.getByRole('columnheader'), ['Tag', 'Digest', 'Size', 'Platforms', 'Pushed ▼', 'Last pulled']);
    await screenshot(p, 'scenario-repository-guest');
    await expectAccessible(p);
    const gus = await apiSession(suite.wharf.url, 'gus', PASSWORDS.gus);
    expect((await gus('DELETE', `/api/v1/repositories/${encodeURIComponent(REPO)}/tags/2.0`)).status).toBe(403);
    expect(await tags()).toEqual(['2.0']);
    expect(errors).toEqual([]);
  });
});
