import { simple, workflow } from '@app/domain';
import { InMemoryEventStore } from '@app/event-store';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import type { TaskLimitsService } from '../limits/task-limits.service';
import { commandCore, register, type CommandCore } from '../testing/command-core';
import { ConflictingStore } from '../testing/conflicting-store';
import { RecordingPublisher } from '../testing/recording-publisher';
import { TimerService } from '../timers/timer.service';
import { ExecutionEffectsService } from './execution-effects.service';
import { InProcessTasks } from './in-process/in-process-tasks.service';
import { TaskDispatcher } from './task-dispatcher.service';

const twoSteps = workflow('two_steps').tasks(simple('a', 'a'), simple('b', 'b')).build();
const taskDefs = [
  { name: 'a', responseTimeoutSeconds: 10 },
  { name: 'b', responseTimeoutSeconds: 10 },
];
const api = { causationId: 'http:1', actor: 'api:test' };
/** Task types here have no limits: the dispatcher must never reach for them. */
const noLimits = new Proxy({}, { get: () => () => { throw new Error('limits consulted for a type without limits'); } }) as TaskLimitsService;

/**
 * The effects of appends, in process: the command core with the real effects service, task
 * dispatcher and timer service, publishing to a recording publisher.
 */
describe('ExecutionEffectsService (in process)', () => {
  let conflicting: ConflictingStore;
  let publisher: RecordingPublisher;
  let timers: TimerService;
  let metrics: OrchestratorMetrics;
  let core: CommandCore;

  beforeEach(async () => {
    conflicting = new ConflictingStore(new InMemoryEventStore());
    publisher = new RecordingPublisher();
    metrics = new OrchestratorMetrics();
    core = commandCore(conflicting.store, {
      metrics,
      effects: ({ clock }) => {
        timers = new TimerService(clock, metrics);
        const noCommands = { command: () => Promise.reject(new Error('no in-process task here')) };
        return new ExecutionEffectsService(new TaskDispatcher(publisher.asPublisher(), metrics, noLimits), timers, metrics, new InProcessTasks([], noCommands, metrics));
      },
    });
    await register(core, [twoSteps], taskDefs);
  });

  afterEach(async () => {
    timers.onApplicationShutdown();
  });

  it('given an execution started, then its first task command goes out under the task id and its deadline timer is armed', async () => {
    const { executionId } = await core.executions.start({ name: 'two_steps', input: { n: 1 }, correlationId: 'c-1' }, api);

    expect(publisher.messages).toEqual([
      {
        subject: 'baton.task.a',
        msgId: `${executionId}-1`,
        body: expect.objectContaining({ taskId: `${executionId}-1`, taskType: 'a', executionId, workflowName: 'two_steps', taskRefName: 'a', attempt: 1, correlationId: 'c-1', responseTimeoutSeconds: 10 }),
      },
    ]);
    expect(timers.inMemory).toBe(1);
  });

  it('given a result whose append first loses a race, then the next command goes out once and the timers follow the tasks', async () => {
    const { executionId } = await core.executions.start({ name: 'two_steps' }, api);
    conflicting.conflicts = 1;

    await core.executions.command(executionId, { type: 'ApplyTaskResult', taskId: `${executionId}-1`, status: 'COMPLETED', output: {}, workerId: 'w1' }, api);

    expect(publisher.messages.map((message) => message.msgId)).toEqual([`${executionId}-1`, `${executionId}-2`]);
    expect(timers.inMemory).toBe(1);
  });

  it('given an execution terminated, then its timers are dropped and its end is counted', async () => {
    const { executionId } = await core.executions.start({ name: 'two_steps' }, api);

    await core.executions.terminate(executionId, 'operator', api);

    expect(timers.inMemory).toBe(0);
    expect(await metrics.registry.getSingleMetricAsString('baton_executions_ended_total')).toContain('baton_executions_ended_total{status="TERMINATED"} 1');
  });
});
