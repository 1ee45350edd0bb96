import {
  EXTERNAL_TASK_TYPES,
  decide,
  initialState,
  isTerminalExecution,
  pendingTasks,
  replay,
  tasksInOrder,
  validateWorkflowDef,
  workflowTaskOf,
  type DefinitionProblem,
  type ExecutionCommand,
  type ExecutionEvent,
  type ExecutionState,
  type TaskDef,
  type TaskState,
} from '@app/domain';
import { runScriptTask, type ScriptEngine } from '@app/scripts';
import { FlowAgenda, type Arrival } from './flow-agenda';
import type { FlowTestResult, MockAttempt, WorkflowTestRequest } from './workflow-test-request';

/** The definition under test is not valid: nothing was run. */
export class InvalidFlowDefinitionError extends Error {
  constructor(readonly problems: readonly DefinitionProblem[]) {
    super(`the workflow definition is not valid: ${problems.map((problem) => `${problem.path || '(root)'}: ${problem.message}`).join('; ')}`);
    this.name = 'InvalidFlowDefinitionError';
  }
}

/** What a run may use beyond its request. */
export interface FlowTestOptions {
  /** Runs INLINE and LAMBDA scripts that have no mocked attempt (`ScriptEngine.load()`); without it they must be mocked. */
  readonly scripts?: ScriptEngine;
}
const WORKER_ID = 'flow-test';
const DEFAULT_MAX_STEPS = 20_000;

/**
 * Runs a workflow definition in process: no NATS, no store, no workers. The current `decide` and
 * `evolve` drive it exactly as in the orchestrator; mocked attempts stand in for workers, signals
 * and child executions, and a virtual clock fires timers (retry delays, WAIT durations, task and
 * workflow timeouts) in time order. Deterministic: the same request always gives the same result
 * (unless a script it runs reads the clock or `Math.random`).
 *
 * @example
 * const result = runWorkflowTest({
 *   workflowDef: definition,
 *   input: { orderId: 'o-1' },
 *   taskRefToMockOutput: { charge: [{ status: 'FAILED', reason: 'declined' }, { output: { paymentId: 'p-1' } }] },
 * });
 * result.status; // 'COMPLETED'
 * result.path;   // ['charge', 'charge', …]
 */
export function runWorkflowTest(request: WorkflowTestRequest, options: FlowTestOptions = {}): FlowTestResult {
  const problems = validateWorkflowDef(request.workflowDef);
  if (problems.length > 0) throw new InvalidFlowDefinitionError(problems);
  return new FlowRun(request, options).run();
}

class FlowRun {
  private readonly executionId: string;
  private readonly startTime: number;
  private state: ExecutionState;
  private now: number;
  private readonly events: ExecutionEvent[] = [];
  private readonly agenda = new FlowAgenda();
  private readonly mocks = new Map<string, MockAttempt[]>();
  /** Tasks whose answer is on its way (or which were left to time out). */
  private readonly answered = new Set<string>();
  /** Tasks that can never be answered in this run (a child that stalled), and why. */
  private readonly stuck = new Map<string, string>();
  private readonly children: Record<string, FlowTestResult> = {};

  constructor(
    private readonly request: WorkflowTestRequest,
    private readonly options: FlowTestOptions,
    private readonly parent?: { executionId: string; taskId: string },
  ) {
    this.executionId = request.executionId ?? 'flow-test';
    this.startTime = request.startTime ?? 0;
    this.now = this.startTime;
    this.state = initialState(this.executionId);
    for (const [ref, attempts] of Object.entries(request.taskRefToMockOutput ?? {})) this.mocks.set(ref, [...attempts]);
  }

  run(): FlowTestResult {
    this.apply({
      type: 'StartExecution',
      executionId: this.executionId,
      definition: this.request.workflowDef,
      taskDefs: taskDefsByName(this.request.taskDefs),
      input: this.request.input ?? {},
      ...(this.request.correlationId !== undefined ? { correlationId: this.request.correlationId } : {}),
      ...(this.request.priority !== undefined ? { priority: this.request.priority } : {}),
      ...(this.parent ? { parent: this.parent } : {}),
    });
    const maxSteps = this.request.maxSteps ?? DEFAULT_MAX_STEPS;
    let stalled: string | undefined;
    for (let step = 0; !isTerminalExecution(this.state.status); step += 1) {
      if (step >= maxSteps) {
        stalled = `gave up after ${maxSteps} decisions (a loop that never ends?)`;
        break;
      }
      const unanswered = this.answerPendingTasks();
      const next = this.agenda.peek(this.state);
      // Like Conductor's test run: stop as soon as nothing more happens at this instant and a task waits for an answer nobody mocked.
      if (!next || (unanswered.length > 0 && next.at > this.now)) {
        stalled = unanswered.length > 0 ? unanswered.join('; ') : 'nothing left to happen: no pending task, timer or mocked answer';
        break;
      }
      this.now = Math.max(this.now, next.at);
      if (next.kind === 'timer') {
        this.apply({ type: 'FireTimer', timerId: next.timerId });
        continue;
      }
      this.agenda.take(next.arrival);
      if (next.arrival.heartbeatOf !== undefined) this.answered.delete(next.arrival.heartbeatOf);
      this.apply(next.arrival.command);
    }
    return this.result(stalled);
  }

  private apply(command: ExecutionCommand): void {
    const decision = decide(command, this.state, { now: this.now });
    if (decision.events.length === 0) return; // a late answer (the task timed out, was retried…): ignored, as in the orchestrator
    // One push per event: a long chain of system tasks can emit more events than a call takes arguments.
    for (const event of decision.events) this.events.push(event);
    this.state = decision.state ?? replay(decision.events, this.state);
  }

  /** Gives every pending task that can be answered its next answer; returns why the others wait. */
  private answerPendingTasks(): string[] {
    const unanswered: string[] = [];
    for (const task of pendingTasks(this.state)) {
      const stuck = this.stuck.get(task.taskId);
      if (stuck !== undefined) unanswered.push(stuck);
      if (!EXTERNAL_TASK_TYPES.has(task.taskType) || this.answered.has(task.taskId)) continue;
      const why = this.answer(task);
      if (why !== undefined) unanswered.push(why);
    }
    return unanswered;
  }

  private answer(task: TaskState): string | undefined {
    const attempt = this.mocks.get(task.taskRefName)?.shift();
    if (attempt) {
      this.answered.add(task.taskId);
      this.answerWith(task, attempt);
      return undefined;
    }
    if (task.taskType === 'EVENT') {
      // What the orchestrator reports once it has published the task's input to its sink.
      const sink = workflowTaskOf(this.state, task.taskRefName)?.sink ?? '';
      this.answered.add(task.taskId);
      this.agenda.add({ at: this.now, command: result(task, 'COMPLETED', { output: { sink, subject: sink.slice(sink.indexOf(':') + 1) } }) });
      return undefined;
    }
    if ((task.taskType === 'INLINE' || task.taskType === 'LAMBDA') && this.options.scripts) {
      // What the orchestrator's script runner reports; a script that reads the clock or Math.random makes the run vary.
      const outcome = runScriptTask(this.options.scripts, task.taskType, task.input);
      this.answered.add(task.taskId);
      this.agenda.add({ at: this.now, command: result(task, outcome.status, { output: outcome.output, reason: outcome.reason }) });
      return undefined;
    }
    const child = this.request.subWorkflowTestRequest?.[task.taskRefName];
    if (task.taskType === 'SUB_WORKFLOW' && child) return this.runChild(task, child);
    if (task.taskType === 'WAIT' && Object.values(this.state.timers).some((timer) => timer.purpose.kind === 'WAIT' && timer.purpose.taskId === task.taskId)) return undefined;
    const what = task.taskType === 'WAIT' ? 'signal' : 'attempt';
    return `${task.taskRefName} (${task.taskType}, attempt ${task.attempt}) has no mocked ${what} left in taskRefToMockOutput`;
  }

  private answerWith(task: TaskState, attempt: MockAttempt): void {
    const status = attempt.status ?? 'COMPLETED';
    if (status === 'TIMED_OUT') return; // the worker stays silent: the task's deadline timer decides
    const at = this.now + (attempt.queueWaitTime ?? 0) + (attempt.executionTime ?? 0);
    const arrival: Arrival = {
      at,
      command: result(task, status, { output: attempt.output, reason: attempt.reason }),
      ...(status === 'IN_PROGRESS' ? { heartbeatOf: task.taskId } : {}),
    };
    this.agenda.add(arrival);
  }

  /** A SUB_WORKFLOW with a test request of its own: run the child now, its end is the task's result. */
  private runChild(task: TaskState, request: WorkflowTestRequest): string | undefined {
    const childId = `${task.taskId}-child`;
    const child = new FlowRun(
      { ...request, input: task.input, executionId: childId, startTime: this.now, ...(this.state.correlationId !== undefined ? { correlationId: this.state.correlationId } : {}) },
      this.options,
      { executionId: this.executionId, taskId: task.taskId },
    ).run();
    this.children[task.taskRefName] = child;
    this.answered.add(task.taskId);
    this.agenda.add({ at: this.now, command: result(task, 'IN_PROGRESS', { output: { subWorkflowId: childId } }) });
    if (child.status === 'COMPLETED') {
      this.agenda.add({ at: this.now + child.elapsedMs, command: result(task, 'COMPLETED', { output: { ...child.output, subWorkflowId: childId } }) });
    } else if (isTerminalExecution(child.status)) {
      this.agenda.add({ at: this.now + child.elapsedMs, command: result(task, 'FAILED', { output: { subWorkflowId: childId }, reason: `sub workflow ${childId} ended ${child.status}: ${child.reason ?? ''}` }) });
    } else {
      const why = `${task.taskRefName} (SUB_WORKFLOW): its child stopped ${child.status}: ${child.stalled ?? ''}`;
      this.stuck.set(task.taskId, why);
      return why;
    }
    return undefined;
  }

  private result(stalled: string | undefined): FlowTestResult {
    const tasks = tasksInOrder(this.state).map((task) => ({
      taskRefName: task.taskRefName,
      taskDefName: task.taskDefName,
      taskType: task.taskType,
      taskId: task.taskId,
      attempt: task.attempt,
      status: task.status,
      ...(task.iteration !== undefined ? { iteration: task.iteration } : {}),
      input: task.input,
      output: task.output,
      ...(task.reason !== undefined ? { reason: task.reason } : {}),
    }));
    return {
      executionId: this.executionId,
      status: this.state.status,
      output: this.state.output,
      ...(this.state.reason !== undefined ? { reason: this.state.reason } : {}),
      path: tasks.map((task) => task.taskRefName),
      tasks,
      ...(stalled !== undefined ? { stalled } : {}),
      elapsedMs: this.now - this.startTime,
      events: this.events,
      subWorkflows: this.children,
    };
  }
}

function result(task: TaskState, status: 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' | 'IN_PROGRESS', details: { output?: Readonly<Record<string, unknown>>; reason?: string }): ExecutionCommand {
  return {
    type: 'ApplyTaskResult',
    taskId: task.taskId,
    status,
    workerId: WORKER_ID,
    ...(details.output !== undefined ? { output: details.output } : {}),
    ...(details.reason !== undefined ? { reason: details.reason } : {}),
  };
}

function taskDefsByName(taskDefs: WorkflowTestRequest['taskDefs']): Record<string, TaskDef> {
  if (!taskDefs) return {};
  if (!Array.isArray(taskDefs)) return { ...(taskDefs as Record<string, TaskDef>) };
  return Object.fromEntries((taskDefs as readonly TaskDef[]).map((taskDef) => [taskDef.name, taskDef]));
}
