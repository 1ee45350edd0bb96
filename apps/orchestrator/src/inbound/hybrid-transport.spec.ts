import 'reflect-metadata';
import { Catch, Controller, Injectable, Module, type ArgumentsHost, type ExceptionFilter, type INestApplication, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { isObservable, lastValueFrom, throwError, type Observable } from 'rxjs';
import { connectHybridTransport } from './hybrid-transport';

/** A transport that only records what Nest does with it. */
class RecordingTransport extends Server implements CustomTransportStrategy {
  listens = 0;

  listen(callback: () => void): void {
    this.listens += 1;
    callback();
  }

  close(): void {}

  on(): void {}

  unwrap<T>(): T {
    return undefined as T;
  }
}

@Catch()
class RecordingFilter implements ExceptionFilter {
  readonly caught: unknown[] = [];

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    this.caught.push(exception);
    return throwError(() => exception);
  }
}

@Injectable()
class Hooks implements OnModuleInit, OnApplicationBootstrap {
  inits = 0;
  bootstraps = 0;

  onModuleInit(): void {
    this.inits += 1;
  }

  onApplicationBootstrap(): void {
    this.bootstraps += 1;
  }
}

@Controller()
class ResultsController {
  @EventPattern('results.test')
  handle(@Payload() payload: { fail?: boolean }): string {
    if (payload.fail) throw new Error('handler failed');
    return 'handled';
  }
}

@Module({ controllers: [ResultsController], providers: [Hooks] })
class TestModule {}

async function invoke(transport: RecordingTransport, payload: unknown): Promise<unknown> {
  const handler = transport.getHandlerByPattern('results.test');
  if (!handler) throw new Error('no handler registered for results.test');
  const result: unknown = await handler(payload, {});
  return isObservable(result) ? lastValueFrom(result) : result;
}

/**
 * The orchestrator attaches its JetStream transport through Nest internals (hybrid-transport.ts).
 * These tests pin the behaviour it relies on, so a Nest upgrade that changes it fails here and
 * not in production: handlers registered once the filters are in place, the filters applied to
 * them, every module hook run exactly once, and the transport started by startAllMicroservices.
 */
describe('connectHybridTransport (Nest internals the bootstrap relies on)', () => {
  let app: INestApplication;
  let transport: RecordingTransport;
  let filter: RecordingFilter;

  beforeEach(async () => {
    app = await NestFactory.create(TestModule, new FastifyAdapter(), { logger: false });
    transport = new RecordingTransport();
    filter = new RecordingFilter();
    connectHybridTransport(app, transport, [filter]);
    await app.init();
    await app.startAllMicroservices();
  });

  afterEach(() => app.close());

  it('given the app started, then the transport has the controllers\' handlers and is listening', async () => {
    expect(transport.getHandlerByPattern('results.test')).not.toBeNull();
    expect(transport.listens).toBe(1);
    await expect(invoke(transport, { fail: false })).resolves.toBe('handled');
  });

  it('given a handler that throws, then the error goes through the filters given', async () => {
    await expect(invoke(transport, { fail: true })).rejects.toThrow('handler failed');
    expect(filter.caught).toEqual([expect.objectContaining({ message: 'handler failed' })]);
  });

  it('given the app initialised and the microservice started, then every module hook ran exactly once', () => {
    const hooks = app.get(Hooks);
    expect(hooks.inits).toBe(1);
    expect(hooks.bootstraps).toBe(1);
  });
});
