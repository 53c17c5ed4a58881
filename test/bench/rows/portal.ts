// B10: the portal's repository page with 10,000 tags, in Debian's Chromium.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { chromium, type BrowserContext } from 'playwright-core';

import { interleave } from '../measure';
import { seedTags, TAGS_REPOSITORY } from '../seed';
import { BENCH_USER } from '../servers/wharf';
import { median } from '../support/stats';
import { TAGS_SQL } from './listing';
import type { Row } from './row';

export const CHROMIUM = '/usr/bin/chromium';
const ROWS = 50;
/** True once some table shows ROWS body rows (independent of the page's exact markup). */
const ROWS_SHOWN = `Array.from(document.querySelectorAll('table')).some((t) => t.querySelectorAll('tbody tr').length >= ${ROWS})`;
const TAGS_API = /\/api\/v1\/repositories\/[^?]+\/tags(\?|$)/;

/** The ceiling page: plain HTML whose script fetches the same 50 rows as JSON and renders them. */
const STATIC_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>tags</title></head><body><main><table><thead><tr><th>Tag</th><th>Digest</th><th>Size</th><th>Platforms</th><th>Pushed</th><th>Last pulled</th></tr></thead><tbody></tbody></table></main>
<script>
fetch('rows.json').then((r) => r.json()).then((rows) => {
  const body = document.querySelector('tbody');
  for (const tag of rows.items) {
    const tr = document.createElement('tr');
    for (const value of [tag.name, tag.digest, String(tag.size), '', tag.pushedAt, 'never']) { const td = document.createElement('td'); td.textContent = value; tr.appendChild(td); }
    body.appendChild(tr);
  }
});
</script></body></html>`;

/** Signs the bench user in to the portal through the management API; the session cookie. */
async function sessionCookie(url: string): Promise<{ name: string; value: string }> {
  const response = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(BENCH_USER) });
  if (!response.ok) throw new Error(`portal sign-in: ${response.status} ${await response.text()}`);
  const [pair] = (response.headers.getSetCookie()[0] ?? '').split(';');
  const at = pair?.indexOf('=') ?? -1;
  if (!pair || at < 1) throw new Error('portal sign-in set no session cookie');
  return { name: pair.slice(0, at), value: pair.slice(at + 1) };
}

/** Opens `url` in a new tab; ms until ROWS rows show, and the tags API call's own ms when `api`. */
async function timeRows(context: BrowserContext, url: string, api: boolean): Promise<{ rowsMs: number; apiMs: number }> {
  const page = await context.newPage();
  try {
    const response = api ? page.waitForResponse((r) => TAGS_API.test(r.url()), { timeout: 60_000 }) : undefined;
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(ROWS_SHOWN, undefined, { polling: 'raf', timeout: 60_000 });
    const rowsMs = performance.now() - t0;
    let apiMs = Number.NaN;
    if (response) {
      const answered = await response;
      await answered.finished();
      const timing = answered.request().timing();
      apiMs = timing.responseEnd - timing.requestStart;
    }
    return { rowsMs, apiMs };
  } finally {
    await page.close();
  }
}

export const b10: Row = {
  id: 'B10',
  title: 'Portal repository page with 10,000 tags',
  perStorage: false,
  async run(phase) {
    await seedTags(phase);
    const wharf = phase.wharf;
    const cookie = await sessionCookie(wharf.url);
    // The rows the portal shows first, served statically for the ceiling.
    const first = await fetch(`${wharf.url}/api/v1/repositories/${encodeURIComponent(TAGS_REPOSITORY)}/tags?limit=${ROWS}&sort=pushed&order=desc`, { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
    if (!first.ok) throw new Error(`GET the first tags through the management API: ${first.status} ${await first.text()}`);
    const staticDir = join(phase.filesDir, 'b10');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'rows.json'), await first.text());
    writeFileSync(join(staticDir, 'index.html'), STATIC_PAGE);
    const pgPage = async () =>
      median(
        (await phase.worker.run({ kind: 'pgPages', url: phase.databaseUrl, sql: TAGS_SQL, params: [TAGS_REPOSITORY, '@after', '@limit'], limit: ROWS + 1, after: null, all: false, repeat: 3 })).runs.map(
          (r) => r.totalMs,
        ),
      );

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ ...cookie, url: wharf.url }]);
      const measured = await interleave('B10', phase.plan, {
        wharf: async () => {
          const { rowsMs, apiMs } = await timeRows(context, `${wharf.url}/repositories/${TAGS_REPOSITORY}`, true);
          return { rows: rowsMs, api: apiMs };
        },
        ceiling: async () => {
          const [{ rowsMs }, pg] = [await timeRows(context, `${phase.files.url}/b10/index.html`, false), await pgPage()];
          return { rows: rowsMs + pg, api: pg };
        },
      });
      const tags = phase.plan.tags.toLocaleString('en-US');
      phase.results.figure(measured, {
        id: 'B10',
        name: `portal page /repositories/${TAGS_REPOSITORY} with ${tags} tags: navigation until ${ROWS} tag rows show`,
        unit: 'ms',
        better: 'lower',
        metric: 'rows',
        ceilingOf: `a static page that fetches the same ${ROWS} rows as JSON and renders them, plus the PostgreSQL tag page query`,
      });
      phase.results.figure(measured, {
        id: 'B10-api',
        name: `the page's tags API call (${ROWS} of ${tags}), request to response end in the browser`,
        unit: 'ms',
        better: 'lower',
        metric: 'api',
        ceilingOf: `PostgreSQL tag page query (LIMIT ${ROWS + 1}) from a client`,
      });
    } finally {
      await browser.close();
    }
  },
};
