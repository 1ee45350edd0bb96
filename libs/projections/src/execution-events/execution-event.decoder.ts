import { executionIdOfStream, toExecutionEvent, type ExecutionEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

/** Every execution event the projections read (the domain's union). */
export type ProjectedExecutionEvent = ExecutionEvent;

/** An execution event and the execution it belongs to (task events name only their task). */
export interface ExecutionEventRecord {
  readonly executionId: string;
  readonly event: ProjectedExecutionEvent;
}


/**
 * The execution events of a batch, in order, decoded by the domain's decoder (old shapes upcast).
 * Events of other streams and of types this version does not know are skipped, so an older reader
 * survives a newer writer.
 */
export function decodeExecutionEvents(events: readonly RecordedEvent[]): ExecutionEventRecord[] {
  const records: ExecutionEventRecord[] = [];
  for (const recorded of events) {
    const executionId = executionIdOfStream(recorded.streamName);
    const event = executionId === undefined ? undefined : toExecutionEvent(recorded);
    if (executionId !== undefined && event) records.push({ executionId, event });
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
