import type { SubscriptionMessage } from '@app/event-store';
import { type ContractContext, givenStream, idsOf, newEvent, newEvents, SUBSCRIPTION_TEST_MS, uniqueCategory, uniqueStream } from './contract.fixtures';

const checkpointsIn = (messages: readonly SubscriptionMessage[]) =>
  messages.flatMap((message) => (message.kind === 'checkpoint' ? [message.position] : []));

/** Catch-up subscriptions: start points, order (catch-up → caught-up → live), filters, checkpoints, unsubscribe. */
export function subscriptionContract(context: ContractContext): void {
  const it = (name: string, test: () => Promise<void>) => global.it(name, test, SUBSCRIPTION_TEST_MS);

  describe('subscribeToStream', () => {
    it('given two events, when subscribing from the start and appending a third, then catch-up, caught-up and live come in order', async () => {
      const { streamName } = await givenStream(context.store(), 2);

      const recorder = context.record(context.store().subscribeToStream(streamName));
      await recorder.until('caught-up', (r) => r.caughtUp());
      await context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 1n });
      await recorder.until('the live event', (r) => r.events().length === 3);

      expect(recorder.labels(streamName)).toEqual([`${streamName}@0`, `${streamName}@1`, 'caught-up', `${streamName}@2`]);
    });

    it('given three events, when subscribing from revision 0, then the start is exclusive', async () => {
      const { streamName } = await givenStream(context.store(), 3);

      const recorder = context.record(context.store().subscribeToStream(streamName, { fromRevision: 0n }));
      await recorder.until('caught-up', (r) => r.caughtUp());

      expect(recorder.labels(streamName)).toEqual([`${streamName}@1`, `${streamName}@2`, 'caught-up']);
    });

    it('given two events, when subscribing from the end, then only live events come', async () => {
      const { streamName } = await givenStream(context.store(), 2);

      const recorder = context.record(context.store().subscribeToStream(streamName, { fromRevision: 'end' }));
      await recorder.until('caught-up', (r) => r.caughtUp());
      await context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 1n });
      await recorder.until('the live event', (r) => r.events().length === 1);

      expect(recorder.labels(streamName)).toEqual(['caught-up', `${streamName}@2`]);
    });

    it('given no stream yet, when subscribing and the stream is then written, then its first event comes live', async () => {
      const streamName = uniqueStream();

      const recorder = context.record(context.store().subscribeToStream(streamName));
      await recorder.until('caught-up', (r) => r.caughtUp());
      await context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 'no_stream' });
      await recorder.until('the live event', (r) => r.events().length === 1);

      expect(recorder.labels(streamName)).toEqual(['caught-up', `${streamName}@0`]);
    });

    it('given a live subscription, when unsubscribing, then iteration ends normally', async () => {
      const { streamName } = await givenStream(context.store(), 1);
      const recorder = context.record(context.store().subscribeToStream(streamName));
      await recorder.until('caught-up', (r) => r.caughtUp());

      await recorder.stop();

      await expect(recorder.ended).resolves.toBeUndefined();
    });
  });

  describe('subscribeToAll', () => {
    it('given a filtered subscription from a position, then the start is exclusive and catch-up, caught-up and live come in order', async () => {
      const category = uniqueCategory();
      const streamName = `${category}-a`;
      await context.store().appendToStream(streamName, newEvents(2), { expectedRevision: 'no_stream' });
      const [first] = await context.store().readStream(streamName, { maxCount: 1 });

      const recorder = context.record(context.store().subscribeToAll({ fromPosition: first!.position, filter: { streamNamePrefixes: [`${category}-`] } }));
      await recorder.until('caught-up', (r) => r.caughtUp());
      await context.store().appendToStream(`${category}-b`, newEvents(1), { expectedRevision: 'no_stream' });
      await recorder.until('the live event', (r) => r.events().length === 2);

      const events = recorder.labels(streamName, `${category}-b`).filter((label) => label !== 'checkpoint');
      expect(events).toEqual([`${streamName}@1`, 'caught-up', `${category}-b@0`]);
    });

    it('given an unfiltered subscription, then it sends no checkpoints and skips $-typed events', async () => {
      const streamName = uniqueStream();
      await context.store().appendToStream(streamName, [newEvent('ContractFirst'), newEvent('$contract-system'), newEvent('ContractSecond')]);
      const [first] = await context.store().readStream(streamName, { maxCount: 1 });

      const recorder = context.record(context.store().subscribeToAll({ fromPosition: first!.position }));
      await recorder.until('caught-up', (r) => r.caughtUp());
      await context.store().appendToStream(streamName, [newEvent('ContractLive')]);
      await recorder.until('the live event', (r) => r.events(streamName).length === 2);

      expect(recorder.events()[0]!.type).toBe('ContractSecond');
      expect(recorder.labels(streamName)).toEqual([`${streamName}@2`, 'caught-up', `${streamName}@3`]);
      expect(checkpointsIn(recorder.messages)).toEqual([]);
    });

    it('given events of several types, when filtering by event-type prefix, then only those types come', async () => {
      const prefix = `T${uniqueCategory()}`;
      const streamName = uniqueStream();
      const marker = await context.store().appendToStream(streamName, [newEvent('ContractMarker')]);
      await context.store().appendToStream(streamName, [newEvent(`${prefix}Kept`), newEvent('ContractSkipped'), newEvent(`${prefix}AlsoKept`)]);

      const recorder = context.record(context.store().subscribeToAll({ fromPosition: marker.position, filter: { eventTypePrefixes: [prefix] } }));
      await recorder.until('caught-up', (r) => r.caughtUp());

      expect(recorder.events().map((event) => event.type)).toEqual([`${prefix}Kept`, `${prefix}AlsoKept`]);
    });

    it('given 70 matching events, when catching up with multiplier 1, then a checkpoint comes every 32 events considered and one on going live', async () => {
      const category = uniqueCategory();
      const streamName = `${category}-a`;
      const marker = await context.store().appendToStream(uniqueStream(), [newEvent('ContractMarker')]);
      const written = newEvents(70);
      await context.store().appendToStream(streamName, written, { expectedRevision: 'no_stream' });
      const [last] = await context.store().readStream(streamName, { direction: 'backwards', maxCount: 1 });

      const recorder = context.record(context.store().subscribeToAll({ fromPosition: marker.position, filter: { streamNamePrefixes: [`${category}-`], checkpointIntervalMultiplier: 1 } }));
      await recorder.until('caught-up', (r) => r.caughtUp());

      const caughtUpAt = recorder.messages.findIndex((message) => message.kind === 'caught-up');
      const beforeLive = recorder.messages.slice(0, caughtUpAt);
      const checkpoints = checkpointsIn(beforeLive);
      expect(idsOf(recorder.events())).toEqual(idsOf(written));
      expect(checkpoints.length).toBeGreaterThanOrEqual(3);
      expect(beforeLive.at(-1)!.kind).toBe('checkpoint');
      expect(checkpoints.at(-1)!.commit >= last!.position.commit).toBe(true);
      for (let index = 1; index < checkpoints.length; index += 1) expect(checkpoints[index]!.commit > checkpoints[index - 1]!.commit).toBe(true);
    });

    it('given 40 matching events, when catching up with multiplier 4, then the only checkpoint is the one on going live', async () => {
      const category = uniqueCategory();
      const marker = await context.store().appendToStream(uniqueStream(), [newEvent('ContractMarker')]);
      await context.store().appendToStream(`${category}-a`, newEvents(40), { expectedRevision: 'no_stream' });

      const recorder = context.record(context.store().subscribeToAll({ fromPosition: marker.position, filter: { streamNamePrefixes: [`${category}-`], checkpointIntervalMultiplier: 4 } }));
      await recorder.until('caught-up', (r) => r.caughtUp());

      const kinds = recorder.messages.map((message) => message.kind);
      expect(kinds.filter((kind) => kind === 'checkpoint')).toHaveLength(1);
      expect(kinds.slice(-2)).toEqual(['checkpoint', 'caught-up']);
      expect(recorder.events()).toHaveLength(40);
    });

    it('given a live filtered subscription, when 40 events it does not keep are appended, then a checkpoint still comes', async () => {
      const category = uniqueCategory();
      const recorder = context.record(context.store().subscribeToAll({ fromPosition: 'end', filter: { streamNamePrefixes: [`${category}-`] } }));
      await recorder.until('caught-up', (r) => r.caughtUp());

      await context.store().appendToStream(uniqueStream(), newEvents(40));
      await recorder.until('a live checkpoint', (r) => checkpointsIn(r.messages.slice(r.messages.findIndex((m) => m.kind === 'caught-up'))).length > 0);

      expect(recorder.events()).toEqual([]);
    });

    it('given a live subscription to $all, when unsubscribing, then iteration ends normally', async () => {
      const recorder = context.record(context.store().subscribeToAll({ fromPosition: 'end' }));
      await recorder.until('caught-up', (r) => r.caughtUp());

      await recorder.stop();

      await expect(recorder.ended).resolves.toBeUndefined();
    });
  });
}
