import type { EventStore, Position } from '@app/event-store';
import { ChainWalker, type StreamFailure } from './chain-walker';
import { logExtent, scanAll, shareOfLog } from './store-scan';

/** Progress of a long scan, reported after every page. */
export interface ScanProgress {
  readonly events: number;
  /** Share of the log read, 0–1. */
  readonly share: number;
}

/** The outcome of {@link verifyStore}. */
export interface StoreVerification {
  readonly valid: boolean;
  readonly streams: number;
  readonly events: number;
  /** Every stream that fails, with its first bad revision, in the order they were found. */
  readonly failures: readonly StreamFailure[];
}

/**
 * Re-checks hash chains: one stream's (`streamName`), or every stream of the store in one pass
 * over `$all` (memory: one small cursor per stream). A stream fails at its first event whose
 * `prevHash` or `hash` does not match, or whose revision is not the next one (an event removed).
 */
export async function verifyStore(store: EventStore, options: { streamName?: string; onProgress?: (progress: ScanProgress) => void } = {}): Promise<StoreVerification> {
  const walker = new ChainWalker();
  const failures: StreamFailure[] = [];
  if (options.streamName !== undefined) {
    for (const event of await store.readStream(options.streamName)) {
      const failure = walker.push(event);
      if (failure) failures.push(failure);
    }
    options.onProgress?.({ events: walker.eventCount, share: 1 });
  } else {
    const extent = await logExtent(store);
    for await (const page of scanAll(store)) {
      for (const event of page) {
        const failure = walker.push(event);
        if (failure) failures.push(failure);
      }
      options.onProgress?.({ events: walker.eventCount, share: shareOfLog(extent, page[page.length - 1]!.position as Position) });
    }
  }
  return { valid: failures.length === 0, streams: walker.streamCount, events: walker.eventCount, failures };
}

