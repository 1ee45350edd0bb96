import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiEmptyResponse, ApiJsonResponse, ApiTextResponse } from './openapi/api-responses.decorator';
import type { RecordedEvent } from '@app/event-store';
import { ExecutionService, type StartRequest } from '../executions/execution.service';
import { checkedWorkflow } from './definition-input';
import { ProjectedOperationalIndex } from '../read-model/projected-operational-index.service';
import { parseSearchQuery } from './search-query.parser';
import type { CauseMetadata } from '../executions/execution.repository';
import { RequestValidationError } from './api-exception.filter';
import { toConductorWorkflow } from './conductor.mapper';
import { booleanQuery, integerParam } from './query-params';
import { StartWorkflowQueryDto } from './dto/start-workflow-query.dto';
import { StartWorkflowRequestDto } from './dto/start-workflow-request.dto';
import { RequestCause } from './request-cause.decorator';
import { Roles } from '../auth/roles';

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


/**
 * A StartWorkflowRequest as the service takes it: an inline `workflowDef` is validated like a
 * registration (every problem under `workflowDef.`) and runs under its own name and version.
 */
export function startRequestOf(request: StartWorkflowRequestDto): StartRequest {
  const { workflowDef, ...rest } = request;
  if (workflowDef === undefined) return rest;
  const definition = checkedWorkflow(workflowDef, 'workflowDef.');
  return { ...rest, name: definition.name, version: definition.version, definition };
}

/** Executions, at Conductor's paths, plus Baton's history. */
@ApiTags('workflow')
@Controller('api/workflow')
export class WorkflowController {
  constructor(
    private readonly executions: ExecutionService,
    private readonly readModel: ProjectedOperationalIndex,
  ) {}

  @Roles('reader')
  @Get('search')
  @ApiOperation({ summary: "Search executions (Conductor's SearchResult<WorkflowSummary>); query like `workflowType = x AND status IN (RUNNING,FAILED)`" })
  @ApiJsonResponse('WorkflowSearchResult')
  async search(
    @Query('start') start?: string,
    @Query('size') size?: string,
    @Query('sort') sort?: string,
    @Query('freeText') freeText?: string,
    @Query('query') query?: string,
  ): Promise<{ totalHits: number; results: Record<string, unknown>[] }> {
    const parsed = parseSearchQuery(query);
    const problems = [...parsed.problems];
    const startNumber = integerParam('start', start, 0, Number.MAX_SAFE_INTEGER, problems);
    const sizeNumber = integerParam('size', size, 1, 1000, problems);
    if (problems.length > 0) throw new RequestValidationError(problems);
    const result = await this.readModel.index.searchExecutions({
      ...parsed.search,
      ...(freeText ? { freeText } : {}),
      ...(sort ? { sort } : {}),
      start: startNumber ?? 0,
      size: sizeNumber ?? 100,
    });
    return {
      totalHits: result.totalHits,
      results: result.results.map((summary) => ({
        workflowId: summary.executionId,
        workflowType: summary.workflowName,
        version: summary.workflowVersion,
        correlationId: summary.correlationId,
        status: summary.status,
        startTime: summary.createdAt,
        updateTime: summary.updatedAt,
        endTime: summary.endedAt ?? 0,
        executionTime: summary.endedAt ? summary.endedAt - summary.createdAt : 0,
        reasonForIncompletion: summary.reason,
        failedReferenceTaskNames: summary.failedTaskRef ?? '',
        input: JSON.stringify(summary.input),
        output: summary.output ? JSON.stringify(summary.output) : undefined,
      })),
    };
  }

  @Roles('reader')
  @Get(':name/correlated/:correlationId')
  @ApiOperation({ summary: 'Executions of a workflow with this correlation id (open ones, plus closed with includeClosed=true)' })
  @ApiJsonResponse('Workflow', { isArray: true })
  async correlated(
    @Param('name') name: string,
    @Param('correlationId') correlationId: string,
    @Query('includeClosed') includeClosedParam: unknown,
    @Query('includeTasks') includeTasksParam: unknown,
  ): Promise<Record<string, unknown>[]> {
    const includeClosed = booleanQuery('includeClosed', includeClosedParam, false);
    const includeTasks = booleanQuery('includeTasks', includeTasksParam, false);
    const summaries = await this.readModel.index.findByCorrelation(name, correlationId, { includeClosed });
    const states = await Promise.all(summaries.map((summary) => this.executions.get(summary.executionId)));
    return states.map((state) => toConductorWorkflow(state, includeTasks));
  }

  @Roles('operator')
  @Post()
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Start an execution (StartWorkflowRequest); returns its id as text' })
  @ApiProduces('text/plain')
  @ApiTextResponse('The execution id')
  async start(@Body() request: StartWorkflowRequestDto, @RequestCause() cause: CauseMetadata): Promise<string> {
    const { executionId } = await this.executions.start(startRequestOf(request), cause);
    return executionId;
  }

  @Roles('operator')
  @Post(':name')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Start an execution of the named workflow; the body is its input; returns the id as text' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiProduces('text/plain')
  @ApiTextResponse('The execution id')
  async startByName(@Param('name') name: string, @Query() query: StartWorkflowQueryDto, @Body() input: unknown, @RequestCause() cause: CauseMetadata): Promise<string> {
    if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
      throw new RequestValidationError([{ path: '', message: 'the body is the workflow input and must be a JSON object' }]);
    }
    const { executionId } = await this.executions.start({ name, ...query, input: (input ?? {}) as Record<string, unknown> }, cause);
    return executionId;
  }

  @Roles('reader')
  @Get(':id')
  @ApiOperation({ summary: 'An execution, Conductor-shaped, with its tasks unless includeTasks=false' })
  @ApiQuery({ name: 'includeTasks', required: false, type: Boolean })
  @ApiJsonResponse('Workflow')
  async get(@Param('id') id: string, @Query('includeTasks') includeTasks?: unknown): Promise<Record<string, unknown>> {
    const withTasks = booleanQuery('includeTasks', includeTasks, true);
    return toConductorWorkflow(await this.executions.get(id), withTasks);
  }

  @Roles('operator')
  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Terminate a running execution' })
  @ApiEmptyResponse()
  async terminate(@Param('id') id: string, @RequestCause() cause: CauseMetadata, @Query('reason') reason?: string): Promise<void> {
    await this.executions.terminate(id, reason || 'terminated by operator', cause);
  }

  @Roles('auditor')
  @Get(':id/history')
  @ApiOperation({ summary: "The execution's stored events, oldest first, with metadata and the hash chain" })
  @ApiJsonResponse('HistoryEvent', { isArray: true })
  async history(@Param('id') id: string): Promise<Record<string, unknown>[]> {
    return (await this.executions.history(id)).map(historyEntry);
  }
}
