import { randomUUID } from 'node:crypto';
import { EVENT_SCHEMA_VERSION, decide, executionStream, initialState, wait, workflow } from '@app/domain';
import { GENESIS_HASH, chainEvents, type AppendRequest, type EventStore } from '@app/event-store';

/** One WAIT whose `until` comes from the workflow input: each execution arms one durable timer. */
export const timerWorkflow = workflow('bench_timer').tasks(wait('wait', { inputParameters: { until: '${workflow.input.until}' } })).build();

const BATCH = 500;

/**
 * Writes `count` started executions of {@link timerWorkflow} straight into an event store, the
 * way the orchestrator would have stored them: the decider's own events for StartExecution
 * (ExecutionStarted, TaskScheduled of the WAIT, TimerStarted), the repository's metadata and hash
 * chain. Timers are due uniformly over [t0, t0 + spanMs). Resolves with each execution's due time.
 */
export async function writeTimerHistories(store: EventStore, options: { count: number; t0: number; spanMs: number }): Promise<Map<string, number>> {
  const dueAt = new Map<string, number>();
  const now = Date.now();
  for (let first = 0; first < options.count; first += BATCH) {
    const requests: AppendRequest[] = [];
    for (let i = first; i < Math.min(options.count, first + BATCH); i += 1) {
      const executionId = randomUUID();
      const due = options.t0 + Math.floor((i * options.spanMs) / options.count);
      const decision = decide(
        { type: 'StartExecution', executionId, definition: timerWorkflow, taskDefs: {}, input: { until: due } },
        initialState(executionId),
        { now },
      );
      const timer = decision.events.find((event) => event.type === 'TimerStarted');
      if (!timer || timer.data.dueAt !== due) throw new Error(`the decider did not arm the WAIT timer as expected: ${JSON.stringify(decision)}`);
      const stream = executionStream(executionId);
      const drafts = decision.events.map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: { correlationId: executionId, causationId: 'bench:timers', actor: 'api:bench', schemaVersion: EVENT_SCHEMA_VERSION },
      }));
      requests.push({ streamName: stream, events: chainEvents(stream, 0n, GENESIS_HASH, drafts), expectedRevision: 'no_stream' });
      dueAt.set(executionId, due);
    }
    const outcomes = store.appendMany ? await store.appendMany(requests) : await Promise.all(requests.map(async (request) => ({ ok: true as const, result: await store.appendToStream(request.streamName, request.events, request) })));
    const failed = outcomes.find((outcome) => !outcome.ok);
    if (failed && !failed.ok) throw failed.error;
  }
  return dueAt;
}
