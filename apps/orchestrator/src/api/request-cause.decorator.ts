import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CauseMetadata } from '../executions/execution.repository';

/** The cause of events an HTTP request produces: its request id and the calling client. */
export const RequestCause = createParamDecorator((_data: unknown, context: ExecutionContext): CauseMetadata => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
  };
  return {
    causationId: header('x-request-id') ?? `http:${randomUUID()}`,
    actor: `api:${header('x-baton-client') ?? request.ip}`,
  };
});
