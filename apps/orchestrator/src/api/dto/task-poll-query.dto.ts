import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIntegerFrom } from '../validation';

/** Conductor's defaults: one task, a 100 ms wait. */
export const DEFAULT_POLL_COUNT = 1;
export const DEFAULT_POLL_TIMEOUT_MS = 100;
export const MAX_POLL_COUNT = 1_000;
export const MAX_POLL_TIMEOUT_MS = 30_000;

/** Query of `GET /api/tasks/poll/{taskType}` (Conductor's single poll). */
export class TaskPollQueryDto {
  @ApiPropertyOptional({ description: "Recorded as the task's workerId" })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  workerid?: string;

  @ApiPropertyOptional({ description: "Conductor's task domain: accepted and ignored (Baton has no task domains)" })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  domain?: string;
}

/** Query of `GET /api/tasks/poll/batch/{taskType}` (Conductor's batch poll). */
export class TaskBatchPollQueryDto extends TaskPollQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_POLL_COUNT, default: DEFAULT_POLL_COUNT, description: 'Most tasks to hand over' })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerFrom(1, MAX_POLL_COUNT, `count must be an integer from 1 to ${MAX_POLL_COUNT}`)
  count?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_POLL_TIMEOUT_MS, default: DEFAULT_POLL_TIMEOUT_MS, description: 'Milliseconds to wait for a first task when none is queued' })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerFrom(0, MAX_POLL_TIMEOUT_MS, `timeout must be an integer number of milliseconds from 0 to ${MAX_POLL_TIMEOUT_MS}`)
  timeout?: number;
}
