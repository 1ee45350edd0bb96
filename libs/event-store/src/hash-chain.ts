import { createHash } from 'node:crypto';
import type { EventData, EventMetadata, RecordedEvent } from './event-store.port';

/** `prevHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Why {@link verifyChain} rejected an event. */
export type ChainFailure = 'hash-mismatch' | 'prev-hash-mismatch' | 'missing-hash';

/** Outcome of {@link verifyChain}. */
export interface ChainVerification {
  readonly valid: boolean;
  /** Events that passed, from the first. */
  readonly checked: number;
  /** Hash of the last event that passed (the anchor when none did). */
  readonly lastHash: string;
  readonly firstInvalid?: { readonly revision: bigint; readonly reason: ChainFailure };
}

/**
 * Written for speed (every stored event is hashed): string concatenation instead of arrays and
 * joins, and key order checked before sorting (objects built by Baton are often already sorted).
 */
function canonical(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: bigint is not JSON; store it as a string');
    case 'object': {
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonical((value as { toJSON(): unknown }).toJSON());
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) {
          if (i > 0) out += ',';
          out += canonical(value[i]) ?? 'null';
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      let sorted = true;
      for (let i = 1; i < keys.length && sorted; i += 1) sorted = keys[i - 1]! <= keys[i]!;
      if (!sorted) keys.sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = canonical(record[key]);
        if (member === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${member}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/**
 * JSON with object keys sorted (by UTF-16 code unit) and no whitespace, so equal values always
 * give equal text. Otherwise `JSON.stringify`'s rules (toJSON, `undefined` members dropped,
 * non-finite numbers as null), so a value hashes the same before and after a store round trip.
 * A bigint throws: JSON cannot carry it.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, 'x'] }); // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return canonical(value) ?? 'null';
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hashOf(streamName: string, revision: bigint, id: string, type: string, data: unknown, metadata: EventMetadata): string {
  return sha256Hex(canonicalJson({ streamName, revision: String(revision), id, type, data, metadata }));
}

/**
 * Links events about to be appended into the stream's hash chain: each gets `metadata.prevHash`
 * (the previous event's hash, {@link GENESIS_HASH} for revision 0) and `metadata.hash`, the
 * SHA-256 of the canonical JSON of its stream name, revision, id, type, data and metadata
 * (`prevHash` included, `hash` left out). An auditor recomputes it with {@link verifyChain}.
 *
 * @example
 * const last = (await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0];
 * const events = chainEvents(stream, last.revision + 1n, last.metadata.hash ?? GENESIS_HASH, drafts);
 * await store.appendToStream(stream, events, { expectedRevision: last.revision });
 */
export function chainEvents(
  streamName: string,
  firstRevision: bigint,
  prevHash: string,
  events: readonly Pick<EventData, 'id' | 'type' | 'data' | 'metadata'>[],
): EventData[] {
  let previous = prevHash;
  return events.map((event, index) => {
    const { hash: _ignored, ...rest } = event.metadata ?? {};
    const metadata: EventMetadata = { ...rest, prevHash: previous };
    previous = hashOf(streamName, firstRevision + BigInt(index), event.id, event.type, event.data, metadata);
    return { id: event.id, type: event.type, data: event.data, metadata: { ...metadata, hash: previous } };
  });
}

/**
 * Verifies consecutive events of one stream, oldest first, and stops at the first that fails.
 * The chain is anchored at {@link GENESIS_HASH} when the first event is revision 0; a history read
 * from the middle is anchored at its first event's own `prevHash` unless `anchor` is given.
 *
 * @example
 * const report = verifyChain(await store.readStream('execution-42'));
 * if (!report.valid) console.warn(`altered at revision ${report.firstInvalid?.revision}`);
 */
export function verifyChain(events: readonly RecordedEvent[], anchor?: string): ChainVerification {
  const first = events[0];
  let expectedPrev = anchor ?? (first === undefined || first.revision === 0n ? GENESIS_HASH : first.metadata.prevHash ?? GENESIS_HASH);
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index]!;
    const reason = checkChainLink(event, expectedPrev);
    if (reason !== undefined) return { valid: false, checked: index, lastHash: expectedPrev, firstInvalid: { revision: event.revision, reason } };
    expectedPrev = event.metadata.hash as string;
  }
  return { valid: true, checked: events.length, lastHash: expectedPrev };
}

/**
 * Checks one link of a stream's chain: the event must carry `prevHash` = `expectedPrev` (the
 * previous event's hash, {@link GENESIS_HASH} at revision 0) and a `hash` that matches its
 * content. Returns why it fails, or `undefined` when it holds (its `hash` is then the next link's
 * `expectedPrev`). What {@link verifyChain} does per event, for callers that walk many streams at once.
 */
export function checkChainLink(event: Pick<RecordedEvent, 'streamName' | 'revision' | 'id' | 'type' | 'data' | 'metadata'>, expectedPrev: string): ChainFailure | undefined {
  const { hash, ...metadata } = event.metadata;
  if (typeof hash !== 'string' || typeof metadata.prevHash !== 'string') return 'missing-hash';
  if (metadata.prevHash !== expectedPrev) return 'prev-hash-mismatch';
  if (hashOf(event.streamName, event.revision, event.id, event.type, event.data, metadata) !== hash) return 'hash-mismatch';
  return undefined;
}

/** An event as a store keeps it: the data still as its stored JSON text, the (small) metadata parsed. */
export interface StoredChainLink {
  readonly streamName: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  /** The stored JSON text of the data. */
  readonly dataText: string;
  readonly metadata: EventMetadata;
}

/**
 * {@link checkChainLink} for an event whose data is still JSON text, as a store holds it. Stores
 * write the data as canonical JSON (the text `chainEvents` hashed), so the stored text is hashed
 * as it is, without parsing and re-serialising the data; the text must still be valid JSON (so it
 * cannot run into the next member of the hashed envelope). Only when that hash does not match
 * (rows written before data was stored canonically, or tampered ones) is the data parsed and
 * checked the slow way, which also gives the reason. Data text that is not JSON is a `hash-mismatch`.
 */
export function checkStoredChainLink(event: StoredChainLink, expectedPrev: string): ChainFailure | undefined {
  const { hash, ...metadata } = event.metadata;
  if (typeof hash !== 'string' || typeof metadata.prevHash !== 'string') return 'missing-hash';
  if (metadata.prevHash !== expectedPrev) return 'prev-hash-mismatch';
  let data: unknown;
  try {
    data = JSON.parse(event.dataText);
  } catch {
    return 'hash-mismatch'; // Not JSON: not the text that was hashed, and no reader could use it.
  }
  // Members in canonical (sorted) order: data, id, metadata, revision, streamName, type.
  const envelope = `{"data":${event.dataText},"id":${JSON.stringify(event.id)},"metadata":${canonicalJson(metadata)},"revision":"${event.revision}","streamName":${JSON.stringify(event.streamName)},"type":${JSON.stringify(event.type)}}`;
  if (sha256Hex(envelope) === hash) return undefined;
  return checkChainLink({ ...event, data }, expectedPrev);
}
