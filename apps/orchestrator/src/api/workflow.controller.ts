import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseBoolPipe, Post, Query, DefaultValuePipe } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { RecordedEvent } from '@app/event-store';
import { ExecutionService } from '../executions/execution.service';
import type { CauseMetadata } from '../executions/execution-repository';
import { RequestValidationError } from './api-exception.filter';
import { toConductorWorkflow } from './conductor-mapper';
import { StartWorkflowQueryDto } from './dto/start-workflow-query.dto';
import { StartWorkflowRequestDto } from './dto/start-workflow-request.dto';
import { RequestCause } from './request-cause';

/** A stored event as JSON (revisions and positions as strings: they are 64-bit). */
export function historyEntry(event: RecordedEvent): Record<string, unknown> {
  return {
    revision: event.revision.toString(),
    position: event.position.commit.toString(),
    id: event.id,
    type: event.type,
    created: event.created.toISOString(),
    data: event.data,
    metadata: event.metadata,
  };
}

/** Executions, at Conductor's paths, plus Baton's history. */
@ApiTags('workflow')
@Controller('api/workflow')
export class WorkflowController {
  constructor(private readonly executions: ExecutionService) {}

  @Post()
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Start an execution (StartWorkflowRequest); returns its id as text' })
  @ApiProduces('text/plain')
  async start(@Body() request: StartWorkflowRequestDto, @RequestCause() cause: CauseMetadata): Promise<string> {
    const { executionId } = await this.executions.start(request, cause);
    return executionId;
  }

  @Post(':name')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Start an execution of the named workflow; the body is its input; returns the id as text' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiProduces('text/plain')
  async startByName(@Param('name') name: string, @Query() query: StartWorkflowQueryDto, @Body() input: unknown, @RequestCause() cause: CauseMetadata): Promise<string> {
    if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
      throw new RequestValidationError([{ path: '', message: 'the body is the workflow input and must be a JSON object' }]);
    }
    const { executionId } = await this.executions.start({ name, ...query, input: (input ?? {}) as Record<string, unknown> }, cause);
    return executionId;
  }

  @Get(':id')
  @ApiOperation({ summary: 'An execution, Conductor-shaped, with its tasks unless includeTasks=false' })
  async get(@Param('id') id: string, @Query('includeTasks', new DefaultValuePipe(true), ParseBoolPipe) includeTasks: boolean): Promise<Record<string, unknown>> {
    return toConductorWorkflow(await this.executions.get(id), includeTasks);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Terminate a running execution' })
  async terminate(@Param('id') id: string, @RequestCause() cause: CauseMetadata, @Query('reason') reason?: string): Promise<void> {
    await this.executions.terminate(id, reason || 'terminated by operator', cause);
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The execution's stored events, oldest first, with metadata and the hash chain" })
  async history(@Param('id') id: string): Promise<Record<string, unknown>[]> {
    return (await this.executions.history(id)).map(historyEntry);
  }
}
