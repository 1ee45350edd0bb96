import type { EventStore } from '@app/event-store';
import { ChainWalker, type StreamFailure } from '../chain-walker';
import { scanAll } from '../store-scan';
import { readLines } from './export-file';
import { parseLine } from './export-format';

/** The outcome of {@link verifyImport}. */
export interface ImportVerification {
  readonly valid: boolean;
  /** Events of the target store checked (its hash chains). */
  readonly events: number;
  readonly chainFailures: readonly StreamFailure[];
  /** The first event of the file not found in the target in the file's order (missing, or moved). */
  readonly outOfOrder?: { readonly streamName: string; readonly revision: string; readonly id: string };
}

/**
 * Proves an import: one pass over the target's `$all` re-checks every hash chain and finds the
 * file's events in the file's order (the file is a subsequence of `$all`, so nothing is missing
 * and the global order is kept; the target may hold other streams too).
 */
export async function verifyImport(store: EventStore, file: string): Promise<ImportVerification> {
  const walker = new ChainWalker();
  const chainFailures: StreamFailure[] = [];
  const expected = fileEvents(file);
  let wanted = await expected.next();
  for await (const page of scanAll(store)) {
    for (const event of page) {
      const failure = walker.push(event);
      if (failure) chainFailures.push(failure);
      if (!wanted.done && wanted.value.id === event.id && wanted.value.stream === event.streamName) wanted = await expected.next();
    }
  }
  const outOfOrder = wanted.done ? undefined : { streamName: wanted.value.stream, revision: wanted.value.revision, id: wanted.value.id };
  await expected.return(undefined);
  return { valid: chainFailures.length === 0 && outOfOrder === undefined, events: walker.eventCount, chainFailures, ...(outOfOrder ? { outOfOrder } : {}) };
}

async function* fileEvents(file: string): AsyncGenerator<{ stream: string; revision: string; id: string }> {
  let lineNumber = 0;
  for await (const text of readLines(file)) {
    lineNumber += 1;
    if (lineNumber === 1) continue;
    const parsed = parseLine(file, lineNumber, text);
    if ('event' in parsed) yield parsed.event;
  }
}
