import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../executions/executions.module';
import { MetricsModule } from '../health/metrics.module';
import { NatsModule } from '../messaging/nats.module';
import { TaskLimitsService } from './task-limits.service';

/** Rate and concurrency limits of task types across replicas (NATS KV bucket). */
@Module({ imports: [NatsModule, MetricsModule, ExecutionsModule], providers: [TaskLimitsService], exports: [TaskLimitsService] })
export class LimitsModule {}
