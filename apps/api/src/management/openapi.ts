import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

import { AUDIENCE_EXTENSION, type Audience } from './api-auth';
import { ManagementModule } from './management.module';

export const OPENAPI_JSON_PATH = '/api/v1/openapi.json';
export const API_DOCS_PATH = 'api/docs';

/**
 * The OpenAPI document of /api/v1, generated from the controllers and DTOs. The committed
 * copy (apps/api/openapi.json) is checked against it by a test, and the portal's client
 * types are generated from that copy.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Wharf management API')
    .setDescription(
      'Users, organizations, members, teams, robots, repositories, artifacts and usage. Authenticate with the portal session cookie ' +
        '(state-changing calls need the X-CSRF-Token header from GET /api/v1/session) or a personal access token as a Bearer token.',
    )
    .setVersion('1')
    .addCookieAuth('wharf_session', { type: 'apiKey', in: 'cookie' }, 'session')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'wharf_pat_...', description: 'a personal access token (wharf_pat_...)' }, 'token')
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: [ManagementModule], operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  return withAudienceSecurity(document);
}

/** Credentials each audience accepts (`{}`: none at all). */
const SECURITY: Record<Audience, Record<string, string[]>[]> = {
  anyone: [{ session: [] }, { token: [] }, {}],
  'signed-in': [{ session: [] }, { token: [] }],
  session: [{ session: [] }],
};

/** Each operation's security requirements, from the audience its handler states with @Allow. */
function withAudienceSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.options, item.head, item.patch, item.trace]) {
      const audience = (operation as unknown as Record<string, unknown> | undefined)?.[AUDIENCE_EXTENSION] as Audience | undefined;
      if (operation && audience && SECURITY[audience]) operation.security = SECURITY[audience].map((requirement) => ({ ...requirement }));
    }
  }
  return document;
}

/** Serves the document and a browsable explorer. */
export function serveOpenApi(app: INestApplication): void {
  const document = createOpenApiDocument(app);
  SwaggerModule.setup(API_DOCS_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1), yamlDocumentUrl: undefined as unknown as string, ui: true });
}
