import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { DEFINITION_NAME_PATTERN, EVALUATOR_TYPES } from '@app/domain';
import { EVENT_HANDLER_ACTIONS } from '../../event-handlers/event-handler-def';

const NAME_RULE = { message: '$property must be 1–128 letters, digits, "_" or "-"' };

/** `start_workflow` of an action (Conductor's StartWorkflow). */
export class StartWorkflowActionDto {
  @ApiProperty({ example: 'fulfil_order' })
  @IsString()
  @Matches(DEFINITION_NAME_PATTERN, NAME_RULE)
  name!: string;

  @ApiPropertyOptional({ description: 'Definition version; the latest when omitted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ example: '${orderId}' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  correlationId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { orderId: '${orderId}' } })
  @IsOptional()
  @IsObject()
  input?: Record<string, unknown>;

  @ApiPropertyOptional({ example: '${orderId}', description: 'Starts at most one execution per resolved key (RETURN_EXISTING); derived from the message when absent' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  idempotencyKey?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Accepted for Conductor compatibility; ignored' })
  @IsOptional()
  @IsObject()
  taskToDomain?: Record<string, string>;
}

/** `complete_task` / `fail_task` of an action (Conductor's TaskDetails). */
export class TaskDetailsDto {
  @ApiProperty({ example: '${workflowId}' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  workflowId!: string;

  @ApiPropertyOptional({ example: 'wait_payment' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  taskRefName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  taskId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  output?: Record<string, unknown>;
}

/** One action of an event handler. */
export class EventHandlerActionDto {
  @ApiProperty({ enum: EVENT_HANDLER_ACTIONS })
  @IsIn(EVENT_HANDLER_ACTIONS)
  action!: string;

  @ApiPropertyOptional({ type: StartWorkflowActionDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StartWorkflowActionDto)
  start_workflow?: StartWorkflowActionDto;

  @ApiPropertyOptional({ type: TaskDetailsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskDetailsDto)
  complete_task?: TaskDetailsDto;

  @ApiPropertyOptional({ type: TaskDetailsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskDetailsDto)
  fail_task?: TaskDetailsDto;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  expandInlineJSON?: boolean;
}

/**
 * The shape of Conductor's EventHandler as class-validator checks it. What the shape cannot say
 * (the event's syntax, the condition parsing, which block an action needs) is checked by
 * `eventHandlerProblems`, which reports JSON paths the same way.
 */
export class EventHandlerDto {
  @ApiProperty({ example: 'start_fulfilment' })
  @IsString()
  @Matches(DEFINITION_NAME_PATTERN, NAME_RULE)
  name!: string;

  @ApiProperty({ example: 'jsm:orders.ready', description: "'jsm:<subject>' (a JetStream stream, at least once) or 'nats:<subject>' (core NATS, at most once)" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  event!: string;

  @ApiPropertyOptional({ example: "$.status == 'READY'" })
  @IsOptional()
  @IsString()
  condition?: string;

  @ApiPropertyOptional({ enum: EVALUATOR_TYPES, default: 'javascript' })
  @IsOptional()
  @IsIn(EVALUATOR_TYPES)
  evaluatorType?: string;

  @ApiPropertyOptional({ default: false, description: 'Conductor default: a new handler does nothing until active' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiProperty({ type: [EventHandlerActionDto] })
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => EventHandlerActionDto)
  actions!: EventHandlerActionDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  description?: string;
}
