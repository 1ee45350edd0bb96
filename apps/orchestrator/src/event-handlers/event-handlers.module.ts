import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../executions/executions.module';
import { MetricsModule } from '../health/metrics.module';
import { NatsModule } from '../messaging/nats.module';
import { StoreModule } from '../store/store.module';
import { EventHandlerProcessor } from './event-handler-processor.service';
import { EventHandlerRegistry } from './event-handler-registry.service';
import { EventHandlerRuntime } from './event-handler-runtime.service';
import { ConductorQueue } from './conductor-queue.service';

/** Event handlers: their registry, the processor that runs events through them, and the runtime that subscribes them. */
@Module({
  imports: [StoreModule, NatsModule, MetricsModule, ExecutionsModule],
  providers: [EventHandlerRegistry, EventHandlerProcessor, EventHandlerRuntime, ConductorQueue],
  exports: [EventHandlerRegistry, EventHandlerRuntime, ConductorQueue],
})
export class EventHandlersModule {}
