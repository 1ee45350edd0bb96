import { Body, Controller, Header, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiEmptyResponse, ApiTextResponse } from './openapi/api-responses.decorator';
import { ExecutionService } from '../executions/execution.service';
import type { CauseMetadata } from '../executions/execution.repository';
import { RerunWorkflowRequestDto, SkipTaskRequestDto } from './dto/operator-requests.dto';
import { booleanQuery } from './query-params';
import { RequestCause } from './request-cause.decorator';
import { Roles } from '../auth/roles';

/**
 * Operator controls at Conductor's paths. Each is an event in the execution's history; a control
 * that makes no sense in the current state (resume a running execution, retry a completed one)
 * gets a 409 that says why.
 */
@ApiTags('workflow')
@Controller('api/workflow')
export class WorkflowControlController {
  constructor(private readonly executions: ExecutionService) {}

  @Roles('operator')
  @Put(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause: results are still recorded, nothing new is scheduled' })
  @ApiEmptyResponse()
  async pause(@Param('id') id: string, @RequestCause() cause: CauseMetadata, @Query('reason') reason?: string): Promise<void> {
    await this.executions.commandOrThrow(id, { type: 'PauseExecution', ...(reason ? { reason } : {}) }, cause);
  }

  @Roles('operator')
  @Put(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused execution' })
  @ApiEmptyResponse()
  async resume(@Param('id') id: string, @RequestCause() cause: CauseMetadata): Promise<void> {
    await this.executions.commandOrThrow(id, { type: 'ResumeExecution' }, cause);
  }

  @Roles('operator')
  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry a FAILED, TIMED_OUT or TERMINATED execution from its failed and canceled tasks' })
  @ApiEmptyResponse()
  async retry(@Param('id') id: string, @RequestCause() cause: CauseMetadata): Promise<void> {
    await this.executions.commandOrThrow(id, { type: 'RetryExecution' }, cause);
  }

  @Roles('operator')
  @Post(':id/rerun')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Rerun an ended execution from one of its tasks, optionally with new task or workflow input; returns the id' })
  @ApiTextResponse('The execution id')
  async rerun(@Param('id') id: string, @Body() request: RerunWorkflowRequestDto, @RequestCause() cause: CauseMetadata): Promise<string> {
    await this.executions.commandOrThrow(
      id,
      {
        type: 'RerunExecution',
        fromTaskId: request.reRunFromTaskId,
        ...(request.taskInput ? { taskInput: request.taskInput } : {}),
        ...(request.workflowInput ? { workflowInput: request.workflowInput } : {}),
      },
      cause,
    );
    return id;
  }

  @Roles('operator')
  @Post(':id/restart')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restart an ended execution from the beginning, on the latest definition with useLatestDefinitions=true' })
  @ApiEmptyResponse()
  async restart(@Param('id') id: string, @RequestCause() cause: CauseMetadata, @Query('useLatestDefinitions') useLatestParam?: unknown): Promise<void> {
    await this.executions.restart(id, booleanQuery('useLatestDefinitions', useLatestParam, false), cause);
  }

  @Roles('operator')
  @Put(':id/skiptask/:taskReferenceName')
  @HttpCode(200)
  @ApiOperation({ summary: 'Skip the pending task with this reference name: it counts as done with taskOutput' })
  @ApiEmptyResponse()
  async skip(@Param('id') id: string, @Param('taskReferenceName') taskRefName: string, @Body() request: SkipTaskRequestDto, @RequestCause() cause: CauseMetadata): Promise<void> {
    await this.executions.commandOrThrow(id, { type: 'SkipTask', taskRefName, output: request?.taskOutput ?? {}, reason: 'skipped by operator' }, cause);
  }
}
