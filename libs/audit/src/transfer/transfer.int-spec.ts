import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryEventStore, SqliteEventStore, type EventStore } from '@app/event-store';
import { simple, workflow } from '@app/domain';
import { decideHistory, historyAppends } from '@app/testing';
import { verifyStore } from '../verify-store';
import { ExportFileError } from './export-format';
import { exportStore } from './export-store';
import { ImportConflictError, importStore } from './import-store';
import { verifyImport } from './import-verification';

const two = workflow('two').tasks(simple('a', 'a'), simple('b', 'b')).build();

/** A store with three executions whose decisions interleave in `$all`, as a busy orchestrator writes them. */
async function interleavedStore(file: string): Promise<{ store: SqliteEventStore; order: string[] }> {
  const store = new SqliteEventStore({ path: file });
  const histories = ['x1', 'x2', 'x3'].map((id) => ({ id, events: historyAppends(decideHistory(two, { executionId: id })) }));
  const cursor = new Map<string, number>();
  for (let step = 0; step < 3; step += 1) {
    for (const { id, events } of histories) {
      const from = cursor.get(id) ?? 0;
      const decision = events.slice(from, from + 3);
      if (decision.length === 0) continue;
      await store.appendToStream(`execution-${id}`, decision, { expectedRevision: from === 0 ? 'no_stream' : BigInt(from - 1) });
      cursor.set(id, from + decision.length);
    }
  }
  const order = (await store.readAll({ maxCount: 1_000 })).map((event) => event.id);
  return { store, order };
}

describe('export and import', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-transfer-'));
  let source: SqliteEventStore;
  let order: string[];
  const file = path.join(dir, 'export.jsonl');

  beforeAll(async () => {
    ({ store: source, order } = await interleavedStore(path.join(dir, 'source.db')));
    await exportStore(source, file);
  });

  afterAll(() => source.close());

  it.each<[string, () => EventStore]>([
    ['SQLite (appendMany in request order)', () => new SqliteEventStore({ path: path.join(dir, `target-${Math.random()}.db`) })],
    ['the in-memory store (one append at a time)', () => new InMemoryEventStore()],
  ])('given an export of interleaved histories, when imported into %s, then ids, order and chains are the same', async (_name, target) => {
    const store = target();
    const summary = await importStore(store, file, { batchSize: 4 });

    expect(summary).toEqual({ events: order.length, streams: 3, alreadyPresent: 0 });
    expect((await store.readAll({ maxCount: 1_000 })).map((event) => event.id)).toEqual(order);
    expect(await verifyImport(store, file)).toMatchObject({ valid: true, chainFailures: [] });
    expect((await verifyStore(store)).valid).toBe(true);
    await store.close();
  });

  it('given an export cut short, when imported, then it is refused before anything is written', async () => {
    const cut = path.join(dir, 'cut.jsonl');
    writeFileSync(cut, readFileSync(file, 'utf8').split('\n').slice(0, 5).join('\n'));
    const store = new InMemoryEventStore();

    await expect(importStore(store, cut)).rejects.toThrow(ExportFileError);
    await expect(importStore(store, cut)).rejects.toThrow('the export was cut short');
    expect(await store.readAll()).toEqual([]);
  });

  it('given a target whose stream holds other events at those revisions, when imported, then it is refused as a conflict naming the stream and revision', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('execution-x2', historyAppends(decideHistory(two, { executionId: 'x2' })).slice(0, 2), { expectedRevision: 'no_stream' });

    await expect(importStore(store, file)).rejects.toThrow(ImportConflictError);
    await expect(importStore(store, file)).rejects.toThrow(/execution-x2 differs from the file at revision 0/);
  });

  it('given an import that stored part of a stream, when run again, then the rest is appended after the stored part and counted as present', async () => {
    const store = new InMemoryEventStore();
    const stored = (await source.readStream('execution-x1')).slice(0, 2);
    await store.appendToStream('execution-x1', stored.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })), { expectedRevision: 'no_stream' });

    const summary = await importStore(store, file, { batchSize: 100 });

    expect(summary.alreadyPresent).toBe(2);
    expect((await store.readStream('execution-x1')).map((event) => event.id)).toEqual((await source.readStream('execution-x1')).map((event) => event.id));
    expect((await verifyStore(store)).valid).toBe(true);
  });
});
