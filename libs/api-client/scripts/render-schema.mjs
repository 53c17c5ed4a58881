// Renders libs/api-client/src/schema.ts, the TypeScript types of the management API, from its
// OpenAPI document with openapi-typescript. Plain ESM because openapi-typescript is an ES module:
// apps/api/dist/openapi-cli.js (`npm run openapi`) imports it, and the drift test, which jest
// cannot give an ES module, runs it in a child process:
//
//   node libs/api-client/scripts/render-schema.mjs apps/api/openapi.json   # prints schema.ts
//   node libs/api-client/scripts/render-schema.mjs - < openapi.json
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import openapiTS, { astToString } from 'openapi-typescript';

const HEADER = `// Generated from apps/api/openapi.json by openapi-typescript: do not edit by hand.
// Regenerate with \`npm run openapi\` after changing a controller or DTO of the management API.

`;

/** schema.ts for the document given as JSON text. */
export async function renderSchema(documentText) {
  const ast = await openapiTS(JSON.parse(documentText), { silent: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node libs/api-client/scripts/render-schema.mjs <openapi.json | ->');
    process.exit(2);
  }
  process.stdout.write(await renderSchema(readFileSync(file === '-' ? 0 : file, 'utf8')));
}
