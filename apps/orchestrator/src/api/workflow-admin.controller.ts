import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiEmptyResponse, ApiJsonResponse } from './openapi/api-responses.decorator';
import { isTerminalExecution, pendingTasks } from '@app/domain';
import { ExecutionService } from '../executions/execution.service';
import type { CauseMetadata } from '../executions/execution.repository';
import { CommandRejectedError } from '../executions/orchestrator.errors';
import { ProjectedOperationalIndex } from '../read-model/projected-operational-index.service';
import { RequestValidationError } from './api-exception.filter';
import { toConductorWorkflow } from './conductor.mapper';
import { booleanQuery, integerParam } from './query-params';
import type { FieldProblem } from './validation';
import { RequestCause } from './request-cause.decorator';
import { Roles } from '../auth/roles';

/** Conductor's `running/{name}` lists at most this many ids (one read-model page). */
const RUNNING_LIMIT = 1_000;
const DAY_MS = 86_400_000;

/**
 * Conductor's execution housekeeping: status summary, remove, running ids, correlation lookups in
 * bulk, and the decider hooks (`decide`, `resetcallbacks`) — which Baton honours without a sweep.
 */
@ApiTags('workflow')
@Controller('api/workflow')
export class WorkflowAdminController {
  constructor(
    private readonly executions: ExecutionService,
    private readonly readModel: ProjectedOperationalIndex,
  ) {}

  @Roles('reader')
  @Get('running/:name')
  @ApiOperation({ summary: 'Ids of the RUNNING or PAUSED executions of a workflow version (default 1, as Conductor); with startTime and endTime, those created on those days in any status' })
  @ApiOkResponse({ description: 'Execution ids', schema: { type: 'array', items: { type: 'string' } } })
  async running(@Param('name') name: string, @Query('version') versionParam?: string, @Query('startTime') startParam?: string, @Query('endTime') endParam?: string): Promise<string[]> {
    const problems: FieldProblem[] = [];
    const version = integerParam('version', versionParam, 1, Number.MAX_SAFE_INTEGER, problems) ?? 1;
    const startTime = integerParam('startTime', startParam, 0, Number.MAX_SAFE_INTEGER, problems) ?? 0;
    const endTime = integerParam('endTime', endParam, 0, Number.MAX_SAFE_INTEGER, problems) ?? 0;
    if (problems.length > 0) throw new RequestValidationError(problems);
    // Conductor's day granularity: both bounds are widened to whole UTC days.
    const range = startTime > 0 && endTime > 0 ? { createdFrom: startTime - (startTime % DAY_MS), createdTo: endTime - (endTime % DAY_MS) + DAY_MS } : { status: ['RUNNING', 'PAUSED'] as const };
    const { results } = await this.readModel.index.searchExecutions({ workflowName: name, workflowVersion: version, ...range, size: RUNNING_LIMIT, sort: 'createdAt:ASC' });
    return results.map((summary) => summary.executionId);
  }

  @Roles('reader')
  @Post(':name/correlated')
  @HttpCode(200)
  @ApiOperation({ summary: 'Executions of a workflow per correlation id: `{ "c1": [Workflow], "c2": [] }` (open ones unless includeClosed=true)' })
  @ApiBody({ schema: { type: 'array', items: { type: 'string' } } })
  @ApiJsonResponse('CorrelatedWorkflows')
  async correlatedMany(@Param('name') name: string, @Body() body: unknown, @Query('includeClosed') includeClosedParam: unknown, @Query('includeTasks') includeTasksParam: unknown): Promise<Record<string, Record<string, unknown>[]>> {
    const includeClosed = booleanQuery('includeClosed', includeClosedParam, false);
    const includeTasks = booleanQuery('includeTasks', includeTasksParam, false);
    if (!Array.isArray(body) || body.some((id) => typeof id !== 'string' || id.length === 0 || id.length > 256)) {
      throw new RequestValidationError([{ path: '', message: 'the body must be a JSON array of correlation ids (strings of 1–256 characters)' }]);
    }
    if (body.length > RUNNING_LIMIT) throw new RequestValidationError([{ path: '', message: `at most ${RUNNING_LIMIT} correlation ids per call` }]);
    const answer: Record<string, Record<string, unknown>[]> = {};
    for (const correlationId of new Set(body as string[])) {
      const summaries = await this.readModel.index.findByCorrelation(name, correlationId, { includeClosed });
      const states = await Promise.all(summaries.map((summary) => this.executions.get(summary.executionId)));
      answer[correlationId] = states.map((state) => toConductorWorkflow(state, includeTasks));
    }
    return answer;
  }

  @Roles('operator')
  @Put('decide/:id')
  @HttpCode(200)
  @ApiOperation({ summary: "Conductor's decide: Baton decides on every event, so there is nothing queued to re-evaluate; answers 200 for an existing execution" })
  @ApiEmptyResponse()
  async decide(@Param('id') id: string): Promise<void> {
    await this.executions.get(id);
  }

  @Roles('reader')
  @Get(':id/status')
  @ApiOperation({ summary: "Conductor's WorkflowStatus: workflowId, correlationId, status, and output / variables when asked" })
  @ApiQuery({ name: 'includeOutput', required: false, type: Boolean })
  @ApiQuery({ name: 'includeVariables', required: false, type: Boolean })
  @ApiJsonResponse('WorkflowStatus')
  async status(@Param('id') id: string, @Query('includeOutput') includeOutputParam: unknown, @Query('includeVariables') includeVariablesParam: unknown): Promise<Record<string, unknown>> {
    const includeOutput = booleanQuery('includeOutput', includeOutputParam, false);
    const includeVariables = booleanQuery('includeVariables', includeVariablesParam, false);
    const state = await this.executions.get(id);
    return {
      workflowId: state.executionId,
      ...(state.correlationId ? { correlationId: state.correlationId } : {}),
      ...(includeOutput ? { output: state.output } : {}),
      ...(includeVariables ? { variables: state.variables } : {}),
      status: state.status,
    };
  }

  @Roles('admin')
  @Delete(':id/remove')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove an execution: hidden from reads and search, its history kept for audit (ExecutionRemoved). archiveWorkflow=true (default) refuses a running one; false terminates it first' })
  @ApiQuery({ name: 'archiveWorkflow', required: false, type: Boolean })
  @ApiEmptyResponse()
  async remove(@Param('id') id: string, @RequestCause() cause: CauseMetadata, @Query('archiveWorkflow') archiveParam?: unknown): Promise<void> {
    await this.executions.remove(id, booleanQuery('archiveWorkflow', archiveParam, true), cause);
  }

  @Roles('operator')
  @Post(':id/resetcallbacks')
  @HttpCode(204)
  @ApiOperation({ summary: "Conductor's resetcallbacks: hands out at once the tasks waiting for their callbackAfterSeconds; 409 for an ended execution" })
  async resetCallbacks(@Param('id') id: string, @RequestCause() cause: CauseMetadata): Promise<void> {
    const state = await this.executions.get(id);
    if (isTerminalExecution(state.status)) throw new CommandRejectedError({ code: 'EXECUTION_ENDED', reason: `execution ${id} is already ${state.status}` });
    // A callback delay is a durable timer of its task: firing it now is what Conductor's reset does.
    const waiting = pendingTasks(state).map((task) => task.taskId);
    for (const timer of Object.values(state.timers)) {
      const purpose = timer.purpose as { kind: string; taskId?: string };
      if (purpose.kind === 'CALLBACK' && purpose.taskId !== undefined && waiting.includes(purpose.taskId)) {
        await this.executions.command(id, { type: 'FireTimer', timerId: timer.timerId }, cause);
      }
    }
  }
}
