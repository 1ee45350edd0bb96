import { PassThrough } from 'node:stream';
import { UnavailableError, type Position as EsdbPosition, type ResolvedEvent } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { SubscriptionMessage } from '../event-store.port';
import { EsdbSubscription, type VendorSubscription } from './esdb-subscription';

/** Stands in for the client's subscription: an object-mode stream with its extra events. */
class FakeVendorSubscription extends PassThrough implements VendorSubscription {
  unsubscribed = false;

  constructor() {
    super({ objectMode: true });
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
}

function resolved(revision: number, type = 'Happened'): ResolvedEvent {
  return {
    event: {
      streamId: 'stream-1', id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`, revision: BigInt(revision), type,
      data: { revision }, metadata: undefined, isJson: true, created: new Date(0), position: { commit: BigInt(100 + revision * 10), prepare: BigInt(100 + revision * 10) },
    },
  } as unknown as ResolvedEvent;
}

function label(message: SubscriptionMessage): string {
  return message.kind === 'event' ? `event@${message.event.revision}` : message.kind === 'checkpoint' ? `checkpoint@${message.position.commit}` : message.kind;
}

async function take(subscription: EsdbSubscription, count: number): Promise<string[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const labels: string[] = [];
  while (labels.length < count) labels.push(label((await iterator.next()).value as SubscriptionMessage));
  return labels;
}

describe('EsdbSubscription', () => {
  let vendor: FakeVendorSubscription;
  let checkpoint: (position: EsdbPosition) => void;
  let ended: number;
  let subscription: EsdbSubscription;

  beforeEach(() => {
    vendor = new FakeVendorSubscription();
    ended = 0;
    subscription = new EsdbSubscription(
      (onCheckpoint) => {
        checkpoint = onCheckpoint;
        return vendor;
      },
      (event) => !event.type.startsWith('$'),
      () => (ended += 1),
    );
  });

  it('places caught-up and checkpoints after the events still buffered in the client when they were reported', async () => {
    vendor.pause();
    vendor.write(resolved(0));
    vendor.write(resolved(1));
    vendor.emit('caughtUp');
    checkpoint({ commit: 110n, prepare: 110n });
    vendor.resume();
    vendor.write(resolved(2));

    expect(await take(subscription, 5)).toEqual(['event@0', 'event@1', 'caught-up', 'checkpoint@110', 'event@2']);
  });

  it('passes markers straight through when nothing is buffered, and drops events the filter rejects', async () => {
    vendor.write(resolved(0));
    vendor.write(resolved(1, '$metadata'));
    checkpoint({ commit: 110n, prepare: 110n });
    vendor.emit('caughtUp');

    expect(await take(subscription, 3)).toEqual(['event@0', 'checkpoint@110', 'caught-up']);
  });

  it('pauses the client when the consumer falls behind and resumes it once the consumer catches up', async () => {
    for (let revision = 0; revision < 1100; revision++) vendor.write(resolved(revision));
    expect(vendor.isPaused()).toBe(true);

    const labels = await take(subscription, 1100);

    expect(vendor.isPaused()).toBe(false);
    expect(labels.at(-1)).toBe('event@1099');
  });

  it('delivers what was received, then throws the translated failure', async () => {
    vendor.write(resolved(0));
    vendor.emit('error', new UnavailableError(undefined, 'connection refused'));
    const iterator = subscription[Symbol.asyncIterator]();

    expect(label((await iterator.next()).value as SubscriptionMessage)).toBe('event@0');
    await expect(iterator.next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(ended).toBe(1);
  });

  it('treats the server ending the call as a failure: a subscription never ends on its own', async () => {
    vendor.end();

    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('ends a pending iteration normally on unsubscribe and cancels the call', async () => {
    const pending = subscription[Symbol.asyncIterator]().next();

    await subscription.unsubscribe();

    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(vendor.unsubscribed).toBe(true);
    expect(ended).toBe(1);
  });
});
