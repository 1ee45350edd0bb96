import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { isBatonError } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { cappedBackoff, delay } from '@app/common';
import { BATON_CONFIG, RESULT_RETRY_INITIAL_MS, type BatonConfig } from '../config/baton-config';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { pingEventStore } from './event-store-ping';

/** Told when the event store goes away (`false`) and when it answers again (`true`). */
export type AvailabilityListener = (available: boolean) => void;

/**
 * Tracks outages of the event store. An operation that failed because the store is unreachable
 * reports it here; from then on the store is pinged with capped exponential backoff (200 ms
 * doubling to `BATON_RESULT_RETRY_MAX_MS`) until it answers. Listeners hear both edges: the
 * results consumer pauses in between, so task results wait in JetStream instead of being
 * redelivered until they run out of delivery attempts and are dead-lettered.
 */
@Injectable()
export class EventStoreAvailability implements OnApplicationShutdown {
  private readonly logger = new Logger('EventStore');
  private readonly listeners = new Set<AvailabilityListener>();
  private readonly shutdown = new AbortController();
  private outage: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
    private readonly metrics: OrchestratorMetrics,
  ) {
    this.metrics.eventStoreAvailable.set(1);
  }

  /** False from a reported outage until the store answers a ping again. */
  get available(): boolean {
    return this.outage === undefined;
  }

  /** Registers a listener; returns its removal. */
  onChange(listener: AvailabilityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reports a failed store operation; only "unreachable" (`EVENT_STORE_UNAVAILABLE`) starts an outage. */
  reportFailure(error: unknown): void {
    if (!isBatonError(error) || error.code !== 'EVENT_STORE_UNAVAILABLE') return;
    if (this.outage || this.shutdown.signal.aborted) return;
    this.logger.warn(`the event store is unreachable (${error.message}); task results wait until it answers again`);
    this.outage = this.probeUntilAnswered();
    this.notify(false);
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  private async probeUntilAnswered(): Promise<void> {
    const since = Date.now();
    const backoff = { initialMs: RESULT_RETRY_INITIAL_MS, maxMs: this.config.resultRetryMaxMs };
    for (let attempt = 1; ; attempt += 1) {
      await delay(cappedBackoff(attempt, backoff), this.shutdown.signal);
      if (this.shutdown.signal.aborted) return;
      try {
        await pingEventStore(this.store);
        break;
      } catch {
        // Still down: the next probe waits longer, up to the cap.
      }
    }
    this.outage = undefined;
    this.logger.log(`the event store answers again after ${Date.now() - since} ms; task results resume`);
    this.notify(true);
  }

  private notify(available: boolean): void {
    this.metrics.eventStoreAvailable.set(available ? 1 : 0);
    for (const listener of this.listeners) {
      try {
        listener(available);
      } catch (error) {
        this.logger.error(`an event-store availability listener threw: ${String(error)}`);
      }
    }
  }
}
