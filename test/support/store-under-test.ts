import path from 'node:path';
import type { ChildHandle } from './child-process';
import { startEsdbTestServer } from './esdb-server-process';

/** The event stores an end-to-end suite can run the orchestrator on. */
export type StoreKind = 'sqlite' | 'esdb';

/** A store ready for an orchestrator: the environment that selects it, and the processes behind it. */
export interface StoreUnderTest {
  readonly kind: StoreKind;
  /** Merge into the orchestrator's environment. */
  readonly env: Record<string, string>;
  /** Processes to stop after the orchestrator (none for the embedded file). */
  readonly handles: readonly ChildHandle[];
}

/** How suite titles name each store. */
export const STORE_TITLES: Readonly<Record<StoreKind, string>> = {
  sqlite: 'SQLite file',
  esdb: 'EventStoreDB adapter on the protocol test server in its own process',
};

/**
 * Provides the store: nothing to start for SQLite (the orchestrator's default file in its data
 * directory); for esdb the EventStoreDB test server as a separate process, its log in `<dir>/logs`.
 */
export async function provideStore(kind: StoreKind, dir: string): Promise<StoreUnderTest> {
  if (kind === 'sqlite') return { kind, env: {}, handles: [] };
  const esdb = await startEsdbTestServer({ logDir: path.join(dir, 'logs') });
  return { kind, env: { BATON_EVENT_STORE: esdb.connectionString }, handles: [esdb.handle] };
}
