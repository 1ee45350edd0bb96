import { randomUUID } from 'node:crypto';
import type { EventStore } from '@app/event-store';
import { executionIdsWithKey, openEventStore } from './support/event-store-probe';
import { expectError, expectProblems } from './support/http-expect';
import { resetBatonStreams, startOrchestrator, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

/*
 * The execution half of the HTTP API, end to end: the real orchestrator (its own process, real
 * NATS, SQLite file in a temp dir). A process rather than in-process: Jest cannot load
 * @fastify/static's ESM-only dependency, which Swagger UI needs. Run `npm run build` first.
 *
 * The workflows are WAIT tasks with no duration: an execution stays RUNNING until the test
 * completes the WAIT (POST /api/tasks/{id}/{ref}/COMPLETED) or terminates it.
 */

type Json = Record<string, unknown>;

const MAX_PAYLOAD_BYTES = 16 * 1024;
const HOLD = 'http_hold';
const HOLD_TOO = 'http_hold_too';
const TWO_WAITS = 'http_two_waits';

const waitTask = (ref: string): Json => ({ name: ref, taskReferenceName: ref, type: 'WAIT', inputParameters: {} });
const holdDef = (name: string): Json => ({ name, version: 1, schemaVersion: 2, tasks: [waitTask('hold')], outputParameters: { approvedBy: '${hold.output.approvedBy}' } });

interface ConductorTaskView {
  taskId: string;
  referenceTaskName: string;
  status: string;
  taskType: string;
}

interface ConductorWorkflowView {
  workflowId: string;
  workflowName: string;
  workflowVersion: number;
  status: string;
  input: Json;
  output: Json;
  correlationId?: string;
  reasonForIncompletion?: string;
  tasks?: ConductorTaskView[];
}

interface HistoryEntryView {
  revision: string;
  type: string;
  data: Json;
  metadata: { correlationId: string; causationId: string; actor: string; client?: string; prevHash: string; hash: string };
}

describe('HTTP API: executions (orchestrator process, real NATS, SQLite file)', () => {
  let orchestrator: OrchestratorProcess;
  let store: EventStore;

  beforeAll(async () => {
    await resetBatonStreams();
    const dataDir = tempDir('http-executions');
    orchestrator = await startOrchestrator({ dataDir, name: 'http-executions', env: { BATON_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) } });
    store = openEventStore(dataDir);
    await orchestrator.api.expectOk('PUT', '/api/metadata/workflow', [
      holdDef(HOLD),
      holdDef(HOLD_TOO),
      { name: TWO_WAITS, version: 1, schemaVersion: 2, tasks: [waitTask('first'), waitTask('second')] },
    ]);
  });

  afterAll(async () => {
    await store?.close();
    await orchestrator?.handle.stop();
  });

  const request = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => orchestrator.api.request(method, path, body, headers);
  const start = (body: unknown, headers?: Record<string, string>) => request('POST', '/api/workflow', body, headers);
  const startOk = async (body: Json): Promise<string> => {
    const response = await start(body);
    expect({ status: response.status, text: response.text }).toEqual({ status: 200, text: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    return response.text;
  };
  const workflow = async (id: string, query = ''): Promise<ConductorWorkflowView> => JSON.parse(await orchestrator.api.expectOk('GET', `/api/workflow/${id}${query}`)) as ConductorWorkflowView;
  const complete = (id: string, ref: string, output: Json = {}, headers?: Record<string, string>) => request('POST', `/api/tasks/${id}/${ref}/COMPLETED`, output, headers);

  describe('POST /api/workflow and /api/workflow/{name} reject invalid start requests', () => {
    it('given a StartWorkflowRequest without name, when posted, then 400 names name', async () => {
      expectProblems(await start({ input: {} }), 'VALIDATION_FAILED', [['name', /name/]]);
    });

    it.each([
      { field: 'version', value: 'x', rule: /version must be an integer/ },
      { field: 'version', value: 0, rule: /version must not be less than 1/ },
      { field: 'input', value: [1, 2], rule: /input must be an object/ },
      { field: 'priority', value: 100, rule: /priority must not be greater than 99/ },
      { field: 'correlationId', value: 42, rule: /correlationId must be a string/ },
      { field: 'idempotencyKey', value: { k: 1 }, rule: /idempotencyKey must be a string/ },
      { field: 'idempotencyStrategy', value: 'MAYBE', rule: /idempotencyStrategy must be one of the following values: FAIL, RETURN_EXISTING, FAIL_ON_RUNNING/ },
    ])('given $field = $value, when started, then 400 names $field and the rule', async ({ field, value, rule }) => {
      expectProblems(await start({ name: HOLD, [field]: value }), 'VALIDATION_FAILED', [[field, rule]]);
    });

    it('given several wrong fields, when started, then one 400 names each of them', async () => {
      const response = await start({ name: HOLD, version: 'x', input: [], priority: 100, idempotencyStrategy: 'MAYBE' });

      expectProblems(response, 'VALIDATION_FAILED', [
        ['version', /integer/],
        ['input', /object/],
        ['priority', /99/],
        ['idempotencyStrategy', /FAIL, RETURN_EXISTING, FAIL_ON_RUNNING/],
      ]);
    });

    it.each([
      { what: 'a JSON array', body: [{ name: HOLD }] },
      { what: 'a JSON string', body: JSON.stringify('http_hold') },
      { what: 'no body at all', body: undefined },
    ])('given $what as the StartWorkflowRequest, when posted, then 400 (not 500) names name', async ({ body }) => {
      expectProblems(await start(body), 'VALIDATION_FAILED', [['name', /name/]]);
    });

    it('given an unknown workflow name, when started, then 404 WORKFLOW_DEFINITION_NOT_FOUND naming it', async () => {
      const body = expectError(await start({ name: 'no_such_flow' }), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');

      expect(body.message).toContain('no_such_flow');
    });

    it('given a known workflow and an unknown version, when started, then 404 naming the version', async () => {
      const byRequest = expectError(await start({ name: HOLD, version: 9 }), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');
      const byName = expectError(await request('POST', `/api/workflow/${HOLD}?version=9`, {}), 404, 'WORKFLOW_DEFINITION_NOT_FOUND');

      expect(byRequest.message).toMatch(/http_hold with version 9/);
      expect(byName.message).toMatch(/http_hold with version 9/);
    });

    it.each([
      { what: 'a JSON array', body: [1, 2] },
      { what: 'a JSON number', body: '42' },
      { what: 'a JSON string', body: '"hello"' },
    ])('given $what as the input of POST /api/workflow/{name}, when started, then 400 says the input must be an object', async ({ body }) => {
      expectProblems(await request('POST', `/api/workflow/${HOLD}`, body), 'VALIDATION_FAILED', [['', /input and must be a JSON object/]]);
    });

    it.each([
      { query: 'version=abc', field: 'version', rule: /integer/ },
      { query: 'priority=high', field: 'priority', rule: /integer/ },
      { query: 'priority=100', field: 'priority', rule: /99/ },
    ])('given ?$query on POST /api/workflow/{name}, when started, then 400 names $field', async ({ query, field, rule }) => {
      expectProblems(await request('POST', `/api/workflow/${HOLD}?${query}`, {}), 'VALIDATION_FAILED', [[field, rule]]);
    });

    it.each([
      { path: '/api/workflow', body: '{"name": "http_hold", ' },
      { path: `/api/workflow/${HOLD}`, body: '{not json}' },
      { path: '/api/metadata/workflow', body: '[{"name":' },
      { path: '/api/tasks', body: '{"taskId": }' },
    ])('given a malformed JSON body on POST $path, when sent, then 400 (not 500)', async ({ path, body }) => {
      const error = expectError(await request('POST', path, body), 400);

      expect(error.message).toMatch(/JSON/i);
    });

    it('given a body larger than BATON_MAX_PAYLOAD_BYTES, when started, then 413', async () => {
      const input = { blob: 'x'.repeat(MAX_PAYLOAD_BYTES) };

      const error = expectError(await request('POST', `/api/workflow/${HOLD}`, input), 413, 'PAYLOAD_TOO_LARGE');

      expect(error.message).toMatch(/too large/i);
    });
  });

  describe('GET /api/reports/tasks rejects invalid filters', () => {
    it('given since that is not an epoch-ms integer and an over-long workflowName, when asked, then one 400 names both', async () => {
      const response = await request('GET', `/api/reports/tasks?since=yesterday&workflowName=${'w'.repeat(300)}`);

      expectProblems(response, 'VALIDATION_FAILED', [
        ['since', /epoch milliseconds/],
        ['workflowName', /256/],
      ]);
    });

    it('given a negative since, when asked, then 400 names since', async () => {
      expectProblems(await request('GET', '/api/reports/tasks?since=-5'), 'VALIDATION_FAILED', [['since', /epoch milliseconds/]]);
    });
  });

  describe('unknown ids', () => {
    const unknownId = randomUUID();

    it('given an unknown execution id, when GET /api/workflow/{id}, then 404 EXECUTION_NOT_FOUND naming it', async () => {
      const body = expectError(await request('GET', `/api/workflow/${unknownId}`), 404, 'EXECUTION_NOT_FOUND');

      expect(body.message).toContain(unknownId);
    });

    it('given an unknown execution id, when GET its history, then 404 EXECUTION_NOT_FOUND', async () => {
      expectError(await request('GET', `/api/workflow/${unknownId}/history`), 404, 'EXECUTION_NOT_FOUND');
    });

    it('given an unknown execution id, when DELETE (terminate), then 404 EXECUTION_NOT_FOUND', async () => {
      expectError(await request('DELETE', `/api/workflow/${unknownId}`), 404, 'EXECUTION_NOT_FOUND');
    });

    it('given an unknown execution id, when a task of it is completed by reference name, then 404 EXECUTION_NOT_FOUND', async () => {
      expectError(await complete(unknownId, 'hold'), 404, 'EXECUTION_NOT_FOUND');
    });

    it('given a running execution, when a reference name it does not have is completed, then 404 UNKNOWN_TASK naming it', async () => {
      const id = await startOk({ name: HOLD });

      const body = expectError(await complete(id, 'no_such_ref'), 404, 'UNKNOWN_TASK');

      expect(body.message).toContain('no_such_ref');
      expect((await workflow(id)).status).toBe('RUNNING');
    });

    it('given a running execution, when POST /api/tasks/{id}/{ref}/BOGUS, then 400 names status and lists the allowed ones', async () => {
      const id = await startOk({ name: HOLD });

      expectProblems(await request('POST', `/api/tasks/${id}/hold/BOGUS`, {}), 'VALIDATION_FAILED', [['status', /COMPLETED, FAILED, FAILED_WITH_TERMINAL_ERROR, IN_PROGRESS/]]);
    });

    it('given a running execution, when its WAIT is completed with a non-object output, then 400', async () => {
      const id = await startOk({ name: HOLD });

      expectProblems(await request('POST', `/api/tasks/${id}/hold/COMPLETED`, [1]), 'VALIDATION_FAILED', [['', /output and must be a JSON object/]]);
      expect((await workflow(id)).status).toBe('RUNNING');
    });

    it('given a TaskResult for a task the execution does not have, when POST /api/tasks, then 404 UNKNOWN_TASK', async () => {
      const id = await startOk({ name: HOLD });
      const taskId = randomUUID();

      const body = expectError(await request('POST', '/api/tasks', { workflowInstanceId: id, taskId, status: 'COMPLETED', outputData: {} }), 404, 'UNKNOWN_TASK');

      expect(body.message).toContain(taskId);
    });

    it('given a TaskResult for an unknown execution, when POST /api/tasks, then 404 EXECUTION_NOT_FOUND', async () => {
      expectError(await request('POST', '/api/tasks', { workflowInstanceId: unknownId, taskId: randomUUID(), status: 'COMPLETED' }), 404, 'EXECUTION_NOT_FOUND');
    });

    it('given a TaskResult without taskId and with an unknown status, when POST /api/tasks, then 400 names both fields', async () => {
      const response = await request('POST', '/api/tasks', { workflowInstanceId: unknownId, status: 'DONE', outputData: 'x' });

      expectProblems(response, 'VALIDATION_FAILED', [
        ['taskId', /taskId/],
        ['status', /COMPLETED, FAILED/],
        ['outputData', /outputData must be an object/],
      ]);
    });
  });

  describe('idempotency keys', () => {
    const key = () => `order-${randomUUID()}`;

    it('given a key already used with FAIL, when started again, then 409 IDEMPOTENCY_CONFLICT naming the existing execution', async () => {
      const idempotencyKey = key();
      const first = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL' });

      const body = expectError(await start({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL' }), 409, 'IDEMPOTENCY_CONFLICT');

      expect(body.message).toContain(first);
      expect(body.details).toEqual(expect.objectContaining({ existingExecutionId: first, idempotencyKey, strategy: 'FAIL', existingStatus: 'RUNNING' }));
      expect(await executionIdsWithKey(store, idempotencyKey)).toEqual([first]);
    });

    it('given a key already used, when started again without a strategy, then FAIL applies (409)', async () => {
      const idempotencyKey = key();
      const first = await startOk({ name: HOLD, idempotencyKey });

      const body = expectError(await start({ name: HOLD, idempotencyKey }), 409, 'IDEMPOTENCY_CONFLICT');

      expect(body.details).toEqual(expect.objectContaining({ existingExecutionId: first, strategy: 'FAIL' }));
    });

    it('given a key already used with RETURN_EXISTING, when started again, then 200 with the same id and only one execution exists', async () => {
      const idempotencyKey = key();
      const first = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'RETURN_EXISTING', input: { n: 1 } });

      const second = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'RETURN_EXISTING', input: { n: 2 } });

      expect(second).toBe(first);
      expect(await executionIdsWithKey(store, idempotencyKey)).toEqual([first]);
      expect((await workflow(first)).input).toEqual({ n: 1 });
    });

    it('given a key whose execution ended, when started again with RETURN_EXISTING, then the ended execution is returned', async () => {
      const idempotencyKey = key();
      const first = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'RETURN_EXISTING' });
      await orchestrator.api.expectOk('POST', `/api/tasks/${first}/hold/COMPLETED`, {});

      expect(await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'RETURN_EXISTING' })).toBe(first);
    });

    it('given a running execution under FAIL_ON_RUNNING, when started again, then 409; when it has ended, then 200 with a new id, and the key points to the new one', async () => {
      const idempotencyKey = key();
      const first = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL_ON_RUNNING' });

      const whileRunning = expectError(await start({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL_ON_RUNNING' }), 409, 'IDEMPOTENCY_CONFLICT');
      expect(whileRunning.details).toEqual(expect.objectContaining({ existingExecutionId: first, existingStatus: 'RUNNING', strategy: 'FAIL_ON_RUNNING' }));

      await orchestrator.api.expectOk('POST', `/api/tasks/${first}/hold/COMPLETED`, {});
      expect((await workflow(first)).status).toBe('COMPLETED');
      const second = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL_ON_RUNNING' });

      expect(second).not.toBe(first);
      expect((await workflow(second)).status).toBe('RUNNING');
      expect(await executionIdsWithKey(store, idempotencyKey)).toEqual([first, second]);
      const again = expectError(await start({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL_ON_RUNNING' }), 409, 'IDEMPOTENCY_CONFLICT');
      expect(again.details).toEqual(expect.objectContaining({ existingExecutionId: second }));
    });

    it('given a FAIL_ON_RUNNING execution that was terminated, when started again with the key, then 200 with a new id', async () => {
      const idempotencyKey = key();
      const first = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL_ON_RUNNING' });
      await orchestrator.api.expectOk('DELETE', `/api/workflow/${first}?reason=superseded`);

      const second = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL_ON_RUNNING' });

      expect(second).not.toBe(first);
      expect(await executionIdsWithKey(store, idempotencyKey)).toEqual([first, second]);
    });

    it('given a FAIL_ON_RUNNING execution that ended, when 10 starts with its key race, then exactly one gets 200 with a new id and the others 409', async () => {
      const idempotencyKey = key();
      const first = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL_ON_RUNNING' });
      await orchestrator.api.expectOk('DELETE', `/api/workflow/${first}`);

      const responses = await Promise.all(Array.from({ length: 10 }, () => start({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL_ON_RUNNING' })));

      const winners = responses.filter((response) => response.status === 200).map((response) => response.text);
      expect(winners).toHaveLength(1);
      expect(winners[0]).not.toBe(first);
      for (const loser of responses.filter((response) => response.status !== 200)) expectError(loser, 409, 'IDEMPOTENCY_CONFLICT');
      expect(await executionIdsWithKey(store, idempotencyKey)).toEqual([first, winners[0]]);
    });

    it('given the same key on two different workflows, when both are started with FAIL, then both start (keys are per workflow)', async () => {
      const idempotencyKey = key();

      const one = await startOk({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL' });
      const other = await startOk({ name: HOLD_TOO, idempotencyKey, idempotencyStrategy: 'FAIL' });

      expect(other).not.toBe(one);
      expect((await workflow(other)).workflowName).toBe(HOLD_TOO);
    });

    it('given 10 concurrent starts with the same key and RETURN_EXISTING, when they race, then all get 200 with one execution id and one execution exists', async () => {
      const idempotencyKey = key();

      const responses = await Promise.all(Array.from({ length: 10 }, (_, n) => start({ name: HOLD, idempotencyKey, idempotencyStrategy: 'RETURN_EXISTING', input: { n } })));

      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
      const ids = new Set(responses.map((response) => response.text));
      expect(ids.size).toBe(1);
      const [id] = ids;
      expect(await executionIdsWithKey(store, idempotencyKey)).toEqual([id]);
      expect((await workflow(id!)).status).toBe('RUNNING');
    });

    it('given 10 concurrent starts with the same key and FAIL, when they race, then exactly one gets 200 and the others 409 naming its id', async () => {
      const idempotencyKey = key();

      const responses = await Promise.all(Array.from({ length: 10 }, () => start({ name: HOLD, idempotencyKey, idempotencyStrategy: 'FAIL' })));

      const winners = responses.filter((response) => response.status === 200);
      expect(winners).toHaveLength(1);
      const id = winners[0]!.text;
      const losers = responses.filter((response) => response.status !== 200).map((response) => expectError(response, 409, 'IDEMPOTENCY_CONFLICT'));
      expect(losers).toHaveLength(9);
      for (const loser of losers) expect(loser.details).toEqual(expect.objectContaining({ existingExecutionId: id }));
      expect(await executionIdsWithKey(store, idempotencyKey)).toEqual([id]);
    });
  });

  describe('what the API promises on the happy path', () => {
    it('given a started execution, when GET with includeTasks=true, then it is Conductor-shaped with its tasks', async () => {
      const id = await startOk({ name: HOLD, input: { orderId: 'o-1' }, correlationId: 'corr-shape' });

      const view = await workflow(id, '?includeTasks=true');

      expect(view).toEqual(
        expect.objectContaining({ workflowId: id, workflowName: HOLD, workflowVersion: 1, status: 'RUNNING', input: { orderId: 'o-1' }, correlationId: 'corr-shape' }),
      );
      expect(view.tasks).toEqual([expect.objectContaining({ taskId: expect.any(String), referenceTaskName: 'hold', status: 'IN_PROGRESS', taskType: 'WAIT' })]);
    });

    it('given a started execution, when GET with includeTasks=false, then tasks is [] (as Conductor); without the parameter, they are included', async () => {
      const id = await startOk({ name: HOLD });

      const without = await workflow(id, '?includeTasks=false');
      const byDefault = await workflow(id);

      expect(without).toEqual(expect.objectContaining({ workflowId: id, status: 'RUNNING' }));
      expect(without.tasks).toEqual([]);
      expect(byDefault.tasks).toHaveLength(1);
    });

    it.each(['includeTasks=maybe', 'includeTasks=1', 'includeTasks=true&includeTasks=false'])('given ?%s, when GET an execution, then 400 names includeTasks', async (query) => {
      const id = await startOk({ name: HOLD });

      expectProblems(await request('GET', `/api/workflow/${id}?${query}`), 'VALIDATION_FAILED', [['includeTasks', /true or false/]]);
    });

    it('given a running execution, when DELETE ?reason=x, then it is TERMINATED with that reason; a second DELETE is 409 EXECUTION_ENDED', async () => {
      const id = await startOk({ name: HOLD });

      const first = await request('DELETE', `/api/workflow/${id}?reason=customer%20cancelled`);
      const second = await request('DELETE', `/api/workflow/${id}?reason=again`);

      expect(first.status).toBe(200);
      const view = await workflow(id);
      expect(view).toEqual(expect.objectContaining({ status: 'TERMINATED', reasonForIncompletion: 'customer cancelled' }));
      expect(view.tasks?.map((task) => task.status)).toEqual(['CANCELED']);
      expect(expectError(second, 409, 'EXECUTION_ENDED').message).toContain('TERMINATED');
    });

    it('given a terminated execution, when its WAIT is completed, then 409 and it stays TERMINATED', async () => {
      const id = await startOk({ name: HOLD });
      await orchestrator.api.expectOk('DELETE', `/api/workflow/${id}`);

      expectError(await complete(id, 'hold'), 409);

      expect((await workflow(id)).status).toBe('TERMINATED');
    });

    it('given a WAIT, when completed over HTTP, then 200 with the task id and the output flows to the workflow; completing it again is 409', async () => {
      const id = await startOk({ name: HOLD });
      const taskId = (await workflow(id)).tasks![0]!.taskId;

      const first = await complete(id, 'hold', { approvedBy: 'alice' });
      const second = await complete(id, 'hold', { approvedBy: 'mallory' });

      expect({ status: first.status, text: first.text }).toEqual({ status: 200, text: taskId });
      expect(await workflow(id)).toEqual(expect.objectContaining({ status: 'COMPLETED', output: { approvedBy: 'alice' } }));
      expectError(second, 409);
    });

    it('given two WAITs, when the first is completed twice while the execution still runs, then the second is 409 DUPLICATE_RESULT and nothing changes', async () => {
      const id = await startOk({ name: TWO_WAITS });
      await orchestrator.api.expectOk('POST', `/api/tasks/${id}/first/COMPLETED`, { n: 1 });
      const before = await orchestrator.api.history(id);

      expectError(await complete(id, 'first', { n: 2 }), 409, 'DUPLICATE_RESULT');
      expectError(await request('POST', `/api/tasks/${id}/first/FAILED`, {}), 409, 'TASK_NOT_PENDING');

      const view = await workflow(id);
      expect(view.status).toBe('RUNNING');
      expect(view.tasks?.map((task) => [task.referenceTaskName, task.status])).toEqual([
        ['first', 'COMPLETED'],
        ['second', 'IN_PROGRESS'],
      ]);
      expect(await orchestrator.api.history(id)).toHaveLength(before.length);
    });

    it('given an execution started and completed over HTTP, when GET its history, then events come oldest first with consecutive revisions, cause metadata and an unbroken hash chain', async () => {
      const id = (await start({ name: HOLD, correlationId: 'corr-history' }, { 'x-request-id': 'req-start', 'x-baton-client': 'http-api-test' })).text;
      await waitFor('the WAIT to be scheduled', async () => (await workflow(id)).tasks?.length === 1);
      expect((await complete(id, 'hold', { approvedBy: 'bob' }, { 'x-request-id': 'req-complete', 'x-baton-client': 'approver-ui' })).status).toBe(200);

      const response = await request('GET', `/api/workflow/${id}/history`);

      expect(response.status).toBe(200);
      const history = response.json() as HistoryEntryView[];
      expect(history.map((event) => event.type)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TaskCompleted', 'ExecutionCompleted']);
      expect(history.map((event) => event.revision)).toEqual(['0', '1', '2', '3']);
      // The actor is the authenticated caller (anonymous: auth is off here); the client header is kept apart, as `client`.
      expect(history.map((event) => [event.metadata.causationId, event.metadata.actor, event.metadata.client])).toEqual([
        ['req-start', 'anonymous', 'http-api-test'],
        ['req-start', 'anonymous', 'http-api-test'],
        ['req-complete', 'anonymous', 'approver-ui'],
        ['req-complete', 'anonymous', 'approver-ui'],
      ]);
      for (const event of history) expect(event.metadata.correlationId).toBe('corr-history');
      expect(history[0]!.metadata.prevHash).toBe('0'.repeat(64));
      for (const [i, event] of history.entries()) {
        expect(event.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
        if (i > 0) expect(event.metadata.prevHash).toBe(history[i - 1]!.metadata.hash);
      }
    });

    it('given a running orchestrator, when GET /health, then 200 with the event store and NATS up', async () => {
      const response = await request('GET', '/health');

      expect(response.status).toBe(200);
      expect(response.json()).toEqual(
        expect.objectContaining({ status: 'ok', info: expect.objectContaining({ eventStore: expect.objectContaining({ status: 'up' }), nats: expect.objectContaining({ status: 'up' }) }) }),
      );
    });

    it('given executions were started, when GET /metrics, then Prometheus text with baton_ metrics counts them', async () => {
      await startOk({ name: HOLD });

      const response = await request('GET', '/metrics');

      expect(response.status).toBe(200);
      expect(response.text).toMatch(/^# HELP baton_/m);
      const started = /^baton_executions_started_total\{workflow="http_hold"\} (\d+)$/m.exec(response.text);
      expect(Number(started?.[1])).toBeGreaterThan(0);
    });

    it('given a running orchestrator, when GET /api/docs and /api/docs-json, then the Swagger UI and the OpenAPI document with the API paths', async () => {
      const ui = await request('GET', '/api/docs');
      const document = await request('GET', '/api/docs-json');

      expect(ui.status).toBe(200);
      expect(ui.text).toMatch(/swagger-ui/i);
      expect(document.status).toBe(200);
      const openApi = document.json() as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
      expect(openApi.openapi).toMatch(/^3\./);
      expect(openApi.info.title).toBe('Baton');
      expect(Object.keys(openApi.paths)).toEqual(
        expect.arrayContaining(['/api/metadata/workflow', '/api/metadata/taskdefs', '/api/workflow', '/api/workflow/{id}', '/api/workflow/{id}/history', '/api/tasks', '/api/reports/tasks', '/health']),
      );
    });

    it('given the OpenAPI document, then every operation declares its 2xx answers (a schema for each body, or explicitly no body) and the ApiError shape for errors, and every $ref resolves', async () => {
      const openApi = (await request('GET', '/api/docs-json')).json() as OpenApiDocument;
      const schemas = openApi.components?.schemas ?? {};

      const problems: string[] = [];
      for (const [path, operations] of Object.entries(openApi.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const name = `${method.toUpperCase()} ${path}`;
          const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
          if (success.length === 0) problems.push(`${name}: no 2xx answer`);
          for (const [status, response] of success) {
            const bodies = Object.entries(response.content ?? {});
            // Nest's undeclared default is a bare `{ description: '' }`: neither a body schema nor a statement of no body.
            if (bodies.length === 0 && status !== '204' && !response.description) problems.push(`${name}: ${status} is bare`);
            for (const [mediaType, body] of bodies) if (!body.schema) problems.push(`${name}: ${status} ${mediaType} has no schema`);
          }
          if (operation.responses.default?.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ApiError') problems.push(`${name}: errors are not ApiError`);
        }
      }
      for (const target of JSON.stringify(openApi).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
        if (!(target[1] in schemas)) problems.push(`$ref to a missing schema: ${target[1]}`);
      }

      expect(problems).toEqual([]);
      expect(openApi.paths['/api/workflow/{id}'].get.responses['200'].content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Workflow' });
      expect(schemas.Workflow.properties?.tasks).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Task' } });
    });
  });
});

/** The parts of an OpenAPI 3 document the schema test reads. */
interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  readonly components?: { readonly schemas?: Record<string, { properties?: Record<string, unknown> }> };
}

interface OpenApiResponse {
  readonly description?: string;
  readonly content?: Record<string, { schema?: { $ref?: string } }>;
}
