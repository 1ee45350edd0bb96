import type { AllFilter, EventStore, Position, RecordedEvent } from '@app/event-store';

/** Events per `readAll` page of a scan. */
export const SCAN_PAGE_SIZE = 4_096;

/**
 * Every event of `$all` from the start (user events only), oldest first, page by page: the way
 * the offline commands walk a whole store with bounded memory.
 */
export async function* scanAll(store: EventStore, options: { filter?: AllFilter; pageSize?: number } = {}): AsyncGenerator<readonly RecordedEvent[]> {
  const pageSize = options.pageSize ?? SCAN_PAGE_SIZE;
  let from: Position | 'start' = 'start';
  for (;;) {
    // The start position is inclusive: a later page begins with the last event of the previous one.
    const read: RecordedEvent[] = await store.readAll({ fromPosition: from, maxCount: from === 'start' ? pageSize : pageSize + 1, ...(options.filter ? { filter: options.filter } : {}) });
    const page: RecordedEvent[] = from === 'start' ? read : read.slice(1);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    from = page[page.length - 1]!.position;
  }
}

/** Where a scan is: positions of the first and last events of `$all`, so progress is the share of the log read. */
export interface LogExtent {
  readonly first?: Position;
  readonly last?: Position;
}

/** The positions of the first and last user events (both undefined for an empty store). */
export async function logExtent(store: EventStore): Promise<LogExtent> {
  const [first] = await store.readAll({ maxCount: 1 });
  const [last] = await store.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 });
  return { ...(first ? { first: first.position } : {}), ...(last ? { last: last.position } : {}) };
}

/** The share of the log (0–1) up to `position`: positions are opaque but grow with the log. */
export function shareOfLog(extent: LogExtent, position: Position): number {
  if (!extent.first || !extent.last || extent.last.commit <= extent.first.commit) return 1;
  const done = Number(position.commit - extent.first.commit) / Number(extent.last.commit - extent.first.commit);
  return Math.min(1, Math.max(0, done));
}
