import { Module } from '@nestjs/common';
import { JetStreamPublisher } from '@app/messaging';
import { NATS_CONNECTION, natsProviders } from './nats.providers';

/** The NATS connection (streams ensured) and the JetStream publisher on it. */
@Module({ providers: natsProviders, exports: [NATS_CONNECTION, JetStreamPublisher] })
export class NatsModule {}
