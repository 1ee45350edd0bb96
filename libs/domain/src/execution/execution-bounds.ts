import { DecisionBuilder } from './decision-builder';
import type { Decision } from './decision';
import type { ExecutionEvent } from './execution-events';
import { ExecutionFlow } from './execution-flow';
import type { ExecutionState } from './execution-state';

/**
 * What one execution may hold, so no single execution can take the process down (a loop whose
 * INLINE body returns a megabyte fifty times). Configured by the host (the orchestrator's
 * `BATON_MAX_TASK_OUTPUT_BYTES`, `BATON_MAX_EXECUTION_STATE_BYTES`).
 */
export interface ExecutionBounds {
  /** UTF-8 bytes of one task attempt's output as JSON. */
  readonly maxTaskOutputBytes: number;
  /**
   * UTF-8 bytes of the execution's data as JSON: its input, variables, and every task attempt's
   * input and output — what its state holds in memory and its history grows by.
   */
  readonly maxExecutionStateBytes: number;
}

/** Sizes of immutable values already measured (outputs and inputs are shared by every later state). */
const measured = new WeakMap<object, number>();

/** UTF-8 bytes of `value` as JSON (0 for undefined). */
export function jsonBytes(value: unknown): number {
  if (value === undefined || value === null) return 4;
  if (typeof value !== 'object') return utf8Length(JSON.stringify(value) ?? '');
  const known = measured.get(value);
  if (known !== undefined) return known;
  const bytes = utf8Length(JSON.stringify(value) ?? '');
  measured.set(value, bytes);
  return bytes;
}

function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/** The data an execution holds, by {@link ExecutionBounds.maxExecutionStateBytes}'s measure. */
export function executionDataBytes(state: ExecutionState): number {
  if (state.status === 'NOT_STARTED') return 0;
  let bytes = jsonBytes(state.input) + jsonBytes(state.variables);
  for (const task of Object.values(state.tasks)) bytes += jsonBytes(task.input) + jsonBytes(task.output);
  return bytes;
}

/** What an event adds to the execution's data. */
function addedBytes(event: ExecutionEvent): number {
  const data = event.data as { input?: unknown; output?: unknown; variables?: unknown };
  return (data.input === undefined ? 0 : jsonBytes(data.input)) + (data.output === undefined ? 0 : jsonBytes(data.output)) + (data.variables === undefined ? 0 : jsonBytes(data.variables));
}

/**
 * The decision, held to the bounds: replayed event by event; at the first task output over
 * `maxTaskOutputBytes`, or the first event that takes the execution's data over
 * `maxExecutionStateBytes`, the rest is dropped, the task is failed (terminally) with a reason
 * naming the limit, and the execution ends FAILED with that reason. Decisions within the bounds
 * are returned as they are.
 */
export function boundDecision(decision: Decision, state: ExecutionState, now: number, bounds: ExecutionBounds): Decision {
  if (decision.events.length === 0) return decision;
  let total = executionDataBytes(state);
  let violation: { reason: string; event: ExecutionEvent } | undefined;
  for (const event of decision.events) {
    const output = (event.data as { output?: unknown }).output;
    if ((event.type === 'TaskCompleted' || event.type === 'TaskFailed') && output !== undefined) {
      const bytes = jsonBytes(output);
      if (bytes > bounds.maxTaskOutputBytes) {
        violation = { event, reason: `task output of ${bytes} bytes is more than the ${bounds.maxTaskOutputBytes} allowed (BATON_MAX_TASK_OUTPUT_BYTES)` };
        break;
      }
    }
    total += addedBytes(event);
    if (total > bounds.maxExecutionStateBytes && event.type !== 'ExecutionStarted') {
      violation = { event, reason: `execution data of ${total} bytes is more than the ${bounds.maxExecutionStateBytes} allowed (BATON_MAX_EXECUTION_STATE_BYTES)` };
      break;
    }
  }
  if (!violation) return decision;
  const builder = new DecisionBuilder(state, now);
  for (const event of decision.events) {
    if (event === violation.event) break;
    builder.emit(event);
  }
  if (builder.state.status === 'NOT_STARTED') return decision;
  const taskId = (violation.event.data as { taskId?: unknown }).taskId;
  const task = typeof taskId === 'string' ? builder.state.tasks[taskId] : undefined;
  if (task && (violation.event.type === 'TaskCompleted' || violation.event.type === 'TaskFailed')) {
    builder.emit({ type: 'TaskFailed', data: { taskId: task.taskId, reason: violation.reason, terminal: true, at: now } });
  }
  new ExecutionFlow(builder).end('FAILED', violation.reason, {}, task ? { failedTaskRefName: task.taskRefName, failedTaskId: task.taskId } : {});
  return builder.decision();
}
