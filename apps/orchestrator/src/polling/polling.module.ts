import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../executions/executions.module';
import { MetricsModule } from '../health/metrics.module';
import { NatsModule } from '../messaging/nats.module';
import { StoreModule } from '../store/store.module';
import { OperationsModule } from '../operations/operations.module';
import { TaskPoller } from './task-poller.service';
import { TaskQueues } from './task-queues';

/** Conductor-style HTTP polls on the workers' JetStream queues, and Conductor's queue administration over them. */
@Module({ imports: [NatsModule, StoreModule, MetricsModule, ExecutionsModule, OperationsModule], providers: [TaskPoller, TaskQueues], exports: [TaskPoller, TaskQueues] })
export class PollingModule {}
