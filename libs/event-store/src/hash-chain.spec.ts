import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from './event-store.port';
import { canonicalJson, chainEvents, checkStoredChainLink, GENESIS_HASH, verifyChain } from './hash-chain';
import { InMemoryEventStore } from './memory/in-memory-event-store';

const draft = (type: string, data: unknown = { type }) => ({ id: randomUUID(), type, data, metadata: { correlationId: 'order-1', actor: 'orchestrator' } });

async function givenChainedStream(count: number): Promise<RecordedEvent[]> {
  const store = new InMemoryEventStore();
  const drafts = Array.from({ length: count }, (_, index) => draft(`Step${index}`, { index, at: new Date(Date.UTC(2025, 0, 1, 0, 0, index)), note: 'ünïcödé ✓', missing: undefined }));
  await store.appendToStream('execution-1', chainEvents('execution-1', 0n, GENESIS_HASH, drafts.slice(0, 2)), { expectedRevision: 'no_stream' });
  const [last] = await store.readStream('execution-1', { direction: 'backwards', maxCount: 1 });
  await store.appendToStream('execution-1', chainEvents('execution-1', 2n, last!.metadata.hash!, drafts.slice(2)), { expectedRevision: 1n });
  return store.readStream('execution-1');
}

function tampered(events: RecordedEvent[], index: number, change: Partial<RecordedEvent>): RecordedEvent[] {
  return events.map((event, at) => (at === index ? { ...event, ...change } : event));
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out whitespace, keeping array order', () => {
    expect(canonicalJson({ b: { z: 1, a: [3, { y: true, x: null }] }, a: 'ü' })).toBe('{"a":"ü","b":{"a":[3,{"x":null,"y":true}],"z":1}}');
  });

  it('follows JSON.stringify for undefined, toJSON and non-finite numbers, so values hash the same after a store round trip', () => {
    expect(canonicalJson({ gone: undefined, list: [undefined, Number.NaN], at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z","list":[null,null]}');
  });

  it('rejects bigint, which JSON cannot carry', () => {
    expect(() => canonicalJson({ revision: 1n })).toThrow(TypeError);
  });
});

describe('chainEvents', () => {
  it('given drafts, when chained from the genesis, then each links to the previous hash and keeps its metadata', () => {
    const chained = chainEvents('execution-1', 0n, GENESIS_HASH, [draft('A'), { ...draft('B'), metadata: { hash: 'forged', actor: 'api' } }]);

    expect(chained[0]!.metadata).toMatchObject({ correlationId: 'order-1', actor: 'orchestrator', prevHash: GENESIS_HASH });
    expect(chained[0]!.metadata!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chained[1]!.metadata).toMatchObject({ actor: 'api', prevHash: chained[0]!.metadata!.hash });
    expect(chained[1]!.metadata!.hash).not.toBe('forged');
  });

  it('given the same drafts at another revision or in another stream, then the hashes differ', () => {
    const drafted = draft('A');

    const hashes = [
      chainEvents('execution-1', 0n, GENESIS_HASH, [drafted]),
      chainEvents('execution-1', 1n, GENESIS_HASH, [drafted]),
      chainEvents('execution-2', 0n, GENESIS_HASH, [drafted]),
    ].map(([event]) => event!.metadata!.hash);

    expect(new Set(hashes).size).toBe(3);
  });
});

describe('verifyChain', () => {
  it('given a history chained over two appends and read back from a store, then it is valid', async () => {
    const events = await givenChainedStream(4);

    const report = verifyChain(events);

    expect(report).toEqual({ valid: true, checked: 4, lastHash: events[3]!.metadata.hash });
  });

  it('given altered data, then the first invalid event is named with hash-mismatch', async () => {
    const events = await givenChainedStream(4);

    const report = verifyChain(tampered(events, 2, { data: { index: 2, amount: 1_000_000 } }));

    expect(report).toEqual({ valid: false, checked: 2, lastHash: events[1]!.metadata.hash, firstInvalid: { revision: 2n, reason: 'hash-mismatch' } });
  });

  it('given an event removed from the middle, then the next one fails with prev-hash-mismatch', async () => {
    const events = await givenChainedStream(4);

    const report = verifyChain([events[0]!, events[2]!, events[3]!]);

    expect(report.firstInvalid).toEqual({ revision: 2n, reason: 'prev-hash-mismatch' });
  });

  it('given an event without a hash, then it fails with missing-hash', async () => {
    const events = await givenChainedStream(2);

    const report = verifyChain(tampered(events, 1, { metadata: { correlationId: 'order-1' } }));

    expect(report).toMatchObject({ valid: false, checked: 1, firstInvalid: { revision: 1n, reason: 'missing-hash' } });
  });

  it('given a history read from the middle, then it is anchored at its first prevHash unless an anchor is given', async () => {
    const events = await givenChainedStream(4);

    expect(verifyChain(events.slice(2)).valid).toBe(true);
    expect(verifyChain(events.slice(2), events[1]!.metadata.hash).valid).toBe(true);
    expect(verifyChain(events.slice(2), GENESIS_HASH).firstInvalid).toEqual({ revision: 2n, reason: 'prev-hash-mismatch' });
  });

  it('given no events, then it is trivially valid at the genesis', () => {
    expect(verifyChain([])).toEqual({ valid: true, checked: 0, lastHash: GENESIS_HASH });
  });
});

describe('checkStoredChainLink', () => {
  const stored = (event: RecordedEvent, dataText = canonicalJson(event.data)) => ({ ...event, dataText });

  it('given events whose data is stored as canonical text, then each link holds', async () => {
    const events = await givenChainedStream(3);

    const reasons = events.map((event, index) => checkStoredChainLink(stored(event), index === 0 ? GENESIS_HASH : events[index - 1]!.metadata.hash!));

    expect(reasons).toEqual([undefined, undefined, undefined]);
  });

  it('given data stored before it was canonical (keys in insertion order), then the link still holds', async () => {
    const [event] = await givenChainedStream(3);
    const text = JSON.stringify(Object.fromEntries(Object.entries(event!.data as object).reverse()));

    expect(text).not.toBe(canonicalJson(event!.data));
    expect(checkStoredChainLink(stored(event!, text), GENESIS_HASH)).toBeUndefined();
  });

  it('given altered data text, then it fails with hash-mismatch', async () => {
    const [event] = await givenChainedStream(3);

    expect(checkStoredChainLink(stored(event!, canonicalJson({ ...(event!.data as object), index: 7 })), GENESIS_HASH)).toBe('hash-mismatch');
  });

  it('given data text that is not JSON, then it fails with hash-mismatch instead of throwing', async () => {
    const [event] = await givenChainedStream(3);

    expect(checkStoredChainLink(stored(event!, canonicalJson(event!.data).slice(0, -1)), GENESIS_HASH)).toBe('hash-mismatch');
  });

  it('given a wrong previous hash or no hash, then it names that before hashing', async () => {
    const [event] = await givenChainedStream(3);
    const { hash: _hash, ...unhashed } = event!.metadata;

    expect(checkStoredChainLink(stored(event!), 'f'.repeat(64))).toBe('prev-hash-mismatch');
    expect(checkStoredChainLink({ ...stored(event!), metadata: unhashed }, GENESIS_HASH)).toBe('missing-hash');
  });
});
