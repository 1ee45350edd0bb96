import { StreamRevisionConflictError } from '@app/event-store';
import { type ContractContext, givenStream, idsOf, newEvent, newEvents, revisionsOf, uniqueStream } from './contract.fixtures';

/** Appends: every kind of expected revision, conflicts with the actual revision, idempotency, races. */
export function appendContract(context: ContractContext): void {
  describe('appendToStream', () => {
    describe('given no stream', () => {
      it('when appending with no_stream, then revisions start at 0 and the result names the last event', async () => {
        const streamName = uniqueStream();
        const events = newEvents(2);

        const result = await context.store().appendToStream(streamName, events, { expectedRevision: 'no_stream' });

        const stored = await context.store().readStream(streamName);
        expect(revisionsOf(stored)).toEqual([0n, 1n]);
        expect(idsOf(stored)).toEqual(idsOf(events));
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('when appending with any, then the stream is created', async () => {
        const streamName = uniqueStream();

        const result = await context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 'any' });

        expect(result.nextExpectedRevision).toBe(0n);
      });

      it('when appending without an expected revision, then any is assumed', async () => {
        const streamName = uniqueStream();

        await context.store().appendToStream(streamName, newEvents(1));
        const result = await context.store().appendToStream(streamName, newEvents(1));

        expect(result.nextExpectedRevision).toBe(1n);
      });

      it.each([['stream_exists' as const], [0n], [3n]])('when appending with %p, then it conflicts with actual no_stream', async (expectedRevision) => {
        const streamName = uniqueStream();

        const append = context.store().appendToStream(streamName, newEvents(1), { expectedRevision });

        await expect(append).rejects.toBeInstanceOf(StreamRevisionConflictError);
        await expect(append).rejects.toMatchObject({ streamName, actual: 'no_stream' });
      });
    });

    describe('given a stream at revision 1', () => {
      it('when appending with revision 1, then the events follow', async () => {
        const { streamName } = await givenStream(context.store(), 2);

        const result = await context.store().appendToStream(streamName, newEvents(2), { expectedRevision: 1n });

        expect(result.nextExpectedRevision).toBe(3n);
        expect(revisionsOf(await context.store().readStream(streamName))).toEqual([0n, 1n, 2n, 3n]);
      });

      it('when appending with any or stream_exists, then the events follow', async () => {
        const { streamName } = await givenStream(context.store(), 2);

        const first = await context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 'any' });
        const second = await context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 'stream_exists' });

        expect([first.nextExpectedRevision, second.nextExpectedRevision]).toEqual([2n, 3n]);
      });

      it.each([['no_stream' as const], [0n], [2n], [7n]])('when appending new events with %p, then it conflicts with actual 1 and writes nothing', async (expectedRevision) => {
        const { streamName } = await givenStream(context.store(), 2);

        const append = context.store().appendToStream(streamName, newEvents(1), { expectedRevision });

        await expect(append).rejects.toBeInstanceOf(StreamRevisionConflictError);
        await expect(append).rejects.toMatchObject({ streamName, expected: expectedRevision, actual: 1n });
        expect(await context.store().readStream(streamName)).toHaveLength(2);
      });
    });

    describe('given events appended before (idempotency by event id)', () => {
      async function givenTwoAppends() {
        const streamName = uniqueStream();
        const firstBatch = [newEvent(), newEvent()];
        const secondBatch = [newEvent()];
        const first = await context.store().appendToStream(streamName, firstBatch, { expectedRevision: 'no_stream' });
        const second = await context.store().appendToStream(streamName, secondBatch, { expectedRevision: 1n });
        return { streamName, firstBatch, secondBatch, first, second };
      }

      it('when the same events are appended again at the same expected revision, then the original result comes back and nothing is written', async () => {
        const { streamName, firstBatch, secondBatch, first, second } = await givenTwoAppends();

        const againFirst = await context.store().appendToStream(streamName, firstBatch, { expectedRevision: 'no_stream' });
        const againSecond = await context.store().appendToStream(streamName, secondBatch, { expectedRevision: 1n });

        expect(againFirst).toEqual(first);
        expect(againSecond).toEqual(second);
        expect(await context.store().readStream(streamName)).toHaveLength(3);
      });

      it('when the same events are appended again with any or stream_exists, then the original result comes back', async () => {
        const { streamName, firstBatch, secondBatch, first, second } = await givenTwoAppends();

        const withAny = await context.store().appendToStream(streamName, firstBatch, { expectedRevision: 'any' });
        const withStreamExists = await context.store().appendToStream(streamName, secondBatch, { expectedRevision: 'stream_exists' });

        expect(withAny).toEqual(first);
        expect(withStreamExists).toEqual(second);
        expect(await context.store().readStream(streamName)).toHaveLength(3);
      });

      it('when only some of the ids were appended before, at an expected revision, then it conflicts', async () => {
        const { streamName, firstBatch } = await givenTwoAppends();

        const append = context.store().appendToStream(streamName, [firstBatch[0]!, newEvent()], { expectedRevision: 'no_stream' });

        await expect(append).rejects.toBeInstanceOf(StreamRevisionConflictError);
        await expect(append).rejects.toMatchObject({ actual: 2n });
        expect(await context.store().readStream(streamName)).toHaveLength(3);
      });

      it('when only some of the ids were appended before, with any, then it conflicts', async () => {
        const { streamName, secondBatch } = await givenTwoAppends();

        const append = context.store().appendToStream(streamName, [secondBatch[0]!, newEvent()], { expectedRevision: 'any' });

        await expect(append).rejects.toBeInstanceOf(StreamRevisionConflictError);
        expect(await context.store().readStream(streamName)).toHaveLength(3);
      });
    });

    describe('given concurrent appends at the same expected revision', () => {
      it('when they race, then exactly one wins and the others conflict', async () => {
        const { streamName } = await givenStream(context.store(), 1);

        const outcomes = await Promise.allSettled(
          Array.from({ length: 5 }, () => context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 0n })),
        );

        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(4);
        for (const loser of losers) expect(loser).toBeInstanceOf(StreamRevisionConflictError);
        expect(revisionsOf(await context.store().readStream(streamName))).toEqual([0n, 1n]);
      });
    });
  });
}
