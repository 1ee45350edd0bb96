import path from 'node:path';
import Database from 'better-sqlite3';
import { simple, workflow } from '@app/domain';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

interface Verification {
  valid: boolean;
  eventsChecked: number;
  events: number;
  consistent: boolean;
  firstInvalid?: { revision: string; reason: string };
}

describe('audit: time travel and tamper evidence', () => {
  let dir: string;
  let orchestrator: OrchestratorProcess | undefined;
  let restarted: OrchestratorProcess | undefined;
  let worker: BatonWorker | undefined;

  beforeAll(async () => {
    await resetBatonStreams();
    dir = tempDir('audit');
    orchestrator = await startOrchestrator({ dataDir: dir, name: 'orchestrator-1' });
    await register(orchestrator.api, [{ name: 'stamp', retryCount: 0 }], [workflow('audited').tasks(simple('stamp', 'first'), simple('stamp', 'second')).build()]);
    worker = createWorker({ taskType: 'stamp', natsUrl: NATS_URL, handler: async (task) => ({ stamped: task.taskRefName }) });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await stopAll([orchestrator?.handle, restarted?.handle]);
  });

  it('given a completed execution, when its state is asked at an earlier revision or time, then it is the state as it was then', async () => {
    const id = await start(orchestrator!.api, 'audited');
    await waitForStatus(orchestrator!.api, id, 'COMPLETED');
    const history = await orchestrator!.api.history(id);
    const firstCompleted = history.find((event) => event.type === 'TaskCompleted')!;

    const atRevision = (await orchestrator!.api.request('GET', `/api/workflow/${id}/state?atRevision=${firstCompleted.revision}`)).json() as { workflow: { status: string; tasks: { referenceTaskName: string; status: string }[] } };
    expect(atRevision.workflow.status).toBe('RUNNING');
    expect(atRevision.workflow.tasks.map((task) => [task.referenceTaskName, task.status])).toEqual([['first', 'COMPLETED']]);

    const atStart = (await orchestrator!.api.request('GET', `/api/workflow/${id}/state?atRevision=0`)).json() as { eventCount: number; workflow: { tasks: unknown[] } };
    expect(atStart).toMatchObject({ eventCount: 1, workflow: { tasks: [] } });
    const now = (await orchestrator!.api.request('GET', `/api/workflow/${id}/state?at=${new Date().toISOString()}`)).json() as { workflow: { status: string } };
    expect(now.workflow.status).toBe('COMPLETED');
    expect((await orchestrator!.api.request('GET', `/api/workflow/${id}/state?atRevision=x`)).status).toBe(400);
  });

  it('given an untouched history, when verified, then the hash chain holds; given one event altered in the store, then verification names it', async () => {
    const id = await start(orchestrator!.api, 'audited');
    await waitForStatus(orchestrator!.api, id, 'COMPLETED');
    const clean = (await orchestrator!.api.request('GET', `/api/workflow/${id}/verify`)).json() as Verification;
    expect(clean).toMatchObject({ valid: true, consistent: true });
    expect(clean.eventsChecked).toBe(clean.events);

    await orchestrator!.handle.stop();
    const db = new Database(path.join(dir, 'baton.db'));
    // An insider "fixes" a task's output directly in the database.
    const changed = db
      .prepare(`UPDATE events SET data = json_set(data, '$.output.stamped', 'forged') WHERE type = 'TaskCompleted' AND stream_id = (SELECT stream_id FROM streams WHERE name = ?) AND revision = (SELECT min(revision) FROM events e2 WHERE e2.type = 'TaskCompleted' AND e2.stream_id = events.stream_id)`)
      .run(`execution-${id}`);
    db.close();
    expect(changed.changes).toBe(1);

    restarted = await startOrchestrator({ dataDir: dir, port: orchestrator!.port, name: 'orchestrator-2' });
    const tampered = (await restarted.api.request('GET', `/api/workflow/${id}/verify`)).json() as Verification;
    const history = await restarted.api.history(id);
    const altered = history.find((event) => event.type === 'TaskCompleted')!;
    expect(tampered).toMatchObject({ valid: false, firstInvalid: { revision: altered.revision, reason: 'hash-mismatch' } });
  });
});
