import { simple, wait, workflow, workflowInput } from '@app/domain';
import { TerminalError, createWorker, type BatonWorker } from '@app/worker-sdk';
import { eventsOf, register, start, waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

describe('operator controls (HTTP, each an event in history)', () => {
  let orchestrator: OrchestratorProcess;
  const workers: BatonWorker[] = [];
  let toggleFails = true;

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('operator') });
    await register(
      orchestrator.api,
      [{ name: 'echo', retryCount: 0 }, { name: 'toggle', retryCount: 0 }],
      [
        workflow('gated').tasks(wait('gate'), simple('echo', 'after_gate', { v: workflowInput('v') })).build(),
        workflow('toggled').tasks(simple('toggle', 'toggle')).build(),
        workflow('echoes').tasks(simple('echo', 'first', { v: workflowInput('v') }), simple('echo', 'second', { v: '${first.output.v}' })).build(),
      ],
    );
    workers.push(
      createWorker({ taskType: 'echo', natsUrl: NATS_URL, handler: async (task) => ({ v: task.input.v }) }),
      createWorker({
        taskType: 'toggle',
        natsUrl: NATS_URL,
        handler: async () => {
          if (toggleFails) throw new TerminalError('switched off');
          return { ok: true };
        },
      }),
    );
    await Promise.all(workers.map((worker) => worker.start()));
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await stopAll([orchestrator?.handle]);
  });

  const call = (method: string, path: string, body?: unknown) => orchestrator.api.request(method, path, body);

  it('given a running execution, when paused, completed meanwhile and resumed, then nothing runs while paused and the flow goes on after resume', async () => {
    const id = await start(orchestrator.api, 'gated', { v: 1 });
    expect((await call('PUT', `/api/workflow/${id}/pause`)).status).toBe(200);
    await waitForStatus(orchestrator.api, id, 'PAUSED');

    expect((await call('POST', `/api/tasks/${id}/gate/COMPLETED`, { opened: true })).status).toBe(200);
    const paused = await orchestrator.api.workflow(id);
    expect(paused.status).toBe('PAUSED');
    expect(paused.tasks.map((task) => task.referenceTaskName)).toEqual(['gate']);

    const resumeRunning = await call('PUT', `/api/workflow/${id}/pause`);
    expect(resumeRunning.status).toBe(409);
    expect(resumeRunning.text).toMatch(/only a RUNNING execution can be paused/);

    expect((await call('PUT', `/api/workflow/${id}/resume`)).status).toBe(200);
    await waitForStatus(orchestrator.api, id, 'COMPLETED');
    const types = (await orchestrator.api.history(id)).map((event) => event.type);
    expect(types.indexOf('ExecutionPaused')).toBeLessThan(types.indexOf('ExecutionResumed'));

    const resumeCompleted = await call('PUT', `/api/workflow/${id}/resume`);
    expect(resumeCompleted.status).toBe(409);
    expect(resumeCompleted.text).toMatch(/only a PAUSED execution can be resumed/);
  });

  it('given a failed execution, when retried after the cause is fixed, then it completes; retrying a completed one is refused', async () => {
    toggleFails = true;
    const id = await start(orchestrator.api, 'toggled');
    await waitForStatus(orchestrator.api, id, 'FAILED');
    toggleFails = false;

    expect((await call('POST', `/api/workflow/${id}/retry`)).status).toBe(200);
    const done = await waitForStatus(orchestrator.api, id, 'COMPLETED');
    expect(done.tasks.map((task) => task.status)).toEqual(['FAILED_WITH_TERMINAL_ERROR', 'COMPLETED']);
    expect(eventsOf(await orchestrator.api.history(id), 'ExecutionRetried')).toHaveLength(1);

    const again = await call('POST', `/api/workflow/${id}/retry`);
    expect(again.status).toBe(409);
    expect(again.text).toMatch(/only a FAILED, TIMED_OUT or TERMINATED execution can be retried/);
  });

  it('given a completed execution, when rerun from its first task with new input, then it runs again from there with that input', async () => {
    const id = await start(orchestrator.api, 'echoes', { v: 1 });
    const first = await waitForStatus(orchestrator.api, id, 'COMPLETED');
    const firstTaskId = first.tasks[0]!.taskId;

    const rerun = await call('POST', `/api/workflow/${id}/rerun`, { reRunFromTaskId: firstTaskId, taskInput: { v: 2 } });
    expect(rerun.status).toBe(200);
    expect(rerun.text).toBe(id);
    const done = await waitFor('the rerun to complete', async () => {
      const workflow = await orchestrator.api.workflow(id);
      return workflow.status === 'COMPLETED' && workflow.tasks[0]?.taskId !== firstTaskId ? workflow : undefined;
    });
    expect(done.tasks.map((task) => [task.referenceTaskName, task.outputData.v])).toEqual([['first', 2], ['second', 2]]);
    expect(eventsOf(await orchestrator.api.history(id), 'ExecutionRerun')).toHaveLength(1);

    const bad = await call('POST', `/api/workflow/${id}/rerun`, {});
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/reRunFromTaskId/);
  });

  it('given a completed execution and a newer definition, when restarted with useLatestDefinitions, then it starts over on the new version', async () => {
    await register(orchestrator.api, [], [workflow('evolving', 1).tasks(simple('echo', 'one')).build()]);
    const id = await start(orchestrator.api, 'evolving', { v: 3 });
    await waitForStatus(orchestrator.api, id, 'COMPLETED');
    await register(orchestrator.api, [], [workflow('evolving', 2).tasks(simple('echo', 'one'), simple('echo', 'two')).build()]);

    expect((await call('POST', `/api/workflow/${id}/restart?useLatestDefinitions=true`)).status).toBe(200);
    const done = await waitFor('the restart to complete on v2', async () => {
      const workflow = (await orchestrator.api.request('GET', `/api/workflow/${id}`)).json() as { status: string; workflowVersion: number; tasks: { referenceTaskName: string }[] };
      return workflow.status === 'COMPLETED' && workflow.workflowVersion === 2 ? workflow : undefined;
    });
    expect(done.tasks.map((task) => task.referenceTaskName)).toEqual(['one', 'two']);
  });

  it('given a running execution, when terminated with a reason, then it ends TERMINATED with it; terminating again is refused', async () => {
    const id = await start(orchestrator.api, 'gated', { v: 4 });
    expect((await call('DELETE', `/api/workflow/${id}?reason=${encodeURIComponent('operator said so')}`)).status).toBe(200);
    const terminated = (await call('GET', `/api/workflow/${id}`)).json() as { status: string; reasonForIncompletion: string };
    expect(terminated).toMatchObject({ status: 'TERMINATED', reasonForIncompletion: 'operator said so' });
    expect((await call('DELETE', `/api/workflow/${id}`)).status).toBe(409);
  });

  it('given a pending task, when skipped with an output, then it is SKIPPED and the flow continues', async () => {
    const id = await start(orchestrator.api, 'gated', { v: 5 });
    expect((await call('PUT', `/api/workflow/${id}/skiptask/nope`, {})).status).toBe(404);
    expect((await call('PUT', `/api/workflow/${id}/skiptask/gate`, { taskOutput: { skipped: true } })).status).toBe(200);
    const done = await waitForStatus(orchestrator.api, id, 'COMPLETED');
    expect(done.tasks.map((task) => [task.referenceTaskName, task.status])).toEqual([['gate', 'SKIPPED'], ['after_gate', 'COMPLETED']]);
    expect((await call('PUT', `/api/workflow/${id}/skiptask/gate`, {})).status).toBe(409);
  });
});
