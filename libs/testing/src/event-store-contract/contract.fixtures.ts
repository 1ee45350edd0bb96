import { randomUUID } from 'node:crypto';
import type { EventData, EventMetadata, EventStore, RecordedEvent, Subscription, SubscriptionMessage } from '@app/event-store';

/** How long a contract test waits for a condition before it fails with what it saw. */
export const WAIT_MS = 10_000;
/** Jest timeout of tests that wait for subscriptions. */
export const SUBSCRIPTION_TEST_MS = 30_000;

/** What every contract test gets: the store under test, and recorders stopped after each test. */
export interface ContractContext {
  store(): EventStore;
  record(subscription: Subscription): SubscriptionRecorder;
}

/** A category no other test (or earlier run against a shared server) uses: `c<hex>`. */
export function uniqueCategory(): string {
  return `c${randomUUID().replace(/-/g, '')}`;
}

/** A stream name no other test uses, in EventStoreDB's `<category>-<id>` form. */
export function uniqueStream(category = 'contract'): string {
  return `${category}-${randomUUID()}`;
}

export function newEvent(type = 'ContractEventHappened', data: Record<string, unknown> = {}, metadata?: EventMetadata): EventData {
  return { id: randomUUID(), type, data, ...(metadata === undefined ? {} : { metadata }) };
}

export function newEvents(count: number, type = 'ContractEventHappened'): EventData[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}

/** Appends `count` events to a new stream and reads them back. */
export async function givenStream(store: EventStore, count: number, streamName = uniqueStream()): Promise<{ streamName: string; events: RecordedEvent[] }> {
  await store.appendToStream(streamName, newEvents(count), { expectedRevision: 'no_stream' });
  return { streamName, events: await store.readStream(streamName) };
}

export const revisionsOf = (events: readonly RecordedEvent[]): bigint[] => events.map((event) => event.revision);
export const idsOf = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);

/** A message as a short label, so a whole subscription reads as one array in assertions. */
export function label(message: SubscriptionMessage): string {
  if (message.kind === 'event') return `${message.event.streamName}@${message.event.revision}`;
  return message.kind;
}

/**
 * Consumes a subscription in the background and lets a test wait, with a bound, for what it
 * has received. The failure message lists the last messages received.
 *
 * @example
 * const recorder = new SubscriptionRecorder(store.subscribeToStream('execution-1'));
 * await recorder.until('caught-up', (r) => r.caughtUp());
 * await recorder.stop();
 */
export class SubscriptionRecorder {
  readonly messages: SubscriptionMessage[] = [];
  /** Resolves when iteration ends; rejects if it threw. */
  readonly ended: Promise<void>;
  private failure: unknown;
  private finished = false;
  private wakers: (() => void)[] = [];

  constructor(readonly subscription: Subscription) {
    this.ended = this.consume();
    this.ended.catch(() => undefined);
  }

  /** Events received, optionally only those of one stream. */
  events(streamName?: string): RecordedEvent[] {
    const events = this.messages.flatMap((message) => (message.kind === 'event' ? [message.event] : []));
    return streamName === undefined ? events : events.filter((event) => event.streamName === streamName);
  }

  /** Labels of the messages that concern these streams (other events, e.g. on a shared server, left out). */
  labels(...streamNames: string[]): string[] {
    return this.messages.filter((message) => message.kind !== 'event' || streamNames.includes(message.event.streamName)).map(label);
  }

  caughtUp(): boolean {
    return this.messages.some((message) => message.kind === 'caught-up');
  }

  async until(what: string, condition: (recorder: this) => boolean, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (condition(this)) return;
      if (this.failure !== undefined) throw this.failure;
      const seen = this.messages.slice(-20).map(label).join(', ');
      if (this.finished) throw new Error(`subscription ended before ${what}; last messages: [${seen}]`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last messages: [${seen}]`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.wakers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await this.subscription.unsubscribe();
  }

  private async consume(): Promise<void> {
    try {
      for await (const message of this.subscription) {
        this.messages.push(message);
        this.wake();
      }
    } catch (error) {
      this.failure = error;
      throw error;
    } finally {
      this.finished = true;
      this.wake();
    }
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}
