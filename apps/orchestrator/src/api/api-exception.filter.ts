import { ArgumentsHost, BadRequestException, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isTransientFault } from '@app/common';
import { isBatonError } from '@app/domain';
import { httpStatusOf } from './http-status';
import type { FieldProblem } from './validation';

/** A 400 that names each field and rule, in Conductor's error shape (`validationErrors`). */
export class RequestValidationError extends BadRequestException {
  constructor(readonly problems: readonly FieldProblem[]) {
    super({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: `invalid request: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`,
      retryable: false,
      validationErrors: problems,
    });
  }
}

/**
 * Maps every error to JSON `{ status, code, message, retryable, validationErrors? }`: client
 * mistakes get 4xx naming the problem, never a 500; only genuine faults are 5xx and logged.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.toResponse(error, host.switchToHttp().getRequest<FastifyRequest>());
    // 503 is a dependency being away (the event store during an outage, /health saying so): one line, no stack.
    if (status === 503) this.logger.warn(`503 ${String(body.code ?? '')}: ${error instanceof Error ? error.message : String(error)}`);
    else if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    // RFC 9110: a 401 names the scheme the client should authenticate with.
    if (status === 401) void reply.header('www-authenticate', 'Bearer realm="baton"');
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toResponse(error: unknown, request: FastifyRequest | undefined): { status: number; body: Record<string, unknown> } {
    if ((error instanceof HttpException ? error.getStatus() : (error as { statusCode?: unknown } | null)?.statusCode) === 415) {
      // Fastify found no parser for the body's type: only application/json is taken (json-body-parser.ts).
      const contentType = request?.headers['content-type'];
      const message = `request bodies must be application/json; got ${contentType ? `"${contentType}"` : 'no content type'}`;
      return { status: 415, body: { status: 415, code: httpCode(415), message, retryable: false } };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      if (typeof response === 'object' && response !== null && 'code' in response) return { status, body: response as Record<string, unknown> };
      // Terminus answers an unhealthy check with its own report: keep it, it says which check failed.
      if (typeof response === 'object' && response !== null && 'details' in response) return { status, body: response as Record<string, unknown> };
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
      return { status, body: { status, code: httpCode(status), message: Array.isArray(message) ? message.join('; ') : String(message), retryable: status >= 500 } };
    }
    const fastifyStatus = (error as { statusCode?: unknown })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Body parsing errors from Fastify: malformed JSON, wrong content type, body too large.
      return { status: fastifyStatus, body: { status: fastifyStatus, code: httpCode(fastifyStatus), message: (error as Error).message, retryable: false } };
    }
    if (isBatonError(error)) {
      const status = httpStatusOf(error);
      return { status, body: { status, code: error.code, message: error.message, retryable: error.retryable, ...detailsOf(error.details) } };
    }
    // An error of unknown kind is retryable only when it is recognisably transient (a connection
    // reset, a busy file): a stack overflow or a bug meets the same request again on every try.
    return { status: 500, body: { status: 500, code: 'INTERNAL_ERROR', message: 'internal error (logged)', retryable: isTransientFault(error) } };
  }
}

function detailsOf(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { problems, ...rest } = details as { problems?: unknown };
  return { ...(problems ? { validationErrors: problems } : {}), ...(Object.keys(rest).length ? { details: rest } : {}) };
}

function httpCode(status: number): string {
  const codes: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 503: 'UNAVAILABLE' };
  return codes[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}
