import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { ResponseSchemaName } from './response-schemas';

/** A 200 answer with a JSON body of a response component (an array of them with `isArray`). */
export function ApiJsonResponse(schema: ResponseSchemaName, options: { isArray?: boolean; description?: string } = {}): MethodDecorator & ClassDecorator {
  const component = { $ref: `#/components/schemas/${schema}` };
  return ApiOkResponse({ description: options.description ?? (options.isArray ? `${schema}[]` : schema), schema: options.isArray ? { type: 'array', items: component } : component });
}

/** A 200 answer whose body is plain text (an id, say). */
export function ApiTextResponse(description: string): MethodDecorator & ClassDecorator {
  return ApiOkResponse({ description, content: { 'text/plain': { schema: { type: 'string' } } } });
}

/** A 200 answer with an empty body (Conductor answers its commands so). */
export function ApiEmptyResponse(description = 'Done; the body is empty'): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiOkResponse({ description }));
}
