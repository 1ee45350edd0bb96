import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf, IsEmail, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { RETRY_LOGICS, TASK_TIMEOUT_POLICIES } from '@app/domain';

/** Conductor's TaskDef as class-validator checks it; cross-field rules are the domain's. */
export class TaskDefDto {
  @ApiProperty({ example: 'charge_payment' })
  @IsString()
  @IsNotEmpty()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'name must be 1–128 letters, digits, "_" or "-" (it is the NATS subject token of the task type)' })
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  description?: string;

  @ApiPropertyOptional({ description: 'An email, or empty (Conductor SDKs send "" when none is set)' })
  @IsOptional()
  @ValidateIf((taskDef: TaskDefDto) => taskDef.ownerEmail !== '')
  @IsEmail()
  ownerEmail?: string;

  @ApiPropertyOptional({ default: 3 })
  @IsOptional()
  @IsInt()
  @Min(0)
  retryCount?: number;

  @ApiPropertyOptional({ enum: RETRY_LOGICS, default: 'FIXED' })
  @IsOptional()
  @IsIn(RETRY_LOGICS)
  retryLogic?: string;

  @ApiPropertyOptional({ default: 60 })
  @IsOptional()
  @IsInt()
  @Min(0)
  retryDelaySeconds?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  maxRetryDelaySeconds?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  backoffJitterMs?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  timeoutSeconds?: number;

  @ApiPropertyOptional({ default: 3600 })
  @IsOptional()
  @IsInt()
  @Min(1)
  responseTimeoutSeconds?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  totalTimeoutSeconds?: number;

  @ApiPropertyOptional({ enum: TASK_TIMEOUT_POLICIES })
  @IsOptional()
  @IsIn(TASK_TIMEOUT_POLICIES)
  timeoutPolicy?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  rateLimitPerFrequency?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  rateLimitFrequencyInSeconds?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  concurrentExecLimit?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  inputTemplate?: Record<string, unknown>;
}
