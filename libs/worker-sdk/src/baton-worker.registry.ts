import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { BatonError } from '@app/domain';
import { closeNats, connectNats, ensureStreams, type MessagingLogger } from '@app/messaging';
import type { NatsConnection } from 'nats';
import { BATON_TASK_METADATA, type BatonTaskMetadata } from './baton-task.decorator';
import { BATON_WORKER_OPTIONS, type BatonWorkerModuleOptions } from './baton-worker.options';
import { createWorker, type BatonWorker } from './create-worker';
import type { TaskContext } from './task.context';

interface DiscoveredTask extends BatonTaskMetadata {
  readonly handler: (task: TaskContext) => unknown;
  readonly source: string;
}

/**
 * Finds the `@BatonTask` methods of all providers and runs one worker per task type, on one shared
 * NATS connection, for the application's lifetime. Provided by `BatonWorkerModule`; inject it to
 * see what runs (e.g. in a health check).
 *
 * @example
 * const busy = app.get(BatonWorkerRegistry).workers.map((worker) => `${worker.taskType}: ${worker.inFlight}`);
 */
@Injectable()
export class BatonWorkerRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: MessagingLogger;
  private running: BatonWorker[] = [];
  private connection: NatsConnection | undefined;

  constructor(
    // Explicit tokens: with type-only imports, emitted design metadata could not name the classes.
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(BATON_WORKER_OPTIONS) private readonly options: BatonWorkerModuleOptions,
  ) {
    this.logger = options.logger ?? new Logger('BatonWorker');
  }

  /** The workers started at bootstrap. */
  get workers(): readonly BatonWorker[] {
    return this.running;
  }

  async onApplicationBootstrap(): Promise<void> {
    const tasks = this.discover();
    if (tasks.length === 0) return;
    const connection = this.options.connection ?? (await connectNats({ url: this.options.natsUrl, security: this.options.natsSecurity, name: 'baton-worker' }));
    this.connection = connection;
    if (this.options.streams !== false) await ensureStreams(await connection.jetstreamManager(), this.options.streams ?? {});
    this.running = tasks.map((task) =>
      createWorker({
        ...this.options.defaults,
        ...task.options,
        taskType: task.taskType,
        handler: task.handler,
        connection,
        workerId: this.options.workerId,
        streams: false,
        metrics: this.options.metrics,
        logger: this.logger,
      }),
    );
    await Promise.all(this.running.map((worker) => worker.start()));
  }

  async onModuleDestroy(): Promise<void> {
    const workers = this.running;
    this.running = [];
    await Promise.all(workers.map((worker) => worker.stop()));
    if (this.connection && !this.options.connection) await closeNats(this.connection);
    this.connection = undefined;
  }

  private discover(): DiscoveredTask[] {
    const found: DiscoveredTask[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const { instance } = wrapper;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const metadata = this.reflector.get<BatonTaskMetadata | undefined>(BATON_TASK_METADATA, method);
        if (!metadata) continue;
        if (!wrapper.isDependencyTreeStatic()) {
          throw new BatonError('BATON_TASK_NOT_SINGLETON', `@BatonTask on ${String(wrapper.name)}.${methodName}: task providers must be singletons`, { retryable: false });
        }
        const source = `${String(wrapper.name)}.${methodName}`;
        const clash = found.find((task) => task.taskType === metadata.taskType);
        if (clash) {
          throw new BatonError('DUPLICATE_BATON_TASK', `task type "${metadata.taskType}" is handled by both ${clash.source} and ${source}`, { retryable: false });
        }
        found.push({ ...metadata, source, handler: (task) => (method as (task: TaskContext) => unknown).call(instance, task) });
      }
    }
    return found;
  }
}
