import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, Min, ArrayNotEmpty } from 'class-validator';
import { WORKFLOW_TIMEOUT_POLICIES } from '@app/domain';

/**
 * The shape of a Conductor WorkflowDef as class-validator checks it. The task tree (cases,
 * forks, joins, expressions) is checked by the domain's validator, which reports JSON paths.
 */
export class WorkflowDefDto {
  @ApiProperty({ example: 'order_fulfilment' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  description?: string;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ default: 2 })
  @IsOptional()
  @IsIn([2])
  schemaVersion?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  ownerEmail?: string;

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Conductor WorkflowTask objects' })
  @IsArray()
  @ArrayNotEmpty()
  // Each entry is checked by the domain validator, which names the index (tasks[3]) and keeps going.
  tasks!: Record<string, unknown>[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  inputParameters?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  outputParameters?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'a workflow name, "$workflow.input.<key>", or "" for none (as SDK builders send it)' })
  @IsOptional()
  @IsString()
  failureWorkflow?: string;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  timeoutSeconds?: number;

  @ApiPropertyOptional({ enum: WORKFLOW_TIMEOUT_POLICIES })
  @IsOptional()
  @IsIn(WORKFLOW_TIMEOUT_POLICIES)
  timeoutPolicy?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  restartable?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'default values for absent (or null) inputs of a start with a non-empty input (Conductor)' })
  @IsOptional()
  @IsObject()
  inputTemplate?: Record<string, unknown>;
}
