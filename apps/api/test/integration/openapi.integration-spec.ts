import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startTestApp, type TestApp } from './support/test-app';

const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};

describe('the OpenAPI document served by a running Wharf', () => {
  let wharf: TestApp;

  beforeAll(async () => {
    wharf = await startTestApp({ authenticate: false });
  });

  afterAll(async () => {
    await wharf?.close();
  });

  it('GET /api/v1/openapi.json serves the committed document (apps/api/openapi.json), to anyone', async () => {
    const response = await fetch(`${wharf.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const served = (await response.json()) as typeof committed;
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(committed.paths).sort());
    expect(served).toEqual(committed);
  });

  it('GET /api/docs serves the explorer, whose page and script load', async () => {
    const response = await fetch(`${wharf.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<div id="swagger-ui"></div>');
    // The page's scripts and style sheet, resolved against the page as a browser does.
    const scripts = [...html.matchAll(/<script src="([^"]+)"|<link rel="stylesheet" type="text\/css" href="([^"]+)"/g)].map((match) => new URL(match[1] ?? match[2]!, response.url).toString());
    expect(scripts.map((script) => new URL(script).pathname).sort()).toEqual([
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/swagger-ui-init.js',
      '/api/docs/swagger-ui-standalone-preset.js',
      '/api/docs/swagger-ui.css',
    ]);
    for (const script of scripts) {
      const asset = await fetch(script);
      expect(`${script} ${asset.status}`).toBe(`${script} 200`);
      await asset.arrayBuffer();
    }
    const init = await fetch(`${wharf.url}/api/docs/swagger-ui-init.js`);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('"Wharf management API"');
  });

  it('answers public calls with the shapes the document promises', async () => {
    for (const [path, schemaName] of [
      ['/api/v1/system', 'SystemDto'],
      ['/api/v1/session', 'SessionDto'],
    ] as const) {
      const operation = committed.paths[path]!.get as { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> };
      expect(operation.responses['200']!.content['application/json']!.schema.$ref).toBe(`#/components/schemas/${schemaName}`);
      const schema = committed.components.schemas[schemaName]!;
      const response = await fetch(`${wharf.url}${path}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(Object.keys(schema.properties ?? {}).sort());
      for (const field of schema.required ?? []) expect(body).toHaveProperty(field);
    }
  });
});
