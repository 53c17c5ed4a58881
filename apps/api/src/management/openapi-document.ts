import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';
import { ManagementModule } from './management.module';
import { createOpenApiDocument } from './openapi';

const workspaceRoot = join(__dirname, '..', '..', '..', '..');

/** The committed document (from src/management and dist/management alike). */
export const OPENAPI_FILE = join(workspaceRoot, 'apps', 'api', 'openapi.json');
/** The portal's client types, generated from OPENAPI_FILE. */
export const CLIENT_SCHEMA_FILE = join(workspaceRoot, 'libs', 'api-client', 'src', 'schema.ts');
/** Renders CLIENT_SCHEMA_FILE (plain ESM: openapi-typescript is an ES module, which jest cannot load). */
export const CLIENT_SCHEMA_RENDERER = join(workspaceRoot, 'libs', 'api-client', 'scripts', 'render-schema.mjs');

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The document the running app serves, built without connecting anywhere: Nest's preview mode
 * scans modules, controllers and decorators but instantiates no provider, so no database, no
 * storage and no configuration from the environment are needed.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  // Fixed settings: nothing in the document depends on them, and nothing is read from the environment.
  const databaseUrl = 'postgres://openapi@127.0.0.1:9/preview';
  const config = loadConfig({ DATABASE_URL: databaseUrl, WHARF_SECRET: 'openapi-preview-never-used', LOG_LEVEL: 'error' });
  const app = await NestFactory.create(AppModule.forRoot(config, databaseUrl), new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The top level in the order OpenAPI documents are read; anything else after them, sorted. */
const TOP_LEVEL = ['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components'];

/**
 * Pretty JSON in a deterministic order, whatever order controllers are registered in: the top
 * level as OpenAPI documents are read, every other object's keys sorted (arrays keep their
 * order), and a final newline.
 */
export function stableJson(document: unknown): string {
  const sorted = sortKeys(document);
  if (!isObject(sorted)) return `${JSON.stringify(sorted, null, 2)}\n`;
  const rank = (key: string) => (TOP_LEVEL.includes(key) ? TOP_LEVEL.indexOf(key) : TOP_LEVEL.length);
  const ordered = Object.fromEntries(Object.entries(sorted).sort(([a], [b]) => rank(a) - rank(b) || compareKeys(a, b)));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort(compareKeys)
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** Code-unit order, independent of the locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `GET /api/v1/session (Session_current)` */
function operationName(path: string, method: string, operation: unknown): string {
  const id = isObject(operation) && typeof operation.operationId === 'string' ? ` (${operation.operationId})` : '';
  return `${method.toUpperCase()} ${path}${id}`;
}

/**
 * What changed from `committed` to `generated`, one line per operation, then per schema, then
 * per other entry: `+ POST /api/v1/orgs (Organizations_create)`, `- schema OldDto`,
 * `~ GET /api/v1/session (Session_current): responses.200.description`.
 */
export function documentDifferences(committed: unknown, generated: unknown): string[] {
  // Per group (operations, schemas, the rest): added or removed lines, then changed entries.
  const groups = [0, 1, 2].map(() => ({ lines: [] as string[], changed: new Map<string, string[]>() }));
  const line = (group: number, text: string) => groups[group]!.lines.push(text);
  const changed = (group: number, label: string, where: string[]) => {
    const list = groups[group]!.changed.get(label) ?? [];
    if (where.length > 0) list.push(where.join('.'));
    groups[group]!.changed.set(label, list);
  };
  for (const at of leafDifferences(committed, generated, [])) {
    const [section, key, sub, ...rest] = at;
    if (section === 'paths' && key !== undefined) {
      if (sub === undefined || !(HTTP_METHODS as readonly string[]).includes(sub)) {
        // A whole path (or a path-level field) was added or removed: name its operations.
        const before = pathOperations(committed, key);
        const after = pathOperations(generated, key);
        for (const method of HTTP_METHODS) {
          if (before[method] && !after[method]) line(0, `- ${operationName(key, method, before[method])}`);
          else if (!before[method] && after[method]) line(0, `+ ${operationName(key, method, after[method])}`);
          else if (before[method] && !isDeepStrictEqual(before[method], after[method])) changed(0, operationName(key, method, after[method]), []);
        }
        if (sub !== undefined) changed(0, `path ${key}`, [sub, ...rest]);
        continue;
      }
      const before = pathOperations(committed, key)[sub];
      const after = pathOperations(generated, key)[sub];
      if (rest.length === 0 && !after) line(0, `- ${operationName(key, sub, before)}`);
      else if (rest.length === 0 && !before) line(0, `+ ${operationName(key, sub, after)}`);
      else changed(0, operationName(key, sub, after), rest);
    } else if (section === 'components' && key === 'schemas' && sub !== undefined) {
      if (rest.length === 0 && componentSchema(generated, sub) === undefined) line(1, `- schema ${sub}`);
      else if (rest.length === 0 && componentSchema(committed, sub) === undefined) line(1, `+ schema ${sub}`);
      else changed(1, `schema ${sub}`, rest);
    } else {
      changed(2, at.join('.') || 'the whole document', []);
    }
  }
  return groups.flatMap(({ lines, changed: entries }) => [
    ...lines,
    ...[...entries].map(([label, where]) => {
      const shown = [...new Set(where)];
      const places = shown.length > 3 ? `${shown.slice(0, 3).join(', ')}, … (${shown.length} places)` : shown.join(', ');
      return `~ ${label}${places ? `: ${places}` : ''}`;
    }),
  ]);
}

function pathOperations(document: unknown, path: string): Partial<Record<string, unknown>> {
  const paths = isObject(document) && isObject(document.paths) ? document.paths : {};
  const item = paths[path];
  return isObject(item) ? item : {};
}

function componentSchema(document: unknown, name: string): unknown {
  const components = isObject(document) && isObject(document.components) ? document.components : {};
  return isObject(components.schemas) ? components.schemas[name] : undefined;
}

/** The paths (keys, or indices of equally long arrays) of every leaf that differs. */
function leafDifferences(a: unknown, b: unknown, at: string[]): string[][] {
  if (isDeepStrictEqual(a, b)) return [];
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => leafDifferences(a[key], b[key], [...at, key]));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, index) => leafDifferences(item, b[index], [...at, String(index)]));
  }
  return [at];
}

/**
 * What a complete document needs from every operation, so that a handler missing its
 * decorators is named: an operationId (unique), a summary, a 2xx response with a schema or a
 * 204, security requirements, the audience stated with @Allow, and every path parameter
 * documented (and no documented path parameter missing from the path).
 */
export function documentProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  const operationIds = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const name = operationName(path, method, operation);
      const problem = (text: string) => problems.push(`${name}: ${text}`);
      if (!operation.operationId) problem('no operationId');
      else if (operationIds.has(operation.operationId)) problem(`operationId ${operation.operationId} is also used by ${operationIds.get(operation.operationId)}`);
      else operationIds.set(operation.operationId, name);
      if (!operation.summary?.trim()) problem('no summary (@ApiOperation({ summary }))');
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) problem('no 2xx response (@ApiOkResponse({ type }), @ApiCreatedResponse or @ApiResponse({ status: 204 }))');
      else if (!success.some(([status, response]) => status === '204' || hasSchema(response))) problem(`2xx response ${success.map(([status]) => status).join(', ')} has no schema (give it a type, or answer 204)`);
      if (!Array.isArray(operation.security) || operation.security.length === 0) problem('no security requirements');
      if (typeof (operation as unknown as Record<string, unknown>)['x-wharf-audience'] !== 'string') problem("no audience (@Allow('anyone' | 'signed-in' | 'session'))");
      const parameters = (operation.parameters ?? []).filter((parameter) => 'in' in parameter && parameter.in === 'path') as { name: string; required?: boolean; schema?: unknown }[];
      for (const parameter of templated) {
        const documented = parameters.find((p) => p.name === parameter);
        if (!documented) problem(`path parameter {${parameter}} is not documented (@Param('${parameter}'))`);
        else if (documented.required !== true || !documented.schema) problem(`path parameter {${parameter}} must be required and have a schema`);
      }
      for (const parameter of parameters) {
        if (!templated.includes(parameter.name)) problem(`documents a path parameter ${parameter.name} that is not in the path`);
      }
    }
  }
  return problems;
}

function hasSchema(response: unknown): boolean {
  if (!isObject(response)) return false;
  if (typeof response.$ref === 'string') return true;
  const content = isObject(response.content) ? Object.values(response.content) : [];
  return content.some((media) => isObject(media) && isObject(media.schema));
}

/** The number of operations, for messages. */
export function operationCount(document: OpenAPIObject): number {
  return Object.values(document.paths ?? {}).reduce((sum, item) => sum + HTTP_METHODS.filter((method) => item[method]).length, 0);
}

export type Class = abstract new (...args: never[]) => unknown;
const SWAGGER_PROPERTIES = 'swagger/apiModelPropertiesArray';
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';
const REQUEST_PARTS: Partial<Record<number, string>> = { [RouteParamtypes.BODY]: 'body', [RouteParamtypes.QUERY]: 'query', [RouteParamtypes.PARAM]: 'params' };

/**
 * The request DTOs (bodies, queries, path parameters) of every management API handler, checked
 * against the document: a validated property without @ApiProperty is missing from the document
 * and the client types, and a documented property without a class-validator decorator is
 * refused by the validation pipe (unknown fields are 400) although the document offers it.
 */
export function requestDtoProblems(controllers: readonly Class[] = (Reflect.getMetadata('controllers', ManagementModule) ?? []) as Class[]): string[] {
  const problems: string[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const method of Object.getOwnPropertyNames(prototype)) {
      if (method === 'constructor' || typeof prototype[method] !== 'function' || Reflect.getMetadata('method', prototype[method] as object) === undefined) continue;
      const parts = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number; data?: unknown }>;
      const types = (Reflect.getMetadata('design:paramtypes', prototype, method) ?? []) as unknown[];
      for (const [key, argument] of Object.entries(parts).sort(([, a], [, b]) => a.index - b.index)) {
        const part = REQUEST_PARTS[Number(key.split(':')[0])];
        const type = types[argument.index];
        // `@Param('org') org: string` is documented by its name; only whole-DTO arguments are checked here.
        if (!part || argument.data !== undefined || !isDtoClass(type)) continue;
        const handler = `${controller.name.replace(/Controller$/, '')}_${method}`;
        checkDto(type, `${handler}: ${part} ${type.name}`, problems, new Set());
      }
    }
  }
  return problems;
}

function checkDto(type: Class, where: string, problems: string[], seen: Set<Class>): void {
  if (seen.has(type)) return;
  seen.add(type);
  const validated = new Set(getMetadataStorage().getTargetValidationMetadatas(type as new () => unknown, '', true, false).map((metadata) => metadata.propertyName));
  const documented = ((Reflect.getMetadata(SWAGGER_PROPERTIES, type.prototype as object) ?? []) as string[]).map((key) => key.replace(/^:/, ''));
  for (const property of [...validated].sort()) {
    if (!documented.includes(property)) problems.push(`${where}.${property} is validated but not documented (@ApiProperty / @ApiPropertyOptional)`);
  }
  for (const property of [...documented].sort()) {
    if (!validated.has(property)) problems.push(`${where}.${property} is documented but has no class-validator decorator: the validation pipe refuses it as an unknown field`);
    const nested = nestedType(Reflect.getMetadata(SWAGGER_PROPERTY, type.prototype as object, property) as { type?: unknown } | undefined);
    if (nested) checkDto(nested, `${where}.${property}`, problems, seen);
  }
}

/** The class of a nested DTO property (`type: Nested` or `type: () => Nested`), if any. */
function nestedType(metadata: { type?: unknown } | undefined): Class | undefined {
  let type = metadata?.type;
  if (typeof type === 'function' && !isDtoClass(type)) {
    try {
      type = (type as () => unknown)();
    } catch {
      return undefined;
    }
  }
  return isDtoClass(type) ? type : undefined;
}

/** A class of ours (not String, Number, Object, Array...), with validation or documentation. */
function isDtoClass(type: unknown): type is Class {
  if (typeof type !== 'function' || !type.prototype || [String, Number, Boolean, Object, Array, Date].includes(type as never)) return false;
  return Reflect.getMetadata(SWAGGER_PROPERTIES, type.prototype as object) !== undefined || getMetadataStorage().getTargetValidationMetadatas(type as new () => unknown, '', true, false).length > 0;
}
