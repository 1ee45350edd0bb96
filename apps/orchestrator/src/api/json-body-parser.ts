import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { assertJsonWithin, type JsonLimits } from '@app/common';

/**
 * The only request bodies the API takes: `application/json` (and `application/<x>+json`), parsed
 * by Fastify's JSON parser (which refuses `__proto__` and `constructor.prototype` keys) and then
 * held to the inbound JSON limits (`assertJsonWithin` of `@app/common`: depth, keys, array length;
 * the size is Fastify's `bodyLimit`, 413). A body over a limit is 400 `VALIDATION_FAILED` naming
 * the limit and the path, before any validation or domain code can recurse into it. Every other
 * content type, and a body without one, is 415 `UNSUPPORTED_MEDIA_TYPE` naming it: a `curl -d`
 * (form-encoded) must not start an execution with its text as input. An empty JSON body is no body.
 *
 * Called before the app initialises, with Nest's own body parsers switched off (`bodyParser: false`).
 */
export function registerJsonBodyParser(app: NestFastifyApplication, limits: JsonLimits): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  const defaultJson = fastify.getDefaultJsonParser('error', 'error');
  const parse = (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void): void => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    defaultJson(request, text, (error, value) => {
      if (error) {
        done(error);
        return;
      }
      try {
        assertJsonWithin(value, limits);
      } catch (limitError) {
        done(limitError as Error);
        return;
      }
      done(null, value);
    });
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: limits.maxBytes }, parse);
  fastify.addContentTypeParser(/^application\/[\w.-]+\+json$/, { parseAs: 'string', bodyLimit: limits.maxBytes }, parse);
}
