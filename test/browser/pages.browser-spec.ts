// The repository, artifact, account and admin pages in Debian's Chromium against a real Wharf
// process holding images (one with a build history and an SBOM referrer, one multi-platform
// index) pushed over /v2 with tokens from /token. Each page is screenshotted, checked with
// axe-core and must log no console error.
import type { Page } from 'playwright-core';

import { RegistryApi, sha256 } from '../e2e/support/registry-api';
import { apiSession, expectAccessible, expectFitsPhone, expectTexts, portalSuite, pushImage, screenshot, signIn as signInAt } from './support/portal';

const ADMIN_PASSWORD = 'pages-admin-password';
const USER_PASSWORD = 'pages-user-password';

// Markdown with an XSS attempt in each usual form: none of it may run.
const DESCRIPTION = [
  '# The web app',
  '',
  'Run it with **docker run**, see [the docs](https://example.com/docs).',
  '',
  '<img src=x onerror="window.__pwned = 1">',
  '<script>window.__pwned = 2</script>',
  '[click me](javascript:window.__pwned=3)',
  '<a href="#" onclick="window.__pwned = 4">or me</a>',
].join('\n');

const suite = portalSuite('pages', { adminPassword: ADMIN_PASSWORD });
const { page } = suite;
let admin: Awaited<ReturnType<typeof apiSession>>;
let webDigest: string;
let sbomDigest: string;
let indexDigest: string;
const childDigests: Record<string, string> = {};

async function upload(registry: RegistryApi, name: string, content: Buffer): Promise<string> {
  const digest = sha256(content);
  const start = await registry.request(`/v2/${name}/blobs/uploads/`, { method: 'POST' });
  expect(start.status).toBe(202);
  const location = new URL(start.headers.get('location')!, registry.url);
  location.searchParams.set('digest', digest);
  const put = await registry.fetch(location.toString(), { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: content });
  expect(put.status).toBe(201);
  return digest;
}

async function putManifest(registry: RegistryApi, name: string, reference: string, mediaType: string, manifest: unknown): Promise<{ digest: string; size: number }> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const put = await registry.request(`/v2/${name}/manifests/${reference}`, { method: 'PUT', headers: { 'Content-Type': mediaType }, body: bytes });
  if (put.status !== 201) throw new Error(`pushing ${name}:${reference}: ${put.status} ${await put.text()}`);
  return { digest: sha256(bytes), size: bytes.length };
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** An image of two layers whose config records three build steps. */
async function pushImageWithHistory(registry: RegistryApi, name: string, tag: string, platform = { os: 'linux', architecture: 'amd64' }): Promise<{ digest: string; size: number }> {
  const base = Buffer.from(`base of ${name}:${tag}\n`.repeat(512));
  const app = Buffer.from(`app of ${name}:${tag}\n`.repeat(32));
  const config = Buffer.from(
    JSON.stringify({
      ...platform,
      created: '2026-01-02T03:04:05Z',
      rootfs: { type: 'layers', diff_ids: [sha256(base), sha256(app)] },
      config: { Cmd: ['/app'] },
      history: [
        { created: '2026-01-01T00:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:base in /' },
        { created: '2026-01-02T00:00:00Z', created_by: '/bin/sh -c #(nop) CMD ["/app"]', empty_layer: true },
        { created: '2026-01-02T03:04:05Z', created_by: 'COPY app /app # buildkit' },
      ],
    }),
  );
  const layers = [];
  for (const layer of [base, app]) layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: await upload(registry, name, layer), size: layer.length });
  const configDigest = await upload(registry, name, config);
  return putManifest(registry, name, tag, OCI_MANIFEST, { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length }, layers });
}

beforeAll(async () => {
  admin = await apiSession(suite.wharf.url, 'admin', ADMIN_PASSWORD);
  expect((await admin('POST', '/api/v1/orgs', { name: 'acme' })).status).toBe(201);
  for (const [name, role] of [
    ['maria', 'maintainer'],
    ['gus', 'guest'],
  ] as const) {
    expect((await admin('POST', '/api/v1/users', { name, password: USER_PASSWORD, admin: false })).status).toBe(201);
    expect((await admin('PUT', `/api/v1/orgs/acme/members/${name}`, { role })).status).toBeLessThan(300);
  }
  expect((await admin('POST', '/api/v1/users', { name: 'pat', password: USER_PASSWORD, admin: false })).status).toBe(201);

  const registry = new RegistryApi(suite.wharf.url, { username: 'admin', password: ADMIN_PASSWORD });
  await pushImage(registry, 'acme/app', '1.0');
  await pushImage(registry, 'acme/app', 'old', 'old');
  expect((await admin('PATCH', `/api/v1/repositories/${encodeURIComponent('acme/app')}`, { description: DESCRIPTION })).status).toBe(200);

  // An image with a history and an SBOM that refers to it (OCI 1.1 subject).
  const web = await pushImageWithHistory(registry, 'acme/web', '1.0');
  webDigest = web.digest;
  const empty = Buffer.from('{}');
  const sbom = Buffer.from(JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'acme/web' }));
  const emptyDigest = await upload(registry, 'acme/web', empty);
  const sbomBlob = await upload(registry, 'acme/web', sbom);
  sbomDigest = (
    await putManifest(registry, 'acme/web', 'sbom', OCI_MANIFEST, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/spdx+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: empty.length },
      layers: [{ mediaType: 'application/spdx+json', digest: sbomBlob, size: sbom.length }],
      subject: { mediaType: OCI_MANIFEST, digest: web.digest, size: web.size },
    })
  ).digest;
  // Delete the helper tag: the SBOM is reachable as a referrer only.
  expect((await admin('DELETE', `/api/v1/repositories/${encodeURIComponent('acme/web')}/tags/sbom`)).status).toBe(204);

  // A two-platform index.
  const children = [];
  for (const architecture of ['amd64', 'arm64']) {
    const child = await pushImageWithHistory(registry, 'acme/multi', `only-${architecture}`, { os: 'linux', architecture });
    childDigests[architecture] = child.digest;
    children.push({ mediaType: OCI_MANIFEST, digest: child.digest, size: child.size, platform: { os: 'linux', architecture } });
  }
  indexDigest = (await putManifest(registry, 'acme/multi', 'latest', OCI_INDEX, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: children })).digest;
});

const signIn = (p: Page, user: string, password: string, next: string) => signInAt(p, suite.wharf.url, user, password, next);

const tagNames = (p: Page) => p.getByRole('table', { name: /^Tags of acme\/app/ }).locator('tbody tr td:first-child .mono').allTextContents();

describe('the repository page', () => {
  it('renders the description as sanitised markdown: the XSS attempts stay inert', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'gus', USER_PASSWORD, '/repositories/acme/app');
    const about = p.getByRole('region', { name: 'About' });
    await about.getByRole('heading', { name: 'The web app' }).waitFor();
    expect(await about.locator('strong').textContent()).toBe('docker run');
    const docs = about.getByRole('link', { name: 'the docs' });
    expect(await docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(await docs.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    // The img survives without its handler; script, javascript: URL and onclick are gone.
    expect(await about.locator('img').count()).toBe(1);
    expect(await about.locator('img').getAttribute('onerror')).toBeNull();
    expect(await about.locator('script, [onerror], [onclick], a[href^="javascript:"]').count()).toBe(0);
    await about.getByText('or me').click();
    await about.getByText('click me').click().catch(() => undefined);
    await p.waitForTimeout(300);
    expect(await p.evaluate('window.__pwned')).toBeUndefined();
    await screenshot(p, 'repository-description');
    await expectAccessible(p);
    // The sanitised <img src=x> is a broken image request; nothing else may be logged.
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('shows a guest no delete button', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'gus', USER_PASSWORD, '/repositories/acme/app');
    await p.getByRole('table', { name: /^Tags of acme\/app/ }).waitFor();
    expect(await tagNames(p)).toEqual(['old', '1.0']);
    expect(await p.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    expect(await p.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    // The API refuses the guest anyway.
    const guest = await apiSession(suite.wharf.url, 'gus', USER_PASSWORD);
    expect((await guest('DELETE', `/api/v1/repositories/${encodeURIComponent('acme/app')}/tags/old`)).status).toBe(403);
    await screenshot(p, 'repository-guest');
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('lets a maintainer delete a tag after confirming, and not before', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'maria', USER_PASSWORD, '/repositories/acme/app');
    await p.getByRole('table', { name: /^Tags of acme\/app/ }).waitFor();
    expect(await tagNames(p)).toEqual(['old', '1.0']);

    // Cancel first: nothing happens.
    await p.getByRole('button', { name: 'Delete tag old' }).click();
    const dialog = p.getByRole('dialog', { name: 'Delete the tag old?' });
    await dialog.waitFor();
    await screenshot(p, 'repository-delete-dialog');
    await expectAccessible(p);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(((await admin('GET', `/api/v1/repositories/${encodeURIComponent('acme/app')}/tags?q=old`).then((r) => r.json())) as { items: unknown[] }).items).toHaveLength(1);

    await p.getByRole('button', { name: 'Delete tag old' }).click();
    await dialog.getByRole('button', { name: 'Delete tag' }).click();
    await p.getByRole('status').filter({ hasText: 'Deleted the tag old' }).waitFor();
    await p.waitForFunction("document.querySelectorAll('table tbody tr').length === 1");
    expect(await tagNames(p)).toEqual(['1.0']);
    expect(((await admin('GET', `/api/v1/repositories/${encodeURIComponent('acme/app')}/tags?q=old`).then((r) => r.json())) as { items: unknown[] }).items).toEqual([]);
    await screenshot(p, 'repository-tag-deleted');
    await expectAccessible(p);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('lets a maintainer edit the description and delete the repository; a guest sees no settings', async () => {
    await pushImage(new RegistryApi(suite.wharf.url, { username: 'admin', password: ADMIN_PASSWORD }), 'acme/scratch', '1.0');
    const guest = await page();
    await signIn(guest.page, 'gus', USER_PASSWORD, '/repositories/acme/scratch');
    await guest.page.getByRole('table', { name: /^Tags of acme\/scratch/ }).waitFor();
    expect(await guest.page.getByRole('region', { name: 'Settings' }).count()).toBe(0);

    const { page: p, errors } = await page();
    await signIn(p, 'maria', USER_PASSWORD, '/repositories/acme/scratch');
    const settings = p.getByRole('region', { name: 'Settings' });
    await settings.waitFor();
    await settings.getByLabel('Description (Markdown)').fill('# Scratch space\n\nFor *experiments*.');
    await settings.getByRole('button', { name: 'Save description' }).click();
    await settings.getByRole('status').filter({ hasText: 'Description saved.' }).waitFor();
    await p.getByRole('region', { name: 'About' }).getByRole('heading', { name: 'Scratch space' }).waitFor();
    const stored = (await admin('GET', `/api/v1/repositories/${encodeURIComponent('acme/scratch')}`).then((r) => r.json())) as { description: string };
    expect(stored.description).toBe('# Scratch space\n\nFor *experiments*.');
    await screenshot(p, 'repository-settings');
    await expectAccessible(p);

    await settings.getByRole('button', { name: 'Delete repository' }).click();
    const dialog = p.getByRole('dialog', { name: 'Delete the repository acme/scratch?' });
    await dialog.getByRole('button', { name: 'Delete repository' }).click();
    await p.waitForURL((url) => url.pathname === '/orgs/acme');
    await p.getByRole('heading', { name: 'acme', level: 1 }).waitFor();
    expect((await admin('GET', `/api/v1/repositories/${encodeURIComponent('acme/scratch')}`)).status).toBe(404);
    expect(errors).toEqual([]);
  });
});

describe('the artifact page', () => {
  it('shows layers, build history, referrers, manifest and config, reached from the tags table', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'admin', ADMIN_PASSWORD, '/repositories/acme/web');
    await p.getByRole('link', { name: /^Artifact sha256:\w+ of 1\.0$/ }).click();
    await p.waitForURL((url) => url.pathname === `/repositories/acme/web/-/artifacts/${encodeURIComponent(webDigest)}` || url.pathname === `/repositories/acme/web/-/artifacts/${webDigest}`);
    await p.getByRole('heading', { name: 'Layers' }).waitFor();
    const layers = p.getByRole('table', { name: /^Layers, base first/ });
    expect(await layers.locator('tbody tr').count()).toBe(2);
    await expectTexts(layers.locator('tbody tr td:nth-child(4)'), ['11 KiB', '640 B']);
    const history = p.getByRole('region', { name: 'Build history' });
    await expectTexts(history.locator('li code'), ['/bin/sh -c #(nop) ADD file:base in /', '/bin/sh -c #(nop) CMD ["/app"]', 'COPY app /app # buildkit']);
    expect(await history.locator('li').nth(1).textContent()).toContain('no layer');
    const sboms = p.getByRole('region', { name: 'SBOMs (application/spdx+json)' });
    await sboms.waitFor();
    expect(await sboms.locator('code').getAttribute('title')).toBe(sbomDigest);
    const manifest = JSON.parse((await p.getByRole('region', { name: 'manifest JSON' }).textContent())!) as { layers: unknown[] };
    expect(manifest.layers).toHaveLength(2);
    const config = JSON.parse((await p.getByRole('region', { name: 'config JSON' }).textContent())!) as { architecture: string };
    expect(config.architecture).toBe('amd64');
    await screenshot(p, 'artifact');
    await expectAccessible(p);

    // The referrer's own page names its subject.
    await sboms.getByRole('link').click();
    await p.getByText('This artifact refers to').waitFor();
    expect(await p.getByRole('region', { name: 'Overview' }).locator('dd code').first().textContent()).toBe(sbomDigest);
    await screenshot(p, 'artifact-referrer');
    expect(errors).toEqual([]);
  });

  it('lists the platforms of an index, each linked to its child', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'admin', ADMIN_PASSWORD, `/repositories/acme/multi/-/artifacts/${indexDigest}`);
    const platforms = p.getByRole('table', { name: 'Manifests of this index' });
    await platforms.waitFor();
    await expectTexts(platforms.locator('tbody tr td:first-child'), ['linux/amd64', 'linux/arm64']);
    expect(await p.getByRole('heading', { name: 'Layers' }).count()).toBe(0);
    await screenshot(p, 'artifact-index');
    await expectAccessible(p);
    await platforms.getByRole('link').nth(1).click();
    await p.getByRole('heading', { name: 'Layers' }).waitFor();
    expect(await p.getByRole('region', { name: 'Overview' }).locator('dd code').first().textContent()).toBe(childDigests.arm64);
    expect(errors).toEqual([]);
  });

  it('refuses a malformed digest without calling the API', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'admin', ADMIN_PASSWORD, '/');
    const calls: string[] = [];
    p.on('request', (request) => {
      if (request.url().includes('/api/v1/repositories/')) calls.push(request.url());
    });
    await p.goto(`${suite.wharf.url}/repositories/acme/web/-/artifacts/${encodeURIComponent('sha256:../../orgs')}`);
    await p.getByRole('alert').filter({ hasText: 'Not a digest' }).waitFor();
    expect(calls).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('the account page', () => {
  it('creates a token, shows its secret once, and revokes it', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'maria', USER_PASSWORD, '/account');
    await p.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await p.getByRole('heading', { name: 'No tokens yet' }).waitFor();
    await screenshot(p, 'account');
    await expectAccessible(p);

    await p.getByLabel('Name', { exact: true }).fill('ci laptop');
    await p.getByLabel('Scope').selectOption('read-write');
    await p.getByLabel('Expires after').selectOption('7');
    await p.getByRole('button', { name: 'Create token' }).click();
    const secretBox = p.getByRole('region', { name: 'Token “ci laptop” created' });
    await secretBox.waitFor();
    const secret = (await secretBox.locator('code').last().textContent())!;
    expect(secret).toMatch(/^wharf_pat_/);
    await secretBox.getByRole('button', { name: 'Copy the token secret' }).waitFor();
    const tokens = p.getByRole('table', { name: 'My personal access tokens' });
    await tokens.getByRole('cell', { name: 'ci laptop', exact: true }).waitFor();
    expect(await tokens.locator('tbody tr td').nth(1).textContent()).toBe('read-write');
    expect(await tokens.locator('tbody tr td').nth(4).textContent()).toBe('never');
    await screenshot(p, 'account-token-created');
    await expectAccessible(p);

    // The token works, and is seen as used.
    const me = await fetch(`${suite.wharf.url}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { name: string }).name).toBe('maria');
    await secretBox.getByRole('button', { name: 'I have copied it' }).click();
    await secretBox.waitFor({ state: 'detached' });
    // The secret is shown once: not after a reload.
    await p.reload();
    await tokens.getByRole('cell', { name: 'ci laptop', exact: true }).waitFor();
    expect(await p.content()).not.toContain(secret);
    expect(await tokens.locator('tbody tr td').nth(4).textContent()).not.toBe('never');

    await tokens.getByRole('button', { name: 'Revoke ci laptop' }).click();
    const dialog = p.getByRole('dialog', { name: 'Revoke the token ci laptop?' });
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await p.getByRole('heading', { name: 'No tokens yet' }).waitFor();
    expect((await fetch(`${suite.wharf.url}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(401);
    expect(errors).toEqual([]);
  });

  it('changes the password, which signs the user out', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'pat', USER_PASSWORD, '/account');
    await p.getByLabel('Current password').fill('wrong password');
    await p.getByLabel('New password', { exact: true }).fill('a-brand-new-password');
    await p.getByLabel('New password, again').fill('a-brand-new-password');
    await p.getByRole('button', { name: 'Change password' }).click();
    await p.getByRole('region', { name: 'Change password' }).getByRole('alert').waitFor();
    await p.getByLabel('Current password').fill(USER_PASSWORD);
    await p.getByRole('button', { name: 'Change password' }).click();
    await p.waitForURL((url) => url.pathname === '/sign-in');
    expect((await fetch(`${suite.wharf.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'pat', password: 'a-brand-new-password' }) })).status).toBe(200);
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});

describe('the admin page', () => {
  it('is not offered to a user who is not a system administrator', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'gus', USER_PASSWORD, '/admin');
    await p.getByRole('heading', { name: 'For system administrators' }).waitFor();
    expect(await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Create user' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('creates a user, makes them admin, disables them, and switches self-registration', async () => {
    const { page: p, errors } = await page();
    await signIn(p, 'admin', ADMIN_PASSWORD, '/');
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await p.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    const users = p.getByRole('table', { name: 'Users' });
    await users.getByRole('cell', { name: 'maria', exact: true }).waitFor();
    await screenshot(p, 'admin');
    await expectAccessible(p);

    await p.getByLabel('User name').fill('newbie');
    await p.getByLabel('Email (optional)').fill('newbie@example.com');
    await p.getByLabel('Initial password').fill(USER_PASSWORD);
    await p.getByRole('button', { name: 'Create user' }).click();
    await p.getByRole('status').filter({ hasText: 'Created newbie.' }).waitFor();
    const row = users.getByRole('row').filter({ has: p.getByRole('cell', { name: 'newbie', exact: true }) });
    await row.waitFor();

    await row.getByRole('button', { name: 'Make admin newbie' }).click();
    await p.getByRole('dialog', { name: 'Make newbie a system administrator?' }).getByRole('button', { name: 'Make admin' }).click();
    await p.getByRole('status').filter({ hasText: 'newbie is now a system administrator.' }).waitFor();
    await row.getByRole('button', { name: 'Remove admin newbie' }).waitFor();
    await row.getByRole('button', { name: 'Disable newbie' }).click();
    await p.getByRole('dialog', { name: 'Disable newbie?' }).getByRole('button', { name: 'Disable user' }).click();
    await row.getByRole('button', { name: 'Enable newbie' }).waitFor();
    const stored = (await admin('GET', '/api/v1/users?q=newbie').then((r) => r.json())) as { items: { name: string; admin: boolean; disabled: boolean; email: string }[] };
    expect(stored.items).toEqual([expect.objectContaining({ name: 'newbie', admin: true, disabled: true, email: 'newbie@example.com' })]);
    expect((await fetch(`${suite.wharf.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'newbie', password: USER_PASSWORD }) })).status).toBe(401);

    await p.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'Settings' }).click();
    const toggle = p.getByRole('switch', { name: 'Self-registration' });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await p.getByRole('status').filter({ hasText: 'Self-registration is on' }).waitFor();
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    expect(((await fetch(`${suite.wharf.url}/api/v1/system`).then((r) => r.json())) as { selfRegistration: boolean }).selfRegistration).toBe(true);
    await screenshot(p, 'admin-changed');
    await expectAccessible(p);
    await toggle.click();
    await p.getByRole('status').filter({ hasText: 'Self-registration is off' }).waitFor();
    expect(((await fetch(`${suite.wharf.url}/api/v1/system`).then((r) => r.json())) as { selfRegistration: boolean }).selfRegistration).toBe(false);
    expect(errors).toEqual([]);
  });

  it('lets a visitor create an account while self-registration is on, and signs them in; offers none while it is off', async () => {
    const { page: p, errors } = await page();
    await p.goto(`${suite.wharf.url}/sign-in`);
    await p.getByRole('heading', { name: 'Sign in to Wharf' }).waitFor();
    // Off (the default): no offer, and the page says so.
    await p.getByRole('link', { name: 'browse the public repositories' }).waitFor();
    expect(await p.getByRole('link', { name: 'Create one' }).count()).toBe(0);
    await p.goto(`${suite.wharf.url}/sign-up`);
    await p.getByText('This registry does not take sign-ups.').waitFor();
    expect(await p.getByRole('button', { name: 'Create account' }).count()).toBe(0);

    expect((await admin('PUT', '/api/v1/system/settings', { selfRegistration: true })).status).toBe(204);
    try {
      await p.goto(`${suite.wharf.url}/sign-in`);
      await p.getByRole('link', { name: 'Create one' }).click();
      await p.getByRole('heading', { name: 'Create an account' }).waitFor();
      await expectAccessible(p);
      await p.getByLabel('User name').fill('maria');
      await p.getByLabel('Password', { exact: true }).fill('a-password-of-mine');
      await p.getByLabel('Password, again').fill('a-password-of-mine');
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.getByRole('alert').filter({ hasText: 'That name is taken' }).waitFor();
      await p.getByLabel('User name').fill('newcomer');
      await p.getByLabel('Password, again').fill('a-password-of-yours');
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.getByRole('alert').filter({ hasText: 'The two passwords differ.' }).waitFor();
      await p.getByLabel('Password, again').fill('a-password-of-mine');
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.getByRole('heading', { name: 'Welcome, newcomer' }).waitFor();
      await screenshot(p, 'signed-up');
      const created = (await admin('GET', '/api/v1/users?q=newcomer').then((r) => r.json())) as { items: { name: string; admin: boolean }[] };
      expect(created.items).toEqual([expect.objectContaining({ name: 'newcomer', admin: false })]);
    } finally {
      expect((await admin('PUT', '/api/v1/system/settings', { selfRegistration: false })).status).toBe(204);
    }
    // The refused sign-up (409) is logged by Chromium as a failed resource load; nothing else may be.
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });

  it('lists every organization, private ones of other users too, each linked to its page', async () => {
    // maria creates a private organization the admin holds no role in; gus does not see it.
    const maria = await apiSession(suite.wharf.url, 'maria', USER_PASSWORD);
    expect((await maria('POST', '/api/v1/orgs', { name: 'marias-lab', description: 'Private experiments' })).status).toBe(201);
    const gus = await apiSession(suite.wharf.url, 'gus', USER_PASSWORD);
    expect(((await (await gus('GET', '/api/v1/orgs')).json()) as { items: { name: string }[] }).items.map((o) => o.name)).not.toContain('marias-lab');

    const { page: p, errors } = await page();
    await signIn(p, 'admin', ADMIN_PASSWORD, '/admin');
    await p.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'Organizations' }).click();
    const table = p.getByRole('table', { name: 'All organizations' });
    await table.waitFor();
    await expectTexts(table.locator('tbody tr td:first-child a'), ['acme', 'marias-lab']);
    await expectTexts(table.getByRole('columnheader'), ['Name', 'Visibility', 'Repositories', 'Created']);
    const row = table.getByRole('row').filter({ has: p.getByRole('link', { name: 'marias-lab' }) });
    await expectTexts(row.locator('td'), ['marias-labPrivate experiments', 'private', '0', expect.stringMatching(/ago|now/)]);
    expect(new URL(p.url()).searchParams.get('tab')).toBe('organizations');
    await screenshot(p, 'admin-organizations');
    await expectAccessible(p);

    // Search is done by the API; nothing matches: an empty state, not an empty table.
    await p.getByLabel('Find organizations').fill('lab');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.waitForFunction("document.querySelectorAll('table tbody tr').length === 1");
    await expectTexts(table.locator('tbody tr td:first-child a'), ['marias-lab']);
    await p.getByLabel('Find organizations').fill('nothing-like-it');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.getByRole('heading', { name: 'No organization matches “nothing-like-it”' }).waitFor();

    // The tab survives a reload (it is in the URL), and a link opens the organization as its admin.
    await p.reload();
    await table.getByRole('link', { name: 'marias-lab' }).click();
    await p.getByRole('heading', { name: 'marias-lab', level: 1 }).waitFor();
    await p.getByText('your role: admin').waitFor();
    expect(errors).toEqual([]);
  });

  it('deletes a user after confirming, and not before', async () => {
    expect((await admin('POST', '/api/v1/users', { name: 'leaver', password: USER_PASSWORD, admin: false })).status).toBe(201);
    const { page: p, errors } = await page();
    await signIn(p, 'admin', ADMIN_PASSWORD, '/admin');
    const users = p.getByRole('table', { name: 'Users' });
    const row = users.getByRole('row').filter({ has: p.getByRole('cell', { name: 'leaver', exact: true }) });
    await row.waitFor();
    // Oneself: no controls at all.
    const self = users.getByRole('row').filter({ has: p.getByRole('cell', { name: 'admin', exact: true }) });
    expect(await self.getByRole('button').count()).toBe(0);

    await row.getByRole('button', { name: 'Delete leaver' }).click();
    const dialog = p.getByRole('dialog', { name: 'Delete leaver?' });
    await dialog.getByText('This cannot be undone.', { exact: false }).waitFor();
    await screenshot(p, 'admin-delete-user');
    await expectAccessible(p);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(((await admin('GET', '/api/v1/users?q=leaver').then((r) => r.json())) as { items: unknown[] }).items).toHaveLength(1);

    await row.getByRole('button', { name: 'Delete leaver' }).click();
    await dialog.getByRole('button', { name: 'Delete user' }).click();
    await p.getByRole('status').filter({ hasText: 'leaver was deleted.' }).waitFor();
    await row.waitFor({ state: 'detached' });
    expect(((await admin('GET', '/api/v1/users?q=leaver').then((r) => r.json())) as { items: unknown[] }).items).toEqual([]);
    expect((await fetch(`${suite.wharf.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'leaver', password: USER_PASSWORD }) })).status).toBe(401);
    expect(errors).toEqual([]);
  });

  it('fits a phone screen, its sections and the main navigation usable', async () => {
    const { page: p, errors } = await page({ width: 390, height: 844 });
    await signIn(p, 'admin', ADMIN_PASSWORD, '/admin');
    await p.getByRole('table', { name: 'Users' }).getByRole('cell', { name: 'maria', exact: true }).waitFor();
    await expectFitsPhone(p);
    await screenshot(p, 'admin-phone');
    await expectAccessible(p);
    await p.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'Organizations' }).click();
    await p.getByRole('table', { name: 'All organizations' }).waitFor();
    await expectFitsPhone(p);
    await screenshot(p, 'admin-organizations-phone');
    await p.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'Settings' }).click();
    await p.getByRole('switch', { name: 'Self-registration' }).waitFor();
    await expectFitsPhone(p);
    // The main navigation works at this width.
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
    await p.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    expect(errors).toEqual([]);
  });
});
