import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simple, wait, workflow, workflowInput } from '@app/domain';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { hasNoStackTrace, runBaton, type CliRun } from './support/baton-cli';
import { waitForStatus } from './support/flows';
import { NATS_URL, resetBatonStreams, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';
import { waitFor } from '@app/testing/wait-for';

const greet = workflow('cli_greet', 1)
  .description('greets, waits for an approval, greets again')
  .tasks(simple('cli_hello', 'hello', { name: workflowInput('name') }), wait('approval'), simple('cli_hello', 'bye'))
  .outputs({ text: '${hello.output.text}', approvedBy: '${approval.output.by}' })
  .build();

describe('baton online commands against a running orchestrator', () => {
  const dir = tempDir('cli-online');
  let orchestrator: OrchestratorProcess | undefined;
  let worker: BatonWorker | undefined;
  let url: string;
  const baton = (...args: string[]): Promise<CliRun> => runBaton([...args, '--url', url]);

  beforeAll(async () => {
    await resetBatonStreams();
    orchestrator = await startOrchestrator({ dataDir: dir, name: 'orchestrator-cli' });
    url = `http://127.0.0.1:${orchestrator.port}`;
    worker = createWorker({ taskType: 'cli_hello', natsUrl: NATS_URL, handler: async (task) => ({ text: `hello ${String(task.input['name'] ?? 'again')}` }) });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await stopAll([orchestrator?.handle]);
  });

  it('given a directory of definitions with one invalid file, when pushed, then each problem is shown at its file and path and nothing is pushed (exit 1); once fixed, they are registered and listed', async () => {
    const defs = path.join(dir, 'defs');
    mkdirSync(defs);
    writeFileSync(path.join(defs, 'taskdefs.json'), JSON.stringify([{ name: 'cli_hello', retryCount: 1, responseTimeoutSeconds: 30 }]));
    writeFileSync(path.join(defs, 'greet.json'), JSON.stringify(greet));
    writeFileSync(path.join(defs, 'broken.json'), JSON.stringify({ ...greet, name: 'cli_broken', tasks: [simple('cli_hello', 'a'), { name: 'cli_hello', taskReferenceName: 'a', type: 'SIMPLE' }] }));

    const refused = await baton('def', 'push', defs);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/broken\.json: tasks\[1\]\.taskReferenceName: .*/);
    expect((await baton('def', 'list', '--json')).json<{ name: string }[]>().map((def) => def.name)).not.toContain('cli_greet');

    const pushed = await baton('def', 'push', path.join(defs, 'taskdefs.json'), path.join(defs, 'greet.json'));
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain('✓ workflow cli_greet v1');
    const listed = await baton('def', 'list');
    expect(listed.stdout).toMatch(/cli_greet.*1.*3.*greets, waits/);
    expect((await baton('def', 'list', '--task-defs', '--json')).json<{ name: string; retryCount: number }[]>()).toContainEqual(expect.objectContaining({ name: 'cli_hello', retryCount: 1 }));
  });

  it('given a registered workflow, when started, inspected, signalled and searched from the CLI, then each answer is the execution as it is', async () => {
    const started = await baton('start', 'cli_greet', '--input', '{"name":"ann"}', '--correlation-id', 'order-77', '--json');
    expect(started.code).toBe(0);
    const { executionId } = started.json<{ executionId: string }>();
    await waitFor('the approval to be waiting', async () => (await baton('get', executionId, '--json')).json<{ tasks: { referenceTaskName: string; status: string }[] }>().tasks.some((task) => task.referenceTaskName === 'approval' && task.status === 'IN_PROGRESS'));

    const human = await baton('get', executionId);
    expect(human.stdout).toContain(`${executionId}  cli_greet v1  RUNNING`);
    expect(human.stdout).toMatch(/hello.*COMPLETED/);

    expect((await baton('signal', executionId, 'approval', '--output', '{"by":"ops"}')).code).toBe(0);
    await waitForStatus(orchestrator!.api, executionId, 'COMPLETED');
    expect((await baton('get', executionId, '--json')).json()).toMatchObject({ status: 'COMPLETED', output: { text: 'hello ann', approvedBy: 'ops' }, correlationId: 'order-77' });

    const found = await waitFor('the read model to have it', async () => {
      const run = await baton('search', '--workflow', 'cli_greet', '--status', 'COMPLETED', '--correlation-id', 'order-77', '--json');
      return run.json<{ results: { workflowId: string }[] }>().results.find((hit) => hit.workflowId === executionId);
    });
    expect(found).toMatchObject({ status: 'COMPLETED' });

    const history = await baton('history', executionId);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/0 .*ExecutionStarted .*cli_greet v1/);
    expect(history.stdout).toMatch(/TaskCompleted .*approval → \{"by":"ops"\} .*anonymous · via baton-cli \(unverified\)/);
    expect(history.stdout).toMatch(/TaskCompleted .*hello → .*worker:/);
    const events = (await baton('history', executionId, '--json')).json<{ type: string }[]>();
    expect(events.at(-1)!.type).toBe('ExecutionCompleted');

    const atStart = await baton('state', executionId, '--at-revision', '0', '--json');
    expect(atStart.json()).toMatchObject({ revision: '0', eventCount: 1, workflow: { status: 'RUNNING', tasks: [] } });
    expect((await baton('verify', executionId, '--online', '--json')).json()).toMatchObject({ valid: true, executionId });
  });

  it('given the operator controls, when used from the CLI, then the execution follows them, and a control that makes no sense is refused with the reason (exit 1)', async () => {
    const executionId = (await baton('start', 'cli_greet', '--input', '{"name":"bob"}')).stdout.trim();
    await waitFor('the approval to be waiting', async () => (await orchestrator!.api.workflow(executionId)).tasks.some((task: { referenceTaskName: string; status: string }) => task.referenceTaskName === 'approval' && task.status === 'IN_PROGRESS'));

    expect((await baton('pause', executionId, '--reason', 'maintenance')).code).toBe(0);
    expect((await baton('get', executionId, '--json')).json()).toMatchObject({ status: 'PAUSED' });
    const twice = await baton('pause', executionId);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('INVALID_EXECUTION_STATE');
    expect((await baton('resume', executionId)).code).toBe(0);
    expect((await baton('skip', executionId, 'approval', '--output', '{"by":"skipped"}')).code).toBe(0);
    await waitForStatus(orchestrator!.api, executionId, 'COMPLETED');
    expect((await baton('get', executionId, '--json')).json()).toMatchObject({ output: { approvedBy: 'skipped' } });

    const other = (await baton('start', 'cli_greet')).stdout.trim();
    expect((await baton('terminate', other, '--reason', 'not needed')).code).toBe(0);
    await waitForStatus(orchestrator!.api, other, 'TERMINATED');
    expect((await baton('restart', other)).code).toBe(0);
    await waitForStatus(orchestrator!.api, other, 'RUNNING');
    const history = await baton('history', other, '--json');
    expect(history.json<{ type: string; metadata: { actor: string; client?: string } }[]>().filter((event) => event.type === 'ExecutionTerminated' || event.type === 'ExecutionRestarted').map((event) => [event.type, event.metadata.actor, event.metadata.client])).toEqual([
      ['ExecutionTerminated', 'anonymous', 'baton-cli'],
      ['ExecutionRestarted', 'anonymous', 'baton-cli'],
    ]);
  });

  it('given wrong ids, an unreachable orchestrator or bad arguments, then the exit code says which (1 refused, 3 unreachable, 2 usage) and no stack trace is printed', async () => {
    const unknown = await baton('get', 'no-such-execution');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('EXECUTION_NOT_FOUND');
    const unknownJson = await baton('get', 'no-such-execution', '--json');
    expect(JSON.parse(unknownJson.stderr)).toMatchObject({ error: { status: 404, code: 'EXECUTION_NOT_FOUND' } });

    const unreachable = await runBaton(['get', 'x', '--url', 'http://127.0.0.1:9']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('cannot reach the orchestrator at http://127.0.0.1:9');

    const usage = await Promise.all([
      baton('start'),
      baton('start', 'cli_greet', '--input', '{"name":'),
      baton('start', 'cli_greet', '--input', '[1,2]'),
      baton('start', 'cli_greet', '--priority', 'high'),
      baton('search', '--status', 'DONE'),
      baton('state', 'x', '--at-revision', '1', '--at', '2026-01-01T00:00:00Z'),
      baton('state', 'x', '--at', 'yesterday'),
      baton('signal', 'x', 'approval', '--status', 'OK'),
      baton('get'),
      baton('frobnicate'),
      baton('get', 'x', '--colour'),
      runBaton(['get', 'x', '--url', 'localhost:8080']),
      baton('def', 'push', path.join(dir, 'nowhere')),
    ]);
    expect(usage.map((run) => run.code)).toEqual(Array(usage.length).fill(2));
    const messages = usage.map((run) => run.stderr);
    expect(messages[0]).toContain("missing required argument 'name'");
    expect(messages[1]).toContain('--input must be a JSON object');
    expect(messages[2]).toContain('--input must be a JSON object, got [1,2]');
    expect(messages[3]).toContain('--priority must be an integer from 0 to 99');
    expect(messages[4]).toContain('--status must be among');
    expect(messages[5]).toContain('give --at-revision or --at, not both');
    expect(messages[6]).toContain('--at must be an ISO-8601 time');
    expect(messages[7]).toContain('--status must be one of COMPLETED');
    expect(messages[8]).toContain("missing required argument 'id'");
    expect(messages[9]).toContain("unknown command 'frobnicate'");
    expect(messages[10]).toContain("unknown option '--colour'");
    expect(messages[11]).toContain('--url must be an http:// or https:// URL');
    expect(messages[12]).toContain('nowhere does not exist');
    expect(usage.every(hasNoStackTrace)).toBe(true);
  });
});
