import 'reflect-metadata';

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  CLIENT_SCHEMA_FILE,
  CLIENT_SCHEMA_RENDERER,
  documentDifferences,
  documentProblems,
  generateOpenApiDocument,
  OPENAPI_FILE,
  operationCount,
  requestDtoProblems,
  stableJson,
} from './management/openapi-document';

const USAGE = `node apps/api/dist/openapi-cli.js [--check]

Generates the management API's OpenAPI document from the code, without a database, into
apps/api/openapi.json, and the portal's client types from it into libs/api-client/src/schema.ts.
--check writes nothing and exits 1 when either committed file differs from what the code generates.
Run through \`npm run openapi\`, which builds first.`;

const show = (file: string) => relative(process.cwd(), file) || file;

async function renderClientSchema(documentText: string): Promise<string> {
  const renderer = (await import(pathToFileURL(CLIENT_SCHEMA_RENDERER).href)) as { renderSchema(text: string): Promise<string> };
  return renderer.renderSchema(documentText);
}

function readOptional(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The first line where two texts differ, for a message. */
function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  let line = 0;
  while (line < left.length && left[line] === right[line]) line++;
  return line + 1;
}

async function main(args: string[]): Promise<number> {
  if (args.some((arg) => arg !== '--check')) {
    console.error(USAGE);
    return 2;
  }
  const check = args.includes('--check');
  const document = await generateOpenApiDocument();
  const documentText = stableJson(document);
  const schemaText = await renderClientSchema(documentText);
  const problems = [...documentProblems(document), ...requestDtoProblems()];
  for (const problem of problems) console.error(`openapi: ${problem}`);
  if (problems.length > 0) console.error(`openapi: ${problems.length} operation problem(s) above: the document is incomplete, and the unit test fails until they are fixed`);

  if (!check) {
    writeFileSync(OPENAPI_FILE, documentText);
    writeFileSync(CLIENT_SCHEMA_FILE, schemaText);
    process.stdout.write(`wrote ${show(OPENAPI_FILE)} (${operationCount(document)} operations) and ${show(CLIENT_SCHEMA_FILE)}\n`);
    return problems.length > 0 ? 1 : 0;
  }

  let current = true;
  const committedText = readOptional(OPENAPI_FILE);
  if (committedText === undefined) {
    console.error(`openapi: ${show(OPENAPI_FILE)} is missing`);
    current = false;
  } else if (committedText !== documentText) {
    let committed: unknown;
    try {
      committed = JSON.parse(committedText);
    } catch {
      committed = undefined;
    }
    const differences = documentDifferences(committed, document);
    console.error(`openapi: ${show(OPENAPI_FILE)} differs from what the code generates:`);
    for (const line of differences.length > 0 ? differences : ['  (formatting or key order only)']) console.error(`  ${line}`);
    current = false;
  }
  const committedSchema = readOptional(CLIENT_SCHEMA_FILE);
  if (committedSchema !== schemaText) {
    console.error(`openapi: ${show(CLIENT_SCHEMA_FILE)} ${committedSchema === undefined ? 'is missing' : `differs from what the document generates (from line ${firstDifferentLine(committedSchema, schemaText)})`}`);
    current = false;
  }
  if (!current) console.error('openapi: run `npm run openapi` and commit the result');
  else process.stdout.write(`${show(OPENAPI_FILE)} and ${show(CLIENT_SCHEMA_FILE)} are current (${operationCount(document)} operations)\n`);
  return current && problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('openapi: failed:', error);
    process.exit(1);
  },
);
