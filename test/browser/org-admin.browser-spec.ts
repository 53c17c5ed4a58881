// An organization administered in the portal, in Debian's Chromium against a real Wharf: the
// admin creates an organization, adds members with roles and a robot account; the robot's
// secret, read from the page, pushes an image with crane; the member sees it; a guest sees no
// control they cannot use. Each page is screenshotted, checked with axe-core and must log no
// console error.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { bearerChallenge } from '../e2e/support/registry-api';
import { apiSession, expectAccessible, expectTexts, portalSuite, screenshot, type WatchedPage } from './support/portal';

const run = promisify(execFile);
const CRANE = join(__dirname, '..', '..', '.cache', 'bin', 'crane');
const ADMIN_PASSWORD = 'org-admin-password';
const PASSWORDS = { mia: 'mia-password-1234', gus: 'gus-password-1234', rex: 'rex-password-1234' } as const;
const ORG = 'lab';
const suite = portalSuite('org', { adminPassword: ADMIN_PASSWORD });
const work = join(suite.dataDir, 'client');

let admin: Awaited<ReturnType<typeof apiSession>>;
let robotUser = '';
let robotSecret = '';

beforeAll(async () => {
  admin = await apiSession(suite.wharf.url, 'admin', ADMIN_PASSWORD);
  for (const [name, password] of Object.entries(PASSWORDS)) {
    expect((await admin('POST', '/api/v1/users', { name, password, admin: false })).status).toBe(201);
  }
  mkdirSync(work, { recursive: true });
});

/** A page signed in as `username`, once it has arrived at `next`. */
async function signedIn(username: string, password: string, next: string, viewport?: { width: number; height: number }): Promise<WatchedPage> {
  const watched = await suite.signedIn(username, password, next, viewport);
  await watched.page.waitForURL((url) => url.pathname === next.split('?')[0]);
  return watched;
}

async function members(): Promise<{ name: string; role: string }[]> {
  const response = await admin('GET', `/api/v1/orgs/${ORG}/members`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { name: string; role: string }[] }).items;
}

/** GET /token as a docker client does, with Basic credentials: the status. */
async function tokenStatus(username: string, password: string): Promise<number> {
  const challenge = bearerChallenge((await fetch(`${suite.wharf.url}/v2/`)).headers.get('www-authenticate'))!;
  const query = new URLSearchParams({ service: challenge.service ?? '', scope: `repository:${ORG}/app:pull` });
  const response = await fetch(`${challenge.realm}?${query}`, { headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
  await response.arrayBuffer();
  return response.status;
}

describe('administering an organization in the portal', () => {
  it('creates an organization from the organizations page', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, '/orgs');
    await p.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await p.getByRole('button', { name: 'New organization' }).click();
    const form = p.getByRole('form', { name: 'New organization' });
    await form.getByLabel('Name', { exact: true }).fill(ORG);
    await form.getByLabel('Description (optional)').fill('The laboratory');
    await screenshot(p, 'organization-create');
    await expectAccessible(p);
    await form.getByRole('button', { name: 'Create organization' }).click();
    await p.getByRole('heading', { name: ORG, level: 1 }).waitFor();
    expect(new URL(p.url()).pathname).toBe(`/orgs/${ORG}`);
    await p.getByText('No repositories yet').waitFor();
    const org = (await (await admin('GET', `/api/v1/orgs/${ORG}`)).json()) as { description: string; public: boolean; role: string };
    expect(org).toMatchObject({ description: 'The laboratory', public: false, role: 'admin' });
    expect(errors).toEqual([]);
  });

  it('adds members with a role explained, changes a role and removes a member', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}`);
    await p.getByRole('navigation', { name: 'Organization sections' }).getByRole('link', { name: 'Members and teams' }).click();
    const form = p.getByRole('form', { name: 'Add a member' });
    await form.waitFor();
    // The picker explains the chosen role in the API's words (GET /api/v1/roles).
    const roles = (await (await fetch(`${suite.wharf.url}/api/v1/roles`)).json()) as { items: { role: string; title: string; description: string }[] };
    const guest = roles.items.find((r) => r.role === 'guest')!;
    const developer = roles.items.find((r) => r.role === 'developer')!;
    await form.getByLabel('Role').selectOption('guest');
    await form.getByText(`${guest.title}: ${guest.description}`).waitFor();

    const add = async (name: string, role: string) => {
      await form.getByLabel('User name').fill(name);
      await form.getByLabel('Role').selectOption(role);
      await form.getByRole('button', { name: 'Add member' }).click();
      await p.getByRole('status').filter({ hasText: `${name} was added.` }).waitFor();
    };
    await add('mia', 'developer');
    await add('gus', 'developer');
    await add('rex', 'guest');
    const table = p.getByRole('table', { name: `Members of ${ORG}` });
    await table.getByRole('cell', { name: 'rex', exact: true }).waitFor();
    expect(await table.getByLabel('Role of mia').inputValue()).toBe('developer');
    await screenshot(p, 'organization-members');
    await expectAccessible(p);

    // Change gus to guest.
    await table.getByLabel('Role of gus').selectOption('guest');
    await p.getByRole('status').filter({ hasText: 'gus is now guest.' }).waitFor();
    // Remove rex, confirming.
    await table.getByRole('button', { name: 'Remove rex' }).click();
    await table.getByRole('group', { name: `Remove rex from ${ORG}?` }).getByRole('button', { name: 'Remove' }).click();
    await p.getByRole('status').filter({ hasText: 'rex was removed.' }).waitFor();
    await table.getByRole('cell', { name: 'rex', exact: true }).waitFor({ state: 'detached' });
    expect(await members()).toEqual(expect.arrayContaining([{ name: 'mia', role: 'developer' }, { name: 'gus', role: 'guest' }]));
    expect((await members()).map((m) => m.name)).not.toContain('rex');

    // An unknown user: a clear message, nothing added.
    await form.getByLabel('User name').fill('nobody');
    await form.getByRole('button', { name: 'Add member' }).click();
    await form.getByRole('alert').filter({ hasText: 'There is no user “nobody”.' }).waitFor();
    expect(developer.description.length).toBeGreaterThan(0);
    // The refused PUT is logged by Chromium as a failed resource load; nothing else may be.
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e))).toEqual([]);
  });

  it('creates a robot account whose secret, shown once, pushes an image with crane', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}?tab=robots`);
    await p.getByText('No robot accounts').waitFor();
    await p.getByRole('button', { name: 'New robot account' }).click();
    const form = p.getByRole('form', { name: 'New robot account' });
    await form.getByLabel('Name', { exact: true }).fill('ci');
    await form.getByLabel('Repository pattern').fill('app');
    await form.getByLabel('push (permission 1)').check();
    // A second line: read-only access to everything else.
    await form.getByRole('button', { name: 'Add a permission' }).click();
    await form.getByLabel('Repository pattern').nth(1).fill('**');
    await screenshot(p, 'robot-create');
    await expectAccessible(p);
    await form.getByRole('button', { name: 'Create robot account' }).click();

    const panel = p.getByRole('region', { name: `Secret of robot$${ORG}+ci` });
    await panel.waitFor();
    robotUser = (await panel.locator('code[data-field="username"]').textContent()) ?? '';
    robotSecret = (await panel.locator('code[data-field="secret"]').textContent()) ?? '';
    expect(robotUser).toBe(`robot$${ORG}+ci`);
    expect(robotSecret.length).toBeGreaterThan(20);
    await panel.getByRole('button', { name: 'Copy the secret' }).waitFor();
    const row = p.getByRole('table', { name: `Robot accounts of ${ORG}` }).getByRole('row', { name: new RegExp(`robot\\$${ORG}\\+ci`) });
    await row.getByText('app: pull, push').waitFor();
    await row.getByText('**: pull').waitFor();
    await screenshot(p, 'robot-secret');
    await expectAccessible(p);

    // The robot pushes with crane, logged in with a private DOCKER_CONFIG.
    const host = new URL(suite.wharf.url).host;
    const env = { ...process.env, DOCKER_CONFIG: join(work, 'docker-config') };
    const layerDir = join(work, 'layer');
    mkdirSync(layerDir, { recursive: true });
    writeFileSync(join(layerDir, 'hello.txt'), 'pushed by a robot\n');
    await run('tar', ['-cf', join(work, 'layer.tar'), '-C', layerDir, 'hello.txt']);
    const login = run(CRANE, ['auth', 'login', host, '--username', robotUser, '--password-stdin'], { env });
    login.child.stdin!.end(robotSecret);
    await login;
    await run(CRANE, ['append', '--insecure', '--oci-empty-base', '-f', join(work, 'layer.tar'), '-t', `${host}/${ORG}/app:1.0`], { env });
    const { stdout } = await run(CRANE, ['ls', '--insecure', `${host}/${ORG}/app`], { env });
    expect(stdout.trim().split('\n')).toEqual(['1.0']);
    // Its rules stop it outside `app` for push.
    await expect(run(CRANE, ['append', '--insecure', '--oci-empty-base', '-f', join(work, 'layer.tar'), '-t', `${host}/${ORG}/other:1.0`], { env })).rejects.toThrow(/DENIED|UNAUTHORIZED|denied|unauthorized/);

    // Its last use shows after a reload.
    await p.reload();
    await p.getByRole('table', { name: `Robot accounts of ${ORG}` }).getByRole('row', { name: /robot\$lab\+ci/ }).getByText(/ago|just now/).waitFor();
    expect(errors).toEqual([]);
  });

  it('rotates and disables the robot', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}?tab=robots`);
    expect(await tokenStatus(robotUser, robotSecret)).toBe(200);
    await p.getByRole('button', { name: 'Rotate secret of ci' }).click();
    await p.getByRole('button', { name: 'Rotate', exact: true }).click();
    const panel = p.getByRole('region', { name: `Secret of robot$${ORG}+ci` });
    await panel.waitFor();
    const rotated = (await panel.locator('code[data-field="secret"]').textContent()) ?? '';
    expect(rotated).not.toBe(robotSecret);
    expect(await tokenStatus(robotUser, robotSecret)).toBe(401);
    expect(await tokenStatus(robotUser, rotated)).toBe(200);
    await panel.getByRole('button', { name: 'I have saved it' }).click();
    await panel.waitFor({ state: 'detached' });

    await p.getByRole('button', { name: 'Disable ci' }).click();
    await p.getByRole('status').filter({ hasText: `${robotUser} is disabled.` }).waitFor();
    await p.getByRole('button', { name: 'Enable ci' }).waitFor();
    expect(await tokenStatus(robotUser, rotated)).toBe(401);
    await screenshot(p, 'robots');
    await expectAccessible(p);
    expect(errors).toEqual([]);
  });

  it('shows the member the pushed repository', async () => {
    const { page: p, errors } = await signedIn('mia', PASSWORDS.mia, `/orgs/${ORG}`);
    await p.getByRole('heading', { name: ORG, level: 1 }).waitFor();
    await p.getByText('your role: developer').waitFor();
    await expectTexts(p.getByRole('table', { name: `Repositories of ${ORG}` }).getByRole('link'), [`${ORG}/app`]);
    // A developer manages nothing here: no settings tab.
    await expectTexts(p.getByRole('navigation', { name: 'Organization sections' }).getByRole('link'), ['Repositories (1)', 'Members and teams', 'Robot accounts', 'Usage']);
    await screenshot(p, 'organization-member');
    await expectAccessible(p);
    await p.getByRole('link', { name: `${ORG}/app` }).click();
    await p.getByRole('heading', { name: `${ORG}/app`, level: 1 }).waitFor();
    await p.getByRole('table', { name: /^Tags of lab\/app/ }).getByText('1.0', { exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  it('shows a guest no member-management and no robot-management controls', async () => {
    const { page: p, errors } = await signedIn('gus', PASSWORDS.gus, `/orgs/${ORG}?tab=members`);
    const table = p.getByRole('table', { name: `Members of ${ORG}` });
    await table.getByRole('cell', { name: 'mia', exact: true }).waitFor();
    expect(await p.getByRole('form', { name: 'Add a member' }).count()).toBe(0);
    expect(await p.getByRole('combobox').count()).toBe(0);
    expect(await p.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    await expectTexts(table.getByRole('columnheader'), ['User', 'Role']);
    // The roles are still explained, the guest's own marked.
    await p.getByRole('region', { name: 'What each role may do' }).getByText('(your role)').waitFor();
    expect(await p.getByRole('navigation', { name: 'Organization sections' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await screenshot(p, 'organization-members-guest');
    await expectAccessible(p);

    await p.getByRole('navigation', { name: 'Organization sections' }).getByRole('link', { name: 'Robot accounts' }).click();
    const robots = p.getByRole('table', { name: `Robot accounts of ${ORG}` });
    await robots.getByText(`robot$${ORG}+ci`).waitFor();
    expect(await p.getByRole('button', { name: 'New robot account' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: /Edit|Rotate|Disable|Enable|Delete/ }).count()).toBe(0);
    await expectTexts(robots.getByRole('columnheader'), ['User name', 'Permissions', 'Expires', 'Last used', 'Status']);
    await screenshot(p, 'robots-guest');
    await expectAccessible(p);

    // A settings URL typed by hand shows the first tab, not the settings.
    await p.goto(`${suite.wharf.url}/orgs/${ORG}?tab=settings`);
    await p.getByRole('heading', { name: 'Repositories', level: 2 }).waitFor();
    expect(await p.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows the usage, changes the settings and deletes an organization after confirmation', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}?tab=usage`);
    const usage = (await (await admin('GET', `/api/v1/orgs/${ORG}/usage`)).json()) as { logicalBytes: number; deduplicatedBytes: number };
    expect(usage.logicalBytes).toBeGreaterThan(0);
    const stats = p.getByRole('region', { name: 'Storage usage' });
    await stats.getByText('Logical size', { exact: true }).waitFor();
    expect(await stats.locator('dd').first().getAttribute('title')).toBe(`${usage.logicalBytes} bytes`);
    expect(await stats.locator('dd').nth(1).getAttribute('title')).toBe(`${usage.deduplicatedBytes} bytes`);
    await screenshot(p, 'organization-usage');
    await expectAccessible(p);

    await p.getByRole('navigation', { name: 'Organization sections' }).getByRole('link', { name: 'Settings' }).click();
    const general = p.getByRole('form', { name: 'General' });
    await general.getByRole('radio', { name: /Public/ }).check();
    await general.getByLabel('Description').fill('Open to all');
    await general.getByRole('button', { name: 'Save settings' }).click();
    await general.getByText('Saved.').waitFor();
    expect(await (await admin('GET', `/api/v1/orgs/${ORG}`)).json()).toMatchObject({ public: true, description: 'Open to all' });
    await p.getByText('Open to all', { exact: true }).first().waitFor();
    await screenshot(p, 'organization-settings');
    await expectAccessible(p);

    // The delete button waits for the typed name, and for consent to delete the repositories.
    const remove = p.getByRole('form', { name: 'Delete this organization' });
    const button = remove.getByRole('button', { name: 'Delete organization' });
    await remove.getByLabel(/to confirm/).fill(ORG);
    expect(await button.isDisabled()).toBe(true);
    await remove.getByRole('checkbox', { name: /Delete its repositories/ }).check();
    expect(await button.isEnabled()).toBe(true);
    await button.click();
    await p.waitForURL((url) => url.pathname === '/orgs');
    expect((await admin('GET', `/api/v1/orgs/${ORG}`)).status).toBe(404);
    expect(errors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    expect((await admin('POST', '/api/v1/orgs', { name: 'pocket', public: false })).status).toBe(201);
    expect((await admin('PUT', '/api/v1/orgs/pocket/members/mia', { role: 'maintainer' })).status).toBe(200);
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, '/orgs/pocket?tab=members', { width: 390, height: 844 });
    await p.getByRole('table', { name: 'Members of pocket' }).getByRole('cell', { name: 'mia', exact: true }).waitFor();
    const overflow = (await p.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(p, 'organization-members-phone');
    await expectAccessible(p);
    expect(errors).toEqual([]);
  });
});
