import { assertNever } from '@app/domain';
import type { Position, RecordedEvent, SubscriptionMessage } from '@app/event-store';
import { laterPosition } from './position';

/** Events to apply in one transaction, and where that leaves the projection. */
export interface SubscriptionBatch {
  readonly events: readonly RecordedEvent[];
  /** Last event's position, or a later checkpoint's; `undefined` only for an empty caught-up batch. */
  readonly position: Position | undefined;
  /** The subscription reported caught-up right after these events. */
  readonly caughtUp: boolean;
}

const IDLE = Symbol('idle');

/** Settles after the I/O callbacks already due: a message not ready by then is not buffered. */
function afterPendingIo(): Promise<typeof IDLE> {
  return new Promise((resolve) => setImmediate(resolve, IDLE));
}

/** Settles `ms` after the batch's first message: more events of a busy log join the same batch. */
function afterLinger(ms: number): Promise<typeof IDLE> {
  return new Promise((resolve) => setTimeout(resolve, ms, IDLE));
}

/** A prefetched `next()` may reject while the consumer is busy; it is awaited (and thrown) later. */
function prefetched<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Groups subscription messages into batches: a batch ends at `maxEvents`, at caught-up, or as
 * soon as the subscription has nothing more ready, so a busy log gives large batches and a quiet
 * one gives prompt small ones (`lingerMs` > 0 waits that long for more before closing a batch:
 * fewer, larger transactions for a little staleness). Checkpoints only move the batch's position. The next message is
 * requested before a batch is handed out, so the store reads while the consumer writes.
 * Iteration ends when the subscription does; a failure of the subscription is thrown.
 *
 * @example
 * for await (const batch of batchesOf(store.subscribeToAll({ filter }), 500)) await apply(batch);
 */
export async function* batchesOf(messages: AsyncIterable<SubscriptionMessage>, maxEvents: number, lingerMs = 0): AsyncGenerator<SubscriptionBatch> {
  const iterator = messages[Symbol.asyncIterator]();
  let events: RecordedEvent[] = [];
  let position: Position | undefined;
  let idle: Promise<typeof IDLE> | undefined;
  const take = (caughtUp: boolean): SubscriptionBatch => {
    const batch = { events, position, caughtUp };
    events = [];
    position = undefined;
    idle = undefined;
    return batch;
  };
  let next = prefetched(iterator.next());
  for (;;) {
    const pending = events.length > 0 || position !== undefined;
    const result = pending ? await Promise.race([next, (idle ??= lingerMs > 0 ? afterLinger(lingerMs) : afterPendingIo())]) : await next;
    if (result === IDLE) {
      yield take(false);
      continue;
    }
    if (result.done === true) {
      if (pending) yield take(false);
      return;
    }
    next = prefetched(iterator.next());
    const message = result.value;
    switch (message.kind) {
      case 'event':
        events.push(message.event);
        position = laterPosition(position, message.event.position);
        if (events.length >= maxEvents) yield take(false);
        break;
      case 'checkpoint':
        position = laterPosition(position, message.position);
        break;
      case 'caught-up':
        yield take(true);
        break;
      default:
        assertNever(message, 'subscription message');
    }
  }
}
