import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  EVENT_SCHEMA_VERSION,
  executionStream,
  findHistoryInconsistency,
  toExecutionEvents,
  type ExecutionCommand,
  type ExecutionEvent,
} from '@app/domain';
import { GENESIS_HASH, chainEvents, verifyChain, type RecordedEvent } from '@app/event-store';

/** An event as a golden file keeps it: what the event store holds, without the store's position and time. */
export interface GoldenStoredEvent {
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A command of a golden scenario, with the time it was decided at. */
export interface GoldenCommand {
  readonly command: ExecutionCommand;
  readonly now: number;
}

/** A golden history file (`test/fixtures/histories/*.json`, written by `npm run fixtures:histories`). */
export interface GoldenFile {
  readonly description: string;
  readonly executionId: string;
  /** The commands that produced the history, in order. */
  readonly commands: readonly GoldenCommand[];
  /** The history as stored: hash-chained, with the schema version it was written with. */
  readonly events: readonly GoldenStoredEvent[];
  /** The replayed state, as `goldenSnapshot` pins it down. */
  readonly state: Readonly<Record<string, unknown>>;
  /** A command after the history, and the events it must decide. */
  readonly next?: { readonly command: GoldenCommand; readonly events: readonly ExecutionEvent[] };
}

/** A golden file whose history could not be read: it was altered, cut, reordered or spliced. */
export class GoldenHistoryRejectedError extends Error {
  constructor(
    readonly file: string,
    /** The first event that does not fit. */
    readonly revision: number,
    readonly reason: string,
  ) {
    super(`${file}: revision ${revision}: ${reason}`);
  }
}

/** An event id that is the same each time a scenario is recorded (UUID-shaped). */
function goldenEventId(executionId: string, revision: number): string {
  const hex = createHash('sha256').update(`${executionId}:${revision}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A scenario's events as the orchestrator would store them: ids, metadata and the hash chain. */
export function storedForm(executionId: string, events: readonly ExecutionEvent[]): GoldenStoredEvent[] {
  const drafts = events.map((event, revision) => ({
    id: goldenEventId(executionId, revision),
    type: event.type,
    data: event.data,
    metadata: { correlationId: executionId, causationId: `golden:${executionId}`, actor: 'golden', schemaVersion: EVENT_SCHEMA_VERSION },
  }));
  return chainEvents(executionStream(executionId), 0n, GENESIS_HASH, drafts).map((event, revision) => ({ revision, id: event.id, type: event.type, data: event.data, metadata: event.metadata ?? {} }));
}

/** The stored events of a golden file as the event store would return them. */
export function recordedForm(executionId: string, events: readonly GoldenStoredEvent[]): RecordedEvent[] {
  return events.map((event) => ({
    streamName: executionStream(executionId),
    id: event.id,
    type: event.type,
    revision: BigInt(event.revision),
    position: { commit: BigInt(event.revision), prepare: BigInt(event.revision) },
    data: event.data,
    metadata: event.metadata,
    created: new Date(0),
  }));
}

/**
 * The domain events of a golden history, read the way nothing may be read silently: revisions
 * consecutive from 0, the hash chain intact from the genesis (so an altered, dropped or moved
 * event is reported), each event decoded (old shapes upcast), and the sequence one the decider
 * can produce (`findHistoryInconsistency`). Throws {@link GoldenHistoryRejectedError} naming the
 * first event that fails.
 */
export function readGoldenHistory(name: string, file: Pick<GoldenFile, 'executionId' | 'events'>): ExecutionEvent[] {
  const recorded = recordedForm(file.executionId, file.events);
  const gap = file.events.findIndex((event, index) => event.revision !== index);
  if (gap >= 0) throw new GoldenHistoryRejectedError(name, gap, `revision ${file.events[gap]!.revision} stands at position ${gap}`);
  const chain = verifyChain(recorded, GENESIS_HASH);
  if (!chain.valid) throw new GoldenHistoryRejectedError(name, Number(chain.firstInvalid!.revision), chain.firstInvalid!.reason);
  const events = toExecutionEvents(recorded);
  if (events.length !== recorded.length) throw new GoldenHistoryRejectedError(name, recorded.findIndex((event) => !toExecutionEvents([event]).length), 'not an execution event');
  const inconsistency = findHistoryInconsistency(events, file.executionId);
  if (inconsistency) throw new GoldenHistoryRejectedError(name, inconsistency.index, inconsistency.problem);
  return events;
}

/** Every golden file of a directory, by file name. */
export function loadGoldenFiles(directory: string): { readonly name: string; readonly file: GoldenFile }[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, file: JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as GoldenFile }));
}
