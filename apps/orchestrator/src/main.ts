import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { redactProcessOutput, redactSecrets } from '@app/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { NatsConnection } from 'nats';
import { JetStreamExceptionFilter, JetStreamTransport } from '@app/messaging';
import { ApiExceptionFilter, RequestValidationError } from './api/api-exception.filter';
import { registerJsonBodyParser } from './api/json-body-parser';
import { flattenValidationErrors } from './api/validation';
import { AppModule } from './app.module';
import { buildOpenApiDocument } from './api/openapi/openapi-document';
import { exposureWarning, InsecureBindError } from './auth/auth-config';
import { controllersOf, routesWithoutAccess } from './auth/route-access';
import { consoleDirectory, serveConsole } from './console/console-assets';
import { connectHybridTransport } from './inbound/hybrid-transport';
import { loadConfig, RESULT_RETRY_INITIAL_MS, type BatonConfig } from './config/baton-config';
import { checkStartup, portError, startupFailureLine } from './config/startup-checks';
import { OrchestratorMetrics } from './health/orchestrator-metrics.service';
import { NATS_CONNECTION } from './messaging/nats.providers';
import { EventStoreAvailability } from './store/event-store-availability.service';

/** Builds the orchestrator (HTTP + JetStream consumers) without listening; tests and main share it. */
export async function createOrchestrator(config: BatonConfig = loadConfig()): Promise<NestFastifyApplication> {
  const appModule = AppModule.forRoot(config);
  // Every route says who may call it: one that does not would be open to anyone with tokens configured.
  const undeclared = routesWithoutAccess(controllersOf(appModule));
  if (undeclared.length > 0) throw new Error(`HTTP routes without an access rule (@Roles or @Public, auth/roles.ts): ${undeclared.join(', ')}`);
  const app = await NestFactory.create<NestFastifyApplication>(appModule, new FastifyAdapter({ bodyLimit: config.maxPayloadBytes }), {
    bufferLogs: true,
    bodyParser: false,
  });
  registerJsonBodyParser(app, config.jsonLimits);
  app.useLogger(app.get(PinoLogger));
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      forbidUnknownValues: false,
      exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
    }),
  );
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app, '0.1.0');
  SwaggerModule.setup('api/docs', app, document);
  const consoleDir = consoleDirectory(config.consoleDir);
  if (consoleDir) await serveConsole(app, consoleDir);
  else if (config.consoleDir !== 'off') app.get(PinoLogger).warn('the web console is not built (npm run build builds it): / serves nothing', 'Bootstrap');

  const metrics = app.get(OrchestratorMetrics);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.httpSeconds.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });
  const transport = new JetStreamTransport({
    connection: app.get<NatsConnection>(NATS_CONNECTION),
    streams: false,
    logger: app.get(PinoLogger),
    consumerDefaults: {
      concurrency: config.resultConcurrency,
      maxPayloadBytes: config.maxPayloadBytes,
      jsonLimits: config.jsonLimits,
      ackWaitMs: config.resultAckWaitMs,
      // A result that failed retryably (the store was briefly unreachable, a revision race was lost
      // too often) comes back soon: the library default (1 s doubling to 60 s) would leave an
      // execution idle for up to a minute after the cause is gone.
      retryBackoff: { initialMs: RESULT_RETRY_INITIAL_MS, maxMs: config.resultRetryMaxMs },
    },
    metrics: { count: (outcome, subject) => metrics.inbound.inc({ subject, outcome }) },
  });
  // While the event store is unreachable no result can be applied: stop fetching them, so they wait
  // in JetStream instead of using up their delivery attempts and being dead-lettered.
  app.get(EventStoreAvailability).onChange((available) => (available ? transport.resume() : transport.pause()));
  connectHybridTransport(app, transport, [new JetStreamExceptionFilter()]);
  return app;
}

async function main(): Promise<void> {
  redactProcessOutput();
  const config = loadConfig();
  // Before anything starts: bound to the network without tokens, refuse (InsecureBindError).
  const openWarning = exposureWarning(config.auth, config.httpHost);
  // Before anything starts (and says "ready"): a wrong setting fails here, naming its variable.
  await checkStartup(config);
  const app = await createOrchestrator(config);
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.httpHost).catch((error: unknown) => {
    throw portError(config, error);
  });
  app.get(PinoLogger).log(redactSecrets(`Baton orchestrator listening on http://${config.httpHost}:${config.httpPort} (store ${config.eventStore}, NATS ${config.natsUrl})`), 'Bootstrap');
  if (openWarning) app.get(PinoLogger).warn(openWarning, 'Auth');
  else app.get(PinoLogger).log(`authentication required: ${config.auth.tokens.length} API token(s)${config.auth.jwt ? `, JWTs of ${config.auth.jwt.issuer} (keys from ${config.auth.jwt.jwksUrl})` : ''} (docs/security.md)`, 'Auth');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // The refusal is the operator's to act on: one line naming the variables, no stack.
    if (error instanceof InsecureBindError) process.stderr.write(`baton: ${error.message}\n`);
    else process.stderr.write(`${redactSecrets(startupFailureLine(error))}\n`);
    if (process.env.BATON_LOG_LEVEL === 'debug' || process.env.BATON_LOG_LEVEL === 'trace') console.error(redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    process.exit(1);
  });
}
