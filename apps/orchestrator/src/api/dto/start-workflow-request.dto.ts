import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DEFINITION_NAME_PATTERN } from '@app/domain';
import { IDEMPOTENCY_STRATEGIES, type IdempotencyStrategy } from '../../executions/idempotency.service';

/** Conductor's StartWorkflowRequest (`POST /api/workflow`). */
export class StartWorkflowRequestDto {
  @ApiProperty({ example: 'order_fulfilment' })
  @IsString()
  @IsNotEmpty()
  @Matches(DEFINITION_NAME_PATTERN, { message: 'name must be 1–128 letters, digits, "_" or "-"' })
  name!: string;

  @ApiPropertyOptional({ description: 'Definition version; the latest when omitted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  correlationId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  input?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 0, maximum: 99 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(99)
  priority?: number;

  @ApiPropertyOptional({ description: 'Starts at most one execution per key and workflow name' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  idempotencyKey?: string;

  @ApiPropertyOptional({ enum: IDEMPOTENCY_STRATEGIES, default: 'FAIL' })
  @IsOptional()
  @IsIn(IDEMPOTENCY_STRATEGIES)
  idempotencyStrategy?: IdempotencyStrategy;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'An inline WorkflowDef to run instead of a registered one (validated like a registration; not registered)' })
  @IsOptional()
  @IsObject()
  workflowDef?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Accepted for Conductor compatibility; Baton routes by task type only' })
  @IsOptional()
  @IsObject()
  taskToDomain?: Record<string, string>;
}
