import { StreamDeletedError, StreamNotFoundError, StreamRevisionConflictError } from '@app/event-store';
import { type ContractContext, givenStream, newEvents, revisionsOf, uniqueStream } from './contract.fixtures';

/** Soft delete (hidden, revisions continue) and tombstone (gone for good). */
export function deleteContract(context: ContractContext): void {
  describe('deleteStream (soft delete)', () => {
    it('given a stream, when it is deleted, then reading it finds nothing', async () => {
      const { streamName } = await givenStream(context.store(), 2);

      await context.store().deleteStream(streamName);

      await expect(context.store().readStream(streamName)).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it.each([['no_stream' as const], ['any' as const], [1n]])(
      'given a deleted stream at revision 1, when appending with %p, then revisions continue and only the new events are read',
      async (expectedRevision) => {
        const { streamName } = await givenStream(context.store(), 2);
        await context.store().deleteStream(streamName);

        const result = await context.store().appendToStream(streamName, newEvents(2), { expectedRevision });

        expect(result.nextExpectedRevision).toBe(3n);
        expect(revisionsOf(await context.store().readStream(streamName))).toEqual([2n, 3n]);
        expect(revisionsOf(await context.store().readStream(streamName, { direction: 'backwards' }))).toEqual([3n, 2n]);
      },
    );

    it('given a deleted stream, when appending with stream_exists, then it fails as deleted (as EventStoreDB does)', async () => {
      const { streamName } = await givenStream(context.store(), 1);
      await context.store().deleteStream(streamName);

      const append = context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 'stream_exists' });

      await expect(append).rejects.toBeInstanceOf(StreamDeletedError);
    });

    it('given a stream at revision 1, when deleting it at another expected revision, then it conflicts and the stream stays', async () => {
      const { streamName } = await givenStream(context.store(), 2);

      const deletion = context.store().deleteStream(streamName, { expectedRevision: 0n });

      await expect(deletion).rejects.toBeInstanceOf(StreamRevisionConflictError);
      await expect(deletion).rejects.toMatchObject({ actual: 1n });
      expect(await context.store().readStream(streamName)).toHaveLength(2);
    });

    it('given a stream at revision 1, when deleting it at revision 1, then it is deleted', async () => {
      const { streamName } = await givenStream(context.store(), 2);

      await context.store().deleteStream(streamName, { expectedRevision: 1n });

      await expect(context.store().readStream(streamName)).rejects.toBeInstanceOf(StreamNotFoundError);
    });
  });

  describe('tombstoneStream', () => {
    it('given a stream, when it is tombstoned, then reads and appends of any kind fail as deleted', async () => {
      const { streamName } = await givenStream(context.store(), 2);

      await context.store().tombstoneStream(streamName);

      await expect(context.store().readStream(streamName)).rejects.toBeInstanceOf(StreamDeletedError);
      for (const expectedRevision of ['any', 'no_stream', 'stream_exists', 1n] as const) {
        await expect(context.store().appendToStream(streamName, newEvents(1), { expectedRevision })).rejects.toBeInstanceOf(StreamDeletedError);
      }
      await expect(context.store().deleteStream(streamName)).rejects.toBeInstanceOf(StreamDeletedError);
    });

    it('given a soft-deleted stream, when it is tombstoned, then it is deleted for good', async () => {
      const { streamName } = await givenStream(context.store(), 1);
      await context.store().deleteStream(streamName);

      await context.store().tombstoneStream(streamName);

      await expect(context.store().readStream(streamName)).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(StreamDeletedError);
    });

    it('given no stream, when its name is tombstoned, then it can never be written', async () => {
      const streamName = uniqueStream();

      await context.store().tombstoneStream(streamName);

      await expect(context.store().appendToStream(streamName, newEvents(1), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(StreamDeletedError);
    });
  });
}
