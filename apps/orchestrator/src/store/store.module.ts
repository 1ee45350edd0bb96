import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { MetricsModule } from '../health/metrics.module';
import { EventStoreAvailability } from './event-store-availability.service';
import { createEventStore } from './event-store.factory';

/** The event store (`BATON_EVENT_STORE`, closed on shutdown) and the tracking of its outages. */
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: EVENT_STORE, inject: [BATON_CONFIG], useFactory: (config: BatonConfig) => createEventStore(config.eventStore) },
    {
      provide: 'EVENT_STORE_CLOSER',
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => ({ onApplicationShutdown: () => store.close() }),
    },
    EventStoreAvailability,
  ],
  exports: [EVENT_STORE, EventStoreAvailability],
})
export class StoreModule {}
