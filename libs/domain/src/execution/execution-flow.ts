import { dueAfter, dueAfterSeconds } from '../definitions/durations';
import { DefinitionIndex, type TaskContainer, type TaskLocation } from '../definitions/definition-index';
import { childTaskLists, taskTypeOf, type WorkflowTask } from '../definitions/workflow-def';
import { evaluateWithEvaluator, parseReferences, resolveParameters } from '../expressions';
import { isInProcessTaskType } from '../planners/in-process.planner';
import { effectiveTaskDef, plannerFor } from '../planners/planner-registry';
import { exclusiveJoinTarget } from '../planners/exclusive-join.planner';
import { loopItemsOf } from '../planners/do-while.planner';
import type { AttemptInfo, EndKind, FlowControl, ScheduledAs } from '../planners/task-planner';
import type { DecisionBuilder } from './decision-builder';
import { isSuccessfulTask, isTerminalTask, latestTask, pendingTasks, tasksInOrder, type DeferredStep, type TaskState } from './execution-state';
import { mappingContextOf } from './mapping-context';
import { hasRetriesLeft, retryDelayMs } from './retry-policy';
import { StepAgenda } from './step-agenda';
import { nextDeadline, taskDeadlines, totalTimeoutPassed } from './task-deadlines';

const referencedTaskCache = new WeakMap<object, ReadonlySet<string> | undefined>();

/**
 * The task references a template reads (cached per definition object), so its mapping context
 * holds only those; undefined when a path is built at run time and any task may be read.
 */
function referencedTasks(template: Readonly<Record<string, unknown>>): ReadonlySet<string> | undefined {
  if (referencedTaskCache.has(template)) return referencedTaskCache.get(template);
  const references = parseReferences(template);
  const refs = references.some((reference) => reference.kind === 'dynamic') ? undefined : new Set(references.filter((reference) => reference.kind === 'task').map((reference) => reference.root));
  referencedTaskCache.set(template, refs);
  return refs;
}

/** A guard on runaway loops (each iteration is kept in the history). */
const MAX_LOOP_ITERATIONS = 10_000;

/**
 * The control flow of one execution over its definition tree: what comes after a task, when a
 * JOIN is satisfied, when a failure retries, continues or fails the execution, and how it ends.
 *
 * Each continuation (schedule, succeeded, failed, retry, checkJoins) is a step of a
 * {@link StepAgenda}, not a nested call: called from a decision it runs to the end before
 * returning; called from within a step (a planner, a loop iteration) it runs after that step, so
 * a decision that runs thousands of system tasks in a row never deepens the stack.
 */
export class ExecutionFlow implements FlowControl {
  private readonly index: DefinitionIndex;
  private readonly agenda = new StepAgenda();

  constructor(readonly builder: DecisionBuilder) {
    const definition = builder.state.definition;
    if (!definition) throw new Error('execution flow needs a started execution');
    this.index = DefinitionIndex.of(definition);
  }

  private get running(): boolean {
    return this.builder.state.status === 'RUNNING';
  }

  /** Running or paused: it can still end (terminate, time out). */
  private get open(): boolean {
    return this.builder.state.status === 'RUNNING' || this.builder.state.status === 'PAUSED';
  }

  resolveInput(task: WorkflowTask): Record<string, unknown> {
    const template = task.inputParameters ?? {};
    const resolved = resolveParameters(template, mappingContextOf(this.builder.state, referencedTasks(template)));
    return isRecord(resolved) ? resolved : {};
  }

  resolveValue(template: unknown): unknown {
    return resolveParameters(template, mappingContextOf(this.builder.state));
  }

  emitScheduled(task: WorkflowTask, input: Readonly<Record<string, unknown>>, attempt: AttemptInfo, as?: ScheduledAs): string {
    const taskId = this.builder.nextTaskId();
    const dynamic = this.builder.state.dynamicTasks[task.taskReferenceName];
    const [loopRef] = this.index.enclosingLoops(dynamic ? dynamic.forkRef : task.taskReferenceName);
    const iteration = loopRef === undefined ? undefined : latestTask(this.builder.state, loopRef)?.iteration;
    this.builder.emit({
      type: 'TaskScheduled',
      data: {
        taskId,
        taskRefName: task.taskReferenceName,
        taskDefName: as?.taskDefName ?? task.name,
        taskType: as?.taskType ?? taskTypeOf(task),
        attempt: attempt.attempt,
        input,
        ...(attempt.retriedTaskId ? { retriedTaskId: attempt.retriedTaskId } : {}),
        ...(iteration !== undefined ? { iteration } : {}),
        ...(as?.subWorkflow ? { subWorkflow: as.subWorkflow } : {}),
        at: this.builder.now,
      },
    });
    return taskId;
  }

  /** Arms the workflow timeout, then schedules the first task (or completes an empty workflow). */
  start(): void {
    this.agenda.run(() => {
      const definition = this.builder.started.definition;
      this.armWorkflowTimeout();
      const first = definition.tasks[0];
      if (first) this.schedule(first);
      else this.complete();
    });
  }

  /** Arms the workflow's own timeout from now (at start, and again when an operator reopens it). */
  armWorkflowTimeout(): void {
    const timeoutSeconds = this.builder.started.definition.timeoutSeconds ?? 0;
    if (timeoutSeconds <= 0) return;
    const { now } = this.builder;
    this.builder.emit({ type: 'TimerStarted', data: { timerId: this.builder.nextTimerId(), dueAt: dueAfterSeconds(now, timeoutSeconds), purpose: { kind: 'WORKFLOW_TIMEOUT' }, at: now } });
  }

  armTaskDeadline(taskId: string): void {
    const task = this.builder.state.tasks[taskId]!;
    const dueAt = nextDeadline(taskDeadlines(this.builder.state, task, this.taskDefOf(task)));
    if (dueAt === undefined) return;
    this.builder.emit({ type: 'TimerStarted', data: { timerId: this.builder.nextTimerId(), dueAt, purpose: { kind: 'TASK_TIMEOUT', taskId }, at: this.builder.now } });
  }

  /** The task definition in force for a scheduled task. */
  taskDefOf(task: TaskState) {
    return effectiveTaskDef(this.builder.state, this.locate(task.taskRefName).task, task.taskDefName);
  }

  /** The workflow task a scheduled task came from. */
  workflowTaskOf(task: TaskState): WorkflowTask {
    return this.locate(task.taskRefName).task;
  }

  /** Runs the continuations a paused execution owes, in order (after ExecutionResumed). */
  runDeferred(steps: readonly DeferredStep[]): void {
    this.agenda.run(() => {
      for (const step of steps) this.agenda.run(() => this.runDeferredStep(step));
      this.checkJoins();
    });
  }

  private runDeferredStep(step: DeferredStep): void {
    switch (step.kind) {
      case 'succeeded': {
        const task = this.builder.state.tasks[step.taskId];
        if (task) this.succeeded(task.taskRefName);
        return;
      }
      case 'failed':
        this.failed(step.taskId);
        return;
      case 'retry':
        this.retryNow(step.retriedTaskId);
        return;
    }
  }

  /**
   * After a rerun from a task inside forks: the JOINs of its enclosing forks were taken back with
   * it, so they are scheduled again to wait for the rerun branch.
   */
  rescheduleEnclosingJoins(taskRefName: string): void {
    this.agenda.run(() => {
      let container = this.locate(taskRefName).container;
      while (container.kind !== 'root') {
        const owner = container.kind === 'fork-branch' ? container.forkRef : container.kind === 'loop' ? container.loopRef : container.switchRef;
        const join = container.kind === 'fork-branch' ? this.index.nextSibling(owner) : undefined;
        // Checked when its turn comes: scheduling an inner JOIN may already have reached this one.
        if (join) this.agenda.run(() => (latestTask(this.builder.state, join.taskReferenceName) ? undefined : this.schedule(join)));
        container = this.locate(owner).container;
      }
    });
  }

  schedule(task: WorkflowTask, attempt: AttemptInfo = { attempt: 1 }): void {
    this.agenda.run(() => {
      if (!this.running) return;
      const type = taskTypeOf(task);
      const planner = plannerFor(type);
      if (!planner) {
        // Validation rejects such definitions; a history from a newer Baton still must not crash.
        this.end('FAILED', `task type ${type} of ${task.taskReferenceName} is not supported`, {}, { failedTaskRefName: task.taskReferenceName });
        return;
      }
      planner.schedule(this, task, attempt);
    });
  }

  succeeded(taskRefName: string): void {
    this.agenda.run(() => {
      if (!this.running) return;
      const next = this.builder.state.dynamicTasks[taskRefName] ? undefined : this.index.nextSibling(taskRefName);
      if (next) this.schedule(next);
      else this.containerDone(this.locate(taskRefName).container);
      this.checkJoins();
    });
  }

  /**
   * A failed or timed-out attempt, Conductor's rules: an attempt timeout under TIME_OUT_WF times
   * the workflow out at once; otherwise a worker task is retried while retries and the total
   * timeout allow; then an optional task lets the flow continue; else the workflow ends FAILED,
   * or TIMED_OUT when the last attempt timed out.
   */
  failed(taskId: string): void {
    this.agenda.run(() => this.failNow(taskId));
  }

  private failNow(taskId: string): void {
    if (!this.running) return;
    const task = this.builder.state.tasks[taskId]!;
    const workflowTask = this.locate(task.taskRefName).task;
    const taskDef = effectiveTaskDef(this.builder.state, workflowTask, task.taskDefName);
    const timedOut = task.status === 'TIMED_OUT';
    const details = { failedTaskRefName: task.taskRefName, failedTaskId: task.taskId };
    if (timedOut && task.timeout === 'TASK_TIMEOUT' && (taskDef.timeoutPolicy ?? 'TIME_OUT_WF') === 'TIME_OUT_WF') {
      this.end('TIMED_OUT', `task ${task.taskRefName} (${task.taskId}) timed out: ${task.reason ?? 'timeoutSeconds passed'}`, {}, details);
      return;
    }
    // A system task run by the orchestrator retries only under a task definition of its own name (Conductor's rule).
    const ownDefinition = workflowTask.taskDefinition !== undefined || this.builder.state.taskDefs[workflowTask.name] !== undefined;
    const retryable = task.status !== 'FAILED_WITH_TERMINAL_ERROR' && (task.taskType === 'SIMPLE' || (isInProcessTaskType(task.taskType) && ownDefinition));
    if (retryable && hasRetriesLeft(taskDef, task.attempt) && !totalTimeoutPassed(this.builder.state, task, taskDef, this.builder.now)) {
      this.retry(task, workflowTask, retryDelayMs(taskDef, task.attempt, task.taskId));
      return;
    }
    if (workflowTask.optional) {
      this.builder.emit({ type: 'TaskCompletedWithErrors', data: { taskId: task.taskId, at: this.builder.now } });
      this.succeeded(task.taskRefName);
      return;
    }
    if (workflowTask.permissive) {
      // It stays failed; the execution fails where it would have completed (complete(), JOINs).
      this.succeeded(task.taskRefName);
      return;
    }
    const verb = timedOut ? 'timed out' : 'failed';
    this.end(timedOut ? 'TIMED_OUT' : 'FAILED', `task ${task.taskRefName} (${task.taskId}) ${verb} after ${task.attempt} attempt(s): ${task.reason ?? task.status}`, {}, details);
  }

  /** Schedules the next attempt now, or arms a durable timer for it. */
  retry(task: TaskState, workflowTask: WorkflowTask, delayMs: number): void {
    if (delayMs <= 0) {
      this.schedule(workflowTask, { attempt: task.attempt + 1, retriedTaskId: task.taskId, input: task.input });
      return;
    }
    const { now } = this.builder;
    this.builder.emit({
      type: 'TimerStarted',
      data: { timerId: this.builder.nextTimerId(), dueAt: dueAfter(now, delayMs), purpose: { kind: 'RETRY', taskRefName: task.taskRefName, retriedTaskId: task.taskId }, at: now },
    });
  }

  /** Runs the attempt a RETRY timer was waiting for. */
  retryNow(retriedTaskId: string): void {
    const task = this.builder.state.tasks[retriedTaskId];
    if (!task) return;
    this.schedule(this.locate(task.taskRefName).task, { attempt: task.attempt + 1, retriedTaskId, input: task.input });
  }

  /** Completes the JOINs whose branches are done, each one's continuation before the next JOIN is looked at. */
  checkJoins(): void {
    this.agenda.run(() => {
      for (const joinId of this.builder.openJoins()) this.agenda.run(() => this.checkJoin(joinId));
    });
  }

  private checkJoin(joinId: string): void {
    const join = this.builder.state.tasks[joinId];
    if (!this.running || !join || isTerminalTask(join.status)) return;
    if (join.taskType === 'EXCLUSIVE_JOIN') {
      this.checkExclusiveJoin(join);
      return;
    }
    // The JOIN's input holds what it waits on (a dynamic fork's branches are only known at run time).
    const joinOn = Array.isArray(join.input['joinOn']) ? (join.input['joinOn'] as string[]) : (this.locate(join.taskRefName).task.joinOn ?? []);
    if (!joinOn.every((ref) => this.isDone(ref) || this.permissiveFailure(ref))) return;
    const failures = joinOn.map((ref) => this.permissiveFailure(ref)).filter((task): task is TaskState => task !== undefined);
    if (failures.length > 0) {
      // Conductor: a permissive branch failure fails the JOIN once everything it waits on has ended.
      this.builder.emit({ type: 'TaskFailed', data: { taskId: join.taskId, reason: permissiveReason(failures), terminal: true, at: this.builder.now } });
      this.failed(join.taskId);
      return;
    }
    const output = Object.fromEntries(joinOn.map((ref) => [ref, latestTask(this.builder.state, ref)?.output ?? {}]));
    this.builder.emit({ type: 'TaskCompleted', data: { taskId: join.taskId, output, at: this.builder.now } });
    this.succeeded(join.taskRefName);
  }

  private checkExclusiveJoin(join: TaskState): void {
    const joined = exclusiveJoinTarget(this.builder.state, join.input, (task) => this.isDone(task.taskRefName) || this.permissiveFailure(task.taskRefName) !== undefined);
    if (!joined) return;
    if (!this.isDone(joined.taskRefName)) {
      this.builder.emit({ type: 'TaskFailed', data: { taskId: join.taskId, reason: permissiveReason([joined]), terminal: true, at: this.builder.now } });
      this.failed(join.taskId);
      return;
    }
    this.builder.emit({ type: 'TaskCompleted', data: { taskId: join.taskId, output: joined.output, at: this.builder.now } });
    this.succeeded(join.taskRefName);
  }

  end(kind: EndKind, reason: string, output: Readonly<Record<string, unknown>>, details: { failedTaskRefName?: string; failedTaskId?: string; byTaskRefName?: string } = {}): void {
    if (!this.open) return;
    const at = this.builder.now;
    for (const task of pendingTasks(this.builder.state)) {
      this.builder.emit({ type: 'TaskCanceled', data: { taskId: task.taskId, reason: `execution ${kind.toLowerCase()}: ${reason}`, at } });
    }
    switch (kind) {
      case 'COMPLETED':
        this.builder.emit({ type: 'ExecutionCompleted', data: { output, at } });
        return;
      case 'FAILED':
        this.builder.emit({ type: 'ExecutionFailed', data: { reason, output, failedTaskRefName: details.failedTaskRefName, failedTaskId: details.failedTaskId, at } });
        return;
      case 'TERMINATED':
        this.builder.emit({ type: 'ExecutionTerminated', data: { reason, output, byTaskRefName: details.byTaskRefName, at } });
        return;
      case 'TIMED_OUT':
        this.builder.emit({ type: 'ExecutionTimedOut', data: { reason, output, failedTaskRefName: details.failedTaskRefName, at } });
        return;
    }
  }

  forkBefore(taskRefName: string): string | undefined {
    const location = this.index.find(taskRefName);
    return location && location.index > 0 ? location.siblings[location.index - 1]!.taskReferenceName : undefined;
  }

  /** Where a task sits: in the definition, or added at run time by a FORK_JOIN_DYNAMIC (one task per branch). */
  locate(taskRefName: string): TaskLocation {
    const location = this.locateOptional(taskRefName);
    if (!location) throw new Error(`execution ${this.builder.state.executionId} has no task ${taskRefName} in its definition`);
    return location;
  }

  private locateOptional(taskRefName: string): TaskLocation | undefined {
    const dynamic = this.builder.state.dynamicTasks[taskRefName];
    if (!dynamic) return this.index.find(taskRefName);
    return { task: dynamic.task, type: taskTypeOf(dynamic.task), container: { kind: 'fork-branch', forkRef: dynamic.forkRef, branchIndex: 0 }, siblings: [dynamic.task], index: 0 };
  }

  /** A task lets the flow past it: it succeeded, or it is optional and gave up. */
  /** The latest attempt of a permissive task that failed for good (no retry pending), if it did. */
  private permissiveFailure(taskRefName: string): TaskState | undefined {
    const task = latestTask(this.builder.state, taskRefName);
    if (!task || !isTerminalTask(task.status) || isSuccessfulTask(task.status) || task.status === 'CANCELED' || task.retried) return undefined;
    const workflowTask = this.locateOptional(taskRefName)?.task;
    if (!workflowTask?.permissive || workflowTask.optional) return undefined;
    const retryPending = Object.values(this.builder.state.timers).some((timer) => timer.purpose.kind === 'RETRY' && timer.purpose.retriedTaskId === task.taskId);
    return retryPending ? undefined : task;
  }

  private isDone(taskRefName: string): boolean {
    const task = latestTask(this.builder.state, taskRefName);
    if (!task) return false;
    if (isSuccessfulTask(task.status)) return true;
    return isTerminalTask(task.status) && !task.retried && this.locateOptional(taskRefName)?.task.optional === true;
  }

  private containerDone(container: TaskContainer): void {
    switch (container.kind) {
      case 'root':
        this.complete();
        return;
      case 'switch-case':
        this.succeeded(container.switchRef);
        return;
      case 'fork-branch':
        // A branch ending is not an event of its own: the JOIN decides (checkJoins).
        return;
      case 'loop':
        this.loopBodyDone(container.loopRef);
        return;
    }
  }

  /**
   * A DO_WHILE body finished an iteration: `loopCondition` decides between another iteration
   * and completing the loop, whose output lists each iteration's task outputs (Conductor's shape).
   */
  private loopBodyDone(loopRef: string): void {
    const loop = latestTask(this.builder.state, loopRef);
    if (!loop || isTerminalTask(loop.status)) return;
    const definition = this.locate(loopRef).task;
    const body = definition.loopOver ?? [];
    const iteration = loop.iteration ?? 1;
    const bodyRefs = new Set(this.refsWithin(body));
    const outputs = Object.fromEntries([...bodyRefs].map((ref) => [ref, latestTask(this.builder.state, ref)?.output ?? {}]));
    const { now } = this.builder;
    const items = loopItemsOf(definition, loop);
    let again: boolean;
    try {
      // A list loop goes on while elements remain (and its condition, if it has one, holds).
      const condition = definition.loopCondition?.trim() ? definition.loopCondition : items ? 'true' : 'false';
      const result = items && iteration >= items.length ? false : evaluateWithEvaluator('javascript', condition, { ...loop.input, ...outputs, [loopRef]: { ...loop.output, iteration } });
      again = result === true;
    } catch (error) {
      this.builder.emit({ type: 'TaskFailed', data: { taskId: loop.taskId, reason: `loopCondition failed: ${error instanceof Error ? error.message : String(error)}`, terminal: true, at: now } });
      this.failed(loop.taskId);
      return;
    }
    if (again && iteration >= MAX_LOOP_ITERATIONS) {
      this.builder.emit({ type: 'TaskFailed', data: { taskId: loop.taskId, reason: `loop ran ${MAX_LOOP_ITERATIONS} iterations without its condition turning false`, terminal: true, at: now } });
      this.failed(loop.taskId);
      return;
    }
    if (again) {
      this.builder.emit({ type: 'LoopIterationStarted', data: { taskId: loop.taskId, iteration: iteration + 1, ...(items ? { loopItem: items[iteration], loopIndex: iteration } : {}), at: now } });
      this.schedule(body[0]!);
      return;
    }
    const perIteration: Record<string, Record<string, unknown>> = {};
    for (const task of tasksInOrder(this.builder.state)) {
      if (task.iteration === undefined || !bodyRefs.has(task.taskRefName) || !isSuccessfulTask(task.status)) continue;
      (perIteration[String(task.iteration)] ??= {})[task.taskRefName] = task.output;
    }
    this.builder.emit({ type: 'TaskCompleted', data: { taskId: loop.taskId, output: { ...perIteration, iteration }, at: now } });
    this.succeeded(loopRef);
  }

  /** Reference names of a task list and everything nested in it. */
  private refsWithin(tasks: readonly WorkflowTask[]): string[] {
    return tasks.flatMap((task) => [task.taskReferenceName, ...childTaskLists(task).flatMap((list) => this.refsWithin(list))]);
  }

  /**
   * The root list is done: the execution completes. Tasks still running past their JOIN are
   * canceled, so an execution never lingers on work nothing waits for.
   */
  private complete(): void {
    const definition = this.builder.started.definition;
    const permissive = Object.keys(this.builder.state.latestByRef)
      .map((ref) => this.permissiveFailure(ref))
      .filter((task): task is TaskState => task !== undefined);
    if (permissive.length > 0) {
      const first = permissive[0]!;
      this.end('FAILED', permissiveReason(permissive), {}, { failedTaskRefName: first.taskRefName, failedTaskId: first.taskId });
      return;
    }
    let output: Record<string, unknown>;
    if (definition.outputParameters && Object.keys(definition.outputParameters).length > 0) {
      const resolved = resolveParameters(definition.outputParameters, mappingContextOf(this.builder.state));
      output = isRecord(resolved) ? resolved : {};
    } else {
      const completed = tasksInOrder(this.builder.state).filter((task) => task.status === 'COMPLETED');
      output = { ...(completed[completed.length - 1]?.output ?? {}) };
    }
    this.end('COMPLETED', 'completed', output);
  }
}

/** Conductor's reason for permissive failures: `Task <id> failed with status: <S> and reason: '<r>'`, joined by `. `. */
function permissiveReason(failures: readonly TaskState[]): string {
  return failures.map((task) => `Task ${task.taskId} failed with status: ${task.status} and reason: '${task.reason ?? ''}'`).join('. ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
