import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpTask, inline, jsonJqTransform, lambda, workflow, workflowInput } from '@app/domain';
import { waitFor } from '@app/testing/wait-for';
import { eventsOf, register, start, waitForStatus } from './support/flows';
import { resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

interface ConductorTask {
  referenceTaskName: string;
  taskType: string;
  status: string;
  retryCount?: number;
  reasonForIncompletion?: string;
  outputData: Record<string, unknown>;
}

/** A loopback HTTP service the HTTP tasks call: `/quote` answers JSON, `/busy` 503, `/hold` only when released. */
class QuoteService {
  readonly calls: string[] = [];
  private readonly held: ServerResponse[] = [];
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  heldCount(): number {
    return this.held.filter((response) => !response.destroyed && !response.writableEnded).length;
  }

  release(): void {
    for (const response of this.held.splice(0)) if (!response.destroyed) response.writeHead(200, { 'content-type': 'application/json' }).end('{"released":true}');
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    this.calls.push(`${request.method} ${request.url}`);
    if (request.url === '/quote') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [{ sku: 'a', price: 2 }, { sku: 'b', price: 5 }] }));
    else if (request.url === '/busy') response.writeHead(503).end('busy');
    else if (request.url === '/hold') this.held.push(response);
    else response.writeHead(404).end();
  }
}

/**
 * HTTP, JSON_JQ_TRANSFORM, LAMBDA and INLINE through a real orchestrator process (real NATS, SQLite):
 * the decider schedules them, the orchestrator's in-process runners run them and record their
 * outcomes; a task cut short by a crash runs again after the restart.
 */
describe('system tasks the orchestrator runs (HTTP, JSON_JQ_TRANSFORM, LAMBDA, INLINE) end to end', () => {
  const quotes = new QuoteService();
  const dataDir = tempDir('system-tasks');
  let orchestrator: OrchestratorProcess;

  beforeAll(async () => {
    await quotes.start();
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir, name: 'orchestrator-1' });
    await register(
      orchestrator.api,
      [{ name: 'call_busy', retryCount: 1, retryDelaySeconds: 0 }],
      [
        workflow('priced_order')
          .tasks(
            httpTask('quote', { uri: '${workflow.input.base}/quote', method: 'GET' }),
            jsonJqTransform('prices', '[.quote.items[] | .price]', { quote: '${quote.output.response.body}' }),
            lambda('total', 'var sum = 0; for (var i = 0; i < $.prices.size(); i++) sum += $.prices.get(i); return sum;', { prices: '${prices.output.result}' }),
            inline('label', '(function () { var stamp = new Date(0).toISOString(); return /^\\d+$/.test(String($.total)) ? "total " + $.total + " at " + stamp : "?"; })()', { total: '${total.output.result}' }),
          )
          .outputs({ label: '${label.output.result}', prices: '${prices.output.resultList}' })
          .build(),
        workflow('busy_call').tasks(httpTask('call_busy', { uri: workflowInput('uri'), method: 'GET' })).build(),
        workflow('held_call').tasks(httpTask('call_held', { uri: workflowInput('uri'), method: 'GET', readTimeOut: 60_000 })).build(),
      ],
    );
  });

  afterAll(async () => {
    await stopAll([orchestrator?.handle]);
    await quotes.stop();
  });

  it('given HTTP → jq → LAMBDA → INLINE, when started, then each runs in the orchestrator, feeds the next, and the execution completes with their outputs', async () => {
    const id = await start(orchestrator.api, 'priced_order', { base: quotes.base });
    const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as { output: Record<string, unknown>; tasks: ConductorTask[] };
    expect(done.output).toEqual({ label: 'total 7 at 1970-01-01T00:00:00.000Z', prices: [[2, 5]] });
    expect(done.tasks.map((task) => [task.referenceTaskName, task.taskType, task.status])).toEqual([
      ['quote', 'HTTP', 'COMPLETED'],
      ['prices', 'JSON_JQ_TRANSFORM', 'COMPLETED'],
      ['total', 'LAMBDA', 'COMPLETED'],
      ['label', 'INLINE', 'COMPLETED'],
    ]);
    expect(done.tasks[0]!.outputData['response']).toMatchObject({ statusCode: 200, reasonPhrase: 'OK', body: { items: [{ sku: 'a', price: 2 }, { sku: 'b', price: 5 }] } });
    // Each outcome is a recorded result of the orchestrator's own runner: a replay never runs it again.
    const history = await orchestrator.api.history(id);
    expect(eventsOf(history, 'TaskCompleted').map((event) => event.data['workerId'])).toEqual(['baton', 'baton', 'baton', 'baton']);
  });

  it('given a 503 and a task definition of its name with one retry, when started, then it is called twice and the execution fails with the status', async () => {
    const before = quotes.calls.filter((call) => call === 'GET /busy').length;
    const id = await start(orchestrator.api, 'busy_call', { uri: `${quotes.base}/busy` });
    const failed = (await waitForStatus(orchestrator.api, id, 'FAILED')) as unknown as { tasks: ConductorTask[] };
    expect(quotes.calls.filter((call) => call === 'GET /busy').length - before).toBe(2);
    expect(failed.tasks.map((task) => [task.status, task.reasonForIncompletion])).toEqual([
      ['FAILED', 'HTTP 503 Service Unavailable'],
      ['FAILED', 'HTTP 503 Service Unavailable'],
    ]);
  });

  it('given a definition with scripts, when run through POST /api/workflow/test, then the scripts run in the sandbox and the HTTP call takes its mock', async () => {
    const response = await orchestrator.api.request('POST', '/api/workflow/test', {
      name: 'priced_order',
      input: { base: 'http://127.0.0.1:9' },
      taskRefToMockOutput: { quote: [{ status: 'COMPLETED', output: { response: { statusCode: 200, body: {} } } }], prices: [{ status: 'COMPLETED', output: { result: [1, 2, 3], resultList: [[1, 2, 3]] } }] },
    });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ status: 'COMPLETED', output: { label: 'total 6 at 1970-01-01T00:00:00.000Z' } });
  });

  it('given an HTTP call in flight, when the orchestrator is killed with SIGKILL and restarted, then the call is made again and the execution completes (at-least-once)', async () => {
    const id = await start(orchestrator.api, 'held_call', { uri: `${quotes.base}/hold` });
    await waitFor('the first call to arrive', () => quotes.heldCount() === 1);
    await orchestrator.handle.kill9();
    await waitFor('the killed call to close', () => quotes.heldCount() === 0);
    orchestrator = await startOrchestrator({ dataDir, port: orchestrator.port, name: 'orchestrator-2' });
    await waitFor('the call to be made again by recovery', () => quotes.heldCount() === 1, { timeoutMs: 30_000 });
    quotes.release();
    const done = (await waitForStatus(orchestrator.api, id, 'COMPLETED')) as unknown as { tasks: ConductorTask[] };
    expect(done.tasks).toHaveLength(1);
    expect(done.tasks[0]!.outputData['response']).toMatchObject({ statusCode: 200, body: { released: true } });
    expect(quotes.calls.filter((call) => call === 'GET /hold')).toHaveLength(2);
  });
});
