import path from 'node:path';
import Database from 'better-sqlite3';
import { simple, wait, workflow, workflowInput } from '@app/domain';
import { chainEvents, GENESIS_HASH, SqliteEventStore } from '@app/event-store';
import { orderFulfilmentWorkflow, orderTaskDefs } from '@app/samples';
import { decideHistory, storeHistories } from '@app/testing';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { hasNoStackTrace, runBaton, spawnBaton } from './support/baton-cli';
import { startEsdbTestServer, type EsdbServerProcess } from './support/esdb-server-process';
import { register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

const audited = workflow('cli_audited')
  .tasks(simple('stamp', 'first', { n: workflowInput('n') }), wait('approval'), simple('stamp', 'second'))
  .outputs({ approvedBy: '${approval.output.by}' })
  .build();

interface Row { streamId: number; revision: number; id: string; type: string; data: string; metadata: string }

/** A consistent copy of a SQLite store (what an insider would work on). */
function copyStore(from: string, to: string): string {
  const db = new Database(from, { readonly: true });
  db.exec(`VACUUM INTO '${to}'`);
  db.close();
  return to;
}

function rowsOf(file: string, streamName: string): Row[] {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT e.stream_id AS streamId, e.revision, e.event_id AS id, e.type, e.data, e.metadata FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name = ? ORDER BY e.revision').all(streamName) as Row[];
  db.close();
  return rows;
}

function countEvents(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('baton offline commands against real stores: verify, replay-check, export → import, projections rebuild', () => {
  const dir = tempDir('cli-store');
  const sourceFile = path.join(dir, 'a', 'baton.db');
  let orchestratorA: OrchestratorProcess | undefined;
  let orchestratorB: OrchestratorProcess | undefined;
  let esdb: EsdbServerProcess | undefined;
  let worker: BatonWorker | undefined;
  let running: string;
  let completed: string;

  beforeAll(async () => {
    await resetBatonStreams();
    orchestratorA = await startOrchestrator({ dataDir: path.join(dir, 'a'), name: 'orchestrator-a' });
    await register(orchestratorA.api, [{ name: 'stamp', retryCount: 0 }], [audited]);
    worker = createWorker({ taskType: 'stamp', natsUrl: NATS_URL, handler: async (task) => ({ stamped: task.taskRefName }) });
    await worker.start();
    completed = await start(orchestratorA.api, 'cli_audited', { n: 1 });
    running = await start(orchestratorA.api, 'cli_audited', { n: 2 });
    for (const id of [completed, running]) {
      await waitFor(`${id} to wait for its approval`, async () => (await orchestratorA!.api.workflow(id)).tasks.some((task: { referenceTaskName: string; status: string }) => task.referenceTaskName === 'approval' && task.status === 'IN_PROGRESS'));
    }
    await orchestratorA.api.expectOk('POST', `/api/tasks/${completed}/approval/COMPLETED`, { by: 'ann' });
    await waitForStatus(orchestratorA.api, completed, 'COMPLETED');
    await orchestratorA.handle.stop();
  });

  afterAll(async () => {
    await worker?.stop();
    await stopAll([orchestratorA?.handle, orchestratorB?.handle, esdb?.handle]);
  });

  it('given an untouched store, when verified, then every chain holds (exit 0); given one event altered, then the altered execution and its first bad revision are named (exit 1)', async () => {
    const clean = await runBaton(['verify', '--all', '--store', `sqlite:${sourceFile}`, '--json']);
    expect(clean.code).toBe(0);
    expect(clean.json()).toMatchObject({ valid: true, failures: [] });
    expect(clean.json<{ events: number }>().events).toBeGreaterThan(10);

    const tampered = copyStore(sourceFile, path.join(dir, 'tampered.db'));
    const target = rowsOf(tampered, `execution-${completed}`).find((row) => row.type === 'TaskCompleted')!;
    const db = new Database(tampered);
    // An insider "fixes" a worker's output straight in the database.
    expect(db.prepare(`UPDATE events SET data = json_set(data, '$.output.stamped', 'forged') WHERE stream_id = ? AND revision = ?`).run(target.streamId, target.revision).changes).toBe(1);
    db.close();

    const all = await runBaton(['verify', '--all', '--store', `sqlite:${tampered}`, '--json']);
    expect(all.code).toBe(1);
    expect(all.json()).toMatchObject({ valid: false, failures: [{ streamName: `execution-${completed}`, executionId: completed, revision: String(target.revision), reason: 'hash-mismatch' }] });
    const one = await runBaton(['verify', completed, '--store', `sqlite:${tampered}`]);
    expect(one.code).toBe(1);
    expect(one.stdout).toMatch(new RegExp(`execution-${completed}.*${target.revision}.*hash-mismatch`));
    expect((await runBaton(['verify', running, '--store', `sqlite:${tampered}`])).code).toBe(0);
  });

  it('given the stored histories, when replay-checked, then the current code reproduces them (exit 0); given a doctored, re-chained history, then verify passes but replay-check names it and its first differing revision (exit 1)', async () => {
    const clean = await runBaton(['replay-check', '--store', `sqlite:${sourceFile}`, '--json']);
    expect(clean.code).toBe(0);
    expect(clean.json()).toMatchObject({ ok: true, failures: [] });
    expect(clean.json<{ executions: number }>().executions).toBe(2);

    const doctored = copyStore(sourceFile, path.join(dir, 'doctored.db'));
    const stream = `execution-${completed}`;
    const rows = rowsOf(doctored, stream);
    const second = rows.find((row) => row.type === 'TaskScheduled' && (JSON.parse(row.data) as { taskRefName: string }).taskRefName === 'second')!;
    // The insider gives a task an input the flow never mapped, and recomputes the whole hash chain so it still verifies.
    const events = rows.map((row) => ({
      id: row.id,
      type: row.type,
      data: row.revision === second.revision ? { ...(JSON.parse(row.data) as object), input: { amount: 1_000_000 } } : (JSON.parse(row.data) as unknown),
      metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    }));
    const rechained = chainEvents(stream, 0n, GENESIS_HASH, events);
    const db = new Database(doctored);
    const update = db.prepare('UPDATE events SET data = ?, metadata = ? WHERE stream_id = ? AND revision = ?');
    rechained.forEach((event, revision) => update.run(JSON.stringify(event.data), JSON.stringify(event.metadata), second.streamId, revision));
    db.close();

    expect((await runBaton(['verify', '--all', '--store', `sqlite:${doctored}`])).code).toBe(0);
    const check = await runBaton(['replay-check', '--store', `sqlite:${doctored}`, '--json']);
    expect(check.code).toBe(1);
    expect(check.json()).toMatchObject({ ok: false, failures: [{ executionId: completed, workflowName: 'cli_audited', difference: { kind: 'event-differs', revision: String(second.revision), path: 'data.input.amount' } }] });
    const human = await runBaton(['replay-check', completed, '--store', `sqlite:${doctored}`]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(completed);
    expect(human.stdout).toContain(String(second.revision));
  });

  it('given a damaged read model, when rebuilt from the store, then it is what the orchestrator had built, up to the same checkpoint; given none, then it is built to the end of the log', async () => {
    const readModel = path.join(dir, 'a', 'read-model.db');
    const snapshot = () => {
      const db = new Database(readModel, { readonly: true });
      try {
        return {
          executions: db.prepare('SELECT execution_id, status, updated_at, output FROM executions ORDER BY execution_id').all(),
          attempts: db.prepare('SELECT * FROM task_executions ORDER BY task_id').all(),
          checkpoint: db.prepare("SELECT commit_position FROM projection_checkpoints WHERE projection_name = 'orchestrator-read-models'").get(),
        };
      } finally {
        db.close();
      }
    };
    const built = snapshot();
    expect(built.executions.length).toBe(2);
    const db = new Database(readModel);
    db.prepare("UPDATE executions SET status = 'BOGUS'").run();
    db.prepare('DELETE FROM task_executions').run();
    db.close();

    const run = await runBaton(['projections', 'rebuild', '--store', `sqlite:${sourceFile}`, '--read-model', `sqlite:${readModel}`, '--json']);
    expect(run.code).toBe(0);
    expect(snapshot()).toEqual(built);

    const fresh = path.join(dir, 'fresh-read-model.db');
    const scratch = await runBaton(['projections', 'rebuild', '--store', `sqlite:${sourceFile}`, '--read-model', `sqlite:${fresh}`, '--json']);
    expect(scratch.code).toBe(0);
    expect(scratch.json<{ events: number }>().events).toBe(countEvents(sourceFile) - (await nonExecutionEvents(sourceFile)));
    const rebuilt = new Database(fresh, { readonly: true });
    const statuses = rebuilt.prepare('SELECT execution_id AS id, status FROM executions ORDER BY status').all();
    rebuilt.close();
    expect(statuses).toEqual([{ id: completed, status: 'COMPLETED' }, { id: running, status: 'RUNNING' }]);
  });

  it('given the SQLite store, when exported and imported into EventStoreDB (the protocol test server), then it verifies and an orchestrator on it continues the running execution', async () => {
    const file = path.join(dir, 'store.jsonl.gz');
    const exported = await runBaton(['export', '--store', `sqlite:${sourceFile}`, '--to', file, '--json']);
    expect(exported.code).toBe(0);
    expect(exported.json()).toMatchObject({ events: countEvents(sourceFile) });

    esdb = await startEsdbTestServer({ logDir: path.join(dir, 'logs') });
    const imported = await runBaton(['import', '--from', file, '--store', esdb.connectionString, '--json']);
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ events: countEvents(sourceFile), alreadyPresent: 0, verification: { valid: true, chainFailures: [] } });
    const verified = await runBaton(['verify', '--all', '--store', esdb.connectionString, '--json']);
    expect(verified.code).toBe(0);
    expect(verified.json()).toMatchObject({ valid: true, events: countEvents(sourceFile) });

    orchestratorB = await startOrchestrator({ dataDir: path.join(dir, 'b'), name: 'orchestrator-b', env: { BATON_EVENT_STORE: esdb.connectionString } });
    const url = `http://127.0.0.1:${orchestratorB.port}`;
    const signal = await runBaton(['signal', running, 'approval', '--output', '{"by":"bob"}', '--url', url]);
    expect(signal.code).toBe(0);
    await waitForStatus(orchestratorB.api, running, 'COMPLETED');
    const got = await runBaton(['get', running, '--url', url, '--json']);
    expect(got.json()).toMatchObject({ status: 'COMPLETED', output: { approvedBy: 'bob' } });
    const history = await runBaton(['history', running, '--url', url]);
    expect(history.stdout).toContain('ExecutionCompleted');
    expect(history.stdout).toMatch(/approval → \{"by":"bob"\}/);
    await orchestratorB.handle.stop();
    // The continued history is one the current code writes.
    expect((await runBaton(['replay-check', running, '--store', esdb.connectionString])).code).toBe(0);
  });

  it('given an import killed halfway, when run again, then it resumes: every event exactly once, chains intact', async () => {
    const bigSource = path.join(dir, 'big.db');
    const store = new SqliteEventStore({ path: bigSource });
    const template = decideHistory(orderFulfilmentWorkflow, { executionId: 'template-execution', taskDefs: Object.fromEntries(orderTaskDefs.map((def) => [def.name, def])), outputs: { check_fraud: { verdict: 'accept' } } });
    await storeHistories(store, template, 800);
    await store.close();
    const total = countEvents(bigSource);
    const file = path.join(dir, 'big.jsonl');
    expect((await runBaton(['export', '--store', `sqlite:${bigSource}`, '--to', file])).code).toBe(0);

    const target = path.join(dir, 'resumed.db');
    const child = spawnBaton(['import', '--from', file, '--store', `sqlite:${target}`, '--batch-size', '100']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stored = await waitFor('the import to be halfway', () => {
      try {
        const count = countEvents(target);
        return count > 0 && count < total ? count : undefined;
      } catch {
        return undefined; // the target file is not there yet
      }
    }, { timeoutMs: 60_000, intervalMs: 5 });
    child.kill('SIGKILL');
    await exited;
    const afterKill = countEvents(target);
    expect(afterKill).toBeGreaterThanOrEqual(stored);
    expect(afterKill).toBeLessThan(total);

    const resumed = await runBaton(['import', '--from', file, '--store', `sqlite:${target}`, '--batch-size', '100', '--json']);
    expect(resumed.code).toBe(0);
    expect(resumed.json()).toMatchObject({ events: total, verification: { valid: true } });
    expect(resumed.json<{ alreadyPresent: number }>().alreadyPresent).toBeGreaterThan(0);
    expect(countEvents(target)).toBe(total);
    expect((await runBaton(['verify', '--all', '--store', `sqlite:${target}`])).code).toBe(0);
  });

  it('given bad arguments, when run, then each is a usage error naming the argument (exit 2), never a stack trace', async () => {
    const runs = await Promise.all([
      runBaton(['verify', '--store', `sqlite:${sourceFile}`]),
      runBaton(['verify', 'x', '--all', '--store', `sqlite:${sourceFile}`]),
      runBaton(['verify', '--all', '--store', 'mysql://db']),
      runBaton(['verify', '--all', '--store', `sqlite:${path.join(dir, 'nothing-here.db')}`]),
      runBaton(['export', '--store', `sqlite:${sourceFile}`]),
      runBaton(['import', '--from', path.join(dir, 'a', 'baton.db'), '--store', `sqlite:${path.join(dir, 'x.db')}`]),
      runBaton(['import', '--from', path.join(dir, 'big.jsonl'), '--store', `sqlite:${path.join(dir, 'y.db')}`, '--batch-size', 'many']),
      runBaton(['projections', 'rebuild', '--store', `sqlite:${sourceFile}`, '--read-model', 'mongodb://x']),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain('give an execution id, or --all');
    expect(runs[1]!.stderr).toContain('not both');
    expect(runs[2]!.stderr).toContain('--store must be sqlite:<file> or an esdb://');
    expect(runs[3]!.stderr).toContain('--store sqlite:');
    expect(runs[4]!.stderr).toContain("required option '--to <file>' not specified");
    expect(runs[5]!.stderr).toContain('not a Baton export');
    expect(runs[6]!.stderr).toContain('--batch-size must be an integer');
    expect(runs[7]!.stderr).toContain('--read-model must be sqlite:<file> or a postgres:// URL');
    expect(runs.every(hasNoStackTrace)).toBe(true);
  });
});

/** Definition, catalog and idempotency events: the store's events that are not an execution's. */
async function nonExecutionEvents(file: string): Promise<number> {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM events e JOIN streams s ON s.stream_id = e.stream_id WHERE s.name NOT LIKE 'execution-%'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}
