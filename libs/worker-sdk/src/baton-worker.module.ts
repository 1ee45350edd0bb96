import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BATON_WORKER_OPTIONS, type BatonWorkerModuleAsyncOptions, type BatonWorkerModuleOptions } from './baton-worker.options';
import { BatonWorkerRegistry } from './baton-worker.registry';

/**
 * Runs the `@BatonTask` methods of a Nest application as Baton workers: started on application
 * bootstrap, stopped gracefully (running tasks finish and report) on shutdown. Call
 * `app.enableShutdownHooks()` so SIGTERM triggers the graceful stop.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [BatonWorkerModule.forRoot({ natsUrl: process.env.BATON_NATS_URL, defaults: { concurrency: 8 } })],
 *   providers: [PaymentTasks],
 * })
 * export class PaymentServiceModule {}
 * ```
 */
@Module({})
export class BatonWorkerModule {
  static forRoot(options: BatonWorkerModuleOptions = {}): DynamicModule {
    return BatonWorkerModule.withOptions({ provide: BATON_WORKER_OPTIONS, useValue: options });
  }

  /**
   * @example
   * ```ts
   * BatonWorkerModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ natsUrl: config.get('NATS_URL') }),
   * })
   * ```
   */
  static forRootAsync(options: BatonWorkerModuleAsyncOptions): DynamicModule {
    return {
      ...BatonWorkerModule.withOptions({
        provide: BATON_WORKER_OPTIONS,
        useFactory: options.useFactory as (...args: unknown[]) => BatonWorkerModuleOptions,
        inject: (options.inject ?? []) as never[],
      }),
      imports: [DiscoveryModule, ...((options.imports ?? []) as never[])],
    };
  }

  private static withOptions(optionsProvider: Provider): DynamicModule {
    return {
      module: BatonWorkerModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [optionsProvider, BatonWorkerRegistry],
      exports: [BatonWorkerRegistry],
    };
  }
}
