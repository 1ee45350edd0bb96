import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpTask, inline, jsonJqTransform, lambda, workflow, workflowInput, type ExecutionState, type WorkflowDef } from '@app/domain';
import { InMemoryEventStore } from '@app/event-store';
import { JqEngine, ScriptEngine } from '@app/scripts';
import { waitFor } from '@app/testing/wait-for';
import { OrchestratorMetrics } from '../../health/orchestrator-metrics.service';
import type { TaskLimitsService } from '../../limits/task-limits.service';
import { commandCore, register, type CommandCore } from '../../testing/command-core';
import { RecordingPublisher } from '../../testing/recording-publisher';
import { TimerService } from '../../timers/timer.service';
import { ExecutionEffectsService } from '../execution-effects.service';
import { TaskDispatcher } from '../task-dispatcher.service';
import { HttpTaskRunner } from './http-task.runner';
import { InProcessTasks } from './in-process-tasks.service';
import { JqTaskRunner } from './jq-task.runner';
import { ScriptTaskRunner } from './script-task.runner';

const api = { causationId: 'http:1', actor: 'api:test' };
const noLimits = {} as TaskLimitsService;

/** A loopback HTTP server whose routes the tests script; it counts requests and concurrent ones. */
class TestServer {
  readonly requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  concurrent = 0;
  maxConcurrent = 0;
  private readonly held: ServerResponse[] = [];
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  releaseHeld(): void {
    for (const response of this.held.splice(0)) response.end('{"released":true}');
  }

  async stop(): Promise<void> {
    this.releaseHeld();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.requests.push({ method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString() });
    this.concurrent += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    response.on('close', () => (this.concurrent -= 1));
    const path = request.url!.split('?')[0];
    switch (path) {
      case '/ok':
        response.writeHead(200, { 'content-type': 'application/json', 'x-trace': 'abc' }).end(JSON.stringify({ n: 2, tags: ['a'] }));
        return;
      case '/text':
        response.writeHead(201, { 'content-type': 'text/plain' }).end('plain words');
        return;
      case '/echo':
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: request.method, contentType: request.headers['content-type'], accept: request.headers['accept'], custom: request.headers['x-custom'], body: Buffer.concat(chunks).toString() }));
        return;
      case '/busy':
        response.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
        return;
      case '/true':
        response.writeHead(200, { 'content-type': 'application/json' }).end('true');
        return;
      case '/number':
        response.writeHead(200, { 'content-type': 'application/json' }).end('42.5');
        return;
      case '/empty':
        response.writeHead(204).end();
        return;
      case '/redirect':
        response.writeHead(302, { location: '/ok' }).end();
        return;
      case '/big':
        response.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(4096));
        return;
      case '/hold':
        this.held.push(response);
        return;
      default:
        response.writeHead(404).end();
    }
  }
}

describe('in-process tasks (HTTP, INLINE, LAMBDA, JSON_JQ_TRANSFORM) through the command path', () => {
  const server = new TestServer();
  let jq: JqEngine;
  let timers: TimerService;
  let inProcess: InProcessTasks;
  let core: CommandCore;

  beforeAll(async () => {
    await server.start();
    jq = new JqEngine({ timeoutMs: 2_000, memoryBytes: 64 * 1024 * 1024 });
  });
  afterAll(async () => {
    await server.stop();
    await jq.close();
  });

  beforeEach(() => {
    const metrics = new OrchestratorMetrics();
    const scripts = ScriptEngine.load({ timeoutMs: 500, memoryBytes: 16 * 1024 * 1024, stackBytes: 256 * 1024 });
    const commands = { command: (...args: Parameters<CommandCore['executions']['command']>) => core.executions.command(...args) };
    inProcess = new InProcessTasks([new HttpTaskRunner({ concurrency: 2, maxBodyBytes: 1024 }), new ScriptTaskRunner(() => scripts), new JqTaskRunner(jq)], commands, metrics);
    core = commandCore(new InMemoryEventStore(), {
      metrics,
      effects: ({ clock }) => {
        timers = new TimerService(clock, metrics);
        return new ExecutionEffectsService(new TaskDispatcher(new RecordingPublisher().asPublisher(), metrics, noLimits), timers, metrics, inProcess);
      },
    });
  });
  afterEach(async () => {
    server.releaseHeld();
    await inProcess.onApplicationShutdown();
    timers.onApplicationShutdown();
  });

  async function run(definition: WorkflowDef, input: Record<string, unknown> = {}, taskDefs: Parameters<typeof register>[2] = []): Promise<ExecutionState> {
    await register(core, [definition], taskDefs);
    const { executionId } = await core.executions.start({ name: definition.name, input }, api);
    return waitFor(`execution ${executionId} to end`, async () => {
      const { state } = await core.repository.load(executionId);
      return ['COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT'].includes(state.status) ? state : undefined;
    }, { timeoutMs: 15_000 });
  }
  const output = (state: ExecutionState, ref: string) => Object.values(state.tasks).filter((task) => task.taskRefName === ref).at(-1)?.output;
  const taskOf = (state: ExecutionState, ref: string) => Object.values(state.tasks).filter((task) => task.taskRefName === ref).at(-1)!;

  it('given HTTP → jq → LAMBDA → INLINE, when started, then each runs in the orchestrator and feeds the next, and the execution completes', async () => {
    const definition = workflow('chain')
      .tasks(
        httpTask('call', { uri: '${workflow.input.base}/ok', method: 'GET' }),
        jsonJqTransform('shape', '.body.n * 10', { body: '${call.output.response.body}' }),
        lambda('calc', 'return $.n + $.tags.size();', { n: '${shape.output.result}', tags: '${call.output.response.body.tags}' }),
        inline('final', 'var r = Math.random(); [$.v, /^(\\d+)$/.test(String($.v)), r >= 0 && r < 1, typeof Date.now()]', { v: '${calc.output.result}' }),
      )
      .build();
    const state = await run(definition, { base: server.base });
    expect(state.status).toBe('COMPLETED');
    expect(output(state, 'call')).toEqual({ response: { statusCode: 200, reasonPhrase: 'OK', headers: expect.objectContaining({ 'content-type': ['application/json'], 'x-trace': ['abc'] }), body: { n: 2, tags: ['a'] } } });
    expect(output(state, 'shape')).toEqual({ result: 20, resultList: [20] });
    expect(output(state, 'calc')).toEqual({ result: 21 });
    expect(output(state, 'final')).toEqual({ result: [21, true, true, 'number'] });
  });

  it('given a POST with headers, a body, accept and contentType, then the server receives them; a text body stays text', async () => {
    const definition = workflow('post')
      .tasks(
        httpTask('send', { uri: `${server.base}/echo`, method: 'post', headers: { 'x-custom': 7, skipped: null }, body: { a: 1 }, accept: ['application/json', 'text/plain'] }),
        httpTask('text', { uri: `${server.base}/text`, method: 'GET' }),
      )
      .build();
    const state = await run(definition);
    expect((output(state, 'send')!['response'] as { body: unknown }).body).toEqual({ method: 'POST', contentType: 'application/json', accept: 'application/json, text/plain', custom: '7', body: '{"a":1}' });
    expect(output(state, 'text')!['response']).toMatchObject({ statusCode: 201, body: 'plain words' });
  });

  it('given bodies of each kind, then JSON is parsed (a scalar but a number as its text, as Conductor), an empty body is null, a redirect is followed', async () => {
    const definition = workflow('bodies')
      .tasks(
        httpTask('bool', { uri: `${server.base}/true`, method: 'GET' }),
        httpTask('num', { uri: `${server.base}/number`, method: 'GET' }),
        httpTask('none', { uri: `${server.base}/empty`, method: 'DELETE' }),
        httpTask('moved', { uri: `${server.base}/redirect`, method: 'GET' }),
      )
      .build();
    const state = await run(definition);
    expect(['bool', 'num', 'none', 'moved'].map((ref) => (output(state, ref)!['response'] as { statusCode: number; body: unknown }))).toMatchObject([
      { statusCode: 200, body: 'true' },
      { statusCode: 200, body: 42.5 },
      { statusCode: 204, body: null },
      { statusCode: 200, body: { n: 2, tags: ['a'] } },
    ]);
  });

  it('given asyncComplete, when the call answers 2xx, then the task stays in progress with the response until a result completes it', async () => {
    const definition = workflow('async_http').tasks({ ...httpTask('notify', { uri: `${server.base}/ok`, method: 'GET' }), asyncComplete: true }).build();
    await register(core, [definition]);
    const { executionId } = await core.executions.start({ name: 'async_http', input: {} }, api);
    const task = await waitFor('the call to be reported', async () => {
      const { state } = await core.repository.load(executionId);
      const notify = taskOf(state, 'notify');
      return notify.status === 'IN_PROGRESS' && notify.output['response'] ? notify : undefined;
    });
    expect(task.output['response']).toMatchObject({ statusCode: 200 });
    await core.executions.commandOrThrow(executionId, { type: 'ApplyTaskResult', taskId: task.taskId, status: 'COMPLETED', output: { confirmed: true } }, api);
    const { state } = await core.repository.load(executionId);
    expect(state.status).toBe('COMPLETED');
  });

  it('given a 503 and a task definition of the task\'s name with one retry, then it is called twice and the execution fails with the status', async () => {
    const before = server.requests.filter((request) => request.url === '/busy').length;
    const definition = workflow('busy').tasks(httpTask('call_busy', { uri: `${server.base}/busy`, method: 'GET' })).build();
    const state = await run(definition, {}, [{ name: 'call_busy', retryCount: 1, retryDelaySeconds: 0 }]);
    expect(server.requests.filter((request) => request.url === '/busy').length - before).toBe(2);
    expect(state.status).toBe('FAILED');
    expect(taskOf(state, 'call_busy')).toMatchObject({ attempt: 2, status: 'FAILED', reason: 'HTTP 503 Service Unavailable', output: { response: { statusCode: 503, body: 'busy' } } });
  });

  it('given a server that does not answer within readTimeOut, then the attempt fails with the timeout (no retry without a task definition)', async () => {
    const definition = workflow('slow').tasks(httpTask('call_slow', { uri: `${server.base}/hold`, method: 'GET', connectionTimeOut: 100, readTimeOut: 200 })).build();
    const state = await run(definition);
    expect(taskOf(state, 'call_slow')).toMatchObject({ attempt: 1, status: 'FAILED', reason: expect.stringMatching(/^Failed to invoke HTTP task due to: no response within 300 ms/) });
  });

  it('given a body larger than the limit, or no uri, then the attempt fails with why', async () => {
    const definition = workflow('bad_http').tasks(httpTask('big', { uri: `${server.base}/big`, method: 'GET' })).build();
    expect(taskOf(await run(definition), 'big').reason).toMatch(/larger than the limit of 1024 bytes/);
    const noUri = workflow('no_uri').tasks(httpTask('nouri', { method: 'GET' })).build();
    expect(taskOf(await run(noUri), 'nouri').reason).toBe('Missing HTTP URI.  See documentation for HttpTask for required input parameters');
  });

  it('given more HTTP tasks than the concurrency bound, then at most that many run at once and all complete', async () => {
    server.maxConcurrent = 0;
    const definition = workflow('many').tasks(httpTask('hold', { uri: `${server.base}/hold`, method: 'GET', readTimeOut: 10_000 })).build();
    await register(core, [definition]);
    const ids = await Promise.all([1, 2, 3, 4, 5].map(async () => (await core.executions.start({ name: 'many', input: {} }, api)).executionId));
    await waitFor('two held requests', () => server.concurrent === 2);
    expect(server.maxConcurrent).toBe(2);
    // Answer whatever is held until every execution has completed: the queued calls go out as slots free up.
    await waitFor('all five to complete', async () => {
      server.releaseHeld();
      const states = await Promise.all(ids.map(async (id) => (await core.repository.load(id)).state.status));
      return states.every((status) => status === 'COMPLETED');
    });
    expect(server.maxConcurrent).toBe(2);
  });

  it('given an INLINE script error, then the task fails for good with Conductor\'s reason; a LAMBDA error fails the attempt', async () => {
    const broken = workflow('inline_error').tasks(inline('boom', '$.missing.field')).build();
    const state = await run(broken, {}, [{ name: 'boom', retryCount: 2, retryDelaySeconds: 0 }]);
    expect(taskOf(state, 'boom')).toMatchObject({ attempt: 1, status: 'FAILED_WITH_TERMINAL_ERROR', reason: expect.stringMatching(/^Error evaluating the script `TypeError: .*`/) });
    const lambdaBroken = workflow('lambda_error').tasks(lambda('oops', 'throw new Error("no luck");')).build();
    const lambdaState = await run(lambdaBroken, {}, [{ name: 'oops', retryCount: 1, retryDelaySeconds: 0 }]);
    expect(taskOf(lambdaState, 'oops')).toMatchObject({ attempt: 2, status: 'FAILED', reason: 'Error: no luck at line 2', output: { error: 'Error: no luck at line 2' } });
  });

  it('given a jq program that does not compile, then the task fails with jq\'s message', async () => {
    const definition = workflow('jq_error').tasks(jsonJqTransform('shape', '.a | nosuchfn')).build();
    expect(taskOf(await run(definition), 'shape')).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('nosuchfn/0 is not defined') });
  });

  it('given a workflow terminated while its HTTP task runs, then the call is aborted and its outcome never recorded', async () => {
    const definition = workflow('cancel').tasks(httpTask('held', { uri: `${server.base}/hold`, method: 'GET', readTimeOut: 10_000 })).build();
    await register(core, [definition]);
    const { executionId } = await core.executions.start({ name: 'cancel', input: { x: workflowInput('x') } }, api);
    await waitFor('the held request', () => server.concurrent === 1);
    await core.executions.commandOrThrow(executionId, { type: 'TerminateExecution', reason: 'enough' }, api);
    await waitFor('the call to be aborted', () => server.concurrent === 0);
    await inProcess.flush();
    const { state } = await core.repository.load(executionId);
    expect(taskOf(state, 'held').status).toBe('CANCELED');
  });
});
