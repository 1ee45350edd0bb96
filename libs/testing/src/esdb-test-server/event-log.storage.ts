import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** One record of the log: a user event or a `$`-typed system event. Positions are commit == prepare. */
export interface StoredEvent {
  readonly streamName: string;
  readonly id: string;
  readonly type: string;
  /** `application/json`, or `application/octet-stream` for anything else. */
  readonly contentType: string;
  /** Revision as sent on the wire (the tombstone marker uses int64 max, like EventStoreDB). */
  readonly revision: string;
  readonly position: number;
  readonly positionText: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** 100 ns ticks since the Unix epoch, as a decimal string. */
  readonly created: string;
}

export interface StreamState {
  readonly name: string;
  /** Index === revision; soft-deleted events stay here, hidden by `truncateBefore`. */
  readonly events: StoredEvent[];
  readonly revisionById: Map<string, number>;
  truncateBefore: number;
  tombstoned: boolean;
}

export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: number };

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export type WriteOutcome =
  | { readonly kind: 'success'; readonly revision: number | undefined; readonly last: StoredEvent | undefined }
  | { readonly kind: 'wrong_expected_version'; readonly current: number | undefined }
  | { readonly kind: 'stream_deleted' };

/** Revision EventStoreDB gives the tombstone record. */
const TOMBSTONE_REVISION = '9223372036854775807';
/** Where the first record lands, as if a chunk header came first. */
const FIRST_POSITION = 1024;

interface PersistedRecord {
  s: string; i: string; t: string; c: string; r: string; p: number; d: string; m: string; k: string;
}

export function isVisible(stream: StreamState | undefined): stream is StreamState {
  return stream !== undefined && stream.events.length > stream.truncateBefore;
}

/**
 * The in-memory transaction log of the test server, indexed by stream and by event id, with the
 * expected-revision and idempotency rules of EventStoreDB. Optionally mirrored to a JSON-lines file
 * so that a restarted process keeps its data.
 */
export class EventLog {
  readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = FIRST_POSITION;
  private pendingLines: string[] = [];
  private flushScheduled = false;

  constructor(private readonly dataFile?: string) {
    if (dataFile && existsSync(dataFile)) {
      for (const line of readFileSync(dataFile, 'utf8').split('\n')) {
        if (!line) continue;
        let record: PersistedRecord;
        try {
          record = JSON.parse(line) as PersistedRecord;
        } catch {
          continue; // a torn last line after a crash
        }
        this.apply({
          streamName: record.s, id: record.i, type: record.t, contentType: record.c, revision: record.r,
          position: record.p, positionText: String(record.p), data: Buffer.from(record.d, 'base64'),
          metadata: Buffer.from(record.m, 'base64'), created: record.k,
        });
      }
    }
  }

  stream(name: string): StreamState | undefined {
    return this.streams.get(name);
  }

  get headPosition(): number | undefined {
    return this.all.at(-1)?.position;
  }

  /** Index of the first record at or after `position`. */
  lowerBound(position: number): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.all[mid]!.position < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Wakes the listener after every write; returns the unsubscribe function. */
  onWrite(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamName: string, expected: ExpectedState, events: readonly ProposedEvent[]): WriteOutcome {
    const stream = this.streams.get(streamName);
    if (stream?.tombstoned) return { kind: 'stream_deleted' };
    const decision = this.decide(stream, expected, events);
    if (decision !== 'write') return decision;
    if (events.length === 0) {
      return { kind: 'success', revision: stream && stream.events.length > 0 ? stream.events.length - 1 : undefined, last: undefined };
    }
    let revision = stream?.events.length ?? 0;
    let last: StoredEvent | undefined;
    for (const event of events) {
      last = this.record(streamName, String(revision++), event);
    }
    this.notify();
    return { kind: 'success', revision: revision - 1, last };
  }

  /** Soft delete: records `$metadata` with `$tb` in `$$<stream>`, so reads hide what came before. */
  softDelete(streamName: string, expected: ExpectedState): WriteOutcome {
    const stream = this.streams.get(streamName);
    if (stream?.tombstoned) return { kind: 'stream_deleted' };
    const wrong = this.checkDelete(stream, expected);
    if (wrong) return wrong;
    const truncateBefore = stream?.events.length ?? 0;
    const metadataStream = `$$${streamName}`;
    const last = this.record(metadataStream, String(this.streams.get(metadataStream)?.events.length ?? 0), systemEvent('$metadata', { $tb: truncateBefore }));
    this.notify();
    return { kind: 'success', revision: undefined, last };
  }

  /** Tombstone: a `$streamDeleted` record in the stream itself; the stream is gone for good. */
  tombstone(streamName: string, expected: ExpectedState): WriteOutcome {
    const stream = this.streams.get(streamName);
    if (stream?.tombstoned) return { kind: 'stream_deleted' };
    const wrong = this.checkDelete(stream, expected);
    if (wrong) return wrong;
    const last = this.record(streamName, TOMBSTONE_REVISION, systemEvent('$streamDeleted', {}));
    this.notify();
    return { kind: 'success', revision: undefined, last };
  }

  /** A new epoch on every start, as EventStoreDB writes one when a node becomes leader. */
  writeEpoch(): void {
    const epochs = this.streams.get('$epochs');
    const epochNumber = epochs?.events.length ?? 0;
    this.record('$epochs', String(epochNumber), systemEvent('$epoch-information', { epochNumber, epochPosition: this.nextPosition }));
    this.notify();
  }

  /** Writes buffered records to the data file now. */
  flush(): void {
    this.flushScheduled = false;
    if (!this.dataFile || this.pendingLines.length === 0) return;
    const chunk = this.pendingLines.join('');
    this.pendingLines = [];
    appendFileSync(this.dataFile, chunk);
  }

  private decide(stream: StreamState | undefined, expected: ExpectedState, events: readonly ProposedEvent[]): WriteOutcome | 'write' {
    const current = stream && stream.events.length > 0 ? stream.events.length - 1 : undefined;
    const wrong: WriteOutcome = { kind: 'wrong_expected_version', current };
    const softDeleted = current !== undefined && !isVisible(stream);
    switch (expected.kind) {
      case 'revision': {
        const last = current ?? -1;
        if (expected.revision === last) return 'write';
        if (expected.revision > last) return wrong;
        return this.idempotentFrom(stream, expected.revision + 1, events) ?? wrong;
      }
      case 'no_stream':
        if (!isVisible(stream)) return 'write';
        return this.idempotentFrom(stream, stream.truncateBefore, events) ?? wrong;
      case 'stream_exists':
      case 'any': {
        // EventStoreDB answers stream_exists on a soft-deleted stream (nothing appended since) with stream-deleted.
        if (expected.kind === 'stream_exists' && !isVisible(stream)) return softDeleted ? { kind: 'stream_deleted' } : wrong;
        const seen = stream ? events.filter((event) => stream.revisionById.has(event.id)).length : 0;
        if (events.length > 0 && seen === events.length) {
          const revision = Math.max(...events.map((event) => stream!.revisionById.get(event.id)!));
          return { kind: 'success', revision, last: stream!.events[revision] };
        }
        return seen > 0 ? wrong : 'write';
      }
    }
  }

  /** The same ids already stored from `from` on: a retry, answered with the original result. */
  private idempotentFrom(stream: StreamState | undefined, from: number, events: readonly ProposedEvent[]): WriteOutcome | undefined {
    if (!stream || events.length === 0) return undefined;
    for (let index = 0; index < events.length; index++) {
      if (stream.events[from + index]?.id !== events[index]!.id) return undefined;
    }
    const revision = from + events.length - 1;
    return { kind: 'success', revision, last: stream.events[revision] };
  }

  private checkDelete(stream: StreamState | undefined, expected: ExpectedState): WriteOutcome | undefined {
    const current = stream && stream.events.length > 0 ? stream.events.length - 1 : undefined;
    const ok =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && !isVisible(stream)) ||
      (expected.kind === 'stream_exists' && isVisible(stream)) ||
      (expected.kind === 'revision' && expected.revision === (current ?? -1));
    return ok ? undefined : { kind: 'wrong_expected_version', current };
  }

  private record(streamName: string, revision: string, event: ProposedEvent): StoredEvent {
    const position = this.nextPosition;
    const stored: StoredEvent = {
      streamName, id: event.id, type: event.type, contentType: event.contentType, revision, position,
      positionText: String(position), data: event.data, metadata: event.metadata, created: `${Date.now()}0000`,
    };
    this.apply(stored);
    if (this.dataFile) {
      const record: PersistedRecord = {
        s: streamName, i: event.id, t: event.type, c: event.contentType, r: revision, p: position,
        d: Buffer.from(event.data).toString('base64'), m: Buffer.from(event.metadata).toString('base64'), k: stored.created,
      };
      this.pendingLines.push(`${JSON.stringify(record)}\n`);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    }
    return stored;
  }

  /** Updates the indexes for one record; also how a data file is replayed. */
  private apply(event: StoredEvent): void {
    this.all.push(event);
    this.nextPosition = event.position + recordSize(event);
    let stream = this.streams.get(event.streamName);
    if (!stream) {
      stream = { name: event.streamName, events: [], revisionById: new Map(), truncateBefore: 0, tombstoned: false };
      this.streams.set(event.streamName, stream);
    }
    if (event.type === '$streamDeleted') {
      stream.tombstoned = true;
      return;
    }
    stream.revisionById.set(event.id, stream.events.length);
    stream.events.push(event);
    if (event.type === '$metadata' && event.streamName.startsWith('$$')) {
      const truncateBefore = (JSON.parse(Buffer.from(event.data).toString('utf8')) as { $tb?: number }).$tb;
      const target = this.streams.get(event.streamName.slice(2));
      if (target && truncateBefore !== undefined) target.truncateBefore = truncateBefore;
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function systemEvent(type: string, data: unknown): ProposedEvent {
  return { id: randomUUID(), type, contentType: 'application/json', data: Buffer.from(JSON.stringify(data)), metadata: new Uint8Array(0) };
}

/** Byte-offset-like growth so positions have gaps nobody can compute. */
function recordSize(event: StoredEvent): number {
  const size = 88 + event.streamName.length + event.type.length + event.data.length + event.metadata.length;
  return (size + 7) & ~7;
}
