// class-transformer's @Type reads design-time metadata while the class is defined: plain Node users have no Nest to load the polyfill.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, Min, ValidateNested, IsArray } from 'class-validator';

export const TASK_RESULT_STATUSES = ['COMPLETED', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'IN_PROGRESS'] as const;
export type TaskResultStatus = (typeof TASK_RESULT_STATUSES)[number];

/** One log line a worker attaches to a result (Conductor's TaskExecLog). */
export class TaskLogEntry {
  @IsString()
  @MaxLength(4096)
  log!: string;

  /** Epoch milliseconds. */
  @IsOptional()
  @IsInt()
  createdTime?: number;
}

/**
 * Body of a task result on `baton.result.<taskType>`, validated with class-validator before it
 * reaches the decider. `IN_PROGRESS` is a heartbeat that extends the response timeout.
 */
export class TaskResultMessage {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  taskId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  executionId!: string;

  @IsInt()
  @Min(1)
  attempt!: number;

  @IsIn(TASK_RESULT_STATUSES)
  status!: TaskResultStatus;

  @IsOptional()
  @IsObject()
  output?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  reason?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TaskLogEntry)
  logs?: TaskLogEntry[];

  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  workerId!: string;
}

/**
 * `Nats-Msg-Id` of a worker's result: `<taskId>:<attempt>:<status>`, so a worker that publishes the
 * same outcome twice (a redelivered command, a retried publish) is deduplicated by JetStream.
 * Heartbeats append their sequence number (`<taskId>:<attempt>:IN_PROGRESS:<n>`), since each one
 * is news to the orchestrator and must not be dropped as a duplicate of the previous one.
 */
export const resultMsgId = (taskId: string, attempt: number, status: TaskResultStatus, heartbeatSeq?: number): string =>
  heartbeatSeq === undefined ? `${taskId}:${attempt}:${status}` : `${taskId}:${attempt}:${status}:${heartbeatSeq}`;
