import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { EVENT_SCHEMA_VERSION } from '@app/domain';
import { StreamNotFoundError, appendChained, type EventStore, type RecordedEvent } from '@app/event-store';

/** Who changed something (event metadata). */
export interface CatalogCause {
  readonly actor: string;
  readonly causationId: string;
}

/**
 * Follows a catalog stream: a small stream where every change of some registry is announced,
 * so replicas learn about changes by reading it from where they left off instead of scanning
 * `$all`. New entries are handed to `onEntries` in order, at start and then every `pollMs`;
 * an outage is logged once when it starts and once when it ends.
 *
 * @example
 * const follower = new CatalogFollower(store, 'catalog-definitions', 'definition catalog', (entries) => reload(entries));
 * await follower.start();
 * await follower.announce('DefinitionCatalogued', { kind: 'workflow', name }, cause);
 */
export class CatalogFollower {
  private readonly logger = new Logger(CatalogFollower.name);
  private revision: bigint | undefined;
  private poller?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private failing = false;

  constructor(
    private readonly store: EventStore,
    readonly streamName: string,
    private readonly description: string,
    private readonly onEntries: (entries: readonly RecordedEvent[]) => Promise<void>,
  ) {}

  /** Reads every entry so far, then keeps following. */
  async start(pollMs = 1_000): Promise<void> {
    await this.poll();
    this.poller = setInterval(() => {
      this.polling ??= this.poll()
        .then(
          () => {
            if (this.failing) this.logger.log(`reading the ${this.description} works again`);
            this.failing = false;
          },
          (error: unknown) => {
            if (!this.failing) this.logger.warn(`reading the ${this.description} failed (retrying every poll): ${String(error)}`);
            this.failing = true;
          },
        )
        .finally(() => (this.polling = undefined));
    }, pollMs);
    this.poller.unref();
  }

  stop(): void {
    if (this.poller) clearInterval(this.poller);
  }

  /**
   * Announces a change that is already stored, so a replica that reads the entry finds it. A crash
   * in between leaves it unannounced but also unacknowledged: the client's retry announces it.
   */
  async announce(type: string, data: Record<string, unknown>, cause: CatalogCause & { correlationId: string }): Promise<void> {
    await appendChained(this.store, this.streamName, [{ id: randomUUID(), type, data, metadata: { ...cause, schemaVersion: EVENT_SCHEMA_VERSION } }]);
  }

  private async poll(): Promise<void> {
    let entries: RecordedEvent[];
    try {
      entries = await this.store.readStream(this.streamName, { fromRevision: this.revision === undefined ? 'start' : this.revision + 1n });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
    if (entries.length === 0) return;
    await this.onEntries(entries);
    this.revision = entries[entries.length - 1]!.revision;
  }
}
