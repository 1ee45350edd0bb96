import { DefinitionIndex } from '../definitions/definition-index';
import { defaultTaskDef, taskTypeOf, type TaskDef, type WorkflowDef, type WorkflowTask } from '../definitions/workflow-def';
import { DecisionBuilder } from './decision-builder';
import type { ApplyTaskResult, CompleteTaskByRef, ExecutionCommand, FireTimer, StartExecution, TerminateExecution } from './execution-commands';
import { assertNever, type ExecutionEvent } from './execution-events';
import { ExecutionFlow } from './execution-flow';
import { isTerminalExecution, isTerminalTask, latestTask, type ExecutionState } from './execution-state';

/** Time (and nothing else impure) the decider needs, passed in by the caller. */
export interface DecideContext {
  /** Epoch milliseconds. */
  readonly now: number;
}

/** Why a command changed nothing. The app maps codes to HTTP statuses or dead-letters. */
export type IgnoredCode =
  | 'UNKNOWN_EXECUTION'
  | 'ALREADY_STARTED'
  | 'UNKNOWN_TASK'
  | 'ATTEMPT_MISMATCH'
  | 'DUPLICATE_RESULT'
  | 'TASK_NOT_PENDING'
  | 'TASK_NOT_EXTERNAL'
  | 'EXECUTION_ENDED'
  | 'TIMER_NOT_ARMED';

export interface Ignored {
  readonly code: IgnoredCode;
  readonly reason: string;
}

/** The outcome of a command: the new events, or why there are none. */
export interface Decision {
  readonly events: readonly ExecutionEvent[];
  readonly ignored?: Ignored;
}

/** Task types whose results come from outside (workers, signals); system tasks complete themselves. */
const EXTERNAL_TASK_TYPES: ReadonlySet<string> = new Set(['SIMPLE', 'WAIT']);

/**
 * The execution decider: given the current state and a command, the events that follow.
 * Pure and deterministic; `evolve` folds the events back into state.
 */
export function decide(command: ExecutionCommand, state: ExecutionState, context: DecideContext): Decision {
  switch (command.type) {
    case 'StartExecution':
      return start(command, state, context);
    case 'ApplyTaskResult':
      return applyResult(command, state, context);
    case 'CompleteTaskByRef':
      return completeByRef(command, state, context);
    case 'FireTimer':
      return fireTimer(command, state, context);
    case 'TerminateExecution':
      return terminate(command, state, context);
    default:
      return assertNever(command, 'execution command');
  }
}

const ignore = (code: IgnoredCode, reason: string): Decision => ({ events: [], ignored: { code, reason } });

function start(command: StartExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status !== 'NOT_STARTED') return ignore('ALREADY_STARTED', `execution ${state.executionId} was already started`);
  const builder = new DecisionBuilder(state, now);
  builder.emit({
    type: 'ExecutionStarted',
    data: {
      executionId: command.executionId,
      definition: command.definition,
      taskDefs: taskDefSnapshot(command.definition, command.taskDefs),
      input: command.input,
      ...(command.correlationId !== undefined ? { correlationId: command.correlationId } : {}),
      ...(command.idempotencyKey !== undefined ? { idempotencyKey: command.idempotencyKey } : {}),
      ...(command.priority !== undefined ? { priority: command.priority } : {}),
      ...(command.parent !== undefined ? { parent: command.parent } : {}),
      at: now,
    },
  });
  new ExecutionFlow(builder).start();
  return { events: builder.events };
}

function applyResult(command: ApplyTaskResult, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId || '(unknown)'}`);
  const task = state.tasks[command.taskId];
  if (!task) return ignore('UNKNOWN_TASK', `execution ${state.executionId} has no task ${command.taskId}`);
  if (command.attempt !== undefined && command.attempt !== task.attempt) {
    return ignore('ATTEMPT_MISMATCH', `task ${task.taskId} is attempt ${task.attempt}, the result is for attempt ${command.attempt}`);
  }
  if (!EXTERNAL_TASK_TYPES.has(task.taskType)) {
    return ignore('TASK_NOT_EXTERNAL', `task ${task.taskRefName} is a ${task.taskType} task; only SIMPLE and WAIT tasks take results`);
  }
  if (isTerminalTask(task.status)) {
    const duplicate = task.status === command.status || (command.status === 'IN_PROGRESS' && task.status !== 'CANCELED');
    return duplicate
      ? ignore('DUPLICATE_RESULT', `task ${task.taskId} already has status ${task.status}`)
      : ignore('TASK_NOT_PENDING', `task ${task.taskId} is ${task.status}; the ${command.status} result came too late`);
  }
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is ${state.status}`);

  const builder = new DecisionBuilder(state, now);
  const flow = new ExecutionFlow(builder);
  const { taskId, workerId, logs } = command;
  const common = { taskId, at: now, ...(workerId !== undefined ? { workerId } : {}), ...(logs?.length ? { logs } : {}) };
  switch (command.status) {
    case 'IN_PROGRESS':
      builder.emit({ type: 'TaskProgressReported', data: { ...common, ...(command.output ? { output: command.output } : {}) } });
      break;
    case 'COMPLETED':
      builder.emit({ type: 'TaskCompleted', data: { ...common, output: command.output ?? {} } });
      flow.succeeded(task.taskRefName);
      break;
    case 'FAILED':
    case 'FAILED_WITH_TERMINAL_ERROR':
      builder.emit({
        type: 'TaskFailed',
        data: { ...common, reason: command.reason ?? 'no reason given', terminal: command.status === 'FAILED_WITH_TERMINAL_ERROR', ...(command.output ? { output: command.output } : {}) },
      });
      flow.failed(taskId);
      break;
    default:
      return assertNever(command.status, 'task status');
  }
  return { events: builder.events };
}

function completeByRef(command: CompleteTaskByRef, state: ExecutionState, context: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId || '(unknown)'}`);
  const task = latestTask(state, command.taskRefName);
  if (!task) return bufferSignal(command, state, context);
  const { type: _type, taskRefName: _ref, ...result } = command;
  return applyResult({ ...result, type: 'ApplyTaskResult', taskId: task.taskId }, state, context);
}

/**
 * A completion for a WAIT the execution has not reached yet is kept (SignalReceived) and applied
 * when the WAIT is scheduled, so a fast external confirmation never races the flow.
 */
function bufferSignal(command: CompleteTaskByRef, state: ExecutionState, { now }: DecideContext): Decision {
  const location = state.definition ? DefinitionIndex.of(state.definition).find(command.taskRefName) : undefined;
  if (!location) return ignore('UNKNOWN_TASK', `workflow ${state.definition?.name ?? ''} has no task with reference name ${command.taskRefName}`);
  if (location.type !== 'WAIT' || command.status === 'IN_PROGRESS') {
    return ignore('UNKNOWN_TASK', `task ${command.taskRefName} of execution ${state.executionId} has not been scheduled yet`);
  }
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is ${state.status}`);
  if (state.pendingSignals[command.taskRefName]) return ignore('DUPLICATE_RESULT', `a ${command.taskRefName} signal is already waiting for its task`);
  return {
    events: [
      {
        type: 'SignalReceived',
        data: {
          taskRefName: command.taskRefName,
          status: command.status,
          output: command.output ?? {},
          ...(command.reason !== undefined ? { reason: command.reason } : {}),
          ...(command.workerId !== undefined ? { workerId: command.workerId } : {}),
          at: now,
        },
      },
    ],
  };
}

function fireTimer(command: FireTimer, state: ExecutionState, { now }: DecideContext): Decision {
  const timer = state.timers[command.timerId];
  if (!timer) return ignore('TIMER_NOT_ARMED', `execution ${state.executionId || '(unknown)'} has no armed timer ${command.timerId}`);
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is ${state.status}`);
  const builder = new DecisionBuilder(state, now);
  const flow = new ExecutionFlow(builder);
  builder.emit({ type: 'TimerFired', data: { timerId: timer.timerId, at: now } });
  const purpose = timer.purpose;
  switch (purpose.kind) {
    case 'RETRY':
      flow.retryNow(purpose.retriedTaskId);
      break;
    case 'WAIT': {
      const task = state.tasks[purpose.taskId];
      if (task && !isTerminalTask(task.status)) {
        builder.emit({ type: 'TaskCompleted', data: { taskId: task.taskId, output: {}, at: now } });
        flow.succeeded(task.taskRefName);
      }
      break;
    }
    case 'RESPONSE_TIMEOUT':
    case 'TASK_TIMEOUT':
    case 'WORKFLOW_TIMEOUT':
      // Armed by the timeout rules; handled there.
      break;
    default:
      return assertNever(purpose, 'timer purpose');
  }
  return { events: builder.events };
}

function terminate(command: TerminateExecution, state: ExecutionState, { now }: DecideContext): Decision {
  if (state.status === 'NOT_STARTED') return ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId || '(unknown)'}`);
  if (isTerminalExecution(state.status)) return ignore('EXECUTION_ENDED', `execution ${state.executionId} is already ${state.status}`);
  const builder = new DecisionBuilder(state, now);
  new ExecutionFlow(builder).end('TERMINATED', command.reason, {});
  return { events: builder.events };
}

/** Snapshot of the task definitions a workflow's worker tasks use, defaults filled in. */
function taskDefSnapshot(definition: WorkflowDef, registered: Readonly<Record<string, TaskDef>>): Record<string, TaskDef> {
  const snapshot: Record<string, TaskDef> = {};
  const visit = (tasks: readonly WorkflowTask[]): void => {
    for (const task of tasks) {
      if (taskTypeOf(task) === 'SIMPLE' && !task.taskDefinition) snapshot[task.name] = registered[task.name] ?? defaultTaskDef(task.name);
      Object.values(task.decisionCases ?? {}).forEach(visit);
      visit(task.defaultCase ?? []);
      (task.forkTasks ?? []).forEach(visit);
    }
  };
  visit(definition.tasks);
  return snapshot;
}
