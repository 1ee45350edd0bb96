import type { Provider } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { LiveFeed } from '../live/live-feed';
import { LifecycleReactions } from '../reactions/lifecycle-reactions.projection';
import { OPERATIONAL_INDEX } from './operational-index.port';
import { ProjectedOperationalIndex } from './projected-operational-index.service';

/** The operational index as a provider, closed on shutdown. */
export const operationalIndexProviders: Provider[] = [
  {
    provide: ProjectedOperationalIndex,
    inject: [EVENT_STORE, BATON_CONFIG, LifecycleReactions, LiveFeed, OrchestratorMetrics],
    useFactory: (store: EventStore, config: BatonConfig, reactions: LifecycleReactions, liveFeed: LiveFeed, metrics: OrchestratorMetrics) => {
      const index = new ProjectedOperationalIndex(store, config.readModel, [reactions, liveFeed], (resumed) => reactions.reactToAllAfterCheckpoint(resumed), (event) =>
        metrics.readModelQuarantined.inc({ projection: event.projection, type: event.eventType }),
      );
      return Object.assign(index, { onApplicationShutdown: () => index.stop() });
    },
  },
  { provide: OPERATIONAL_INDEX, useExisting: ProjectedOperationalIndex },
];
