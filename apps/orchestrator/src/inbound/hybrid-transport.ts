import type { ExceptionFilter, INestApplication, INestMicroservice } from '@nestjs/common';
import type { CustomTransportStrategy, MicroserviceOptions } from '@nestjs/microservices';

/** The members of Nest's `NestMicroservice` this file relies on; not part of Nest's public API. */
interface MicroserviceInternals {
  registerListeners(): void;
  setIsInitialized(value: boolean): void;
  setIsInitHookCalled(value: boolean): void;
}

/**
 * Connects a transport to an HTTP app as a hybrid microservice whose handlers go through
 * `filters`. Nest has no public way to do both: `connectMicroservice` registers the handlers at
 * once, before filters can be added (they would not apply), and with `deferInitialization` the
 * microservice would run every module's init and bootstrap hooks a second time when it starts
 * listening. So this does what `connectMicroservice` does itself without `deferInitialization`,
 * only after the filters: register the listeners, and mark the microservice initialised with its
 * hooks already called (the app's own `init()` runs them once). These are internal methods of
 * `NestMicroservice` (Nest 11); `hybrid-transport.spec.ts` fails if an upgrade changes them.
 *
 * @example
 * connectHybridTransport(app, new JetStreamTransport({ connection }), [new JetStreamExceptionFilter()]);
 * await app.init();
 * await app.startAllMicroservices();
 */
export function connectHybridTransport(app: INestApplication, strategy: CustomTransportStrategy, filters: readonly ExceptionFilter[]): INestMicroservice {
  const microservice = app.connectMicroservice<MicroserviceOptions>({ strategy }, { inheritAppConfig: false, deferInitialization: true });
  microservice.useGlobalFilters(...filters);
  const internals = microservice as unknown as Partial<MicroserviceInternals>;
  const missing = (['registerListeners', 'setIsInitialized', 'setIsInitHookCalled'] as const).filter((name) => typeof internals[name] !== 'function');
  if (missing.length > 0) throw new Error(`this Nest version's microservice has no ${missing.join(', ')}: see inbound/hybrid-transport.ts`);
  const hybrid = internals as MicroserviceInternals;
  hybrid.registerListeners();
  hybrid.setIsInitialized(true);
  hybrid.setIsInitHookCalled(true);
  return microservice;
}
