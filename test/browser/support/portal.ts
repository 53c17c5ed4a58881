import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

import { type RegistryApi, sha256 } from '../../e2e/support/registry-api';
import { startWharf, type StartedWharf } from '../../support/wharf-process.cjs';
import { CHROMIUM } from './global-setup';

const root = join(__dirname, '..', '..', '..');
export const SCREENSHOTS = join(root, 'reports', 'screenshots');

/**
 * Debian's Chromium, headless (see shared/reference/environment.md). Playwright gives every
 * launch a fresh, temporary profile (--user-data-dir) and removes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records console errors and uncaught exceptions: every test asserts there are none. */
export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly errors: string[];
}

export async function openPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught ${error.message}`));
  return { page, context, errors };
}

/**
 * The texts of `locator`'s matches equal `expected`, waiting for the page to get there:
 * allTextContents() does not wait, and a list rendered after data arrives would race it.
 */
export async function expectTexts(locator: Locator, expected: unknown[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = await locator.allTextContents();
    try {
      expect(texts).toEqual(expected);
      return;
    } catch (mismatch) {
      if (Date.now() > deadline) throw mismatch;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Saves a full-page screenshot as reports/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export interface PortalSuite {
  /** This suite's folder under .cache/test-runs (the server's data is in its `wharf` folder). */
  readonly dataDir: string;
  readonly wharf: StartedWharf;
  readonly browser: Browser;
  /** A page of its own (closed after the test), watched for console errors. */
  page(viewport?: { width: number; height: number }): Promise<WatchedPage>;
  /** A page signed in as `username`, on `next`. */
  signedIn(username: string, password: string, next: string, viewport?: { width: number; height: number }): Promise<WatchedPage>;
}

/**
 * The hooks of a browser suite: a Wharf of its own with `adminPassword` for `admin` (and `env`), and
 * Chromium, started before the suite's tests (and before any beforeAll declared after this
 * call); the pages of each test closed after it; then `cleanup`, and the suite's folder removed.
 */
export function portalSuite(name: string, options: { adminPassword: string; env?: Record<string, string>; cleanup?: () => Promise<void> }): PortalSuite {
  const dataDir = join(root, '.cache', 'test-runs', `browser-${name}-${randomBytes(4).toString('hex')}`);
  const open: WatchedPage[] = [];
  let wharf: StartedWharf | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    wharf = await startWharf({ dataDir: join(dataDir, 'wharf'), env: { ...options.env, WHARF_ADMIN_PASSWORD: options.adminPassword } });
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const watched of open.splice(0)) await watched.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await wharf?.stop();
    await options.cleanup?.();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const suite: PortalSuite = {
    dataDir,
    get wharf() {
      if (!wharf) throw new Error('the suite has not started Wharf yet');
      return wharf;
    },
    get browser() {
      if (!browser) throw new Error('the suite has not started Chromium yet');
      return browser;
    },
    async page(viewport) {
      const watched = await openPage(suite.browser, viewport);
      open.push(watched);
      return watched;
    },
    async signedIn(username, password, next, viewport) {
      const watched = await suite.page(viewport);
      await signIn(watched.page, suite.wharf.url, username, password, next);
      return watched;
    },
  };
  return suite;
}

/**
 * Signs in through the sign-in page with `next` set, as a visitor sent there does, and waits
 * until the portal has left it.
 */
export async function signIn(p: Page, url: string, username: string, password: string, next = '/'): Promise<void> {
  await p.goto(`${url}/sign-in?next=${encodeURIComponent(next)}`);
  await p.getByLabel('User name').fill(username);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL((at) => at.pathname !== '/sign-in');
}

/**
 * On a phone-sized page: the document is no wider than the screen, and every link of the main
 * navigation is visible inside it, large enough to tap.
 */
export async function expectFitsPhone(p: Page): Promise<void> {
  const overflow = (await p.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
  expect(overflow).toBeLessThanOrEqual(0);
  const width = p.viewportSize()!.width;
  const links = await p.getByRole('navigation', { name: 'Main' }).getByRole('link').all();
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) {
    const box = await link.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    expect(box!.height).toBeGreaterThanOrEqual(20);
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page; returns its serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  // A string runs in the page as is (this project's TypeScript has no DOM types).
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** No serious or critical axe-core violation on the page as it is now. */
export async function expectAccessible(p: Page): Promise<void> {
  expect(await seriousA11yViolations(p)).toEqual([]);
}

/** Signs in with the management API (session cookie + CSRF token) for seeding data. */
export async function apiSession(url: string, username: string, password: string): Promise<(method: string, path: string, body?: unknown) => Promise<Response>> {
  const response = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw new Error(`sign-in as ${username} failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return (method, path, body) =>
    fetch(`${url}${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

async function uploadBlob(registry: RegistryApi, name: string, content: Buffer): Promise<string> {
  const digest = sha256(content);
  const start = await registry.request(`/v2/${name}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`starting an upload to ${name}: ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location')!, registry.url);
  location.searchParams.set('digest', digest);
  const put = await registry.fetch(location.toString(), { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: content });
  if (put.status !== 201) throw new Error(`uploading ${digest} to ${name}: ${put.status} ${await put.text()}`);
  return digest;
}

/**
 * Pushes a small image (one layer) as `name:tag` over the registry protocol with a token from
 * /token, as a client does; returns the manifest digest.
 */
export async function pushImage(registry: RegistryApi, name: string, tag: string, seed = tag): Promise<string> {
  const layer = Buffer.from(`layer of ${name}:${seed}\n`.repeat(64));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, config: {} }));
  const layerDigest = await uploadBlob(registry, name, layer);
  const configDigest = await uploadBlob(registry, name, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
    }),
  );
  const put = await registry.request(`/v2/${name}/manifests/${tag}`, { method: 'PUT', headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
  if (put.status !== 201) throw new Error(`pushing ${name}:${tag}: ${put.status} ${await put.text()}`);
  return sha256(manifest);
}
