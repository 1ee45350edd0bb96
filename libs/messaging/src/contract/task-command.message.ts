import { IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { TASK_TYPE_PATTERN } from './subjects';

/**
 * Body of a task command on `baton.task.<taskType>`, published by the orchestrator with
 * `Nats-Msg-Id: <taskId>` so a republish after a crash is deduplicated by JetStream.
 */
export interface TaskCommandMessage {
  readonly taskId: string;
  readonly taskType: string;
  readonly executionId: string;
  readonly workflowName: string;
  readonly workflowVersion: number;
  readonly taskRefName: string;
  /** 1 for the first attempt, incremented by every retry. */
  readonly attempt: number;
  readonly input: Record<string, unknown>;
  readonly correlationId?: string;
  /** Epoch milliseconds. */
  readonly scheduledAt: number;
  /** The worker must send a result or an IN_PROGRESS heartbeat within this many seconds. */
  readonly responseTimeoutSeconds: number;
}

/**
 * class-validator rules for {@link TaskCommandMessage}: what a worker checks before it runs a
 * command, so a malformed one is dead-lettered instead of reaching the handler.
 */
export class TaskCommandMessageDto implements TaskCommandMessage {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  taskId!: string;

  @IsString()
  @Matches(TASK_TYPE_PATTERN)
  taskType!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  executionId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  workflowName!: string;

  @IsInt()
  @Min(1)
  workflowVersion!: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  taskRefName!: string;

  @IsInt()
  @Min(1)
  attempt!: number;

  @IsObject()
  input!: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  correlationId?: string;

  @IsInt()
  @Min(0)
  scheduledAt!: number;

  /** 0 means the task definition sets no response timeout. */
  @IsInt()
  @Min(0)
  responseTimeoutSeconds!: number;
}
