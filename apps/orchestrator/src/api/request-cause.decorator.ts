import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { actorOf, principalOf, type Principal } from '../auth/principal';
import type { CauseMetadata } from '../executions/execution.repository';

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
}

/**
 * The cause of events an HTTP request produces: its request id, the authenticated principal as
 * the actor, and the `x-baton-client` header only as `client` (a name the caller chose: not
 * authenticated, never the actor).
 */
export const RequestCause = createParamDecorator((_data: unknown, context: ExecutionContext): CauseMetadata => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const client = headerOf(request, 'x-baton-client');
  return {
    causationId: headerOf(request, 'x-request-id') ?? `http:${randomUUID()}`,
    actor: actorOf(principalOf(request)),
    ...(client ? { client } : {}),
  };
});

/** The authenticated caller of this request (the auth guard put it there). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => principalOf(context.switchToHttp().getRequest<FastifyRequest>()));
