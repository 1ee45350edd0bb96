import type { EventStore } from '@app/event-store';
import { EXECUTION_STREAM_PREFIX, executionIdOfStream, executionStream } from '@app/domain';
import { scanAll } from '../store-scan';
import { checkHistory, type ReplayDifference } from './history-check';

/** An execution whose history the current code would not have stored. */
export interface ReplayFailure {
  readonly executionId: string;
  readonly workflowName?: string;
  readonly events: number;
  readonly difference: ReplayDifference;
}

/** The outcome of {@link replayCheckStore}. */
export interface ReplayCheckReport {
  readonly ok: boolean;
  readonly executions: number;
  readonly events: number;
  readonly decisions: number;
  readonly failures: readonly ReplayFailure[];
}

/** Progress of a replay check: executions checked of those found. */
export interface ReplayProgress {
  readonly checked: number;
  readonly total: number;
  readonly events: number;
}

const READS_IN_FLIGHT = 8;

/**
 * Runs {@link checkHistory} over one execution or every execution of a store: the check to run
 * before deploying a new Baton version against the store it will serve. Executions are found with
 * one pass over `$all` (stream names only are kept), then each history is read and checked.
 */
export async function replayCheckStore(store: EventStore, options: { executionId?: string; onProgress?: (progress: ReplayProgress) => void } = {}): Promise<ReplayCheckReport> {
  const ids = options.executionId !== undefined ? [options.executionId] : await executionIds(store);
  const failures: ReplayFailure[] = [];
  let events = 0;
  let decisions = 0;
  let checked = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const executionId = ids[next++]!;
      const history = await store.readStream(executionStream(executionId));
      const check = checkHistory(executionId, history);
      events += check.events;
      decisions += check.decisions;
      checked += 1;
      if (check.difference) failures.push({ executionId, ...(check.state.definition ? { workflowName: check.state.definition.name } : {}), events: check.events, difference: check.difference });
      options.onProgress?.({ checked, total: ids.length, events });
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, ids.length) }, worker));
  return { ok: failures.length === 0, executions: ids.length, events, decisions, failures };
}

async function executionIds(store: EventStore): Promise<string[]> {
  const ids = new Set<string>();
  for await (const page of scanAll(store, { filter: { streamNamePrefixes: [EXECUTION_STREAM_PREFIX] } })) {
    for (const event of page) ids.add(executionIdOfStream(event.streamName)!);
  }
  return [...ids];
}
