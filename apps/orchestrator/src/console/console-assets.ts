import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Everything the console loads comes from the orchestrator itself: no CDN, no fonts, no calls elsewhere. */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Paths that belong to the API and the probes: never answered with the console's page. */
const SERVER_PATHS = /^\/(api|health|metrics)(\/|$)/;

/**
 * Where the console's build is: `BATON_CONSOLE_DIR`, else `dist/console` next to the compiled
 * orchestrator (`dist/apps/orchestrator/src/console` → `dist/console`), else the repository's
 * `dist/console` when running from source. `undefined` when there is none (`off`, or not built).
 */
export function consoleDirectory(configured: string | undefined): string | undefined {
  if (configured === 'off') return undefined;
  const candidates = configured ? [path.resolve(configured)] : [path.resolve(__dirname, '../../../../console'), path.resolve(__dirname, '../../../../dist/console')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
}

/**
 * Serves the console's single-page app at `/`: its hashed assets with a year of caching, and
 * `index.html` (never cached) for every other GET outside `/api`, `/health` and `/metrics`, so the
 * app's own routes (`/executions/…`) load on a refresh or a shared link. Registered on Fastify
 * directly, beside Nest's routes: the API's routes, guards and error format stay as they are, and
 * an unknown `/api/…` path still gets the API's JSON 404.
 */
export async function serveConsole(app: NestFastifyApplication, dir: string): Promise<void> {
  const indexHtml = readFileSync(path.join(dir, 'index.html'));
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: false,
    // Swagger's UI registers @fastify/static too: only one may decorate the reply.
    decorateReply: false,
    setHeaders: (reply, file) => {
      void reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      void reply.header('x-content-type-options', 'nosniff');
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split('?')[0] ?? '/';
    // A missing file (an old asset name, a typo) is a 404, not the app's page in its place.
    if (SERVER_PATHS.test(url) || /\.[a-z0-9]+$/i.test(url)) {
      return reply.status(404).header('content-type', 'application/json; charset=utf-8').send({ status: 404, code: 'NOT_FOUND', message: `Cannot ${request.method} ${url}`, retryable: false });
    }
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(indexHtml);
  };
  fastify.get('/', page);
  fastify.get('/*', page);
}
