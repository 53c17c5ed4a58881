// A repository of 10,000 tags in the portal, in Debian's Chromium against a real Wharf. The tags
// are pushed over /v2 as a client would (one manifest, tagged 10,000 times, several requests at
// a time); the page shows the first rows, pages forward and back, sorts and filters, all done
// by the API's keyset pages. Nothing here measures time.
import type { Page } from 'playwright-core';

import { RegistryApi } from '../e2e/support/registry-api';
import { apiSession, expectAccessible, portalSuite, pushImage, screenshot } from './support/portal';

const ADMIN_PASSWORD = 'many-tags-admin-password';
const REPO = 'big/app';
const COUNT = 10_000;
const CONCURRENCY = 8;

/** t00000 … t09999: byte order is numeric order. */
const tagName = (i: number) => `t${String(i).padStart(5, '0')}`;

const suite = portalSuite('many-tags', { adminPassword: ADMIN_PASSWORD });

beforeAll(async () => {
  const admin = await apiSession(suite.wharf.url, 'admin', ADMIN_PASSWORD);
  expect((await admin('POST', '/api/v1/orgs', { name: 'big' })).status).toBe(201);
  const registry = new RegistryApi(suite.wharf.url, { username: 'admin', password: ADMIN_PASSWORD });
  const digest = await pushImage(registry, REPO, tagName(0));
  const { bytes, contentType } = await registry.manifest(REPO, digest);
  const tag = async (i: number) => {
    const put = await registry.request(`/v2/${REPO}/manifests/${tagName(i)}`, { method: 'PUT', headers: { 'Content-Type': contentType }, body: bytes });
    if (put.status !== 201) throw new Error(`tagging ${tagName(i)}: ${put.status} ${await put.text()}`);
  };
  // t00001 … t09998 a few at a time, then t09999 alone: the one pushed last.
  let next = 1;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COUNT - 1) await tag(next++);
    }),
  );
  await tag(COUNT - 1);
  const repository = (await (await admin('GET', `/api/v1/repositories/${encodeURIComponent(REPO)}`)).json()) as { tagCount: number };
  expect(repository.tagCount).toBe(COUNT);
}, 600_000);

const table = (p: Page) => p.getByRole('table', { name: /^Tags of big\/app/ });
const rows = (p: Page) => table(p).locator('tbody tr td:first-child .mono').allTextContents();
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => tagName(from + k));

/** Waits until the table's first row is `first` (the page that was asked for has arrived). */
async function firstRowIs(p: Page, first: string): Promise<void> {
  await table(p).locator('tbody tr').first().locator('td:first-child .mono').getByText(first, { exact: true }).waitFor();
}

describe('a repository of 10,000 tags', () => {
  it('shows the newest tags first, pages forward and back, sorts by name both ways and filters', async () => {
    const { page: p, errors } = await suite.signedIn('admin', ADMIN_PASSWORD, `/repositories/${REPO}`);
    await p.getByRole('heading', { name: REPO, level: 1 }).waitFor();
    await p.getByText('10,000 tags').waitFor();

    // Newest first: t09999 was pushed last; one page of 50 rows.
    await firstRowIs(p, tagName(COUNT - 1));
    expect(await rows(p)).toHaveLength(50);
    await p.getByRole('table', { name: 'Tags of big/app, sorted by pushed descending' }).waitFor();
    await screenshot(p, 'repository-10000-tags');
    await expectAccessible(p);

    // By name, ascending: t00000 … t00049, then the next page, then back.
    await table(p).getByRole('button', { name: 'Tag', exact: true }).click();
    await p.getByRole('table', { name: 'Tags of big/app, sorted by name ascending' }).waitFor();
    await firstRowIs(p, tagName(0));
    expect(await rows(p)).toEqual(range(0, 50));
    const pages = p.getByRole('navigation', { name: 'Pages' });
    expect(await pages.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    await pages.getByRole('button', { name: 'Next' }).click();
    await firstRowIs(p, tagName(50));
    expect(await rows(p)).toEqual(range(50, 100));
    await pages.getByText('Page 2').waitFor();
    await pages.getByRole('button', { name: 'Next' }).click();
    await firstRowIs(p, tagName(100));
    expect(await rows(p)).toEqual(range(100, 150));
    await pages.getByRole('button', { name: 'Previous' }).click();
    await firstRowIs(p, tagName(50));
    expect(await rows(p)).toEqual(range(50, 100));
    await screenshot(p, 'repository-10000-tags-page-2');

    // Descending: the other end of the 10,000, from page 1 again.
    await table(p).getByRole('button', { name: 'Tag', exact: true }).click();
    await p.getByRole('table', { name: 'Tags of big/app, sorted by name descending' }).waitFor();
    await firstRowIs(p, tagName(COUNT - 1));
    expect(await rows(p)).toEqual(range(COUNT - 50, COUNT).reverse());
    await pages.getByText('Page 1').waitFor();

    // A filter narrows the 10,000 to ten.
    await p.getByLabel('Filter tags').fill('t0999');
    await p.getByRole('button', { name: 'Filter' }).click();
    await p.waitForFunction("document.querySelectorAll('table tbody tr').length === 10");
    expect(await rows(p)).toEqual(range(COUNT - 10, COUNT).reverse());
    expect(await pages.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
