import { StreamNotFoundError, StreamRevisionConflictError, type AppendOutcome, type AppendRequest, type EventData, type EventStore, type Position } from '@app/event-store';
import { lastLine, readLines } from './export-file';
import { ExportFileError, parseHeader, parseLine, type ExportTrailer } from './export-format';

/** Progress of an import: events processed of those the file holds. */
export interface ImportProgress {
  readonly events: number;
  readonly total: number;
}

/** The outcome of {@link importStore}. */
export interface ImportSummary {
  readonly events: number;
  readonly streams: number;
  /** Events that were in the target already (an import resumed after an interruption). */
  readonly alreadyPresent: number;
}

/** The target store holds other events where the file's belong: importing would fork a history. */
export class ImportConflictError extends Error {
  constructor(readonly streamName: string, readonly revision: bigint, detail: string) {
    super(`the target store's stream ${streamName} differs from the file at revision ${revision}: ${detail}`);
    this.name = 'ImportConflictError';
  }
}

interface PendingAppend {
  readonly streamName: string;
  readonly firstRevision: bigint;
  readonly events: EventData[];
}

const DEFAULT_BATCH = 2_000;

/**
 * Appends every event of an export file to a store in the file's order (so `$all` keeps it), each
 * append expecting the revision before it, with the events' own ids, types, data and metadata
 * (so the hash chains carry over unchanged). Idempotent, so an interrupted import is resumed by
 * running it again: an append the store already holds succeeds as it is (same ids at the same
 * revision), and a batch that was half stored is completed after checking the stored part has the
 * file's ids. A file without its trailer (an export cut short) is refused before anything is written.
 */
export async function importStore(store: EventStore, file: string, options: { batchSize?: number; onProgress?: (progress: ImportProgress) => void } = {}): Promise<ImportSummary> {
  parseHeader(file, await firstLine(file));
  const trailer = await readTrailer(file);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const [last] = await store.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 });
  const head = last?.position;
  const nextRevision = new Map<string, bigint>();
  let batch: PendingAppend[] = [];
  let batchEvents = 0;
  let events = 0;
  let alreadyPresent = 0;
  let lineNumber = 0;
  let ended = false;

  const flush = async () => {
    if (batch.length === 0) return;
    alreadyPresent += await appendBatch(store, batch, head);
    events += batchEvents;
    batch = [];
    batchEvents = 0;
    options.onProgress?.({ events, total: trailer.events });
  };

  for await (const text of readLines(file)) {
    lineNumber += 1;
    if (lineNumber === 1) {
      parseHeader(file, text);
      continue;
    }
    if (ended) throw new ExportFileError(file, lineNumber, 'a line after the trailer');
    const parsed = parseLine(file, lineNumber, text);
    if ('trailer' in parsed) {
      ended = true;
      continue;
    }
    const { event, revision } = parsed;
    const expected = nextRevision.get(event.stream) ?? 0n;
    if (revision !== expected) throw new ExportFileError(file, lineNumber, `stream ${event.stream} jumps to revision ${revision}; the file's previous event of it was revision ${expected - 1n}`);
    nextRevision.set(event.stream, revision + 1n);
    const data: EventData = { id: event.id, type: event.type, data: event.data, metadata: event.metadata };
    const last = batch[batch.length - 1];
    if (last && last.streamName === event.stream) last.events.push(data);
    else batch.push({ streamName: event.stream, firstRevision: revision, events: [data] });
    batchEvents += 1;
    if (batchEvents >= batchSize) await flush();
  }
  await flush();
  if (events !== trailer.events) throw new ExportFileError(file, undefined, `the trailer counts ${trailer.events} events, the file holds ${events}`);
  return { events, streams: nextRevision.size, alreadyPresent };
}

async function firstLine(file: string): Promise<string | undefined> {
  const lines = readLines(file);
  const first = await lines.next();
  await lines.return(undefined);
  return first.done ? undefined : first.value;
}

async function readTrailer(file: string): Promise<ExportTrailer> {
  const text = await lastLine(file);
  const parsed = text === undefined ? undefined : (() => {
    try {
      return JSON.parse(text) as Partial<ExportTrailer>;
    } catch {
      return undefined;
    }
  })();
  if (parsed?.end !== true || !Number.isInteger(parsed.events)) throw new ExportFileError(file, undefined, 'the file ends without its trailer line: the export was cut short (export again)');
  return parsed as ExportTrailer;
}

/**
 * Appends one batch, keeping the file's global order: in one `appendMany` where the store commits
 * it in request order (SQLite: one transaction), else one append after the other (EventStoreDB
 * sends an `appendMany` concurrently, so streams could overtake each other). Returns how many of
 * the batch's events the store already had: an append answered with a position at or before the
 * store's head when the import started was stored by an earlier run.
 */
async function appendBatch(store: EventStore, batch: readonly PendingAppend[], head: Position | undefined): Promise<number> {
  const requests: AppendRequest[] = batch.map((append) => ({
    streamName: append.streamName,
    events: append.events,
    expectedRevision: append.firstRevision === 0n ? 'no_stream' : append.firstRevision - 1n,
  }));
  const outcomes: AppendOutcome[] = [];
  if (store.appendMany && store.appendManyKeepsOrder) {
    outcomes.push(...(await store.appendMany(requests)));
  } else {
    for (const request of requests) {
      outcomes.push(await store.appendToStream(request.streamName, request.events, { expectedRevision: request.expectedRevision }).then(
        (result): AppendOutcome => ({ ok: true, result }),
        (error: unknown): AppendOutcome => ({ ok: false, error: error as Error }),
      ));
    }
  }
  let present = 0;
  for (let i = 0; i < outcomes.length; i += 1) {
    const outcome = outcomes[i]!;
    if (outcome.ok) {
      if (head !== undefined && outcome.result.position.commit <= head.commit) present += batch[i]!.events.length;
      continue;
    }
    if (!(outcome.error instanceof StreamRevisionConflictError)) throw outcome.error;
    present += await completePartlyStored(store, batch[i]!);
  }
  return present;
}

/**
 * The stream already holds some of these events (an earlier run stopped halfway): check that what
 * it holds from `firstRevision` on is the file's events, then append the rest after them.
 */
async function completePartlyStored(store: EventStore, append: PendingAppend): Promise<number> {
  const stored = await store.readStream(append.streamName, { fromRevision: append.firstRevision, maxCount: append.events.length }).catch((error: unknown) => {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  });
  stored.forEach((event, i) => {
    if (event.revision !== append.firstRevision + BigInt(i) || event.id !== append.events[i]!.id) {
      throw new ImportConflictError(append.streamName, event.revision, `it holds event ${event.id} (${event.type}) where the file has ${append.events[i]!.id} (${append.events[i]!.type})`);
    }
  });
  const rest = append.events.slice(stored.length);
  if (rest.length === 0) return stored.length;
  const after = append.firstRevision + BigInt(stored.length) - 1n;
  try {
    await store.appendToStream(append.streamName, rest, { expectedRevision: after < 0n ? 'no_stream' : after });
  } catch (error) {
    if (!(error instanceof StreamRevisionConflictError)) throw error;
    throw new ImportConflictError(append.streamName, after + 1n, 'the stream does not end where the file continues it (import a file from its start, into a store without other versions of these streams)');
  }
  return stored.length;
}
