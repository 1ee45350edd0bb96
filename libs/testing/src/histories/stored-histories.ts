import { randomUUID } from 'node:crypto';
import { decide, initialState, isTerminalExecution, pendingTasks, replay, type ExecutionEvent, type TaskDef, type WorkflowDef } from '@app/domain';
import { GENESIS_HASH, chainEvents, type AppendRequest, type EventData, type EventStore } from '@app/event-store';

/** A history to store: each decision's events, as the orchestrator would have appended them. */
export interface DecidedHistory {
  readonly executionId: string;
  readonly decisions: readonly (readonly ExecutionEvent[])[];
}

/**
 * Drives a definition through the decider the way workers would: starts it, then completes the
 * first pending SIMPLE or WAIT task with its output from `outputs` (by reference name, `{}` when
 * absent), one decision per result, until the execution ends (or `maxDecisions`).
 */
export function decideHistory(definition: WorkflowDef, options: { executionId: string; input?: Record<string, unknown>; taskDefs?: Record<string, TaskDef>; outputs?: Record<string, Record<string, unknown>>; startAt?: number; maxDecisions?: number }): DecidedHistory {
  let now = options.startAt ?? Date.parse('2026-01-01T00:00:00Z');
  let state = initialState(options.executionId);
  const decisions: ExecutionEvent[][] = [];
  const apply = (command: Parameters<typeof decide>[0]) => {
    const decision = decide(command, state, { now });
    if (decision.ignored) throw new Error(`${command.type} ignored: ${decision.ignored.reason}`);
    decisions.push([...decision.events]);
    state = replay(decision.events, state);
    now += 1_000;
  };
  apply({ type: 'StartExecution', executionId: options.executionId, definition, taskDefs: options.taskDefs ?? {}, input: options.input ?? {} });
  while (!isTerminalExecution(state.status) && decisions.length < (options.maxDecisions ?? 1_000)) {
    const task = pendingTasks(state).find((pending) => pending.taskType === 'SIMPLE' || pending.taskType === 'WAIT');
    if (!task) break;
    apply({ type: 'ApplyTaskResult', taskId: task.taskId, status: 'COMPLETED', output: options.outputs?.[task.taskRefName] ?? {}, workerId: 'worker-1' });
  }
  return { executionId: options.executionId, decisions };
}

/** The appends that store a history: new event ids, one cause per decision, the hash chain. */
export function historyAppends(history: DecidedHistory, causePrefix = 'history'): EventData[] {
  const stream = `execution-${history.executionId}`;
  const drafts = history.decisions.flatMap((events, index) =>
    events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: { correlationId: history.executionId, causationId: `${causePrefix}:${history.executionId}:${index}`, actor: index === 0 ? 'api:test' : 'worker:worker-1' },
    })),
  );
  return chainEvents(stream, 0n, GENESIS_HASH, drafts);
}

/**
 * Stores `count` copies of a history (each under a new execution id) in batches of `batch`
 * executions per `appendMany`: a store of realistic, hash-chained histories for audits, exports
 * and benchmarks. Resolves with the execution ids.
 */
export async function storeHistories(store: EventStore, template: DecidedHistory, count: number, options: { batch?: number; onBatch?: (stored: number) => void } = {}): Promise<string[]> {
  const text = JSON.stringify(template.decisions);
  const ids: string[] = [];
  const batch = options.batch ?? 200;
  for (let first = 0; first < count; first += batch) {
    const requests: AppendRequest[] = [];
    for (let i = first; i < Math.min(count, first + batch); i += 1) {
      const executionId = randomUUID();
      // The template's id appears in its events (ExecutionStarted, task ids): a copy carries the new one.
      const decisions = JSON.parse(text.split(template.executionId).join(executionId)) as ExecutionEvent[][];
      requests.push({ streamName: `execution-${executionId}`, events: historyAppends({ executionId, decisions }), expectedRevision: 'no_stream' });
      ids.push(executionId);
    }
    const outcomes = store.appendMany ? await store.appendMany(requests) : await Promise.all(requests.map((request) => store.appendToStream(request.streamName, request.events, { expectedRevision: 'no_stream' }).then((result) => ({ ok: true as const, result }))));
    const failed = outcomes.find((outcome) => !outcome.ok);
    if (failed && !failed.ok) throw failed.error;
    options.onBatch?.(ids.length);
  }
  return ids;
}
