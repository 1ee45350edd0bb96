import type { EventMetadata, RecordedEvent } from '../event-store.port';
import { canonicalJson } from '../hash-chain';

/**
 * An event as the local adapters keep it: data and metadata as JSON text, parsed only when an
 * event is handed out (filters look at the stream name and type alone).
 */
export interface StoredEvent {
  /** `$all` position; both commit and prepare. */
  readonly position: bigint;
  readonly revision: bigint;
  readonly streamName: string;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  /** Milliseconds since the Unix epoch. */
  readonly created: number | bigint;
}

/**
 * JSON text of event data, canonical (keys sorted, as the hash chain hashes it) so a verifier can
 * hash the stored text without re-serialising it; `undefined` is stored as `null`, and bigint
 * throws (JSON has none).
 */
export function serializeData(data: unknown): string {
  return canonicalJson(data);
}

export function serializeMetadata(metadata: EventMetadata | undefined): string {
  return metadata === undefined ? '{}' : JSON.stringify(metadata);
}

export function toRecordedEvent(stored: StoredEvent): RecordedEvent {
  return {
    streamName: stored.streamName,
    id: stored.id,
    type: stored.type,
    revision: stored.revision,
    position: { commit: stored.position, prepare: stored.position },
    data: JSON.parse(stored.data) as unknown,
    metadata: JSON.parse(stored.metadata) as EventMetadata,
    created: new Date(Number(stored.created)),
  };
}
