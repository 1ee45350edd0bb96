import { checkChainLink, checkStoredChainLink, GENESIS_HASH, type ChainFailure, type RecordedEvent, type StoredChainLink } from '@app/event-store';

/** Why a stream's history does not hold: a broken hash chain, or a revision that is not the next one. */
export type StreamFailureReason = ChainFailure | 'revision-gap';

/** The first bad event of a stream. */
export interface StreamFailure {
  readonly streamName: string;
  readonly revision: bigint;
  readonly reason: StreamFailureReason;
  /** The revision the stream should have had here (`revision-gap`). */
  readonly expectedRevision?: bigint;
}

interface StreamCursor {
  next: bigint;
  hash: string;
  failed: boolean;
}

/**
 * Checks the hash chains of many streams from one pass over `$all`: each stream's events must
 * come with consecutive revisions from 0, each linked to the previous one's hash. Keeps one small
 * cursor per stream; after a stream's first failure its later events are not checked.
 */
export class ChainWalker {
  private readonly streams = new Map<string, StreamCursor>();
  private events = 0;

  /** Checks the next event of its stream; returns the failure when this event is the stream's first bad one. */
  push(event: RecordedEvent): StreamFailure | undefined {
    return this.check(event, checkChainLink);
  }

  /** {@link push} for an event whose data is still its stored JSON text (the fast path of a store scan). */
  pushStored(event: StoredChainLink): StreamFailure | undefined {
    return this.check(event, checkStoredChainLink);
  }

  private check<E extends Pick<RecordedEvent, 'streamName' | 'revision' | 'metadata'>>(event: E, checkLink: (event: E, expectedPrev: string) => ChainFailure | undefined): StreamFailure | undefined {
    this.events += 1;
    let cursor = this.streams.get(event.streamName);
    if (!cursor) {
      cursor = { next: 0n, hash: GENESIS_HASH, failed: false };
      this.streams.set(event.streamName, cursor);
    }
    if (cursor.failed) return undefined;
    if (event.revision !== cursor.next) {
      cursor.failed = true;
      return { streamName: event.streamName, revision: event.revision, reason: 'revision-gap', expectedRevision: cursor.next };
    }
    const reason = checkLink(event, cursor.hash);
    if (reason !== undefined) {
      cursor.failed = true;
      return { streamName: event.streamName, revision: event.revision, reason };
    }
    cursor.next += 1n;
    cursor.hash = event.metadata.hash as string;
    return undefined;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  get eventCount(): number {
    return this.events;
  }
}
