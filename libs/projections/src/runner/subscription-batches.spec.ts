import type { RecordedEvent, SubscriptionMessage } from '@app/event-store';
import { batchesOf, type SubscriptionBatch } from './subscription-batches';

/** A subscription fed by the test: messages become available only when pushed. */
class FakeSubscription implements AsyncIterable<SubscriptionMessage> {
  private readonly queue: (SubscriptionMessage | Error | 'end')[] = [];
  private wake: (() => void) | undefined;

  push(...items: (SubscriptionMessage | Error | 'end')[]): void {
    this.queue.push(...items);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SubscriptionMessage> {
    for (;;) {
      const item = this.queue.shift();
      if (item === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (item === 'end') return;
      if (item instanceof Error) throw item;
      yield item;
    }
  }
}

const at = (n: number) => ({ commit: BigInt(n * 100), prepare: BigInt(n * 100) });
const event = (n: number): SubscriptionMessage => ({
  kind: 'event',
  event: { streamName: 'execution-1', id: `id-${n}`, type: 'TaskScheduled', revision: BigInt(n), position: at(n), data: {}, metadata: {}, created: new Date(0) } as RecordedEvent,
});
const summary = (batch: SubscriptionBatch) => ({ events: batch.events.map((e) => e.id), position: batch.position?.commit, caughtUp: batch.caughtUp });

describe('batchesOf', () => {
  it('given more ready events than a batch holds, then full batches, and the rest at caught-up', async () => {
    const source = new FakeSubscription();
    source.push(...[1, 2, 3, 4, 5, 6, 7].map(event), { kind: 'caught-up' }, 'end');
    const batches = [];
    for await (const batch of batchesOf(source, 3)) batches.push(summary(batch));
    expect(batches).toEqual([
      { events: ['id-1', 'id-2', 'id-3'], position: 300n, caughtUp: false },
      { events: ['id-4', 'id-5', 'id-6'], position: 600n, caughtUp: false },
      { events: ['id-7'], position: 700n, caughtUp: true },
    ]);
  });

  it('given the subscription has nothing more ready, then the partial batch is handed out without waiting', async () => {
    const source = new FakeSubscription();
    const batches = batchesOf(source, 100);
    source.push(event(1), event(2));
    expect(summary((await batches.next()).value as SubscriptionBatch)).toEqual({ events: ['id-1', 'id-2'], position: 200n, caughtUp: false });
    source.push(event(3));
    expect(summary((await batches.next()).value as SubscriptionBatch)).toEqual({ events: ['id-3'], position: 300n, caughtUp: false });
    source.push('end');
    expect((await batches.next()).done).toBe(true);
  });

  it('given checkpoints, then they move the position past the last event, alone if need be', async () => {
    const source = new FakeSubscription();
    const batches = batchesOf(source, 100);
    source.push(event(1), { kind: 'checkpoint', position: at(5) });
    expect(summary((await batches.next()).value as SubscriptionBatch)).toEqual({ events: ['id-1'], position: 500n, caughtUp: false });
    source.push({ kind: 'checkpoint', position: at(9) }, { kind: 'caught-up' });
    expect(summary((await batches.next()).value as SubscriptionBatch)).toEqual({ events: [], position: 900n, caughtUp: true });
  });

  it('given an empty log, then one empty caught-up batch', async () => {
    const source = new FakeSubscription();
    source.push({ kind: 'caught-up' }, 'end');
    const batches = [];
    for await (const batch of batchesOf(source, 10)) batches.push(summary(batch));
    expect(batches).toEqual([{ events: [], position: undefined, caughtUp: true }]);
  });

  it('given the subscription fails, then iteration throws its error', async () => {
    const source = new FakeSubscription();
    source.push(event(1), new Error('connection lost'));
    const batches = batchesOf(source, 1);
    expect(summary((await batches.next()).value as SubscriptionBatch).events).toEqual(['id-1']);
    await expect(batches.next()).rejects.toThrow('connection lost');
  });
});
