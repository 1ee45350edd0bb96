import type { Provider } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { JetStreamPublisher, connectNats, ensureStreams } from '@app/messaging';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';

/** DI token of the orchestrator's NATS connection (shared by the publisher and the transport). */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

export const natsProviders: Provider[] = [
  {
    provide: NATS_CONNECTION,
    inject: [BATON_CONFIG],
    useFactory: async (config: BatonConfig): Promise<NatsConnection> => {
      const connection = await connectNats({ url: config.natsUrl, security: config.natsSecurity, name: `baton-orchestrator-${config.instanceId}` });
      await ensureStreams(await connection.jetstreamManager(), { replicas: config.streamReplicas });
      return connection;
    },
  },
  {
    provide: JetStreamPublisher,
    inject: [NATS_CONNECTION],
    useFactory: (connection: NatsConnection) => new JetStreamPublisher(connection, { maxInFlight: 4096 }),
  },
];
