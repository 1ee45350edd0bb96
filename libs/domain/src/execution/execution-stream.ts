/** Prefix of the streams that hold executions: `execution-<executionId>`. */
export const EXECUTION_STREAM_PREFIX = 'execution-';

/** The stream of an execution's history. */
export const executionStream = (executionId: string): string => `${EXECUTION_STREAM_PREFIX}${executionId}`;

/** The execution a stream holds, or `undefined` for a stream that is not an execution's. */
export function executionIdOfStream(streamName: string): string | undefined {
  return streamName.startsWith(EXECUTION_STREAM_PREFIX) ? streamName.slice(EXECUTION_STREAM_PREFIX.length) : undefined;
}

/**
 * How an event of an execution is named as the cause of what it leads to (a reaction's
 * `causationId`): its stream and revision, `execution-<id>@<revision>`.
 */
export const executionEventRef = (executionId: string, revision: bigint | number): string => `${executionStream(executionId)}@${revision}`;
