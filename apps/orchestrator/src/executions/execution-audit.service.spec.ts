import { simple, workflow } from '@app/domain';
import { InMemoryEventStore, appendChained } from '@app/event-store';
import { executionStream } from '@app/domain';
import { commandCore, register, type CommandCore } from '../testing/command-core';
import { ExecutionAuditService } from './execution-audit.service';

const v1 = workflow('flow', 1).tasks(simple('a', 'a')).build();
const v2 = workflow('flow', 2).tasks(simple('a', 'a'), simple('b', 'b')).build();
const api = { causationId: 'http:1', actor: 'api:test' };

/** Time travel, verification and restarts, in process: logic the HTTP controllers hand to services. */
describe('audits and restarts (in process)', () => {
  let core: CommandCore;
  let audit: ExecutionAuditService;
  let id: string;

  beforeEach(async () => {
    core = commandCore(new InMemoryEventStore());
    audit = new ExecutionAuditService(core.executions);
    await register(core, [v1]);
    ({ executionId: id } = await core.executions.start({ name: 'flow', version: 1 }, api));
    await core.executions.command(id, { type: 'ApplyTaskResult', taskId: `${id}-1`, status: 'COMPLETED', output: { n: 1 }, workerId: 'w' }, api);
  });

  it('given a history, when replayed up to a revision, then the state is the one after that event', async () => {
    const atStart = await audit.stateAt(id, { revision: 2n });
    expect(atStart).toMatchObject({ eventCount: 3, totalEvents: 5, state: { status: 'RUNNING' } });
    expect(atStart.state.tasks[`${id}-1`]?.status).toBe('SCHEDULED');
    expect(atStart.last?.revision).toBe(2n);

    expect((await audit.stateAt(id)).state.status).toBe('COMPLETED');
    expect((await audit.stateAt(id, { time: 0 })).eventCount).toBe(0);
  });

  it('given an untouched history, then its chain verifies', async () => {
    expect(await audit.verify(id)).toEqual({ verification: expect.objectContaining({ valid: true, checked: 5 }), inconsistency: undefined, events: 5 });
  });

  it('given an event spliced in with a valid chain, then the chain verifies but the history is reported inconsistent', async () => {
    await appendChained(core.store, executionStream(id), [{ id: '7c0d5a59-2f4e-4b8a-9a51-2f0a9d4b1c11', type: 'TaskCompleted', data: { taskId: `${id}-9`, output: {}, at: 99 }, metadata: { actor: 'intruder' } }]);

    const { verification, inconsistency } = await audit.verify(id);

    expect(verification.valid).toBe(true);
    expect(inconsistency).toEqual({ index: 5, type: 'TaskCompleted', problem: 'TaskCompleted after the execution ended (COMPLETED)' });
  });

  it('given no such execution, then audits say so', async () => {
    await expect(audit.stateAt('nope')).rejects.toMatchObject({ code: 'EXECUTION_NOT_FOUND' });
  });

  it('given a newer definition, when restarted with useLatestDefinitions, then it runs on it; without, on its own', async () => {
    await register(core, [v2]);

    await core.executions.restart(id, false, api);
    expect((await core.executions.get(id)).definition?.version).toBe(1);
    await core.executions.command(id, { type: 'TerminateExecution', reason: 'again' }, api);

    const restarted = await core.executions.restart(id, true, api);
    expect(restarted.definition?.version).toBe(2);
    expect(restarted.status).toBe('RUNNING');
  });

  it('given a running execution, when restarted, then the decider refuses it', async () => {
    const { executionId: running } = await core.executions.start({ name: 'flow' }, api);

    await expect(core.executions.restart(running, true, api)).rejects.toMatchObject({ code: 'INVALID_EXECUTION_STATE' });
  });
});
