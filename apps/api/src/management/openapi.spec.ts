import 'reflect-metadata';

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiProperty, type OpenAPIObject } from '@nestjs/swagger';
import { IsInt, IsString } from 'class-validator';

import {
  CLIENT_SCHEMA_FILE,
  CLIENT_SCHEMA_RENDERER,
  documentDifferences,
  documentProblems,
  generateOpenApiDocument,
  OPENAPI_FILE,
  requestDtoProblems,
  stableJson,
} from './openapi-document';

const REGENERATE = 'run `npm run openapi` and commit apps/api/openapi.json and libs/api-client/src/schema.ts';

describe('the OpenAPI document of the management API', () => {
  let document: OpenAPIObject;
  let generated: string;

  beforeAll(async () => {
    document = await generateOpenApiDocument();
    generated = stableJson(document);
  }, 60_000);

  it('is committed as the code generates it (apps/api/openapi.json)', () => {
    expect(existsSync(OPENAPI_FILE)).toBe(true);
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (committed === generated) return;
    const differences = documentDifferences(JSON.parse(committed) as unknown, document);
    throw new Error(`apps/api/openapi.json differs from what the code generates: ${REGENERATE}\n${(differences.length > 0 ? differences : ['(formatting or key order only)']).map((line) => `  ${line}`).join('\n')}`);
  });

  it('gives the portal client types generated from it (libs/api-client/src/schema.ts)', () => {
    // openapi-typescript is an ES module, which jest cannot load: render in a child process.
    const rendered = spawnSync(process.execPath, [CLIENT_SCHEMA_RENDERER, '-'], { input: generated, encoding: 'utf8' });
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    expect(rendered.stdout).toContain('export interface paths');
    const committed = existsSync(CLIENT_SCHEMA_FILE) ? readFileSync(CLIENT_SCHEMA_FILE, 'utf8') : '(missing)';
    if (committed !== rendered.stdout) throw new Error(`libs/api-client/src/schema.ts is not what the code generates: ${REGENERATE}`);
  });

  it('describes every operation completely: operationId, summary, a success schema or 204, security, audience, path parameters', () => {
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    expect(documentProblems(document)).toEqual([]);
  });

  it('documents every validated property of request bodies and queries, and validates every documented one', () => {
    expect(requestDtoProblems()).toEqual([]);
  });

  it('derives each operation security from its audience', () => {
    const security = (path: string, method: 'get' | 'post' | 'put' | 'delete') => document.paths[path]![method]!.security;
    expect(security('/api/v1/system', 'get')).toEqual([{ session: [] }, { token: [] }, {}]);
    expect(security('/api/v1/system/settings', 'put')).toEqual([{ session: [] }, { token: [] }]);
    expect(security('/api/v1/session', 'delete')).toEqual([{ session: [] }]);
    expect(document.components?.securitySchemes).toEqual({
      session: { type: 'apiKey', in: 'cookie', name: 'wharf_session' },
      token: { type: 'http', scheme: 'bearer', bearerFormat: 'wharf_pat_...', description: 'a personal access token (wharf_pat_...)' },
    });
  });

  it('is written in a stable order: top level as read, every other key sorted, a final newline', () => {
    const text = stableJson({ paths: { '/b': {}, '/a': {} }, openapi: '3.0.0', info: { version: '1', title: 't' }, components: { schemas: { B: {}, A: { required: ['z', 'a'] } } } });
    expect(text).toBe(
      JSON.stringify({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: { '/a': {}, '/b': {} }, components: { schemas: { A: { required: ['z', 'a'] }, B: {} } } }, null, 2) + '\n',
    );
    expect(stableJson(JSON.parse(generated))).toBe(generated);
  });
});

describe('documentProblems', () => {
  it('names each operation that misses a decorator, and what it misses', () => {
    const problems = documentProblems({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/api/v1/things/{thing}/parts/{part}': {
          get: { operationId: 'Things_part', parameters: [{ name: 'thing', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '' } } },
          delete: { operationId: 'Things_part', summary: 'Remove', responses: { '204': { description: '' } }, security: [{ session: [] }], 'x-wharf-audience': 'signed-in' } as never,
        },
        '/api/v1/things': {
          post: { summary: 'Create', responses: { '400': { description: '' } }, security: [], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] },
        },
      },
    });
    expect(problems).toEqual([
      'POST /api/v1/things: no operationId',
      'POST /api/v1/things: no 2xx response (@ApiOkResponse({ type }), @ApiCreatedResponse or @ApiResponse({ status: 204 }))',
      'POST /api/v1/things: no security requirements',
      "POST /api/v1/things: no audience (@Allow('anyone' | 'signed-in' | 'session'))",
      'POST /api/v1/things: documents a path parameter id that is not in the path',
      'GET /api/v1/things/{thing}/parts/{part} (Things_part): no summary (@ApiOperation({ summary }))',
      'GET /api/v1/things/{thing}/parts/{part} (Things_part): 2xx response 200 has no schema (give it a type, or answer 204)',
      'GET /api/v1/things/{thing}/parts/{part} (Things_part): no security requirements',
      "GET /api/v1/things/{thing}/parts/{part} (Things_part): no audience (@Allow('anyone' | 'signed-in' | 'session'))",
      "GET /api/v1/things/{thing}/parts/{part} (Things_part): path parameter {part} is not documented (@Param('part'))",
      'DELETE /api/v1/things/{thing}/parts/{part} (Things_part): operationId Things_part is also used by GET /api/v1/things/{thing}/parts/{part} (Things_part)',
      "DELETE /api/v1/things/{thing}/parts/{part} (Things_part): path parameter {thing} is not documented (@Param('thing'))",
      "DELETE /api/v1/things/{thing}/parts/{part} (Things_part): path parameter {part} is not documented (@Param('part'))",
    ]);
  });
});

describe('requestDtoProblems', () => {
  class NestedDto {
    @IsString()
    name!: string;

    @ApiProperty()
    @IsString()
    kind!: string;
  }

  class CreateThingDto {
    @ApiProperty()
    @IsString()
    title!: string;

    @IsInt()
    size!: number;

    @ApiProperty()
    color!: string;

    @ApiProperty({ type: () => NestedDto })
    @IsString()
    nested!: NestedDto;
  }

  class ThingQueryDto {
    @IsString()
    cursor?: string;
  }

  @Controller('things')
  class ThingsController {
    @Post(':id')
    create(@Param('id') _id: string, @Body() _body: CreateThingDto, @Query() _query: ThingQueryDto): void {}

    @Get()
    list(@Query('q') _q: string): void {}
  }

  it('names validated properties missing from the document and documented ones the pipe would refuse', () => {
    expect(requestDtoProblems([ThingsController])).toEqual([
      'Things_create: body CreateThingDto.size is validated but not documented (@ApiProperty / @ApiPropertyOptional)',
      'Things_create: body CreateThingDto.color is documented but has no class-validator decorator: the validation pipe refuses it as an unknown field',
      'Things_create: body CreateThingDto.nested.name is validated but not documented (@ApiProperty / @ApiPropertyOptional)',
      'Things_create: query ThingQueryDto.cursor is validated but not documented (@ApiProperty / @ApiPropertyOptional)',
    ]);
  });
});

describe('documentDifferences', () => {
  const operation = (operationId: string, summary = 's') => ({ operationId, summary, responses: {} });

  it('names added, removed and changed operations and schemas', () => {
    const before = {
      info: { title: 'a' },
      paths: { '/x': { get: operation('X_get'), delete: operation('X_delete') }, '/gone': { get: operation('Gone_get') } },
      components: { schemas: { Old: {}, Same: { type: 'object' }, Changed: { properties: { a: { type: 'string' } } } } },
    };
    const after = {
      info: { title: 'b' },
      paths: { '/x': { get: operation('X_get', 'other'), post: operation('X_post') }, '/new': { put: operation('New_put') } },
      components: { schemas: { New: {}, Same: { type: 'object' }, Changed: { properties: { a: { type: 'integer' } } } } },
    };
    expect(documentDifferences(before, after)).toEqual([
      '- GET /gone (Gone_get)',
      '+ PUT /new (New_put)',
      '- DELETE /x (X_delete)',
      '+ POST /x (X_post)',
      '~ GET /x (X_get): summary',
      '+ schema New',
      '- schema Old',
      '~ schema Changed: properties.a.type',
      '~ info.title',
    ]);
    expect(documentDifferences(after, after)).toEqual([]);
  });
});
