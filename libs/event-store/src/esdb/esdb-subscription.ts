import type { Position as EsdbPosition, ResolvedEvent } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { RecordedEvent, Subscription, SubscriptionMessage } from '../event-store.port';
import { translateEsdbError } from './esdb.errors';
import { toRecordedEvent } from './esdb-event.mapper';

/** The parts of the client's subscription (an object-mode Transform) the adapter relies on. */
export interface VendorSubscription {
  on(event: 'data', listener: (resolved: ResolvedEvent) => void): unknown;
  on(event: 'caughtUp' | 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  isPaused(): boolean;
  readonly readableLength: number;
  unsubscribe(): Promise<void>;
}

/** Above this many undelivered messages the adapter stops reading, so the server is held back by HTTP/2 flow control. */
const HIGH_WATER_MARK = 1024;
const LOW_WATER_MARK = 256;

/**
 * Turns the client's subscription stream into the port's ordered `SubscriptionMessage` iterable.
 *
 * The client reports `caughtUp` and checkpoints out of band (an event and a callback), while events
 * may still wait in its readable buffer; each such marker is therefore placed after the events that
 * preceded it on the wire: `delivered + readableLength` at the moment it is reported.
 */
export class EsdbSubscription implements Subscription {
  private readonly queue: SubscriptionMessage[] = [];
  private readonly markers: Array<{ readonly after: number; readonly message: SubscriptionMessage }> = [];
  private readonly source: VendorSubscription;
  private delivered = 0;
  private ended = false;
  private failure: Error | undefined;
  private waiter: (() => void) | undefined;

  /**
   * @param open starts the client's subscription; the callback receives its checkpoints.
   * @param keep which events reach the consumer (e.g. no `$`-typed events on `$all`).
   * @param onEnd called once when the subscription ends, however it ends.
   */
  constructor(
    open: (onCheckpoint: (position: EsdbPosition) => void) => VendorSubscription,
    private readonly keep: (event: RecordedEvent) => boolean,
    private readonly onEnd: (subscription: EsdbSubscription) => void,
  ) {
    this.source = open((position) => this.mark({ kind: 'checkpoint', position: { commit: position.commit, prepare: position.prepare } }));
    this.source.on('data', (resolved) => this.onData(resolved));
    this.source.on('caughtUp', () => this.mark({ kind: 'caught-up' }));
    this.source.on('error', (error) => this.fail(translateEsdbError(error)));
    this.source.on('end', () => this.fail(new EventStoreUnavailableError('EventStoreDB ended the subscription')));
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.unsubscribe();
        return { done: true, value: undefined };
      },
    };
  }

  async unsubscribe(): Promise<void> {
    const wasActive = !this.ended;
    this.ended = true;
    this.queue.length = 0;
    this.failure = undefined;
    this.wake();
    if (!wasActive) return;
    this.onEnd(this);
    await this.source.unsubscribe().catch(() => undefined);
  }

  private async next(): Promise<IteratorResult<SubscriptionMessage>> {
    for (;;) {
      const message = this.queue.shift();
      if (message) {
        if (this.queue.length <= LOW_WATER_MARK && this.source.isPaused() && !this.ended) this.source.resume();
        return { done: false, value: message };
      }
      if (this.failure) {
        const failure = this.failure;
        this.failure = undefined;
        throw failure;
      }
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private onData(resolved: ResolvedEvent): void {
    this.delivered += 1;
    const event = resolved.event ? toRecordedEvent(resolved.event) : undefined;
    if (event && this.keep(event)) this.enqueue({ kind: 'event', event });
    while (this.markers.length > 0 && this.markers[0]!.after <= this.delivered) this.enqueue(this.markers.shift()!.message);
  }

  private mark(message: SubscriptionMessage): void {
    const after = this.delivered + this.source.readableLength;
    if (after <= this.delivered && this.markers.length === 0) this.enqueue(message);
    else this.markers.push({ after, message });
  }

  private enqueue(message: SubscriptionMessage): void {
    if (this.ended) return;
    this.queue.push(message);
    if (this.queue.length >= HIGH_WATER_MARK && !this.source.isPaused()) this.source.pause();
    this.wake();
  }

  private fail(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.onEnd(this);
    this.wake();
    void this.source.unsubscribe().catch(() => undefined);
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
