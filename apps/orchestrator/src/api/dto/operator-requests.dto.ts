import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** Conductor's RerunWorkflowRequest (`POST /api/workflow/{id}/rerun`). */
export class RerunWorkflowRequestDto {
  @ApiProperty({ description: 'The task to run again; everything scheduled after it is taken back' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  reRunFromTaskId!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "New input of that task (worker tasks); its old input otherwise" })
  @IsOptional()
  @IsObject()
  taskInput?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'New workflow input' })
  @IsOptional()
  @IsObject()
  workflowInput?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Accepted for Conductor compatibility; the correlation id does not change' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  correlationId?: string;
}

/** Conductor's SkipTaskRequest (`PUT /api/workflow/{id}/skiptask/{ref}`). */
export class SkipTaskRequestDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  taskInput?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Output the skipped task counts as having produced' })
  @IsOptional()
  @IsObject()
  taskOutput?: Record<string, unknown>;
}
