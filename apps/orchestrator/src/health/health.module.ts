import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { NatsModule } from '../messaging/nats.module';
import { StoreModule } from '../store/store.module';
import { HealthController } from './health.controller';
import { MetricsModule } from './metrics.module';

/** `/health` (event store and NATS checks) and `/metrics`. */
@Module({ imports: [TerminusModule, StoreModule, NatsModule, MetricsModule], controllers: [HealthController] })
export class HealthModule {}
