import { simple, wait, workflow, workflowInput } from '@app/domain';
import type { BatonApi } from './support/baton-api';
import { eventsOf, register, waitForStatus } from './support/flows';
import { expectError, expectProblems } from './support/http-expect';
import { resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * Conductor's administration APIs over HTTP, with their refusals: remove (as an event), status,
 * running ids, correlated lookups in bulk, bulk controls, synchronous execute and signal, task logs,
 * task search, queue sizes, start with an inline definition, and the 404 for paths Baton does not
 * serve. The orchestrator runs as its own process on real NATS and a SQLite file; no worker runs,
 * so SIMPLE tasks stay queued. Run `npm run build` first.
 */

const HOLD = 'admin_hold';
const QUEUED = 'admin_queued';

describe("Conductor's administration APIs (orchestrator process, real NATS, SQLite file)", () => {
  let orchestrator: OrchestratorProcess;
  let api: BatonApi;

  const post = (path: string, body?: unknown) => api.request('POST', path, body);
  const start = (name: string, extra: Record<string, unknown> = {}) => api.expectOk('POST', '/api/workflow', { name, input: {}, ...extra });
  const json = async (method: string, path: string, body?: unknown) => {
    const response = await api.request(method, path, body);
    if (response.status !== 200) throw new Error(`${method} ${path} → ${response.status}: ${response.text}`);
    return response.json() as Record<string, unknown> & { tasks?: Record<string, unknown>[] };
  };

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: tempDir('http-api-conductor-admin') });
    api = orchestrator.api;
    await register(api, [{ name: 'admin_work', retryCount: 0 }], [
      workflow(HOLD).tasks(wait('hold')).build(),
      workflow(QUEUED).tasks(simple('admin_work', 'work', { n: workflowInput('n') })).build(),
    ]);
  });

  afterAll(async () => {
    await stopAll([orchestrator?.handle]);
  });

  describe('remove', () => {
    it('given a running execution, when removed with archiving, then 409 says to terminate first; without archiving it is terminated, removed and gone from reads and search, its history kept', async () => {
      const id = await start(HOLD, { correlationId: 'removed-1' });
      const searchHits = async () => (await json('GET', '/api/workflow/search?query=correlationId%3Dremoved-1')).totalHits;
      await waitFor('the search to list it', async () => (await searchHits()) === 1);

      const refused = await api.request('DELETE', `/api/workflow/${id}/remove`);
      const removed = await api.request('DELETE', `/api/workflow/${id}/remove?archiveWorkflow=false`);

      expect(expectError(refused, 409, 'INVALID_EXECUTION_STATE').message).toMatch(/terminate it first/);
      expect(removed.status).toBe(200);
      expectError(await api.request('GET', `/api/workflow/${id}`), 404, 'EXECUTION_NOT_FOUND');
      expectError(await api.request('GET', `/api/workflow/${id}/status`), 404, 'EXECUTION_NOT_FOUND');
      expectError(await api.request('DELETE', `/api/workflow/${id}/remove`), 404, 'EXECUTION_NOT_FOUND');
      expectError(await api.request('POST', `/api/workflow/${id}/restart`), 404, 'EXECUTION_NOT_FOUND');
      const history = await api.history(id);
      expect(history.map((event) => event.type).slice(-2)).toEqual(['ExecutionTerminated', 'ExecutionRemoved']);
      await waitFor('the search to drop it', async () => (await searchHits()) === 0);
    });
  });

  describe('status, running, correlated, decide', () => {
    it('given an execution, when its status is read, then only workflowId, correlationId and status come unless output and variables are asked for', async () => {
      const id = await start(HOLD, { correlationId: 'status-1' });

      expect(await json('GET', `/api/workflow/${id}/status`)).toEqual({ workflowId: id, correlationId: 'status-1', status: 'RUNNING' });
      expect(await json('GET', `/api/workflow/${id}/status?includeOutput=true&includeVariables=true`)).toEqual({ workflowId: id, correlationId: 'status-1', output: {}, variables: {}, status: 'RUNNING' });
      expectProblems(await api.request('GET', `/api/workflow/${id}/status?includeOutput=yes`), 'VALIDATION_FAILED', [['includeOutput', /true or false/]]);
    });

    it('given running and ended executions, when running ids are listed, then only the open ones of version 1 (Conductor\'s default); with a time range, any status created in it', async () => {
      const open = await start(HOLD);
      const ended = await start(HOLD);
      await api.expectOk('DELETE', `/api/workflow/${ended}`);

      // Both indexed, the ended one as TERMINATED (the read model follows the store a moment behind).
      await waitFor('both in the read model', async () => {
        const search = await json('GET', `/api/workflow/search?query=workflowType%3D${HOLD}%20AND%20status%20IN%20(RUNNING,TERMINATED)&size=1000`);
        const byId = new Map((search.results as { workflowId: string; status: string }[]).map((summary) => [summary.workflowId, summary.status]));
        return byId.get(open) === 'RUNNING' && byId.get(ended) === 'TERMINATED';
      });
      const running = (await json('GET', `/api/workflow/running/${HOLD}`)) as unknown as string[];
      const inRange = (await json('GET', `/api/workflow/running/${HOLD}?version=1&startTime=${Date.now() - 60_000}&endTime=${Date.now()}`)) as unknown as string[];

      expect(running).toContain(open);
      expect(running).not.toContain(ended);
      expect(inRange).toEqual(expect.arrayContaining([open, ended]));
      expect(await json('GET', `/api/workflow/running/${HOLD}?version=2`)).toEqual([]);
      expectProblems(await api.request('GET', `/api/workflow/running/${HOLD}?version=x`), 'VALIDATION_FAILED', [['version', /integer/]]);
    });

    it('given executions with correlation ids, when POST correlated with a list, then each id maps to its executions; a body that is not a list of ids is 400', async () => {
      const first = await start(HOLD, { correlationId: 'corr-a' });
      await waitFor('it in the read model', async () => ((await json('POST', `/api/workflow/${HOLD}/correlated`, ['corr-a'])) as Record<string, unknown[]>)['corr-a']!.length === 1);

      const answer = (await json('POST', `/api/workflow/${HOLD}/correlated?includeTasks=true`, ['corr-a', 'corr-none'])) as Record<string, { workflowId: string; tasks: unknown[] }[]>;

      expect(answer['corr-a']!.map((w) => [w.workflowId, w.tasks.length])).toEqual([[first, 1]]);
      expect(answer['corr-none']).toEqual([]);
      expectProblems(await post(`/api/workflow/${HOLD}/correlated`, { ids: ['x'] }), 'VALIDATION_FAILED', [['', /array of correlation ids/]]);
    });

    it('given an execution, when decide is asked, then 200 (Baton decides on every event); an unknown one is 404', async () => {
      const id = await start(HOLD);

      expect((await api.request('PUT', `/api/workflow/decide/${id}`)).status).toBe(200);
      expectError(await api.request('PUT', '/api/workflow/decide/no-such-execution'), 404, 'EXECUTION_NOT_FOUND');
    });

    it('given a running and an ended execution, when resetcallbacks, then 204 for the running one and 409 EXECUTION_ENDED for the ended one', async () => {
      const running = await start(HOLD);
      const ended = await start(HOLD);
      await api.expectOk('DELETE', `/api/workflow/${ended}`);

      expect((await post(`/api/workflow/${running}/resetcallbacks`)).status).toBe(204);
      expectError(await post(`/api/workflow/${ended}/resetcallbacks`), 409, 'EXECUTION_ENDED');
    });
  });

  describe('bulk controls', () => {
    it('given running, paused and unknown ids, when paused, resumed and terminated in bulk, then each id is a success or an error with its reason (BulkResponse)', async () => {
      const [a, b] = [await start(HOLD), await start(HOLD)];
      await api.expectOk('PUT', `/api/workflow/${b}/pause`);

      const paused = await json('PUT', '/api/workflow/bulk/pause', [a, b, 'ghost']);
      const resumed = await json('PUT', '/api/workflow/bulk/resume', [a, 'ghost']);
      const terminated = await json('POST', '/api/workflow/bulk/terminate?reason=cleanup', [a, b]);
      const reason = (await api.workflow(a)).reasonForIncompletion;
      const retried = await json('POST', '/api/workflow/bulk/retry', [a]);
      const restarted = await json('POST', '/api/workflow/bulk/restart', [b]);

      // Pausing a paused execution counts as a success, as in Conductor.
      expect(paused).toEqual({ bulkSuccessfulResults: [a, b], bulkErrorResults: { ghost: 'no execution with id ghost' } });
      expect(resumed).toEqual({ bulkSuccessfulResults: [a], bulkErrorResults: { ghost: 'no execution with id ghost' } });
      expect(terminated).toEqual({ bulkSuccessfulResults: [a, b], bulkErrorResults: {} });
      expect(reason).toBe('cleanup');
      expect(retried).toEqual({ bulkSuccessfulResults: [a], bulkErrorResults: {} });
      expect(restarted).toEqual({ bulkSuccessfulResults: [b], bulkErrorResults: {} });
      expect((await api.workflow(b)).status).toBe('RUNNING');
    });

    it.each([
      ['an empty list', []],
      ['not a list', { ids: ['a'] }],
      ['more than 1,000 ids', Array.from({ length: 1001 }, (_, i) => `id-${i}`)],
      ['a non-string id', ['a', 7]],
    ])('given %s, when a bulk control is sent, then 400 names the rule', async (_what, body) => {
      expectProblems(await api.request('PUT', '/api/workflow/bulk/pause', body), 'VALIDATION_FAILED', [['', /1 to 1000 execution ids/]]);
    });
  });

  describe('synchronous execute and signal', () => {
    it('given a workflow that waits for a signal, when executed synchronously, then the answer comes once it blocks; the signal then completes it and answers the ended workflow', async () => {
      const run = await json('POST', `/api/workflow/execute/${HOLD}/1?requestId=r-1&waitForSeconds=10`, { input: { x: 1 } });

      expect(run).toEqual(expect.objectContaining({ responseType: 'TARGET_WORKFLOW', requestId: 'r-1', status: 'RUNNING', targetWorkflowStatus: 'RUNNING', input: { x: 1 } }));
      expect(run).not.toHaveProperty('signalTimeout');
      const id = run.workflowId as string;
      const signalled = await json('POST', `/api/tasks/${id}/COMPLETED/signal/sync?returnStrategy=BLOCKING_WORKFLOW`, { ok: true });
      expect(signalled).toEqual(expect.objectContaining({ responseType: 'BLOCKING_WORKFLOW', workflowId: id, status: 'COMPLETED' }));
      expect(signalled.tasks?.map((task) => [task.referenceTaskName, task.status, task.outputData])).toEqual([['hold', 'COMPLETED', { ok: true }]]);
      expectError(await post(`/api/tasks/${id}/COMPLETED/signal`, {}), 409, 'EXECUTION_ENDED');
    });

    it('given a workflow whose worker never comes, when executed with waitForSeconds=1, then it answers RUNNING with signalTimeout; the queued task is counted in the queue size', async () => {
      const run = await json('POST', `/api/workflow/execute/${QUEUED}/0?waitForSeconds=1&returnStrategy=BLOCKING_TASK`, { input: { n: 1 } });

      expect(run).toEqual(expect.objectContaining({ targetWorkflowStatus: 'RUNNING', signalTimeout: true }));
      const sizes = await json('GET', '/api/tasks/queue/sizes?taskType=admin_work&taskType=admin_other');
      expect(sizes).toEqual({ admin_work: expect.any(Number), admin_other: 0 });
      expect(sizes.admin_work).toBeGreaterThanOrEqual(1);
      expectProblems(await api.request('GET', '/api/tasks/queue/sizes'), 'VALIDATION_FAILED', [['taskType', /required/]]);
      expectProblems(await api.request('POST', `/api/workflow/execute/${QUEUED}/1?returnStrategy=SOMETHING`, {}), 'VALIDATION_FAILED', [['returnStrategy', /TARGET_WORKFLOW/]]);
    });

    it('given a signal for an execution that waits on nothing a signal completes, then 404 UNKNOWN_TASK; a bad status is 400', async () => {
      const run = await json('POST', `/api/workflow/execute/${HOLD}/1`, {});
      const id = run.workflowId as string;
      await api.expectOk('POST', `/api/tasks/${id}/hold/COMPLETED`, {});
      await waitForStatus(api, id, 'COMPLETED');

      expectProblems(await post(`/api/tasks/${id}/DONE/signal`, {}), 'VALIDATION_FAILED', [['status', /COMPLETED/]]);
      expectError(await post(`/api/tasks/${id}/hold/COMPLETED/sync`, {}), 404, 'UNKNOWN_TASK');
    });
  });

  describe('task logs and search', () => {
    it('given a task, when log lines are posted, then they are events of its history and GET lists them with their time; a task without lines answers 204', async () => {
      const id = await start(QUEUED, { input: { n: 2 } });
      const taskId = `${id}-1`;

      expect((await api.request('GET', `/api/tasks/${taskId}/log`)).status).toBe(204);
      // The body is the line as a JSON string, as Conductor's SDKs send it.
      await api.expectOk('POST', `/api/tasks/${taskId}/log`, JSON.stringify('first line'));
      await api.expectOk('POST', `/api/tasks/${taskId}/log`, JSON.stringify('second line'));

      const logs = (await json('GET', `/api/tasks/${taskId}/log`)) as unknown as { log: string; taskId: string; createdTime: number }[];
      expect(logs.map((entry) => [entry.log, entry.taskId])).toEqual([
        ['first line', taskId],
        ['second line', taskId],
      ]);
      expect(logs.every((entry) => entry.createdTime > 0)).toBe(true);
      expect(eventsOf(await api.history(id), 'TaskLogAdded').map((event) => event.data.log)).toEqual(['first line', 'second line']);
      expectError(await post(`/api/tasks/${id}-9/log`, JSON.stringify('x')), 404, 'UNKNOWN_TASK');
      expectProblems(await post(`/api/tasks/${taskId}/log`, { not: 'a string' }), 'VALIDATION_FAILED', [['', /log line/]]);
    });

    it('given queued tasks, when task search filters by workflowId and status, then it finds them; an unknown status or field is 400', async () => {
      const id = await start(QUEUED, { input: { n: 3 } });

      const found = await waitFor('the task in search', async () => {
        const result = await json('GET', `/api/tasks/search?query=workflowId%3D${id}%20AND%20status%20IN%20(SCHEDULED,IN_PROGRESS)`);
        return result.totalHits === 1 ? result : undefined;
      });
      expect((found.results as Record<string, unknown>[])[0]).toEqual(expect.objectContaining({ taskId: `${id}-1`, taskType: 'admin_work', status: 'SCHEDULED', workflowType: QUEUED }));
      expectProblems(await api.request('GET', '/api/tasks/search?query=status%3DLOST'), 'VALIDATION_FAILED', [['query', /unknown task status LOST/]]);
      expectProblems(await api.request('GET', '/api/tasks/search?query=owner%3Dme'), 'VALIDATION_FAILED', [['query', /cannot read/]]);
    });
  });

  describe('start with an inline definition', () => {
    it('given a StartWorkflowRequest with a workflowDef, when started, then it runs that definition without registering it; an invalid one is 400 under workflowDef.', async () => {
      const inline = workflow('admin_inline_only', 3).tasks(wait('inline_hold')).build();

      const id = await start('admin_inline_only', { workflowDef: inline });
      const invalid = await post('/api/workflow', { name: 'admin_inline_bad', workflowDef: { name: 'admin_inline_bad', tasks: [] } });

      expect(await api.workflow(id)).toEqual(expect.objectContaining({ workflowName: 'admin_inline_only', workflowVersion: 3, status: 'RUNNING' }));
      expectError(await api.request('GET', '/api/metadata/workflow/admin_inline_only'), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');
      expect(expectError(invalid, 400, 'INVALID_DEFINITION').validationErrors?.map((problem) => problem.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^workflowDef\.tasks/)]));
    });
  });

  describe('paths Baton does not serve', () => {
    it.each([
      ['GET', '/api/workflow/search-v2'],
      ['GET', '/api/workflow/externalstoragelocation?path=x&operation=READ&payloadType=WORKFLOW_INPUT'],
      ['DELETE', '/api/workflow/bulk/remove'],
      ['POST', '/api/tasks/update-v2'],
      ['GET', '/api/tasks/queue/all'],
      ['POST', '/api/tasks/queue/requeue/admin_work'],
      ['POST', '/api/workflow/correlated/batch'],
    ])('given %s %s, when called, then 404 NOT_FOUND names the path (never "no execution with id …")', async (method, path) => {
      const body = expectError(await api.request(method, path, method === 'GET' || method === 'DELETE' ? undefined : {}), 404, 'NOT_FOUND');

      expect(body.message).toContain(`${method} ${path.split('?')[0]}`);
    });

    it('given a path of no known shape, when called, then 404 NOT_FOUND names it', async () => {
      expect(expectError(await api.request('GET', '/api/nothing/here'), 404, 'NOT_FOUND').message).toContain('/api/nothing/here');
    });
  });
});
