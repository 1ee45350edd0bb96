// The esdb adapter: the shared contract over real gRPC against the in-repo test server (both append
// paths) and against a real EventStoreDB when BATON_TEST_ESDB_URL is set, then what only this adapter
// has: error translation across an outage, back-pressure and marker order, a server in another process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  EventStoreUnavailableError, StreamDeletedError, StreamNotFoundError, StreamRevisionConflictError, type EventData, type SubscriptionMessage,
} from '@app/event-store';
import { describeEventStoreContract } from '@app/testing';
import { EsdbTestServer } from '@app/testing/esdb-test-server';
import { EsdbEventStore } from './esdb-event-store';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

function events(count: number, type = 'AdapterEventHappened', payload = ''): EventData[] {
  return Array.from({ length: count }, (_, index) => ({ id: randomUUID(), type, data: { index, payload }, metadata: { correlationId: 'adapter-spec' } }));
}

/** Polls `probe` until it resolves truthy; fails after `timeoutMs`. */
async function until(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const reachable = (store: EsdbEventStore) => () => store.ping().then(() => true, () => false);

for (const batchAppend of [false, true]) {
  describeEventStoreContract(`esdb → test server (${batchAppend ? 'BatchAppend' : 'Append'})`, async () => {
    const server = await EsdbTestServer.start({ batchAppend });
    const store = EsdbEventStore.fromConnectionString(server.connectionString);
    return {
      store,
      dispose: async () => {
        await store.close();
        await server.close();
      },
    };
  });
}

const realServerUrl = process.env.BATON_TEST_ESDB_URL;
if (realServerUrl) {
  describeEventStoreContract(`esdb → real EventStoreDB at ${realServerUrl}`, async () => {
    const store = EsdbEventStore.fromConnectionString(realServerUrl);
    return { store, dispose: () => store.close() };
  });
} else {
  describe.skip('EventStore contract: esdb → real EventStoreDB (skipped: set BATON_TEST_ESDB_URL, e.g. esdb://127.0.0.1:2113?tls=false)', () => {
    it('runs the contract against the server at BATON_TEST_ESDB_URL', () => undefined);
  });
}

describe.each([{ batchAppend: false }, { batchAppend: true }])('EsdbEventStore over the test server (batchAppend: $batchAppend)', ({ batchAppend }) => {
  let server: EsdbTestServer;
  let store: EsdbEventStore;

  beforeEach(async () => {
    server = await EsdbTestServer.start({ batchAppend });
    store = EsdbEventStore.fromConnectionString(server.connectionString, { attempts: 2 });
  });
  afterEach(async () => {
    await store.close();
    await server.close();
  });

  it('translates an outage into retryable EventStoreUnavailableError, and works again once the server is back', async () => {
    const streamName = `adapter-${randomUUID()}`;
    await store.appendToStream(streamName, events(2), { expectedRevision: 'no_stream' });
    const live = store.subscribeToStream(streamName)[Symbol.asyncIterator]();
    await until('the subscription to catch up', async () => (await live.next()).value?.kind === 'caught-up');

    await server.stop();

    const failures = await Promise.all([
      store.appendToStream(streamName, events(1)).catch((error: unknown) => error),
      store.readStream(streamName).catch((error: unknown) => error),
      store.readAll({ maxCount: 1 }).catch((error: unknown) => error),
      store.ping().catch((error: unknown) => error),
      live.next().catch((error: unknown) => error),
    ]);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(EventStoreUnavailableError);
      expect(failure).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE', retryable: true });
    }

    await server.start();
    await until('the adapter to reach the restarted server', reachable(store));
    const appended = await store.appendToStream(streamName, events(1), { expectedRevision: 1n });
    expect(appended.nextExpectedRevision).toBe(2n);
    expect(await store.readStream(streamName)).toHaveLength(3);
  });

  it('given a group of appends to several streams, when appended together, then each stream gets them in request order and each is answered as appendToStream would', async () => {
    const [a, b] = [`adapter-${randomUUID()}`, `adapter-${randomUUID()}`];

    const outcomes = await store.appendMany([
      { streamName: a, events: events(2), expectedRevision: 'no_stream' },
      { streamName: b, events: events(1), expectedRevision: 'no_stream' },
      { streamName: a, events: events(1), expectedRevision: 1n },
      { streamName: a, events: events(1), expectedRevision: 2n },
    ]);

    expect(outcomes.map((outcome) => outcome.ok && outcome.result.nextExpectedRevision)).toEqual([1n, 0n, 2n, 3n]);
    const streamA = await store.readStream(a);
    expect(streamA.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
    expect(outcomes[3]).toMatchObject({ ok: true, result: { position: streamA[3]!.position } });
  });

  it('given a group with a stale expected revision and a tombstoned stream, when appended together, then only those two fail, each with its own error', async () => {
    const [stale, deleted, fine] = [`adapter-${randomUUID()}`, `adapter-${randomUUID()}`, `adapter-${randomUUID()}`];
    await store.appendToStream(stale, events(1), { expectedRevision: 'no_stream' });
    await store.tombstoneStream(deleted);

    const outcomes = await store.appendMany([
      { streamName: stale, events: events(1), expectedRevision: 'no_stream' },
      { streamName: deleted, events: events(1) },
      { streamName: fine, events: events(1), expectedRevision: 'no_stream' },
    ]);

    expect(outcomes[0]).toMatchObject({ ok: false, error: expect.any(StreamRevisionConflictError) });
    expect(outcomes[1]).toMatchObject({ ok: false, error: expect.any(StreamDeletedError) });
    expect(outcomes[2]).toMatchObject({ ok: true, result: { nextExpectedRevision: 0n } });
  });

  it('retries an append whose outcome is unknown: the same ids at the same revision are idempotent', async () => {
    const streamName = `adapter-${randomUUID()}`;
    const batch = events(2);
    const first = await store.appendToStream(streamName, batch, { expectedRevision: 'no_stream' });
    await expect(store.appendToStream(streamName, batch, { expectedRevision: 'no_stream' })).resolves.toEqual(first);
  });

  it('deletes and tombstones with stream_exists (the client cannot send it for a delete) and conflicts on a missing stream', async () => {
    const deleted = `adapter-${randomUUID()}`;
    const tombstoned = `adapter-${randomUUID()}`;
    await store.appendToStream(deleted, events(2));
    await store.appendToStream(tombstoned, events(1));

    await store.deleteStream(deleted, { expectedRevision: 'stream_exists' });
    await store.tombstoneStream(tombstoned, { expectedRevision: 'stream_exists' });

    await expect(store.readStream(deleted)).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(store.readStream(tombstoned)).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(store.deleteStream(`adapter-${randomUUID()}`, { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
      constructor: StreamRevisionConflictError,
      actual: 'no_stream',
    });
  });

  it('keeps catch-up order with checkpoints and caught-up while a slow consumer holds the server back', async () => {
    const category = `c${randomUUID().replace(/-/g, '')}`;
    const payload = 'x'.repeat(2_000);
    for (let batch = 0; batch < 12; batch++) {
      await store.appendToStream(`${category}-${batch % 3}`, events(250, 'Big', payload));
      await store.appendToStream(`other-${randomUUID()}`, events(5, 'Noise'));
    }
    const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [`${category}-`] } });
    const iterator = subscription[Symbol.asyncIterator]();
    const first = await iterator.next();
    await until('the server to wait for the slow consumer', () => server.stalledSubscriptions === 1);

    const messages: SubscriptionMessage[] = [first.value as SubscriptionMessage];
    while (!messages.some((message) => message.kind === 'caught-up')) messages.push((await iterator.next()).value as SubscriptionMessage);
    await subscription.unsubscribe();

    const seen = messages.filter((message) => message.kind === 'event').map((message) => message.event);
    expect(seen).toHaveLength(3_000);
    expect(messages.at(-2)?.kind).toBe('checkpoint');
    // Every checkpoint comes after the events at or before it and before those after it.
    let lastEventPosition = -1n;
    messages.forEach((message, index) => {
      if (message.kind === 'event') {
        expect(message.event.position.commit > lastEventPosition).toBe(true);
        lastEventPosition = message.event.position.commit;
      } else if (message.kind === 'checkpoint') {
        expect(message.position.commit >= lastEventPosition).toBe(true);
        const next = messages.slice(index + 1).find((later) => later.kind === 'event');
        if (next?.kind === 'event') expect(next.event.position.commit > message.position.commit).toBe(true);
      }
    });
    expect(messages.filter((message) => message.kind === 'checkpoint').length).toBeGreaterThan(3_000 / 32 - 1);
  }, 60_000);
});

describe('EsdbEventStore against a test server in a separate process', () => {
  let buildDir: string;
  let dataDir: string;
  const children = new Set<ChildProcess>();

  /** Starts `scripts/esdb-test-server.ts` (compiled by SWC in beforeAll) and waits for its ready line. */
  async function startProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [path.join(buildDir, 'scripts/esdb-test-server.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const lines = createInterface({ input: child.stdout! });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the esdb test server process did not get ready within 15 s')), 15_000);
      child.once('exit', (code) => reject(new Error(`the esdb test server process exited early with ${code}`)));
      lines.on('line', (line) => {
        const match = /^esdb test server listening on (esdb:\/\/\S+)$/.exec(line);
        if (!match) return;
        clearTimeout(timer);
        resolve(match[1]!);
      });
    });
    return { child, url };
  }

  function terminate(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  }

  beforeAll(() => {
    mkdirSync(path.join(REPO_ROOT, '.tmp'), { recursive: true });
    buildDir = mkdtempSync(path.join(REPO_ROOT, '.tmp', 'esdb-test-server-'));
    dataDir = mkdtempSync(path.join(REPO_ROOT, '.tmp', 'esdb-data-'));
    // Compiled into the repo's .tmp so the process resolves node_modules like dist/ would.
    execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/swc'), ['scripts/esdb-test-server.ts', 'libs/testing/src/esdb-test-server', '--out-dir', buildDir, '--quiet'], { cwd: REPO_ROOT });
  }, 60_000);

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the adapter, exits cleanly on SIGTERM with its data file flushed, and a new process keeps the data', async () => {
    const dataFile = path.join(dataDir, 'esdb.jsonl');
    const first = await startProcess(['--port', '0', '--no-batch-append', '--data-file', dataFile]);
    const port = new URL(first.url.replace('esdb:', 'http:')).port;
    const store = EsdbEventStore.fromConnectionString(first.url, { attempts: 1 });
    try {
      const streamName = `process-${randomUUID()}`;
      const written = events(3);
      await store.appendToStream(streamName, written, { expectedRevision: 'no_stream' });
      const live = store.subscribeToStream(streamName)[Symbol.asyncIterator]();
      await until('caught-up', async () => (await live.next()).value?.kind === 'caught-up');

      expect(await terminate(first.child)).toBe(0);
      await expect(live.next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.appendToStream(streamName, events(1))).rejects.toBeInstanceOf(EventStoreUnavailableError);

      await startProcess(['--port', port, '--data-file', dataFile]);
      await until('the adapter to reach the new process', reachable(store));
      expect((await store.readStream(streamName)).map((event) => event.id)).toEqual(written.map((event) => event.id));
      await expect(store.appendToStream(streamName, events(1), { expectedRevision: 2n })).resolves.toMatchObject({ nextExpectedRevision: 3n });
    } finally {
      await store.close();
    }
  }, 60_000);
});
