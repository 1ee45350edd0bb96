import { executionStream, simple, toExecutionEvents, workflow, type ExecutionCommand, type ExecutionEvent } from '@app/domain';
import { InMemoryEventStore, StreamRevisionConflictError, verifyChain } from '@app/event-store';
import { ConflictingStore } from '../testing/conflicting-store';
import { commandCore, register, type CommandCore } from '../testing/command-core';

const twoSteps = workflow('two_steps').tasks(simple('a', 'a'), simple('b', 'b')).build();
const cause = { causationId: 'test:1', actor: 'worker:w1' };
const completed = (taskId: string): ExecutionCommand => ({ type: 'ApplyTaskResult', taskId, status: 'COMPLETED', output: { ok: true }, workerId: 'w1' });
const heartbeat = (taskId: string): ExecutionCommand => ({ type: 'ApplyTaskResult', taskId, status: 'IN_PROGRESS', workerId: 'w1' });
/** A command no decision knows: `decide` throws on it, like a decider bug would. */
const broken = { type: 'NoSuchCommand' } as unknown as ExecutionCommand;

async function started(core: CommandCore): Promise<string> {
  const { executionId } = await core.executions.start({ name: 'two_steps', input: { n: 1 } }, { causationId: 'http:start', actor: 'api:test' });
  return executionId;
}

async function storedTypes(core: CommandCore, executionId: string): Promise<ExecutionEvent['type'][]> {
  return toExecutionEvents(await core.store.readStream(executionStream(executionId))).map((event) => event.type);
}

/**
 * The command core in process: the real repository, command bus and use cases on the in-memory
 * event store, with recording effects. Two cores on one store are two replicas.
 */
describe('the command core (in process)', () => {
  let core: CommandCore;

  beforeEach(async () => {
    core = commandCore(new InMemoryEventStore());
    await register(core, [twoSteps]);
  });

  it('given a started execution, when a result arrives, then its events are appended with their cause and the hash chain continues', async () => {
    const id = await started(core);

    const outcome = await core.bus.execute(id, completed(`${id}-1`), cause);

    expect(outcome.decision.ignored).toBeUndefined();
    const history = await core.store.readStream(executionStream(id));
    expect(history.map((event) => event.type)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TimerStarted', 'TaskCompleted', 'TaskScheduled', 'TimerStarted']);
    expect(history[3]!.metadata).toEqual(expect.objectContaining({ causationId: 'test:1', actor: 'worker:w1', correlationId: id, schemaVersion: 1 }));
    expect(verifyChain(history).valid).toBe(true);
  });

  describe('revision conflicts', () => {
    it('given another replica moved the execution on, when this replica decides on its cached state, then the conflict reloads and the command is decided again on the stored state', async () => {
      const replicaB = commandCore(core.store);
      const id = await started(core); // replica A has the execution cached: task a scheduled
      await replicaB.bus.execute(id, completed(`${id}-1`), cause); // B completes a, schedules b

      const outcome = await core.bus.execute(id, { type: 'TerminateExecution', reason: 'operator' }, { causationId: 'http:stop', actor: 'api:test' });

      expect(outcome.state.status).toBe('TERMINATED');
      // Decided again on B's events: the termination cancels b, which A's stale state did not know.
      const events = toExecutionEvents(await core.store.readStream(executionStream(id)));
      expect(events.map((event) => event.type)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TimerStarted', 'TaskCompleted', 'TaskScheduled', 'TimerStarted', 'TaskCanceled', 'ExecutionTerminated']);
      expect(events[6]).toMatchObject({ type: 'TaskCanceled', data: { taskId: `${id}-2` } });
      expect(verifyChain(await core.store.readStream(executionStream(id))).valid).toBe(true);
    });

    it('given one append that loses a race, when the command is retried, then it is stored once and its effects run once', async () => {
      const conflicting = new ConflictingStore(new InMemoryEventStore());
      const replica = commandCore(conflicting.store);
      await register(replica, [twoSteps]);
      const id = await started(replica);
      conflicting.conflicts = 1;
      const appendsBefore = conflicting.appendCalls;

      const outcome = await replica.bus.execute(id, completed(`${id}-1`), cause);

      expect(outcome.decision.ignored).toBeUndefined();
      expect(conflicting.appendCalls - appendsBefore).toBe(2);
      expect(await storedTypes(replica, id)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TimerStarted', 'TaskCompleted', 'TaskScheduled', 'TimerStarted']);
      expect(replica.effects.appendsOf(id)).toEqual([
        ['ExecutionStarted', 'TaskScheduled', 'TimerStarted'],
        ['TaskCompleted', 'TaskScheduled', 'TimerStarted'],
      ]);
    });

    it('given every append loses its race, when the retries are used up, then the command fails with the conflict and nothing is stored or effected', async () => {
      const conflicting = new ConflictingStore(new InMemoryEventStore());
      const replica = commandCore(conflicting.store);
      await register(replica, [twoSteps]);
      const id = await started(replica);
      conflicting.conflicts = Number.POSITIVE_INFINITY;
      const appendsBefore = conflicting.appendCalls;

      await expect(replica.bus.execute(id, completed(`${id}-1`), cause)).rejects.toBeInstanceOf(StreamRevisionConflictError);

      expect(conflicting.appendCalls - appendsBefore).toBe(8);
      expect(await storedTypes(replica, id)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TimerStarted']);
      expect(replica.effects.appendsOf(id)).toHaveLength(1);
    });
  });

  describe('replicas: a decision that appends nothing is trusted only on a current state', () => {
    it('given another replica scheduled the next task, when this replica gets its result on its cached state, then the stream is re-checked and the result applies (not UNKNOWN_TASK)', async () => {
      const replicaB = commandCore(core.store);
      const id = await started(core); // A has the execution cached: only task a known
      await replicaB.bus.execute(id, completed(`${id}-1`), cause); // B schedules b (`${id}-2`)

      const outcome = await core.bus.execute(id, completed(`${id}-2`), cause);

      expect(outcome.decision.ignored).toBeUndefined();
      expect(outcome.state.status).toBe('COMPLETED');
      expect(await storedTypes(core, id)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TimerStarted', 'TaskCompleted', 'TaskScheduled', 'TimerStarted', 'TaskCompleted', 'ExecutionCompleted']);
      expect(verifyChain(await core.store.readStream(executionStream(id))).valid).toBe(true);
      expect(core.effects.appendsOf(id).at(-1)).toEqual(['TaskCompleted', 'ExecutionCompleted']);
    });

    it('given this replica saw the execution complete and another replica restarted it, when a result of the restarted run arrives here, then it applies (not EXECUTION_ENDED)', async () => {
      const replicaB = commandCore(core.store);
      const id = await started(core);
      await core.bus.execute(id, completed(`${id}-1`), cause);
      expect((await core.bus.execute(id, completed(`${id}-2`), cause)).state.status).toBe('COMPLETED'); // cached here as ended
      const restarted = await replicaB.bus.execute(id, { type: 'RestartExecution' }, { causationId: 'http:restart', actor: 'api:test' });
      const [newTask] = Object.values(restarted.state.tasks).filter((task) => task.status === 'SCHEDULED');

      const outcome = await core.bus.execute(id, completed(newTask!.taskId), cause);

      expect(outcome.decision.ignored).toBeUndefined();
      expect(outcome.state.status).toBe('RUNNING');
      expect(outcome.state.tasks[newTask!.taskId]?.status).toBe('COMPLETED');
    });

    it('given the cached state is current, when a repeated result is ignored, then it costs one read of the last revision and no replay', async () => {
      const id = await started(core);
      await core.bus.execute(id, completed(`${id}-1`), cause);
      const reads = jest.spyOn(core.store, 'readStream');

      const outcome = await core.bus.execute(id, completed(`${id}-1`), cause);

      expect(outcome.decision.ignored?.code).toBe('DUPLICATE_RESULT');
      expect(reads).toHaveBeenCalledTimes(1);
      expect(reads).toHaveBeenCalledWith(executionStream(id), { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    });

    it('given the task is unknown to the stream too, when its result arrives on a cached state, then it is ignored as UNKNOWN_TASK after one check', async () => {
      const replicaB = commandCore(core.store);
      const id = await started(core);
      await replicaB.bus.execute(id, completed(`${id}-1`), cause);

      const outcome = await core.bus.execute(id, completed(`${id}-99`), cause);

      expect(outcome.decision.ignored?.code).toBe('UNKNOWN_TASK');
      expect(outcome.state.tasks[`${id}-2`]?.status).toBe('SCHEDULED'); // decided on the reloaded state
    });
  });

  describe('batches', () => {
    it('given commands queued while a batch is stored, when one of them makes the decider throw, then only that one fails and the others are stored together', async () => {
      const id = await started(core);

      // The heartbeat runs alone; the three that arrive meanwhile form the next batch.
      const first = core.bus.execute(id, heartbeat(`${id}-1`), cause);
      const good = core.bus.execute(id, completed(`${id}-1`), cause);
      const bad = core.bus.execute(id, broken, cause);
      const alsoGood = core.bus.execute(id, completed(`${id}-2`), cause);

      await expect(first).resolves.toBeDefined();
      await expect(bad).rejects.toThrow();
      const [goodOutcome, alsoGoodOutcome] = await Promise.all([good, alsoGood]);
      expect(goodOutcome.decision.ignored).toBeUndefined();
      expect(alsoGoodOutcome.decision.ignored).toBeUndefined();
      expect(alsoGoodOutcome.state.status).toBe('COMPLETED');
      expect(core.effects.appendsOf(id)).toEqual([
        ['ExecutionStarted', 'TaskScheduled', 'TimerStarted'],
        ['TaskProgressReported'],
        ['TaskCompleted', 'TaskScheduled', 'TimerStarted', 'TaskCompleted', 'ExecutionCompleted'],
      ]);
      expect(await storedTypes(core, id)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TimerStarted', 'TaskProgressReported', 'TaskCompleted', 'TaskScheduled', 'TimerStarted', 'TaskCompleted', 'ExecutionCompleted']);
    });

    it('given a batch of which every command is ignored, then nothing is appended and no effect runs', async () => {
      const id = await started(core);

      const outcome = await core.bus.execute(id, completed(`${id}-99`), cause);

      expect(outcome.decision.ignored?.code).toBe('UNKNOWN_TASK');
      expect(core.effects.appendsOf(id)).toHaveLength(1);
      expect(await storedTypes(core, id)).toEqual(['ExecutionStarted', 'TaskScheduled', 'TimerStarted']);
    });
  });

  describe('effects', () => {
    it('given a run of commands, then the effects see every stored event once, one call per append, in order', async () => {
      const id = await started(core);
      await core.bus.execute(id, completed(`${id}-1`), cause);
      await core.bus.execute(id, completed(`${id}-1`), cause); // a redelivery: ignored
      await core.bus.execute(id, completed(`${id}-2`), cause);

      const effected = core.effects.appends.filter((append) => append.executionId === id).flatMap((append) => append.events.map((event) => event.type));
      expect(effected).toEqual(await storedTypes(core, id));
      expect(core.effects.appends.at(-1)).toMatchObject({ executionId: id, status: 'COMPLETED' });
    });
  });

  describe('cache and fresh loads across replicas', () => {
    it('given another replica appended, then a read (loadFresh) sees it at once, while the command path checks its cache when it next decides', async () => {
      const replicaB = commandCore(core.store);
      const id = await started(core);
      await replicaB.bus.execute(id, completed(`${id}-1`), cause);

      expect((await core.repository.load(id)).state.tasks[`${id}-1`]?.status).toBe('SCHEDULED');
      const fresh = await core.executions.get(id);
      expect(fresh.tasks[`${id}-1`]?.status).toBe('COMPLETED');
      expect(fresh.tasks[`${id}-2`]?.status).toBe('SCHEDULED');
      // The fresh read replaced the stale cache entry.
      expect((await core.repository.load(id)).revision).toBe(5n);
    });

    it('given another replica scheduled a task, when a reaction here loads the execution at that event\'s revision, then it sees the task (the stale cache is replaced), and a cache that has got that far is used without a read', async () => {
      const replicaB = commandCore(core.store);
      const id = await started(core); // cached here at revision 2
      await replicaB.bus.execute(id, completed(`${id}-1`), cause); // TaskScheduled b at revision 4

      const seen = await core.repository.loadAtLeast(id, 4n);

      expect(seen.state.tasks[`${id}-1`]?.output).toEqual({ ok: true });
      expect(seen.state.tasks[`${id}-2`]?.status).toBe('SCHEDULED');
      const reads = jest.spyOn(core.store, 'readStream');
      expect((await core.repository.loadAtLeast(id, 3n)).revision).toBe(5n);
      expect(reads).not.toHaveBeenCalled();
    });

    it('given a replica with nothing cached, when it loads an execution, then it replays the stream', async () => {
      const id = await started(core);
      await core.bus.execute(id, completed(`${id}-1`), cause);

      const loaded = await commandCore(core.store).repository.load(id);

      expect(loaded.revision).toBe(5n);
      expect(loaded.state).toEqual((await core.repository.load(id)).state);
    });

    it('given an execution not started, then the repository refuses events that do not start it, and stores nothing', async () => {
      const loaded = await core.repository.load('never-started');

      await expect(core.repository.append(loaded, [{ event: { type: 'TaskScheduled', data: { taskId: 'x-1', taskRefName: 'a', taskDefName: 'a', taskType: 'SIMPLE', attempt: 1, input: {}, at: 1 } }, cause }])).rejects.toThrow('not started');
      await expect(core.store.readStream(executionStream('never-started'))).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND' });
    });

    it('given no stream, then the execution loads as NOT_STARTED and a read says it does not exist', async () => {
      expect((await core.repository.load('nope')).state.status).toBe('NOT_STARTED');
      await expect(core.executions.get('nope')).rejects.toMatchObject({ code: 'EXECUTION_NOT_FOUND' });
    });
  });
});
