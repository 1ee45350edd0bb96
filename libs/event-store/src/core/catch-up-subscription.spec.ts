import type { SubscriptionMessage } from '../event-store.port';
import { catchUp, planAllSubscription, type SubscriptionSource } from './catch-up-subscription';
import { ChangeNotifier } from './change-notifier';
import { PAGE_SIZE } from './read-plan';
import type { StoredEvent } from './stored-event';

function givenSource(count: number) {
  const log: StoredEvent[] = Array.from({ length: count }, (_, index) => ({
    position: BigInt(index * 10 + 10), revision: BigInt(index), streamName: 'execution-1', id: `id-${index}`, type: 'TaskScheduled', data: '{}', metadata: '{}', created: 0,
  }));
  const reads: (bigint | undefined)[] = [];
  const source: SubscriptionSource = {
    readAfter: (cursor, limit) => {
      reads.push(cursor);
      const start = cursor === undefined ? 0 : log.findIndex((event) => event.position > cursor);
      return start < 0 ? [] : log.slice(start, start + limit);
    },
    cursorOf: (event) => event.position,
  };
  return { source, reads };
}

async function take(messages: AsyncGenerator<SubscriptionMessage>, count: number): Promise<SubscriptionMessage[]> {
  const taken: SubscriptionMessage[] = [];
  while (taken.length < count) taken.push((await messages.next()).value as SubscriptionMessage);
  return taken;
}

describe('catchUp', () => {
  it('given more events than a page, when the consumer takes a few, then only the first page has been read (back-pressure)', async () => {
    const { source, reads } = givenSource(PAGE_SIZE * 2 + 5);
    const messages = catchUp(source, planAllSubscription({}, undefined), new ChangeNotifier(), new AbortController().signal);

    await take(messages, 10);
    expect(reads).toEqual([undefined]);

    await take(messages, PAGE_SIZE);
    expect(reads).toHaveLength(2);
    await messages.return(undefined);
  });

  it('given a start from the end, then caught-up comes first without reading', async () => {
    const { source, reads } = givenSource(3);
    const messages = catchUp(source, planAllSubscription({ fromPosition: 'end' }, 30n), new ChangeNotifier(), new AbortController().signal);

    expect(await take(messages, 1)).toEqual([{ kind: 'caught-up' }]);
    expect(reads).toEqual([]);
    await messages.return(undefined);
  });

  it('given a subscription waiting for live events, when it is aborted, then the pending iteration ends', async () => {
    const { source } = givenSource(1);
    const controller = new AbortController();
    const messages = catchUp(source, planAllSubscription({}, undefined), new ChangeNotifier(), controller.signal);
    await take(messages, 2);

    const pending = messages.next();
    controller.abort();

    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });

  it('given a filter that keeps nothing, then checkpoints still mark progress through the considered events', async () => {
    const { source } = givenSource(70);
    const plan = planAllSubscription({ filter: { streamNamePrefixes: ['nothing-'] } }, undefined);
    const messages = catchUp(source, plan, new ChangeNotifier(), new AbortController().signal);

    const taken = await take(messages, 4);

    expect(taken).toEqual([
      { kind: 'checkpoint', position: { commit: 320n, prepare: 320n } },
      { kind: 'checkpoint', position: { commit: 640n, prepare: 640n } },
      { kind: 'checkpoint', position: { commit: 700n, prepare: 700n } },
      { kind: 'caught-up' },
    ]);
    await messages.return(undefined);
  });
});
