import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { RESPONSE_SCHEMAS } from './response-schemas';

/**
 * The OpenAPI document served at `/api/docs-json`: every operation's answers carry a schema (the
 * response components of {@link RESPONSE_SCHEMAS}, or the request DTO classes), and every
 * operation's error answers share the `ApiError` shape, so generated clients are typed.
 */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Baton')
      .setDescription("Event-sourced workflow orchestrator. Conductor's REST paths where a concept matches, plus history, time travel and verification.")
      .setVersion(version)
      // API tokens (docs/security.md); Conductor's SDKs send the same token as X-Authorization.
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...RESPONSE_SCHEMAS } };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      operation.responses.default ??= { description: 'An error: 4xx (the request) or 5xx (retryable when `retryable` is true)', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } };
    }
  }
  return document;
}
