import { EXECUTION_STREAM_PREFIX } from '@app/projections';

export { EXECUTION_STREAM_PREFIX };

/** The execution a stream holds, or undefined for other streams. */
export function executionIdOf(streamName: string): string | undefined {
  return streamName.startsWith(EXECUTION_STREAM_PREFIX) ? streamName.slice(EXECUTION_STREAM_PREFIX.length) : undefined;
}
