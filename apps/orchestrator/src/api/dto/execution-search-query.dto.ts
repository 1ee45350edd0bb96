import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsIntegerFrom } from '../validation';

export const SEARCH_STATUSES = ['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT'] as const;
const STATUS_LIST = new RegExp(`^(${SEARCH_STATUSES.join('|')})(,(${SEARCH_STATUSES.join('|')}))*$`);

/** An instant given as epoch milliseconds or ISO-8601 text; NaN when it is neither (the rule then names the field). */
export function instantOf(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value;
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

/** Query of `GET /api/executions`: filters combine with AND; paging and sort as `GET /api/workflow/search`. */
export class ExecutionSearchQueryDto {
  @ApiPropertyOptional({ description: 'Workflow name (exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  workflowName?: string;

  @ApiPropertyOptional({ description: 'Definition version' })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerFrom(1, 2_147_483_647, 'workflowVersion must be an integer ≥ 1')
  workflowVersion?: number;

  @ApiPropertyOptional({ description: `Statuses, comma-separated: ${SEARCH_STATUSES.join(', ')}` })
  @IsOptional()
  @IsString()
  @Matches(STATUS_LIST, { message: `status must be one or more of ${SEARCH_STATUSES.join(', ')}, comma-separated` })
  status?: string;

  @ApiPropertyOptional({ description: 'Correlation id (exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  correlationId?: string;

  @ApiPropertyOptional({ description: 'Started at or after (ISO-8601 or epoch ms)' })
  @IsOptional()
  @Transform(({ value }) => instantOf(value))
  @IsIntegerFrom(0, Number.MAX_SAFE_INTEGER, 'from must be an ISO-8601 time or epoch milliseconds')
  from?: number;

  @ApiPropertyOptional({ description: 'Started before (ISO-8601 or epoch ms)' })
  @IsOptional()
  @Transform(({ value }) => instantOf(value))
  @IsIntegerFrom(0, Number.MAX_SAFE_INTEGER, 'to must be an ISO-8601 time or epoch milliseconds')
  to?: number;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the execution id, correlation id or workflow name' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  freeText?: string;

  @ApiPropertyOptional({ description: '`field:ASC|DESC`, comma-separated; fields as in /api/workflow/search; default createdAt:DESC' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  sort?: string;

  @ApiPropertyOptional({ description: 'Offset, default 0' })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerFrom(0, Number.MAX_SAFE_INTEGER, 'start must be an integer ≥ 0')
  start?: number;

  @ApiPropertyOptional({ description: 'Page size, 1 to 1000, default 25' })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerFrom(1, 1_000, 'size must be an integer from 1 to 1000')
  size?: number;
}
