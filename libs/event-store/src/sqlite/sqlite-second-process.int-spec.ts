import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Options, transformFileSync } from '@swc/core';
import { StreamRevisionConflictError } from '@app/event-store';
import { SubscriptionRecorder } from '@app/testing';
import { SqliteEventStore } from './sqlite-event-store';

const repoRoot = join(__dirname, '../../../..');

/** Compiles the event-store library (SWC, as the build does) so a plain `node` child can load it. */
function compileEventStore(outDir: string): void {
  const swcrc = JSON.parse(readFileSync(join(repoRoot, '.swcrc'), 'utf8')) as Options;
  const options: Options = { ...swcrc, swcrc: false, sourceMaps: false, jsc: { ...swcrc.jsc, baseUrl: repoRoot } };
  const sourceDir = join(repoRoot, 'libs/event-store/src');
  for (const entry of readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts') || /\.(int-)?spec\.ts$/.test(entry)) continue;
    const target = join(outDir, 'libs/event-store/src', entry.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, transformFileSync(join(sourceDir, entry), { ...options, filename: join(sourceDir, entry) }).code);
  }
  // The store needs only BatonError from libs/domain, whatever else that library holds today.
  const batonError = join(repoRoot, 'libs/domain/src/errors/baton-error.ts');
  mkdirSync(join(outDir, 'libs/domain/src'), { recursive: true });
  writeFileSync(join(outDir, 'libs/domain/src/index.js'), transformFileSync(batonError, { ...options, filename: batonError }).code);
}

// The child: one store on the file, driven over IPC. Appends retry on conflicts, like a replica would.
const CHILD = `
const { randomUUID } = require('node:crypto');
const { SqliteEventStore } = require('./libs/event-store/src/sqlite/sqlite-event-store.js');
const store = new SqliteEventStore({ path: process.argv[2], pollIntervalMs: 10 });
async function appendRacing(streamName, count) {
  let conflicts = 0;
  for (let i = 0; i < count; i++) {
    for (;;) {
      const [last] = await store.readStream(streamName, { direction: 'backwards', maxCount: 1 }).catch(() => []);
      const expectedRevision = last === undefined ? 'no_stream' : last.revision;
      await new Promise((resolve) => setImmediate(resolve));
      try {
        await store.appendToStream(streamName, [{ id: randomUUID(), type: 'RaceStep', data: { writer: 'child' } }], { expectedRevision });
        break;
      } catch (error) {
        if (error.code !== 'STREAM_REVISION_CONFLICT') throw error;
        conflicts++;
      }
    }
  }
  return conflicts;
}
process.on('message', async (command) => {
  try {
    if (command.kind === 'append') {
      const expectedRevision = /^[0-9]+$/.test(command.expected) ? BigInt(command.expected) : command.expected;
      const result = await store.appendToStream(command.streamName, [{ id: randomUUID(), type: command.type, data: { writer: 'child' } }], { expectedRevision });
      process.send({ ok: true, revision: String(result.nextExpectedRevision) });
    } else if (command.kind === 'race') {
      process.send({ ok: true, conflicts: await appendRacing(command.streamName, command.count) });
    } else {
      await store.close();
      process.send({ ok: true }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ ok: false, code: error.code, message: error.message });
  }
});
process.send({ ready: true });
`;

interface Reply { ok?: boolean; ready?: boolean; code?: string; revision?: string; conflicts?: number; message?: string }

function nextReply(child: ChildProcess): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (reply: Reply) => {
      child.off('exit', onExit);
      resolve(reply);
    });
  });
}

async function ask(child: ChildProcess, command: Record<string, unknown>): Promise<Reply> {
  const reply = nextReply(child);
  child.send(command);
  return reply;
}

describe('SqliteEventStore shared with a second process', () => {
  let directory: string;
  let path: string;
  let child: ChildProcess;
  let store: SqliteEventStore;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'baton-sqlite-process-'));
    compileEventStore(directory);
    writeFileSync(join(directory, 'child.js'), CHILD);
  });

  beforeEach(async () => {
    path = join(directory, `${randomUUID()}.db`);
    store = new SqliteEventStore({ path, pollIntervalMs: 10 });
    child = fork(join(directory, 'child.js'), [path], { env: { ...process.env, NODE_PATH: join(repoRoot, 'node_modules') }, stdio: 'inherit' });
    expect(await nextReply(child)).toEqual({ ready: true });
  });

  afterEach(async () => {
    if (child.exitCode === null) await ask(child, { kind: 'close' });
    await store.close();
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('given a subscription in this process, when the other process appends, then the events arrive live', async () => {
    const recorder = new SubscriptionRecorder(store.subscribeToAll({ filter: { streamNamePrefixes: ['execution-'] } }));
    await recorder.until('caught-up', (r) => r.caughtUp());

    await ask(child, { kind: 'append', streamName: 'execution-1', expected: 'no_stream', type: 'ExecutionStarted' });
    await ask(child, { kind: 'append', streamName: 'execution-1', expected: '0', type: 'TaskScheduled' });

    await recorder.until('both events', (r) => r.events().length === 2);
    expect(recorder.events().map((event) => [event.type, event.data])).toEqual([['ExecutionStarted', { writer: 'child' }], ['TaskScheduled', { writer: 'child' }]]);
    await recorder.stop();
  });

  it('given a stream advanced by the other process, when this one appends at a stale revision, then it conflicts, and the other way round', async () => {
    await store.appendToStream('execution-2', [{ id: randomUUID(), type: 'ExecutionStarted', data: {} }], { expectedRevision: 'no_stream' });
    expect(await ask(child, { kind: 'append', streamName: 'execution-2', expected: '0', type: 'TaskScheduled' })).toEqual({ ok: true, revision: '1' });

    await expect(store.appendToStream('execution-2', [{ id: randomUUID(), type: 'TaskScheduled', data: {} }], { expectedRevision: 0n })).rejects.toBeInstanceOf(StreamRevisionConflictError);
    expect(await ask(child, { kind: 'append', streamName: 'execution-2', expected: 'no_stream', type: 'Late' })).toMatchObject({ ok: false, code: 'STREAM_REVISION_CONFLICT' });
  });

  it('given both processes racing to append 150 events each to one stream, then no revision is lost or written twice', async () => {
    const childDone = ask(child, { kind: 'race', streamName: 'execution-3', count: 150 });
    for (let written = 0; written < 150; ) {
      const [last] = await store.readStream('execution-3', { direction: 'backwards', maxCount: 1 }).catch(() => []);
      const expectedRevision = last === undefined ? ('no_stream' as const) : last.revision;
      // Widens the window between read and append, as a replica deciding on a command has.
      await new Promise((resolve) => setImmediate(resolve));
      await store.appendToStream('execution-3', [{ id: randomUUID(), type: 'RaceStep', data: { writer: 'parent' } }], { expectedRevision }).then(
        () => (written += 1),
        (error: unknown) => {
          if (!(error instanceof StreamRevisionConflictError)) throw error;
        },
      );
    }
    expect(await childDone).toMatchObject({ ok: true });

    const events = await store.readStream('execution-3');
    expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 300 }, (_, index) => BigInt(index)));
    const writers = events.map((event) => (event.data as { writer: string }).writer);
    expect(writers.filter((writer) => writer === 'child')).toHaveLength(150);
  });
});
