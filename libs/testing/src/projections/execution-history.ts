import { randomUUID } from 'node:crypto';
import type { ExecutionEvent, TimerPurpose } from '@app/domain';
import type { AppendResult, EventStore } from '@app/event-store';

/** Events as a test writes them: the domain's, or any other type (future or foreign events). */
export type TestEvent = ExecutionEvent | { readonly type: string; readonly data: Readonly<Record<string, unknown>> };

/** Builders of execution events with test-friendly defaults; `at` is epoch ms. */
export const history = {
  started(executionId: string, options: { workflowName?: string; version?: number; correlationId?: string; idempotencyKey?: string; parentExecutionId?: string; input?: Record<string, unknown>; at?: number } = {}): ExecutionEvent {
    return {
      type: 'ExecutionStarted',
      data: {
        executionId,
        definition: { name: options.workflowName ?? 'order', version: options.version ?? 1, tasks: [] },
        taskDefs: {},
        input: options.input ?? {},
        ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
        ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
        ...(options.parentExecutionId === undefined ? {} : { parent: { executionId: options.parentExecutionId, taskId: 'parent-task' } }),
        at: options.at ?? 1_000,
      },
    };
  },
  scheduled(taskId: string, options: { ref?: string; def?: string; type?: string; attempt?: number; at?: number } = {}): ExecutionEvent {
    const ref = options.ref ?? taskId;
    return { type: 'TaskScheduled', data: { taskId, taskRefName: ref, taskDefName: options.def ?? ref, taskType: options.type ?? 'SIMPLE', attempt: options.attempt ?? 1, input: {}, at: options.at ?? 1_000 } };
  },
  progress(taskId: string, at: number, workerId = 'worker-1'): ExecutionEvent {
    return { type: 'TaskProgressReported', data: { taskId, workerId, at } };
  },
  completed(taskId: string, at: number, workerId = 'worker-1'): ExecutionEvent {
    return { type: 'TaskCompleted', data: { taskId, output: { ok: true }, workerId, at } };
  },
  failed(taskId: string, at: number, options: { reason?: string; terminal?: boolean } = {}): ExecutionEvent {
    return { type: 'TaskFailed', data: { taskId, reason: options.reason ?? 'boom', terminal: options.terminal ?? false, workerId: 'worker-1', at } };
  },
  timedOut(taskId: string, at: number): ExecutionEvent {
    return { type: 'TaskTimedOut', data: { taskId, reason: 'response timeout', at } };
  },
  canceled(taskId: string, at: number): ExecutionEvent {
    return { type: 'TaskCanceled', data: { taskId, reason: 'execution ended', at } };
  },
  timerStarted(timerId: string, dueAt: number, purpose: TimerPurpose = { kind: 'WORKFLOW_TIMEOUT' }, at = 1_000): ExecutionEvent {
    return { type: 'TimerStarted', data: { timerId, dueAt, purpose, at } };
  },
  timerFired(timerId: string, at: number): ExecutionEvent {
    return { type: 'TimerFired', data: { timerId, at } };
  },
  executionCompleted(at: number, output: Record<string, unknown> = { done: true }): ExecutionEvent {
    return { type: 'ExecutionCompleted', data: { output, at } };
  },
  executionFailed(at: number, reason = 'task failed', failedTaskRefName?: string): ExecutionEvent {
    return { type: 'ExecutionFailed', data: { reason, output: {}, at, ...(failedTaskRefName === undefined ? {} : { failedTaskRefName }) } };
  },
  executionTerminated(at: number, reason = 'by operator'): ExecutionEvent {
    return { type: 'ExecutionTerminated', data: { reason, output: {}, at } };
  },
};

/** Appends events to a stream, as the orchestrator would (ids are UUIDs, revision unchecked). */
export function appendEvents(store: EventStore, streamName: string, events: readonly TestEvent[]): Promise<AppendResult> {
  return store.appendToStream(streamName, events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { actor: 'test' } })));
}

/** A small but complete execution: start, `tasks` SIMPLE tasks scheduled and completed, end. `tasks × 2 + 2` events. */
export function completedExecution(executionId: string, tasks: number, at = 1_000): ExecutionEvent[] {
  const events: ExecutionEvent[] = [history.started(executionId, { correlationId: `c-${executionId}`, at })];
  for (let index = 0; index < tasks; index += 1) {
    const taskId = `${executionId}-t${index}`;
    events.push(history.scheduled(taskId, { ref: `step${index}`, def: `task_${index % 3}`, at: at + index * 10 }), history.completed(taskId, at + index * 10 + 5));
  }
  events.push(history.executionCompleted(at + tasks * 10));
  return events;
}
