// Teams and robot accounts managed in the portal, in Debian's Chromium against a real Wharf:
// an organization admin creates a team with a role, adds and removes its members, changes its
// role and deletes a team; creates a robot with several permission lines and an expiry date,
// then edits its lines and expiry. What the portal shows is checked against the API, and what
// a robot may do against the tokens /token gives it. A guest sees teams and robots without a
// control. Each page is screenshotted, checked with axe-core and must log no console error.
import type { Page } from 'playwright-core';

import { bearerChallenge } from '../e2e/support/registry-api';
import { apiSession, expectAccessible, expectFitsPhone, expectTexts, portalSuite, screenshot } from './support/portal';

const ADMIN_PASSWORD = 'teams-admin-password';
const USER_PASSWORD = 'teams-user-password';
const ORG = 'crew';
const TEAM = 'Release engineering';

interface TeamJson {
  id: string;
  name: string;
  role: string;
}
interface RobotJson {
  id: string;
  name: string;
  username: string;
  description: string;
  rules: { pattern: string; actions: string[] }[];
  expiresAt: string | null;
}

const suite = portalSuite('teams', { adminPassword: ADMIN_PASSWORD });
const { signedIn } = suite;
let admin: Awaited<ReturnType<typeof apiSession>>;
let roleTitles: Record<string, string>;
let robotSecret = '';

beforeAll(async () => {
  admin = await apiSession(suite.wharf.url, 'admin', ADMIN_PASSWORD);
  expect((await admin('POST', '/api/v1/orgs', { name: ORG })).status).toBe(201);
  for (const name of ['ana', 'ben', 'cy']) expect((await admin('POST', '/api/v1/users', { name, password: USER_PASSWORD, admin: false })).status).toBe(201);
  expect((await admin('PUT', `/api/v1/orgs/${ORG}/members/ana`, { role: 'guest' })).status).toBe(200);
  const roles = (await (await fetch(`${suite.wharf.url}/api/v1/roles`)).json()) as { items: { role: string; title: string }[] };
  roleTitles = Object.fromEntries(roles.items.map((r) => [r.role, r.title]));
});

async function teams(): Promise<TeamJson[]> {
  return ((await (await admin('GET', `/api/v1/orgs/${ORG}/teams`)).json()) as { items: TeamJson[] }).items;
}

async function teamMembers(team: string): Promise<{ name: string; role: string }[]> {
  const id = (await teams()).find((t) => t.name === team)!.id;
  return ((await (await admin('GET', `/api/v1/orgs/${ORG}/teams/${id}/members`)).json()) as { items: { name: string; role: string }[] }).items;
}

async function robot(name: string): Promise<RobotJson> {
  return ((await (await admin('GET', `/api/v1/orgs/${ORG}/robots`)).json()) as { items: RobotJson[] }).items.find((r) => r.name === name)!;
}

/** The actions /token grants on `repository` to a docker client logged in as `username`. */
async function granted(username: string, password: string, repository: string): Promise<string[]> {
  const challenge = bearerChallenge((await fetch(`${suite.wharf.url}/v2/`)).headers.get('www-authenticate'))!;
  const query = new URLSearchParams({ service: challenge.service ?? '', scope: `repository:${ORG}/${repository}:pull,push,delete` });
  const response = await fetch(`${challenge.realm}?${query}`, { headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { access: { name: string; actions: string[] }[] };
  return (claims.access.find((a) => a.name === `${ORG}/${repository}`)?.actions ?? []).sort();
}

/** yyyy-mm-dd `days` from today, in this machine's time zone (which Chromium shares). */
function dayFromNow(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}

const teamCard = (p: Page, name: string) => p.getByRole('region', { name, exact: true });

describe('teams in the members tab', () => {
  it('creates a team with a role, adds and removes its members, changes its role and deletes a team', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}?tab=members`);
    const section = p.getByRole('region', { name: 'Teams' });
    await section.getByRole('heading', { name: 'No teams' }).waitFor();

    const form = p.getByRole('form', { name: 'New team' });
    await form.getByLabel('Team name').fill(TEAM);
    await form.getByLabel('Team role').selectOption('maintainer');
    await form.getByRole('button', { name: 'Create team' }).click();
    await section.getByRole('status').filter({ hasText: `The team ${TEAM} was created.` }).waitFor();
    const card = teamCard(p, TEAM);
    await card.getByText('No members yet.').waitFor();
    expect(await card.getByLabel('Role').inputValue()).toBe('maintainer');
    expect(await form.getByLabel('Team name').inputValue()).toBe('');

    const add = async (name: string) => {
      await card.getByRole('form', { name: `Add to ${TEAM}` }).getByLabel('User name').fill(name);
      await card.getByRole('button', { name: `Add to ${TEAM}` }).click();
    };
    await add('ben');
    await section.getByRole('status').filter({ hasText: `ben joined ${TEAM}.` }).waitFor();
    await add('cy');
    await section.getByRole('status').filter({ hasText: `cy joined ${TEAM}.` }).waitFor();
    const list = card.getByRole('list', { name: `Members of ${TEAM}` });
    await list.getByText('cy', { exact: true }).waitFor();
    await expectTexts(list.locator('li > span:first-child'), ['ben', 'cy']);
    expect(await teamMembers(TEAM)).toEqual([
      { name: 'ben', role: 'maintainer' },
      { name: 'cy', role: 'maintainer' },
    ]);
    // The team's role is what its members act with: ben now holds maintainer here.
    const ben = await apiSession(suite.wharf.url, 'ben', USER_PASSWORD);
    expect(((await (await ben('GET', `/api/v1/orgs/${ORG}`)).json()) as { role: string }).role).toBe('maintainer');

    // A name that matches nobody: said plainly, nothing added.
    await add('nobody');
    await card.getByRole('alert').filter({ hasText: 'There is no user “nobody”.' }).waitFor();
    await screenshot(p, 'teams');
    await expectAccessible(p);

    await card.getByLabel('Role').selectOption('developer');
    await section.getByRole('status').filter({ hasText: `The team ${TEAM} now gives ${roleTitles.developer}.` }).waitFor();
    expect((await teams()).find((t) => t.name === TEAM)!.role).toBe('developer');
    expect(((await (await ben('GET', `/api/v1/orgs/${ORG}`)).json()) as { role: string }).role).toBe('developer');

    await card.getByRole('button', { name: `Remove cy from ${TEAM}` }).click();
    await card.getByRole('group', { name: 'Remove cy?' }).getByRole('button', { name: 'Remove' }).click();
    await section.getByRole('status').filter({ hasText: `cy left ${TEAM}.` }).waitFor();
    await list.getByText('cy', { exact: true }).waitFor({ state: 'detached' });
    expect((await teamMembers(TEAM)).map((m) => m.name)).toEqual(['ben']);

    // A second team, deleted after confirming; the first stays as it was.
    await form.getByLabel('Team name').fill('Readers');
    await form.getByLabel('Team role').selectOption('guest');
    await form.getByRole('button', { name: 'Create team' }).click();
    const readers = teamCard(p, 'Readers');
    await readers.getByText('No members yet.').waitFor();
    await readers.getByRole('button', { name: 'Delete team Readers' }).click();
    await screenshot(p, 'team-delete');
    await readers.getByRole('button', { name: 'Delete team', exact: true }).click();
    await section.getByRole('status').filter({ hasText: 'The team Readers was deleted.' }).waitFor();
    await readers.waitFor({ state: 'detached' });
    expect((await teams()).map((t) => t.name)).toEqual([TEAM]);
    await list.getByText('ben', { exact: true }).waitFor();
    // The refused PUT for "nobody" is logged by Chromium as a failed resource load; nothing else may be.
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e))).toEqual([]);
  });

  it('shows a guest the teams and their members without a single control', async () => {
    const { page: p, errors } = await signedIn('ana', USER_PASSWORD, `/orgs/${ORG}?tab=members`);
    const section = p.getByRole('region', { name: 'Teams' });
    const card = teamCard(p, TEAM);
    await card.getByRole('list', { name: `Members of ${TEAM}` }).getByText('ben', { exact: true }).waitFor();
    await card.getByText(roleTitles.developer!, { exact: true }).waitFor();
    expect(await p.getByRole('form', { name: 'New team' }).count()).toBe(0);
    expect(await section.getByRole('button').count()).toBe(0);
    expect(await section.getByRole('textbox').count()).toBe(0);
    expect(await p.getByRole('combobox').count()).toBe(0);
    await screenshot(p, 'teams-guest');
    await expectAccessible(p);
    // The API refuses the guest anyway.
    const ana = await apiSession(suite.wharf.url, 'ana', USER_PASSWORD);
    expect((await ana('POST', `/api/v1/orgs/${ORG}/teams`, { name: 'Mine', role: 'admin' })).status).toBe(403);
    const id = (await teams())[0]!.id;
    expect((await ana('PUT', `/api/v1/orgs/${ORG}/teams/${id}/members/ana`)).status).toBe(403);
    expect(errors).toEqual([]);
  });
});

describe('robot accounts', () => {
  const expiryDay = dayFromNow(10);

  it('creates a robot with a permission line per repository pattern and an expiry date', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}?tab=robots`);
    await p.getByRole('button', { name: 'New robot account' }).click();
    const form = p.getByRole('form', { name: 'New robot account' });
    await form.getByLabel('Name', { exact: true }).fill('deployer');
    await form.getByLabel('Repository pattern').fill('app');
    await form.getByLabel('push (permission 1)').check();
    // push includes pull: pull is checked and cannot be unchecked.
    expect(await form.getByLabel('pull (permission 1)').isChecked()).toBe(true);
    expect(await form.getByLabel('pull (permission 1)').isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Add a permission' }).click();
    await form.getByLabel('Repository pattern').nth(1).fill('tools/**');
    await form.getByLabel('delete (permission 2)').check();
    await form.getByRole('button', { name: 'Add a permission' }).click();
    await form.getByLabel('Repository pattern').nth(2).fill('scratch');
    await form.getByRole('button', { name: 'Remove permission 3' }).click();
    expect(await form.getByLabel('Repository pattern').count()).toBe(2);

    // An expiry date: the button waits until one is picked.
    await form.getByLabel('Expires after').selectOption('date');
    const create = form.getByRole('button', { name: 'Create robot account' });
    expect(await create.isDisabled()).toBe(true);
    await form.getByLabel('Last day it works').fill(expiryDay);
    expect(await create.isEnabled()).toBe(true);
    await screenshot(p, 'robot-create-rules');
    await expectAccessible(p);
    await create.click();

    const panel = p.getByRole('region', { name: `Secret of robot$${ORG}+deployer` });
    robotSecret = (await panel.locator('code[data-field="secret"]').textContent()) ?? '';
    expect(robotSecret.length).toBeGreaterThan(20);
    const row = p.getByRole('table', { name: `Robot accounts of ${ORG}` }).getByRole('row', { name: /robot\$crew\+deployer/ });
    await row.getByText('app: pull, push', { exact: true }).waitFor();
    await row.getByText('tools/**: pull, delete', { exact: true }).waitFor();
    await row.getByText(/^in 1[01] days$/).waitFor();

    const stored = await robot('deployer');
    expect(stored.rules).toEqual([
      { pattern: 'app', actions: ['pull', 'push'] },
      { pattern: 'tools/**', actions: ['pull', 'delete'] },
    ]);
    expect(stored.expiresAt).toBe(new Date(`${expiryDay}T23:59:59`).toISOString());
    // What the lines mean to the registry.
    const username = `robot$${ORG}+deployer`;
    expect(await granted(username, robotSecret, 'app')).toEqual(['pull', 'push']);
    expect(await granted(username, robotSecret, 'tools/cli/x')).toEqual(['delete', 'pull']);
    expect(await granted(username, robotSecret, 'other')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('edits the description, then the permission lines and the expiry of a robot', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}?tab=robots`);
    const username = `robot$${ORG}+deployer`;
    const before = await robot('deployer');
    await p.getByRole('button', { name: 'Edit deployer' }).click();
    const form = p.getByRole('form', { name: `Edit ${username}` });
    // The form starts from what the robot has; its name cannot change.
    expect(await form.getByLabel('Name', { exact: true }).count()).toBe(0);
    expect(await form.getByLabel('Repository pattern').evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value))).toEqual(['app', 'tools/**']);
    expect(await form.getByLabel('push (permission 1)').isChecked()).toBe(true);
    expect(await form.getByLabel('delete (permission 2)').isChecked()).toBe(true);
    expect(await form.getByLabel('Expires after').inputValue()).toBe('keep');
    expect(await form.getByLabel('Expires after').locator('option:checked').textContent()).toMatch(/^Unchanged: expires in 1[01] days$/);
    await screenshot(p, 'robot-edit');
    await expectAccessible(p);

    // Only the description: the expiry is left as it was.
    await form.getByLabel('Description (optional)').fill('Deploys the app');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await p.getByRole('status').filter({ hasText: `${username} was updated.` }).waitFor();
    await form.waitFor({ state: 'detached' });
    expect(await robot('deployer')).toMatchObject({ description: 'Deploys the app', expiresAt: before.expiresAt, rules: before.rules });

    // Then the lines and the expiry.
    await p.getByRole('button', { name: 'Edit deployer' }).click();
    await form.getByLabel('delete (permission 1)').check();
    await form.getByRole('button', { name: 'Remove permission 2' }).click();
    await form.getByLabel('Expires after').selectOption('never');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await p.getByRole('status').filter({ hasText: `${username} was updated.` }).waitFor();
    const row = p.getByRole('table', { name: `Robot accounts of ${ORG}` }).getByRole('row', { name: /robot\$crew\+deployer/ });
    await row.getByText('app: pull, push, delete', { exact: true }).waitFor();
    expect(await row.getByText('tools/**', { exact: false }).count()).toBe(0);
    expect(await robot('deployer')).toMatchObject({ description: 'Deploys the app', expiresAt: null, rules: [{ pattern: 'app', actions: ['pull', 'push', 'delete'] }] });
    expect(await granted(username, robotSecret, 'app')).toEqual(['delete', 'pull', 'push']);
    expect(await granted(username, robotSecret, 'tools/cli/x')).toEqual([]);

    // Cancel leaves everything as it is.
    await p.getByRole('button', { name: 'Edit deployer' }).click();
    await form.getByLabel('Repository pattern').fill('changed');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
    expect((await robot('deployer')).rules).toEqual([{ pattern: 'app', actions: ['pull', 'push', 'delete'] }]);
    await screenshot(p, 'robot-edited');
    expect(errors).toEqual([]);
  });
});

describe('on a phone', () => {
  it('fits the teams and the robot form on a 390 px screen, the navigation usable', async () => {
    const { page: p, errors } = await signedIn('admin', ADMIN_PASSWORD, `/orgs/${ORG}?tab=members`, { width: 390, height: 844 });
    await teamCard(p, TEAM).getByRole('list', { name: `Members of ${TEAM}` }).waitFor();
    await expectFitsPhone(p);
    await screenshot(p, 'teams-phone');
    await expectAccessible(p);

    await p.getByRole('navigation', { name: 'Organization sections' }).getByRole('link', { name: 'Robot accounts' }).click();
    await p.getByRole('button', { name: 'New robot account' }).click();
    const form = p.getByRole('form', { name: 'New robot account' });
    await form.getByRole('button', { name: 'Add a permission' }).click();
    await form.getByLabel('Expires after').selectOption('date');
    await form.getByLabel('Last day it works').waitFor();
    await expectFitsPhone(p);
    await screenshot(p, 'robot-create-phone');
    await expectAccessible(p);

    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await p.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    expect(errors).toEqual([]);
  });
});
