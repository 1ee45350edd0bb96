import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIntegerFrom } from '../validation';

/** Query of `GET /api/reports/tasks`: every filter is optional and they combine with AND. */
export class TaskReportQueryDto {
  @ApiPropertyOptional({ description: 'Only attempts of executions of this workflow' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  workflowName?: string;

  @ApiPropertyOptional({ description: 'Only attempts of this task definition' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  taskDefName?: string;

  @ApiPropertyOptional({ description: 'Only attempts scheduled at or after this instant (epoch milliseconds)' })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerFrom(0, Number.MAX_SAFE_INTEGER, 'since must be an instant in epoch milliseconds (an integer ≥ 0)')
  since?: number;
}
