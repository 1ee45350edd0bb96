import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EventStore } from './event-store.port';
import { EsdbEventStore } from './esdb';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** Options of {@link openEventStore}. */
export interface OpenEventStoreOptions {
  /**
   * Open for reading only, where the adapter can (SQLite: read-only connection, the file must
   * exist). EventStoreDB connections are opened as usual: use credentials that may only read.
   */
  readonly readOnly?: boolean;
}

/** The store URL is none of the forms {@link openEventStore} knows. */
export class InvalidEventStoreUrlError extends Error {
  constructor(readonly url: string) {
    super(`an event store URL is sqlite:<file> or an esdb:// (esdb+discover://) connection string, got "${url}"`);
    this.name = 'InvalidEventStoreUrlError';
  }
}

/** True for the store URLs {@link openEventStore} accepts. */
export function isEventStoreUrl(url: string): boolean {
  return /^(sqlite:.+|esdb(\+discover)?:\/\/.+)$/.test(url);
}

/**
 * The event store a URL names: `sqlite:<file>` (the embedded store; `sqlite::memory:` for a
 * throw-away one) or an EventStoreDB connection string (`esdb://host:2113?tls=false`,
 * `esdb+discover://…`). Used by the orchestrator (`BATON_EVENT_STORE`) and by the CLI (`--store`).
 *
 * @example
 * const store = openEventStore('sqlite:data/baton.db', { readOnly: true });
 */
export function openEventStore(url: string, options: OpenEventStoreOptions = {}): EventStore {
  if (!isEventStoreUrl(url)) throw new InvalidEventStoreUrlError(url);
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:' && !options.readOnly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new SqliteEventStore({ path: file, readOnly: options.readOnly ?? false });
  }
  return new EsdbEventStore({ connectionString: url });
}
