import { type EventStore, type RecordedEvent, StreamNotFoundError } from '@app/event-store';
import { type ContractContext, givenStream, idsOf, newEvent, newEvents, revisionsOf, uniqueCategory, uniqueStream } from './contract.fixtures';

function expectIncreasingPositions(events: readonly RecordedEvent[]): void {
  for (let index = 1; index < events.length; index += 1) {
    expect(events[index]!.position.commit > events[index - 1]!.position.commit).toBe(true);
    expect(events[index]!.position.prepare > events[index - 1]!.position.prepare).toBe(true);
  }
}

/** Three streams of one new category, appended in turn: a then b then a, plus one stream of another category. */
async function givenCategory(store: EventStore) {
  const category = uniqueCategory();
  const [a, b, other] = [`${category}-a`, `${category}-b`, `${uniqueCategory()}-a`];
  await store.appendToStream(a, [newEvent('OrderPlaced')], { expectedRevision: 'no_stream' });
  await store.appendToStream(other, [newEvent('OrderPlaced')], { expectedRevision: 'no_stream' });
  await store.appendToStream(b, [newEvent('PaymentCaptured')], { expectedRevision: 'no_stream' });
  await store.appendToStream(a, [newEvent('OrderShipped')], { expectedRevision: 0n });
  const [first] = await store.readStream(a, { maxCount: 1 });
  return { category, a, b, other, from: first!.position };
}

/** Reads: streams forwards and backwards, `$all` from positions with filters, and what an event carries. */
export function readContract(context: ContractContext): void {
  describe('readStream', () => {
    it('given no stream, when reading it, then it is not found', async () => {
      const read = context.store().readStream(uniqueStream());

      await expect(read).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    describe('given a stream of five events', () => {
      it('when reading forwards from a revision with a max count, then that window comes back, start inclusive', async () => {
        const { streamName } = await givenStream(context.store(), 5);

        const events = await context.store().readStream(streamName, { fromRevision: 1n, maxCount: 2 });

        expect(revisionsOf(events)).toEqual([1n, 2n]);
      });

      it('when reading backwards, then events come newest first, from the end or from a revision inclusive', async () => {
        const { streamName } = await givenStream(context.store(), 5);

        const fromEnd = await context.store().readStream(streamName, { direction: 'backwards' });
        const fromTwo = await context.store().readStream(streamName, { direction: 'backwards', fromRevision: 2n, maxCount: 2 });

        expect(revisionsOf(fromEnd)).toEqual([4n, 3n, 2n, 1n, 0n]);
        expect(revisionsOf(fromTwo)).toEqual([2n, 1n]);
      });

      it('when reading forwards past the end, then nothing comes back', async () => {
        const { streamName } = await givenStream(context.store(), 5);

        expect(await context.store().readStream(streamName, { fromRevision: 9n })).toEqual([]);
        expect(await context.store().readStream(streamName, { fromRevision: 'end' })).toEqual([]);
      });

      it('when reading, then positions strictly increase with revisions', async () => {
        const { events } = await givenStream(context.store(), 5);

        expectIncreasingPositions(events);
      });
    });

    it('given an event with unicode JSON data and metadata, when reading it back, then everything round-trips', async () => {
      const streamName = uniqueStream();
      const data = { text: 'zażółć gęślą jaźń — 日本語 — 🎼', nested: { list: [1, 'two', null, true, { deep: 1.5 }], empty: {} }, quote: '"\\\n' };
      const metadata = { correlationId: 'order-42', causationId: 'req-7', actor: 'api:contract', custom: { ünïcode: '✓' } };
      const event = newEvent('ContractDataRoundTripped', data, metadata);
      const before = Date.now();

      const result = await context.store().appendToStream(streamName, [event], { expectedRevision: 'no_stream' });
      const [stored] = await context.store().readStream(streamName);

      expect(stored).toMatchObject({ streamName, id: event.id, type: event.type, revision: 0n, data, metadata });
      expect(stored!.position).toEqual(result.position);
      expect(stored!.created).toBeInstanceOf(Date);
      // Generous: the store's clock may be another machine's.
      expect(Math.abs(stored!.created.getTime() - before)).toBeLessThan(5 * 60_000);
    });

    it('given an event without metadata, when reading it back, then its metadata is an empty object', async () => {
      const streamName = uniqueStream();
      await context.store().appendToStream(streamName, [{ id: newEvent().id, type: 'ContractBare', data: { ok: true } }]);

      const [stored] = await context.store().readStream(streamName);

      expect(stored!.metadata).toEqual({});
      expect(stored!.data).toEqual({ ok: true });
    });
  });

  describe('readAll', () => {
    it('given events in several streams, when reading forwards from a position, then the start is inclusive and positions increase', async () => {
      const { category, a, b, from } = await givenCategory(context.store());

      const filtered = await context.store().readAll({ fromPosition: from, filter: { streamNamePrefixes: [`${category}-`] } });
      const unfiltered = await context.store().readAll({ fromPosition: from, maxCount: 1 });

      expect(filtered.map((event) => `${event.streamName}@${event.revision}`)).toEqual([`${a}@0`, `${b}@0`, `${a}@1`]);
      expectIncreasingPositions(filtered);
      expect(unfiltered.map((event) => event.position)).toEqual([from]);
    });

    it('given events in several streams, when reading backwards from a position, then the start is inclusive and events come newest first', async () => {
      const { category, a } = await givenCategory(context.store());
      const [last] = await context.store().readStream(a, { direction: 'backwards', maxCount: 1 });

      const filtered = await context.store().readAll({ direction: 'backwards', fromPosition: last!.position, maxCount: 2, filter: { streamNamePrefixes: [`${category}-`] } });
      const unfiltered = await context.store().readAll({ direction: 'backwards', fromPosition: last!.position, maxCount: 1 });
      const fromEnd = await context.store().readAll({ direction: 'backwards', maxCount: 1, filter: { streamNamePrefixes: [`${category}-`] } });

      expect(filtered.map((event) => event.streamName)).toEqual([a, `${category}-b`]);
      expect(idsOf(unfiltered)).toEqual([last!.id]);
      expect(idsOf(fromEnd)).toEqual([last!.id]);
    });

    it('given events of several types, when filtering by event-type prefix, then only those types come back', async () => {
      const category = uniqueCategory();
      const streamName = `${category}-x`;
      const prefix = `T${category}`;
      await context.store().appendToStream(streamName, [newEvent(`${prefix}Kept`), newEvent(`Other${prefix}`), newEvent(`${prefix}AlsoKept`)]);
      const [first] = await context.store().readStream(streamName, { maxCount: 1 });

      const events = await context.store().readAll({ fromPosition: first!.position, filter: { eventTypePrefixes: [prefix] } });

      expect(events.map((event) => event.type)).toEqual([`${prefix}Kept`, `${prefix}AlsoKept`]);
    });

    it('given a $-typed (system) event, when reading, then the stream shows it and $all skips it', async () => {
      const category = uniqueCategory();
      const streamName = `${category}-x`;
      await context.store().appendToStream(streamName, [newEvent('ContractBefore'), newEvent('$contract-system'), newEvent('ContractAfter')]);
      const stream = await context.store().readStream(streamName);

      const all = await context.store().readAll({ fromPosition: stream[0]!.position, maxCount: 10, filter: { streamNamePrefixes: [`${category}-`] } });
      const unfiltered = await context.store().readAll({ fromPosition: stream[1]!.position, maxCount: 1 });

      expect(stream.map((event) => event.type)).toEqual(['ContractBefore', '$contract-system', 'ContractAfter']);
      expect(all.map((event) => event.type)).toEqual(['ContractBefore', 'ContractAfter']);
      expect(unfiltered.map((event) => event.type)).toEqual(['ContractAfter']);
    });

    it('when reading forwards from the end, then nothing comes back', async () => {
      await givenStream(context.store(), 1);

      expect(await context.store().readAll({ fromPosition: 'end' })).toEqual([]);
    });

    it('given appends, when reading them back from $all, then each append result names its event position', async () => {
      const streamName = uniqueStream();
      const results = [];
      for (const event of newEvents(3)) results.push(await context.store().appendToStream(streamName, [event]));

      const events = await context.store().readAll({ fromPosition: results[0]!.position, maxCount: 3, filter: { streamNamePrefixes: [streamName] } });

      expect(events.map((event) => event.position)).toEqual(results.map((result) => result.position));
    });
  });
}
