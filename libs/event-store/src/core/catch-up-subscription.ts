import type { Position, SubscribeToAllOptions, SubscribeToStreamOptions, Subscription, SubscriptionMessage } from '../event-store.port';
import { compileAllFilter } from './all-filter';
import type { ChangeNotifier } from './change-notifier';
import { PAGE_SIZE } from './read-plan';
import { type StoredEvent, toRecordedEvent } from './stored-event';

/** Where a catch-up subscription reads: a stream (cursor = revision) or `$all` (cursor = position). */
export interface SubscriptionSource {
  /** Up to `limit` stored events after `cursor` (exclusive; `undefined`: from the first), oldest first, unfiltered. */
  readAfter(cursor: bigint | undefined, limit: number): readonly StoredEvent[];
  cursorOf(event: StoredEvent): bigint;
}

/** Where a subscription starts and what it hands out. */
export interface SubscriptionPlan {
  /** Exclusive start cursor; `undefined` = from the first event. */
  readonly after: bigint | undefined;
  /** Started from `'end'`: caught up at once, live events only. */
  readonly fromEnd: boolean;
  readonly keep: (event: StoredEvent) => boolean;
  /** Filtered `$all` only: send a checkpoint after this many considered events, and on going live. */
  readonly checkpointEvery?: number;
}

const CHECKPOINT_WINDOW = 32;
const keepAll = (): boolean => true;
const CAUGHT_UP: SubscriptionMessage = { kind: 'caught-up' };

/** @param lastRevision the stream's last revision when subscribing (`-1n`: none). */
export function planStreamSubscription(options: SubscribeToStreamOptions = {}, lastRevision: bigint): SubscriptionPlan {
  const from = options.fromRevision ?? 'start';
  if (from === 'end') return { after: lastRevision < 0n ? undefined : lastRevision, fromEnd: true, keep: keepAll };
  return { after: from === 'start' ? undefined : from, fromEnd: false, keep: keepAll };
}

/** @param head the last `$all` position when subscribing (`undefined`: empty store). */
export function planAllSubscription(options: SubscribeToAllOptions = {}, head: bigint | undefined): SubscriptionPlan {
  const from = options.fromPosition ?? 'start';
  const filter = options.filter;
  const matches = compileAllFilter(filter);
  const keep = (event: StoredEvent): boolean => matches(event.streamName, event.type);
  const checkpointEvery = filter === undefined ? undefined : Math.max(1, filter.checkpointIntervalMultiplier ?? 1) * CHECKPOINT_WINDOW;
  if (from === 'end') return { after: head, fromEnd: true, keep, checkpointEvery };
  return { after: from === 'start' ? undefined : from.commit, fromEnd: false, keep, checkpointEvery };
}

function checkpoint(position: bigint): SubscriptionMessage {
  const at: Position = { commit: position, prepare: position };
  return { kind: 'checkpoint', position: at };
}

/**
 * The subscription state machine shared by the local adapters: catch-up pages, one `caught-up`,
 * then live events. A generator, so the next page is read only when the consumer asks for more
 * (back-pressure) and at most one page is held. Checkpoints (filtered `$all`) count every event
 * considered, kept or not, carry the last considered position, and one is sent on going live.
 */
export async function* catchUp(source: SubscriptionSource, plan: SubscriptionPlan, notifier: ChangeNotifier, signal: AbortSignal): AsyncGenerator<SubscriptionMessage> {
  let cursor = plan.after;
  let live = plan.fromEnd;
  let considered = 0;
  let lastConsidered = plan.fromEnd ? undefined : plan.after;
  let lastCheckpoint: bigint | undefined;
  if (live) yield CAUGHT_UP;
  while (!signal.aborted) {
    const seen = notifier.current;
    const page = source.readAfter(cursor, PAGE_SIZE);
    for (const stored of page) {
      if (signal.aborted) return;
      cursor = source.cursorOf(stored);
      if (plan.keep(stored)) yield { kind: 'event', event: toRecordedEvent(stored) };
      if (plan.checkpointEvery === undefined) continue;
      lastConsidered = stored.position;
      considered += 1;
      if (considered >= plan.checkpointEvery) {
        considered = 0;
        lastCheckpoint = lastConsidered;
        yield checkpoint(lastConsidered);
      }
    }
    if (signal.aborted) return;
    if (page.length === PAGE_SIZE) continue;
    if (!live) {
      live = true;
      if (plan.checkpointEvery !== undefined && lastConsidered !== undefined && lastConsidered !== lastCheckpoint) {
        lastCheckpoint = lastConsidered;
        yield checkpoint(lastConsidered);
      }
      yield CAUGHT_UP;
    }
    await notifier.wait(seen, signal);
  }
}

/** A running catch-up subscription; unsubscribing ends a pending iteration normally. */
export class CatchUpSubscription implements Subscription {
  private readonly controller = new AbortController();
  private readonly messages: AsyncGenerator<SubscriptionMessage>;

  constructor(source: SubscriptionSource, plan: SubscriptionPlan, notifier: ChangeNotifier, private readonly onEnd: (subscription: CatchUpSubscription) => void) {
    this.messages = this.run(source, plan, notifier);
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return this.messages;
  }

  unsubscribe(): Promise<void> {
    this.controller.abort();
    this.onEnd(this);
    return Promise.resolve();
  }

  private async *run(source: SubscriptionSource, plan: SubscriptionPlan, notifier: ChangeNotifier): AsyncGenerator<SubscriptionMessage> {
    try {
      yield* catchUp(source, plan, notifier, this.controller.signal);
    } finally {
      this.onEnd(this);
    }
  }
}

/** The subscriptions an adapter has open, so closing the store ends them. */
export class OpenSubscriptions {
  private readonly open = new Set<CatchUpSubscription>();
  private readonly forget = (subscription: CatchUpSubscription): void => {
    this.open.delete(subscription);
  };

  constructor(private readonly notifier: ChangeNotifier) {}

  start(source: SubscriptionSource, plan: SubscriptionPlan): Subscription {
    const subscription = new CatchUpSubscription(source, plan, this.notifier, this.forget);
    this.open.add(subscription);
    return subscription;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((subscription) => subscription.unsubscribe()));
  }
}
