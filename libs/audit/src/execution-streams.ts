import { isExecutionEventType, type ExecutionEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

/** Streams of executions: `execution-<executionId>`. */
export const EXECUTION_STREAM_PREFIX = 'execution-';

/** The execution a stream holds, or undefined for other streams. */
export function executionIdOf(streamName: string): string | undefined {
  return streamName.startsWith(EXECUTION_STREAM_PREFIX) ? streamName.slice(EXECUTION_STREAM_PREFIX.length) : undefined;
}

/** A stored event as a domain event; undefined for a type this version does not know. */
export function toExecutionEvent(recorded: Pick<RecordedEvent, 'type' | 'data'>): ExecutionEvent | undefined {
  return isExecutionEventType(recorded.type) ? ({ type: recorded.type, data: recorded.data } as ExecutionEvent) : undefined;
}
