import { Module } from '@nestjs/common';
import { NatsModule } from '../messaging/nats.module';
import { JetStreamInspector } from './jetstream-inspector';

/** Read-only views of the JetStream queues and dead letters, for the console's operations page. */
@Module({ imports: [NatsModule], providers: [JetStreamInspector], exports: [JetStreamInspector] })
export class OperationsModule {}
