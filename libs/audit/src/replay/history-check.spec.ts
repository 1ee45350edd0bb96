import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { decide, initialState, isStarted, replay, simple, wait, workflow, type ExecutionCommand, type ExecutionEvent, type ExecutionState } from '@app/domain';
import { completed, failed, runWorkflowTest, timedOut } from '@app/flow-testing';
import { orderFulfilmentWorkflow, orderTaskDefs } from '@app/samples';
import { checkHistory, type HistoryEvent } from './history-check';
import { invariantViolations } from './history-invariants';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/histories');

/** Stored events as the store hands them out: JSON round trip, revisions, one cause per decision. */
function stored(decisions: readonly (readonly ExecutionEvent[])[]): HistoryEvent[] {
  let revision = 0n;
  return decisions.flatMap((events, decision) =>
    events.map((event) => ({ revision: revision++, type: event.type, data: JSON.parse(JSON.stringify(event.data)) as unknown, metadata: { causationId: `cause-${decision}` } })),
  );
}

/** Runs commands through the decider at increasing times; returns each decision's events. */
function decisionsOf(executionId: string, commands: readonly ExecutionCommand[]): ExecutionEvent[][] {
  let state: ExecutionState = initialState(executionId);
  return commands.map((command, i) => {
    const decision = decide(command, state, { now: 1_000 * (i + 1) });
    if (decision.ignored) throw new Error(`${command.type} ignored: ${decision.ignored.reason}`);
    state = replay(decision.events, state);
    return [...decision.events];
  });
}

const order = { orderId: 'o-1', amount: 40, items: [], customer: { address: 'x' } };
const accepted = { validate_order: [completed()], reserve_inventory: [completed({ reservationId: 'r' })], check_fraud: [completed({ verdict: 'accept' })] };

describe('checkHistory: would the current code have stored this history?', () => {
  describe.each(readdirSync(FIXTURES).filter((file) => file.endsWith('.json')))('golden history %s', (file) => {
    it('given its events, when checked, then every decision is reproduced and the invariants hold', () => {
      const golden = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as { executionId: string; events: ExecutionEvent[] };
      const history = golden.events.map((event, i) => ({ revision: BigInt(i), type: event.type, data: event.data }));

      const check = checkHistory(golden.executionId, history);

      expect(check.difference).toBeUndefined();
      expect(check.ok).toBe(true);
    });
  });

  it('given order flows with retries, timeouts, a WAIT and compensating ends, when checked decision by decision, then each is reproduced', () => {
    const runs = [
      runWorkflowTest({ workflowDef: orderFulfilmentWorkflow, taskDefs: orderTaskDefs, input: order, taskRefToMockOutput: { ...accepted, charge_payment: [failed('down'), timedOut(), completed({ paymentId: 'p' })], wait_payment_confirmation: [completed()], ship_order: [completed()], notify_shipped: [completed()] } }),
      runWorkflowTest({ workflowDef: orderFulfilmentWorkflow, taskDefs: orderTaskDefs, input: order, taskRefToMockOutput: { ...accepted, check_fraud: [completed({ verdict: 'reject' })], notify_rejected: [completed()] } }),
      runWorkflowTest({ workflowDef: orderFulfilmentWorkflow, taskDefs: orderTaskDefs, input: order, taskRefToMockOutput: { ...accepted, charge_payment: [completed()], wait_payment_confirmation: [completed()], ship_order: [failed(), failed(), failed()] } }),
    ];
    expect(runs.map((run) => run.status)).toEqual(['COMPLETED', 'TERMINATED', 'FAILED']);

    for (const run of runs) {
      const check = checkHistory(run.executionId, run.events.map((event, i) => ({ revision: BigInt(i), type: event.type, data: JSON.parse(JSON.stringify(event.data)) as unknown })));
      expect(check.difference).toBeUndefined();
    }
  });

  it('given every operator control, when checked, then each control is rebuilt from its event and reproduced', () => {
    const def = workflow('controlled').tasks(simple('a', 'a'), wait('w'), simple('b', 'b')).build();
    const history = stored(
      decisionsOf('x', [
        { type: 'StartExecution', executionId: 'x', definition: def, taskDefs: {}, input: { n: 1 } },
        { type: 'ApplyTaskResult', taskId: 'x-1', status: 'IN_PROGRESS', workerId: 'w-1', logs: ['picked up'] },
        { type: 'PauseExecution', reason: 'maintenance' },
        { type: 'ApplyTaskResult', taskId: 'x-1', status: 'COMPLETED', output: { done: true }, workerId: 'w-1' },
        { type: 'ResumeExecution' },
        { type: 'SkipTask', taskRefName: 'w', output: { skipped: true }, reason: 'not needed' },
        { type: 'ApplyTaskResult', taskId: 'x-3', status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'broken' },
        { type: 'RetryExecution' },
        { type: 'TerminateExecution', reason: 'enough' },
        { type: 'RerunExecution', fromTaskId: 'x-1', taskInput: { again: true } },
        { type: 'TerminateExecution', reason: 'stop again' },
        { type: 'RestartExecution' },
      ]),
    );

    const check = checkHistory('x', history);

    expect(check.difference).toBeUndefined();
    expect(check.decisions).toBe(12);
  });

  describe('doctored histories', () => {
    const def = workflow('two').tasks(simple('a', 'a'), simple('b', 'b')).build();
    const clean = () =>
      stored(
        decisionsOf('d', [
          { type: 'StartExecution', executionId: 'd', definition: def, taskDefs: {}, input: {} },
          { type: 'ApplyTaskResult', taskId: 'd-1', status: 'COMPLETED', output: { v: 1 } },
          { type: 'ApplyTaskResult', taskId: 'd-2', status: 'COMPLETED', output: {} },
        ]),
      );

    it('given a clean history, when checked, then it passes', () => {
      expect(checkHistory('d', clean()).ok).toBe(true);
    });

    it('given a scheduled task the decider would not schedule, when checked, then it is reported at its revision with the differing field', () => {
      const history = clean();
      const index = history.findIndex((event, i) => i > 2 && event.type === 'TaskScheduled');
      history[index] = { ...history[index]!, data: { ...(history[index]!.data as object), taskRefName: 'c', taskDefName: 'c' } };

      const check = checkHistory('d', history);

      expect(check.ok).toBe(false);
      expect(check.difference).toMatchObject({ kind: 'event-differs', revision: BigInt(index), path: 'data.taskDefName' });
      expect(check.difference?.expected).toMatchObject({ type: 'TaskScheduled', data: { taskRefName: 'b' } });
    });

    it('given an event inserted on its own, when checked, then no command explains it', () => {
      const history = clean();
      const extra = { revision: 0n, type: 'TaskScheduled', data: { taskId: 'd-9', taskRefName: 'a', taskDefName: 'a', taskType: 'SIMPLE', attempt: 2, input: {}, at: 1_500 }, metadata: { causationId: 'forged' } };
      const doctored = [...history.slice(0, 3), extra, ...history.slice(3)].map((event, i) => ({ ...event, revision: BigInt(i) }));

      expect(checkHistory('d', doctored).difference).toMatchObject({ kind: 'unexplained-event', revision: 3n });
    });

    it('given the last event of a decision dropped, when checked, then the missing event is named', () => {
      const history = clean().slice(0, -1);

      expect(checkHistory('d', history).difference).toMatchObject({ kind: 'event-missing', expected: { type: 'ExecutionCompleted' } });
    });

    it('given a worker result stored again after its task completed, when checked, then the current decider ignores it and says so', () => {
      const history = clean();
      const firstCompletion = history.findIndex((event) => event.type === 'TaskCompleted');
      const duplicate = { ...history[firstCompletion]!, metadata: { causationId: 'redelivered' } };
      const doctored = [...history.slice(0, 6), duplicate, ...history.slice(6)].map((event, i) => ({ ...event, revision: BigInt(i) }));

      expect(checkHistory('d', doctored).difference).toMatchObject({ kind: 'command-ignored', revision: 6n, message: expect.stringContaining('DUPLICATE_RESULT') });
    });

    it('given one decision stored with two causes, when checked, then it is reported', () => {
      const history = clean();
      history[history.length - 1] = { ...history[history.length - 1]!, metadata: { causationId: 'someone-else' } };

      expect(checkHistory('d', history).difference).toMatchObject({ kind: 'mixed-causes', revision: BigInt(history.length - 1) });
    });

    it('given an event type this version does not know, when checked, then it is reported, not skipped', () => {
      const history = clean();
      history.push({ revision: BigInt(history.length), type: 'ExecutionArchived', data: { at: 9 }, metadata: { causationId: 'x' } });

      expect(checkHistory('d', history).difference).toMatchObject({ kind: 'unknown-event-type', revision: BigInt(history.length - 1) });
    });

    it('given a stream that does not start at revision 0 or is empty, when checked, then it fails', () => {
      expect(checkHistory('d', clean().slice(1)).difference).toMatchObject({ kind: 'invariant', revision: 1n });
      expect(checkHistory('d', []).ok).toBe(false);
    });
  });

  it('given folded states, then the invariants name ended executions with pending work and open ones nothing can move', () => {
    const [start] = decisionsOf('i', [{ type: 'StartExecution', executionId: 'i', definition: workflow('one').tasks(simple('a', 'a')).build(), taskDefs: {}, input: {} }]);
    const running = replay(start!, initialState('i'));
    if (!isStarted(running)) throw new Error('the start decision did not start the execution');
    expect(invariantViolations(running, 'i')).toEqual([]);
    expect(invariantViolations({ ...running, status: 'COMPLETED' }, 'i')[0]).toContain('with tasks still pending: a');
    expect(invariantViolations({ ...running, tasks: {}, taskOrder: [], timers: {} }, 'i')).toEqual(['it is RUNNING with no pending task and no armed timer: nothing can move it on']);
    expect(invariantViolations(running, 'other')[0]).toContain('in the stream of execution "other"');
  });
});
