import { isExecutionEventType, type ExecutionEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

/** Streams of executions: `execution-<executionId>`. */
export const EXECUTION_STREAM_PREFIX = 'execution-';

/** Every execution event the projections read (the domain's union). */
export type ProjectedExecutionEvent = ExecutionEvent;

/** An execution event and the execution it belongs to (task events name only their task). */
export interface ExecutionEventRecord {
  readonly executionId: string;
  readonly event: ProjectedExecutionEvent;
}


/**
 * The execution events of a batch, in order. Events of other streams and of types this version
 * does not know are skipped, so an older reader survives a newer writer.
 */
export function decodeExecutionEvents(events: readonly RecordedEvent[]): ExecutionEventRecord[] {
  const records: ExecutionEventRecord[] = [];
  for (const recorded of events) {
    if (!recorded.streamName.startsWith(EXECUTION_STREAM_PREFIX) || !isExecutionEventType(recorded.type)) continue;
    const event = { type: recorded.type, data: recorded.data } as ProjectedExecutionEvent;
    records.push({ executionId: recorded.streamName.slice(EXECUTION_STREAM_PREFIX.length), event });
  }
  return records;
}

/** The task a task event is about. */
export function taskIdOf(event: ProjectedExecutionEvent): string | undefined {
  switch (event.type) {
    case 'TaskScheduled':
    case 'TaskProgressReported':
    case 'TaskCompleted':
    case 'TaskFailed':
    case 'TaskTimedOut':
    case 'TaskCanceled':
      return event.data.taskId;
    default:
      return undefined;
  }
}
