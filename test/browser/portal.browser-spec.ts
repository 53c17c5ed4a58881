// The web portal in a real browser: Debian's Chromium driven by playwright-core, against a
// real Wharf process (the built API serving the built portal on one port) holding images
// pushed over the registry protocol. Every page is screenshotted to reports/screenshots,
// checked with axe-core (no serious or critical violation) and must log no console error.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { RegistryApi } from '../e2e/support/registry-api';
import { apiSession, expectAccessible, expectTexts, portalSuite, pushImage, screenshot } from './support/portal';

const ADMIN_PASSWORD = 'portal-admin-password';
const modulesFile = join(__dirname, '..', '..', '.cache', 'test-runs', `browser-portal-modules-${randomBytes(4).toString('hex')}.txt`);
const suite = portalSuite('portal', {
  adminPassword: ADMIN_PASSWORD,
  env: { WHARF_TEST_MODULES_FILE: modulesFile, NODE_OPTIONS: `--require ${join(__dirname, '..', 'support', 'loaded-modules.cjs')}` },
  cleanup: async () => rmSync(modulesFile, { force: true }),
});
const { page } = suite;
let appDigest: string;

beforeAll(async () => {
  const admin = await apiSession(suite.wharf.url, 'admin', ADMIN_PASSWORD);
  expect((await admin('POST', '/api/v1/orgs', { name: 'acme' })).status).toBe(201);
  const registry = new RegistryApi(suite.wharf.url, { username: 'admin', password: ADMIN_PASSWORD });
  await pushImage(registry, 'acme/app', '1.0');
  appDigest = await pushImage(registry, 'acme/app', 'latest', 'second');
  await pushImage(registry, 'acme/tools/cli', '2.0');
});

async function signIn(p: Page, password = ADMIN_PASSWORD): Promise<void> {
  await p.getByLabel('User name').fill('admin');
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

describe('the portal', () => {
  it('is served by Wharf on the registry port, beside /v2 and /api', async () => {
    const home = await fetch(`${suite.wharf.url}/sign-in`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    const registry = await fetch(`${suite.wharf.url}/v2/`);
    expect(registry.status).toBe(401);
    expect(registry.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect((await fetch(`${suite.wharf.url}/api/v1/nope`)).headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('sends a visitor to the sign-in page, and refuses a wrong password with a clear message', async () => {
    const { page: p, errors } = await page();
    await p.goto(`${suite.wharf.url}/account`);
    await p.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(p.url()).searchParams.get('next')).toBe('/account');
    await p.getByRole('heading', { name: 'Sign in to Wharf' }).waitFor();
    await screenshot(p, 'sign-in');
    await expectAccessible(p);

    await signIn(p, 'not-the-password');
    const alert = p.locator('form [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The user name or password is wrong.');
    expect(new URL(p.url()).pathname).toBe('/sign-in');
    await screenshot(p, 'sign-in-error');
    await expectAccessible(p);
    // The refused POST /api/v1/session is logged by Chromium as a failed resource load; nothing else may be.
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 401/.test(e))).toEqual([]);
  });

  it('signs the admin in, shows home, the organization, the repository and its tags', async () => {
    const { page: p, errors } = await page();
    await p.goto(`${suite.wharf.url}/sign-in?next=${encodeURIComponent('/')}`);
    await signIn(p);
    await p.getByRole('heading', { name: 'Welcome, admin' }).waitFor();
    const myOrgs = p.getByRole('region', { name: 'My organizations' });
    await myOrgs.getByRole('link', { name: 'acme' }).waitFor();
    const recent = p.getByRole('region', { name: 'Recently pushed' });
    await recent.getByRole('link', { name: 'acme/tools/cli' }).waitFor();
    const recentNames = await recent.getByRole('row').locator('td:first-child').allTextContents();
    expect(recentNames).toEqual(['acme/tools/cli', 'acme/app']);
    await screenshot(p, 'home');
    await expectAccessible(p);

    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
    await p.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await p.getByRole('cell', { name: 'acme' }).waitFor();
    await screenshot(p, 'organizations');
    await expectAccessible(p);

    await p.getByRole('link', { name: 'acme' }).click();
    await p.getByRole('heading', { name: 'acme', level: 1 }).waitFor();
    await p.getByRole('link', { name: 'acme/app' }).waitFor();
    await expectTexts(p.getByRole('table', { name: 'Repositories of acme' }).getByRole('link'), ['acme/app', 'acme/tools/cli']);
    await screenshot(p, 'organization');
    await expectAccessible(p);

    await p.getByRole('link', { name: 'acme/app' }).click();
    await p.getByRole('heading', { name: 'acme/app', level: 1 }).waitFor();
    const tags = p.getByRole('table', { name: /^Tags of acme\/app/ });
    await tags.waitFor();
    await expectTexts(tags.locator('tbody tr td:first-child .mono'), ['latest', '1.0']);
    expect(await tags.locator('tbody tr').first().locator('code').getAttribute('title')).toBe(appDigest);
    const host = new URL(suite.wharf.url).host;
    await expectTexts(p.getByRole('region', { name: 'Pull latest' }).locator('code'), [
      `docker pull ${host}/acme/app:latest`,
      `podman pull --tls-verify=false ${host}/acme/app:latest`,
      `crane pull --insecure ${host}/acme/app:latest image.tar`,
    ]);
    await screenshot(p, 'repository');
    await expectAccessible(p);

    // Sorting is done by the API: by tag name, ascending.
    await tags.getByRole('button', { name: 'Tag', exact: true }).click();
    await p.getByRole('table', { name: 'Tags of acme/app, sorted by name ascending' }).waitFor();
    await expectTexts(p.getByRole('table', { name: 'Tags of acme/app, sorted by name ascending' }).locator('tbody tr td:first-child .mono'), ['1.0', 'latest']);
    await expect(p.locator('th[aria-sort="ascending"]').textContent()).resolves.toBe('Tag ▲');
    expect(errors).toEqual([]);
  });

  it('searches the repositories the user may see', async () => {
    const { page: p, errors } = await page();
    await p.goto(`${suite.wharf.url}/sign-in?next=${encodeURIComponent('/repositories?q=tools')}`);
    await signIn(p);
    await p.waitForURL((url) => url.pathname === '/repositories');
    await p.getByRole('link', { name: 'acme/tools/cli' }).waitFor();
    await expectTexts(p.getByRole('table', { name: 'Repositories' }).getByRole('link'), ['acme/tools/cli']);
    await screenshot(p, 'repositories-search');
    await expectAccessible(p);
    expect(errors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const { page: p, errors } = await page({ width: 390, height: 844 });
    await p.goto(`${suite.wharf.url}/sign-in?next=${encodeURIComponent('/repositories/acme/app')}`);
    await signIn(p);
    await p.getByRole('heading', { name: 'acme/app', level: 1 }).waitFor();
    await p.getByRole('table', { name: /^Tags of acme\/app/ }).waitFor();
    const overflow = (await p.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(p, 'repository-phone');
    await expectAccessible(p);
    expect(errors).toEqual([]);
  });

  // reliability.md §4(a) row 32: the redirect after sign-in stays on this origin.
  it.each(['//evil.example/x', '/\\evil.example/x', 'https://evil.example/x', 'javascript:alert(1)', '\t//evil.example', '/\t/evil.example'])(
    'after sign-in with next=%j lands on / of this origin',
    async (next) => {
      const { page: p, errors } = await page();
      await p.goto(`${suite.wharf.url}/sign-in?next=${encodeURIComponent(next)}`);
      await signIn(p);
      await p.getByRole('heading', { name: 'Welcome, admin' }).waitFor();
      const url = new URL(p.url());
      expect(url.origin).toBe(suite.wharf.url);
      expect(url.pathname).toBe('/');
      expect(errors).toEqual([]);
    },
  );

  it('after sign-in follows a same-origin next', async () => {
    const { page: p, errors } = await page();
    await p.goto(`${suite.wharf.url}/sign-in?next=${encodeURIComponent('/orgs/acme?x=1')}`);
    await signIn(p);
    await p.getByRole('heading', { name: 'acme', level: 1 }).waitFor();
    expect(p.url()).toBe(`${suite.wharf.url}/orgs/acme?x=1`);
    expect(errors).toEqual([]);
  });

  it('signs out', async () => {
    const { page: p, errors } = await page();
    await p.goto(`${suite.wharf.url}/sign-in`);
    await signIn(p);
    await p.getByRole('heading', { name: 'Welcome, admin' }).waitFor();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.waitForURL((url) => url.pathname === '/sign-in');
    await p.goto(`${suite.wharf.url}/account`);
    await p.waitForURL((url) => url.pathname === '/sign-in');
    expect(errors).toEqual([]);
  });

  // The organization form promises it ("anyone, even without signing in, may browse and
  // pull"), as Docker Hub does; every page used to send visitors to the sign-in page.
  it('lets a visitor browse public organizations and repositories without signing in, and nothing private', async () => {
    // Here, not before every test: the tests above list what the admin sees.
    const admin = await apiSession(suite.wharf.url, 'admin', ADMIN_PASSWORD);
    expect((await admin('POST', '/api/v1/orgs', { name: 'open', public: true })).status).toBe(201);
    const registry = new RegistryApi(suite.wharf.url, { username: 'admin', password: ADMIN_PASSWORD });
    await pushImage(registry, 'open/app', '1.0');
    await pushImage(registry, 'open/secret', '1.0');
    expect((await admin('PATCH', `/api/v1/repositories/${encodeURIComponent('open/secret')}`, { public: false })).status).toBe(200);

    const { page: p, errors } = await page();
    await p.goto(`${suite.wharf.url}/repositories`);
    await p.getByRole('heading', { name: 'Repositories', level: 1 }).waitFor();
    await expectTexts(p.getByRole('table', { name: 'Repositories' }).getByRole('link'), ['open/app']);
    const nav = p.getByRole('navigation', { name: 'Main' });
    await expectTexts(nav.getByRole('link'), ['Organizations', 'Repositories']);
    expect(await p.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/sign-in?next=%2Frepositories');
    await expectAccessible(p);

    await p.getByRole('link', { name: 'open/app' }).click();
    await p.getByRole('heading', { name: 'open/app', level: 1 }).waitFor();
    const tags = p.getByRole('table', { name: /^Tags of open\/app/ });
    await expectTexts(tags.locator('tbody tr td:first-child .mono'), ['1.0']);
    expect(await p.getByRole('button', { name: /delete/i }).count()).toBe(0);
    await screenshot(p, 'visitor-repository');
    await expectAccessible(p);

    await nav.getByRole('link', { name: 'Organizations' }).click();
    await p.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await expectTexts(p.getByRole('table', { name: 'Organizations' }).getByRole('link'), ['open']);
    expect(await p.getByRole('button', { name: 'New organization' }).count()).toBe(0);
    await p.getByRole('link', { name: 'open', exact: true }).click();
    await p.getByRole('heading', { name: 'open', level: 1 }).waitFor();
    await expectTexts(p.getByRole('table', { name: 'Repositories of open' }).getByRole('link'), ['open/app']);
    expect(await p.getByRole('link', { name: 'Members and teams' }).count()).toBe(0);

    for (const hidden of ['open/secret', 'acme/app']) {
      await p.goto(`${suite.wharf.url}/repositories/${hidden}`);
      await p.getByRole('heading', { name: 'Repository not found' }).waitFor();
      expect(await p.locator('main [role="alert"]').textContent()).toContain(`There is no repository “${hidden}”, or you may not see it without signing in.`);
    }
    await p.goto(`${suite.wharf.url}/orgs/acme`);
    await p.getByRole('heading', { name: 'Organization not found' }).waitFor();

    await p.goto(`${suite.wharf.url}/`);
    await p.waitForURL((url) => url.pathname === '/sign-in');
    await p.getByRole('link', { name: 'browse the public repositories' }).click();
    await p.waitForURL((url) => url.pathname === '/repositories');
    // The answers for what is not public are 404s, which Chromium logs as failed loads.
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e))).toEqual([]);
  });

  // Next's production server otherwise loads its bundled webpack to read its config, about
  // 12 MiB of the process's memory for its whole life (apps/api/src/portal/portal.service.ts).
  it('has served every page above without loading Next\'s bundled webpack', async () => {
    process.kill(suite.wharf.pid, 'SIGUSR2');
    const deadline = Date.now() + 10_000;
    while (!existsSync(modulesFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const loaded = readFileSync(modulesFile, 'utf8').split('\n');
    // The list is the process's: Next's server and the portal's pages are in it.
    expect(loaded.some((path) => path.includes('/next/dist/server/next-server.js'))).toBe(true);
    expect(loaded.filter((path) => path.includes('/next/dist/compiled/webpack/'))).toEqual([]);
  });

  // Next names a render worker's process after the variable that keeps webpack out (above).
  it('still shows its own command line to ps once the portal has started', () => {
    const commandLine = readFileSync(`/proc/${suite.wharf.pid}/cmdline`, 'latin1');
    expect(commandLine).toContain('apps/api/dist/main.js');
    expect(commandLine).not.toContain('next-render-worker');
  });
});
