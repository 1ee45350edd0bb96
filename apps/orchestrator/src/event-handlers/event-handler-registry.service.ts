import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_SCHEMA_VERSION } from '@app/domain';
import { EVENT_STORE, StreamNotFoundError, StreamRevisionConflictError, appendChained, type EventStore, type RecordedEvent } from '@app/event-store';
import { CatalogFollower } from '../definitions/catalog-follower';
import type { RegistrationCause } from '../definitions/definition-registry.service';
import type { EventHandlerDef } from './event-handler-def';
import { EventHandlerExistsError, EventHandlerNotFoundError } from './event-handler.errors';

/** Stream of one event handler's registrations and its removal (docs/event-store.md §1). */
export const handlerStream = (name: string): string => `handler-${name}`;
/** Every change of a handler is announced here (its name), so replicas follow one small stream. */
export const EVENT_HANDLER_CATALOG_STREAM = 'catalog-event-handlers';

export const EVENT_HANDLER_REGISTERED = 'EventHandlerRegistered';
export const EVENT_HANDLER_REMOVED = 'EventHandlerRemoved';
export const EVENT_HANDLER_CATALOGUED = 'EventHandlerCatalogued';

/** Tries of an update or removal that lost a revision race with another replica. */
const CONFLICT_ATTEMPTS = 5;

/** A handler stream's last word: the handler (or, once removed, what it was) and the revision to expect. */
interface StoredHandler {
  readonly handler: EventHandlerDef | undefined;
  readonly removed?: EventHandlerDef;
  readonly revision: bigint | 'no_stream';
}

/**
 * Event handlers, stored as events (`handler-<name>`: `EventHandlerRegistered`, then
 * `EventHandlerRemoved`) and held in memory. Changes made on this replica are visible at once;
 * those of other replicas within `pollMs` (the catalog stream `catalog-event-handlers` is polled,
 * as the definitions' catalog is). Listeners hear about every change, from either source.
 * Adds, updates and removals check the stream itself, with its revision, so two replicas
 * cannot both create the same handler.
 */
@Injectable()
export class EventHandlerRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(EventHandlerRegistry.name);
  private readonly handlers = new Map<string, EventHandlerDef>();
  private readonly removed = new Map<string, EventHandlerDef>();
  private readonly listeners = new Set<() => void>();
  private readonly catalog: CatalogFollower;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.catalog = new CatalogFollower(store, EVENT_HANDLER_CATALOG_STREAM, 'event handler catalog', (entries) => this.reloadAll(entries));
  }

  /** Loads every handler, then keeps following the catalog every `pollMs`. */
  start(pollMs = 1_000): Promise<void> {
    return this.catalog.start(pollMs);
  }

  /** Calls `listener` after every change (local or from another replica); returns its removal. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(name: string): EventHandlerDef | undefined {
    return this.handlers.get(name);
  }

  /** Every handler, by name. */
  list(): EventHandlerDef[] {
    return [...this.handlers.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The handlers of one `event` string (e.g. `jsm:orders.ready`), by name. */
  forEvent(event: string, activeOnly: boolean): EventHandlerDef[] {
    return this.list().filter((handler) => handler.event === event && (!activeOnly || handler.active));
  }

  /** Stores a new handler (validated); {@link EventHandlerExistsError} when the name is taken. */
  async add(handler: EventHandlerDef, cause: RegistrationCause): Promise<void> {
    const stored = await this.read(handler.name);
    if (stored.handler) throw new EventHandlerExistsError(handler.name);
    try {
      await this.append(handler.name, EVENT_HANDLER_REGISTERED, { handler }, stored.revision, cause);
    } catch (error) {
      // Another replica registered (or changed) it between our read and our append.
      if (error instanceof StreamRevisionConflictError) throw new EventHandlerExistsError(handler.name);
      throw error;
    }
    await this.announce(handler.name, handler, cause);
  }

  /** Replaces an existing handler; {@link EventHandlerNotFoundError} when there is none. */
  update(handler: EventHandlerDef, cause: RegistrationCause): Promise<void> {
    return this.change(handler.name, EVENT_HANDLER_REGISTERED, () => ({ handler }), handler, cause);
  }

  /**
   * Removes a handler: an `EventHandlerRemoved` event that keeps the last definition (so replicas
   * can still find its durable to clean up); {@link EventHandlerNotFoundError} when there is none.
   */
  remove(name: string, cause: RegistrationCause): Promise<void> {
    return this.change(name, EVENT_HANDLER_REMOVED, (previous) => ({ name, handler: previous }), undefined, cause);
  }

  /** Removed handlers this replica has seen, by name, as they were last defined. */
  listRemoved(): EventHandlerDef[] {
    return [...this.removed.values()];
  }

  onApplicationShutdown(): void {
    this.catalog.stop();
  }

  private async change(
    name: string,
    type: string,
    data: (previous: EventHandlerDef) => Record<string, unknown>,
    next: EventHandlerDef | undefined,
    cause: RegistrationCause,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.read(name);
      if (!stored.handler) throw new EventHandlerNotFoundError(name);
      try {
        await this.append(name, type, data(stored.handler), stored.revision, cause);
        break;
      } catch (error) {
        // A concurrent change on another replica: decide again on what it left (it may have removed it).
        if (!(error instanceof StreamRevisionConflictError) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
    await this.announce(name, next, cause);
  }

  /**
   * Announced after it is stored, so a replica that reads the entry finds the change. A crash in
   * between leaves it unannounced but also unacknowledged: the client's retry announces it.
   */
  private async announce(name: string, handler: EventHandlerDef | undefined, cause: RegistrationCause): Promise<void> {
    await this.catalog.announce(EVENT_HANDLER_CATALOGUED, { name }, { ...cause, correlationId: name });
    this.put(name, { handler, removed: handler ? undefined : this.handlers.get(name) });
    this.notify();
  }

  private append(name: string, type: string, data: Record<string, unknown>, expectedRevision: bigint | 'no_stream', cause: RegistrationCause) {
    return appendChained(this.store, handlerStream(name), [{ id: randomUUID(), type, data, metadata: { ...cause, correlationId: name, schemaVersion: EVENT_SCHEMA_VERSION } }], { expectedRevision });
  }

  private async read(name: string): Promise<StoredHandler> {
    let last: RecordedEvent | undefined;
    try {
      [last] = await this.store.readStream(handlerStream(name), { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { handler: undefined, revision: 'no_stream' };
      throw error;
    }
    if (!last) return { handler: undefined, revision: 'no_stream' };
    const { handler } = last.data as { handler?: EventHandlerDef };
    return last.type === EVENT_HANDLER_REGISTERED ? { handler, revision: last.revision } : { handler: undefined, removed: handler, revision: last.revision };
  }

  private async reloadAll(entries: readonly RecordedEvent[]): Promise<void> {
    const names = new Set<string>();
    for (const entry of entries) names.add((entry.data as { name: string }).name);
    for (const name of names) this.put(name, await this.read(name));
    this.notify();
  }

  private put(name: string, { handler, removed }: { handler: EventHandlerDef | undefined; removed?: EventHandlerDef }): void {
    if (handler) {
      this.handlers.set(name, handler);
      this.removed.delete(name);
    } else {
      this.handlers.delete(name);
      if (removed) this.removed.set(name, removed);
    }
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error(`an event handler change listener failed: ${String(error)}`);
      }
    }
  }

}
