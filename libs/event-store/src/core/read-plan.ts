import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { compileAllFilter } from './all-filter';
import type { StreamState } from './stream-state';
import { type StoredEvent, toRecordedEvent } from './stored-event';

/** How many stored events an adapter reads at a time, for `$all` reads and subscriptions. */
export const PAGE_SIZE = 512;

/** A `readStream` resolved against the stream's state: visible revisions from `from`, inclusive. */
export interface StreamRange {
  readonly forwards: boolean;
  readonly from: bigint;
  /** Backwards reads stop here: revisions below are hidden by a soft delete. */
  readonly floor: bigint;
  readonly limit: number;
}

export function planStreamRead(state: StreamState, options: ReadStreamOptions = {}): StreamRange {
  const forwards = (options.direction ?? 'forwards') === 'forwards';
  const start = options.fromRevision ?? (forwards ? 'start' : 'end');
  const limit = options.maxCount ?? Number.MAX_SAFE_INTEGER;
  const floor = state.truncateBefore;
  if (forwards) {
    const from = start === 'start' ? floor : start === 'end' ? state.lastRevision + 1n : start;
    return { forwards, from: from < floor ? floor : from, floor, limit };
  }
  const from = start === 'end' ? state.lastRevision : start === 'start' ? 0n : start;
  return { forwards, from: from > state.lastRevision ? state.lastRevision : from, floor, limit };
}

/**
 * Reads up to `limit` stored events of `$all` from `from` (`undefined`: the first, or the last
 * backwards), oldest first forwards and newest first backwards, unfiltered.
 */
export type AllPageReader = (forwards: boolean, from: bigint | undefined, inclusive: boolean, limit: number) => readonly StoredEvent[];

/** `readAll` over an adapter's page reader: inclusive start, filter and `$` skipping, `maxCount` matches. */
export function readAllPaged(readPage: AllPageReader, options: ReadAllOptions = {}): RecordedEvent[] {
  const forwards = (options.direction ?? 'forwards') === 'forwards';
  const maxCount = options.maxCount ?? 4096;
  const start = options.fromPosition ?? (forwards ? 'start' : 'end');
  const events: RecordedEvent[] = [];
  if (maxCount <= 0 || start === (forwards ? 'end' : 'start')) return events;
  const keep = compileAllFilter(options.filter);
  // Unfiltered reads rarely skip anything, so they read little more than asked.
  const pageSize = options.filter === undefined ? Math.min(PAGE_SIZE, maxCount + 8) : PAGE_SIZE;
  let from = typeof start === 'object' ? start.commit : undefined;
  let inclusive = true;
  for (;;) {
    const page = readPage(forwards, from, inclusive, pageSize);
    for (const stored of page) {
      if (!keep(stored.streamName, stored.type)) continue;
      events.push(toRecordedEvent(stored));
      if (events.length === maxCount) return events;
    }
    if (page.length < pageSize) return events;
    from = page[page.length - 1]!.position;
    inclusive = false;
  }
}
