import path from 'node:path';
import {
  EXECUTION_EVENT_TYPES,
  SUPPORTED_TASK_TYPES,
  childTaskLists,
  decide,
  initialState,
  plannedTaskTypes,
  replay,
  type ExecutionCommandType,
  type ExecutionEvent,
  type WorkflowTask,
} from '@app/domain';
import { GoldenHistoryRejectedError, loadGoldenFiles, readGoldenHistory, storedForm, type GoldenFile, type GoldenStoredEvent } from '@app/testing/golden/golden-history';
import { goldenSnapshot } from '../../../../test/fixtures/golden-scenarios';

const DIRECTORY = path.resolve(__dirname, '../../../../test/fixtures/histories');
const goldens = loadGoldenFiles(DIRECTORY);

/** Every command type; the `Record` makes the compiler ask for a golden history of each new one. */
const COMMAND_TYPES: Readonly<Record<ExecutionCommandType, true>> = {
  StartExecution: true,
  ApplyTaskResult: true,
  CompleteTaskByRef: true,
  FireTimer: true,
  TerminateExecution: true,
  PauseExecution: true,
  ResumeExecution: true,
  RetryExecution: true,
  RerunExecution: true,
  RestartExecution: true,
  SkipTask: true,
  RecordTaskThrottled: true,
  RecordTaskDispatched: true,
  RemoveExecution: true,
  AddTaskLog: true,
};

/** Events a history holds once for what they are about (a start, a task's scheduling or end, a timer, an end, a control); a heartbeat or a log line may come twice. */
const HAPPENS_ONCE: ReadonlySet<ExecutionEvent['type']> = new Set([
  'ExecutionStarted', 'TaskScheduled', 'TaskCompleted', 'TaskFailed', 'TaskTimedOut', 'TaskCanceled', 'TaskSkipped', 'TaskCompletedWithErrors', 'TimerStarted', 'TimerFired',
  'ExecutionCompleted', 'ExecutionFailed', 'ExecutionTerminated', 'ExecutionTimedOut', 'ExecutionPaused', 'ExecutionResumed',
  'ExecutionRetried', 'ExecutionRerun', 'ExecutionRestarted', 'ExecutionRemoved',
]);

/** Planned types whose tasks are scheduled under another effective type. */
const SCHEDULED_AS_ANOTHER_TYPE: ReadonlySet<string> = new Set(['DYNAMIC']);

const eventsOf = (golden: GoldenFile): ExecutionEvent[] => golden.events.map((event) => ({ type: event.type, data: event.data }) as ExecutionEvent);

function declaredTaskTypes(tasks: readonly WorkflowTask[]): string[] {
  return tasks.flatMap((task) => [task.type ?? 'SIMPLE', ...childTaskLists(task).flatMap(declaredTaskTypes)]);
}

/**
 * Replay is deterministic: every stored history must fold to the state it was recorded with and
 * lead to the same next decision. A failure here means a change would read old histories
 * differently — fix the change, or re-record on purpose (`npm run fixtures:histories`).
 */
describe('golden histories (test/fixtures/histories)', () => {
  it('given the fixtures directory, then it holds histories', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(goldens)('$name', ({ name, file: golden }) => {
    it(`given its ${golden.events.length} events, when replayed, then the state is the recorded one`, () => {
      const state = replay(readGoldenHistory(name, golden), initialState(golden.executionId));
      expect(goldenSnapshot(state)).toEqual(golden.state);
    });

    it('given the replayed state, when the next command is decided, then the decision is the recorded one', () => {
      if (!golden.next) return;
      const state = replay(readGoldenHistory(name, golden), initialState(golden.executionId));
      const decision = decide(golden.next.command.command, state, { now: golden.next.command.now });
      expect(decision.ignored).toBeUndefined();
      expect(decision.events).toEqual(golden.next.events);
    });

    it('given its recorded commands, when decided again from the start, then they produce exactly the stored history', () => {
      let state = initialState(golden.executionId);
      const decided: ExecutionEvent[] = [];
      for (const { command, now } of golden.commands) {
        const decision = decide(command, state, { now });
        decided.push(...decision.events);
        state = replay(decision.events, state);
      }
      expect(decided).toEqual(eventsOf(golden));
    });
  });

  describe('coverage', () => {
    const histories = goldens.map(({ file }) => eventsOf(file));

    it('given every event type, then some golden history holds it', () => {
      const recorded = new Set(histories.flat().map((event) => event.type));
      expect(EXECUTION_EVENT_TYPES.filter((type) => !recorded.has(type))).toEqual([]);
    });

    it('given every task type, then some golden history declares it and schedules its effective type', () => {
      const declared = new Set(
        histories.flat().flatMap((event) => {
          if (event.type === 'ExecutionStarted') return declaredTaskTypes(event.data.definition.tasks);
          if (event.type === 'ExecutionRestarted') return declaredTaskTypes(event.data.definition?.tasks ?? []);
          if (event.type === 'DynamicTasksForked') return declaredTaskTypes(event.data.tasks);
          return [];
        }),
      );
      const scheduled = new Set(histories.flat().flatMap((event) => (event.type === 'TaskScheduled' ? [event.data.taskType] : [])));
      expect(SUPPORTED_TASK_TYPES.filter((type) => !declared.has(type))).toEqual([]);
      // A DYNAMIC task is scheduled as the worker task its input names (taskType SIMPLE): declaring it is what a history can show.
      expect(plannedTaskTypes().filter((type) => !scheduled.has(type) && !(SCHEDULED_AS_ANOTHER_TYPE.has(type) && declared.has(type)))).toEqual([]);
    });

    it('given every command type (every operator control among them), then some golden history is made with it', () => {
      const used = new Set(goldens.flatMap(({ file }) => [...file.commands, ...(file.next ? [file.next.command] : [])].map(({ command }) => command.type)));
      expect(Object.keys(COMMAND_TYPES).filter((type) => !used.has(type as ExecutionCommandType))).toEqual([]);
    });
  });

  /** A mutated history must be rejected or reported, never folded as if nothing happened. */
  describe('mutated histories', () => {
    const rejection = (name: string, file: Pick<GoldenFile, 'executionId' | 'events'>): GoldenHistoryRejectedError | undefined => {
      try {
        readGoldenHistory(name, file);
        return undefined;
      } catch (error) {
        if (error instanceof GoldenHistoryRejectedError) return error;
        throw error;
      }
    };
    const renumbered = (events: readonly GoldenStoredEvent[]) => events.map((event, revision) => ({ ...event, revision }));

    describe.each(goldens)('$name, as stored', ({ name, file }) => {
      it('given any one event dropped, then reading it is rejected at the gap (the last one: the replayed state is not the recorded one)', () => {
        for (let index = 0; index < file.events.length - 1; index += 1) {
          const events = renumbered(file.events.filter((_, i) => i !== index));
          expect({ index, rejected: rejection(name, { ...file, events })?.revision }).toEqual({ index, rejected: index });
        }
        // A cut at the end leaves a valid chain (nothing after it to disagree): the state comparison catches it.
        const cut = readGoldenHistory(name, { ...file, events: file.events.slice(0, -1) });
        expect(goldenSnapshot(replay(cut, initialState(file.executionId)))).not.toEqual(file.state);
      });

      it('given any two neighbours swapped, then reading it is rejected at the first of them', () => {
        for (let index = 0; index + 1 < file.events.length; index += 1) {
          const swapped = [...file.events];
          [swapped[index], swapped[index + 1]] = [swapped[index + 1]!, swapped[index]!];
          expect({ index, rejected: rejection(name, { ...file, events: renumbered(swapped) })?.revision }).toEqual({ index, rejected: index });
        }
      });

      it('given any one event altered, then reading it is rejected at that event', () => {
        for (let index = 0; index < file.events.length; index += 1) {
          const altered = file.events.map((event, i) => (i === index ? { ...event, data: { ...(event.data as object), at: ((event.data as { at?: number }).at ?? 0) + 1 } } : event));
          expect({ index, rejected: rejection(name, { ...file, events: altered })?.reason }).toEqual({ index, rejected: 'hash-mismatch' });
        }
      });
    });

    describe.each(goldens)('$name, with a forged hash chain', ({ name, file }) => {
      const events = eventsOf(file);
      const forged = (mutated: readonly ExecutionEvent[]) => rejection(name, { executionId: file.executionId, events: storedForm(file.executionId, mutated) });

      it('given the start dropped or moved, then the history is rejected', () => {
        expect(forged(events.slice(1))?.reason).toContain('ExecutionStarted');
        if (events.length > 1) expect(forged([events[1]!, events[0]!, ...events.slice(2)])).toBeDefined();
      });

      it('given a task or timer dropped that later events name, then the history is rejected where they do', () => {
        events.forEach((event, index) => {
          const id = event.type === 'TaskScheduled' ? event.data.taskId : event.type === 'TimerStarted' ? event.data.timerId : undefined;
          const namedLater = id !== undefined && events.slice(index + 1).some((later) => ('taskId' in later.data && later.data.taskId === id) || ('timerId' in later.data && later.data.timerId === id));
          if (!namedLater) return;
          expect({ index, rejected: forged(events.filter((_, i) => i !== index)) !== undefined }).toEqual({ index, rejected: true });
        });
      });

      it('given an event that can happen only once repeated right after itself, then the history is rejected at the repeat', () => {
        events.forEach((event, index) => {
          if (!HAPPENS_ONCE.has(event.type)) return;
          const doubled = [...events.slice(0, index + 1), event, ...events.slice(index + 1)];
          expect({ index, type: event.type, rejected: forged(doubled)?.revision }).toEqual({ index, type: event.type, rejected: index + 1 });
        });
      });
    });
  });
});
