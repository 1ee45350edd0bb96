import { randomUUID } from 'node:crypto';
import { InMemoryEventStore, StreamRevisionConflictError, appendChained, verifyChain } from '@app/event-store';

const draft = (n: number) => ({ id: randomUUID(), type: 'Noted', data: { n }, metadata: { actor: 'test', causationId: `c-${n}` } });

describe('appendChained', () => {
  it('given appends by several writers, when the stream is read, then its hash chain verifies', async () => {
    const store = new InMemoryEventStore();
    await appendChained(store, 'catalog-x', [draft(1)]);
    await Promise.all([appendChained(store, 'catalog-x', [draft(2)]), appendChained(store, 'catalog-x', [draft(3)]), appendChained(store, 'catalog-x', [draft(4), draft(5)])]);
    const events = await store.readStream('catalog-x');
    expect(events).toHaveLength(5);
    expect(verifyChain(events)).toMatchObject({ valid: true, checked: 5 });
  });

  it('given a stream that exists, when appended with no_stream, then it is a revision conflict and nothing is written', async () => {
    const store = new InMemoryEventStore();
    await appendChained(store, 'claim-1', [draft(1)], { expectedRevision: 'no_stream' });
    await expect(appendChained(store, 'claim-1', [draft(2)], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(StreamRevisionConflictError);
    expect(await store.readStream('claim-1')).toHaveLength(1);
  });

  it('given a pinned revision that moved, when appended, then it is a conflict', async () => {
    const store = new InMemoryEventStore();
    await appendChained(store, 'h-1', [draft(1), draft(2)]);
    await expect(appendChained(store, 'h-1', [draft(3)], { expectedRevision: 0n })).rejects.toBeInstanceOf(StreamRevisionConflictError);
    await appendChained(store, 'h-1', [draft(3)], { expectedRevision: 1n });
    expect(verifyChain(await store.readStream('h-1')).valid).toBe(true);
  });
});
