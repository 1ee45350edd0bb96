import { SqliteEventStore, type EventStore, type Position } from '@app/event-store';
import { logExtent, scanAll, shareOfLog } from '../store-scan';
import type { ScanProgress } from '../verify-store';
import { writeFileAtomically } from './export-file';
import { eventLine, headerLine, storedEventLine, trailerLine } from './export-format';

/** Events per chunk written (and per progress report) on the lean SQLite path. */
const EXPORT_CHUNK = 4_096;

/** The outcome of {@link exportStore}. */
export interface ExportSummary {
  readonly file: string;
  readonly events: number;
  readonly streams: number;
}

/**
 * Writes every user event of the store, in `$all` order, to a JSON-lines file (gzip for `*.gz`):
 * a header line, one line per event with its stream, revision, id, type, data, metadata (the hash
 * chain included) and recorded time, then a trailer with the counts. Reads the store only.
 */
export async function exportStore(store: EventStore, file: string, options: { onProgress?: (progress: ScanProgress) => void; now?: Date } = {}): Promise<ExportSummary> {
  const streams = new Set<string>();
  let events = 0;
  async function* lines(): AsyncGenerator<string> {
    yield headerLine(options.now ?? new Date());
    const extent = await logExtent(store);
    if (store instanceof SqliteEventStore) {
      // The lean path: raw rows, the stored JSON text copied into the line.
      let chunk = '';
      let inChunk = 0;
      for (const [position, streamName, revision, id, type, data, metadata, created] of store.storedRows()) {
        chunk += storedEventLine(streamName, revision, id, type, data, metadata, created);
        streams.add(streamName);
        if ((inChunk += 1) === EXPORT_CHUNK) {
          events += inChunk;
          yield chunk;
          options.onProgress?.({ events, share: shareOfLog(extent, { commit: position, prepare: position }) });
          chunk = '';
          inChunk = 0;
        }
      }
      events += inChunk;
      yield chunk;
      options.onProgress?.({ events, share: 1 });
      yield trailerLine(events, streams.size);
      return;
    }
    for await (const page of scanAll(store)) {
      let chunk = '';
      for (const event of page) {
        chunk += eventLine(event);
        streams.add(event.streamName);
      }
      events += page.length;
      yield chunk;
      options.onProgress?.({ events, share: shareOfLog(extent, page[page.length - 1]!.position as Position) });
    }
    yield trailerLine(events, streams.size);
  }
  await writeFileAtomically(file, lines());
  return { file, events, streams: streams.size };
}
