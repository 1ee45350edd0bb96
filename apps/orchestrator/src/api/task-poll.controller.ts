import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonResponse } from './openapi/api-responses.decorator';
import type { FastifyReply } from 'fastify';
import { BatonError } from '@app/domain';
import { TASK_TYPE_PATTERN } from '@app/messaging';
import type { CauseMetadata } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { ExecutionNotFoundError } from '../executions/orchestrator.errors';
import { TaskPoller, type PollRequest, type PolledTask } from '../polling/task-poller.service';
import { RequestValidationError } from './api-exception.filter';
import { toConductorTask } from './conductor.mapper';
import { DEFAULT_POLL_COUNT, DEFAULT_POLL_TIMEOUT_MS, TaskBatchPollQueryDto, TaskPollQueryDto } from './dto/task-poll-query.dto';
import { CurrentPrincipal, RequestCause } from './request-cause.decorator';
import { assertMayWorkOn } from './worker-task-access';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles';

/** Task ids are `<executionId>-<n>` (the n-th task the execution scheduled). */
const TASK_ID = /^(.+)-\d+$/;

/**
 * Conductor's polling API, so Conductor's SDK workers can drive Baton: a poll hands over queued
 * task commands (the JetStream queue SDK workers consume) and records them IN_PROGRESS; the worker
 * then reports with `POST /api/tasks`. Also Conductor's task lookup by id.
 */
@ApiTags('tasks')
@Controller('api/tasks')
export class TaskPollController {
  constructor(
    private readonly poller: TaskPoller,
    private readonly executions: ExecutionService,
  ) {}

  @Roles('worker')
  @Get('poll/batch/:taskType')
  @ApiOperation({ summary: 'Hand over up to `count` tasks of this type (Conductor Task JSON, IN_PROGRESS), waiting up to `timeout` ms for a first one; `[]` when none came' })
  @ApiJsonResponse('Task', { isArray: true })
  async batchPoll(@Param('taskType') taskType: string, @Query() query: TaskBatchPollQueryDto, @RequestCause() cause: CauseMetadata, @CurrentPrincipal() principal: Principal): Promise<Record<string, unknown>[]> {
    assertMayWorkOn(principal, taskType);
    const polled = await this.poller.poll(pollRequest(taskType, query.count ?? DEFAULT_POLL_COUNT, query.timeout ?? DEFAULT_POLL_TIMEOUT_MS, query.workerid), cause);
    return polled.map(polledTaskView);
  }

  @Roles('worker')
  @Get('poll/:taskType')
  @ApiOperation({ summary: 'Hand over one task of this type (Conductor Task JSON, IN_PROGRESS), waiting up to 100 ms' })
  @ApiNoContentResponse({ description: 'No task of this type is waiting' })
  @ApiJsonResponse('Task')
  async poll(
    @Param('taskType') taskType: string,
    @Query() query: TaskPollQueryDto,
    @RequestCause() cause: CauseMetadata,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown> | undefined> {
    assertMayWorkOn(principal, taskType);
    const [polled] = await this.poller.poll(pollRequest(taskType, 1, DEFAULT_POLL_TIMEOUT_MS, query.workerid), cause);
    if (polled) return polledTaskView(polled);
    reply.status(204);
    return undefined;
  }

  @Roles('reader', 'worker')
  @Get(':taskId')
  @ApiOperation({ summary: 'One task attempt by id (Conductor Task JSON)' })
  @ApiJsonResponse('Task')
  async task(@Param('taskId') taskId: string, @CurrentPrincipal() principal: Principal): Promise<Record<string, unknown>> {
    const executionId = TASK_ID.exec(taskId)?.[1];
    if (executionId === undefined) throw unknownTask(taskId);
    const state = await this.executions.get(executionId).catch((error: unknown) => {
      throw error instanceof ExecutionNotFoundError ? unknownTask(taskId) : error;
    });
    const task = state.tasks[taskId];
    if (!task) throw unknownTask(taskId);
    // A worker token reads only its own tasks; a reader's taskTypes (if any) do not narrow what it reads.
    if (!principal.roles.has('reader')) assertMayWorkOn(principal, task.taskDefName);
    return toConductorTask(state, task);
  }
}

function pollRequest(taskType: string, count: number, timeoutMs: number, workerId: string | undefined): PollRequest {
  if (!TASK_TYPE_PATTERN.test(taskType)) throw new RequestValidationError([{ path: 'taskType', message: `taskType must match ${TASK_TYPE_PATTERN.source}` }]);
  return { taskType, count, timeoutMs, ...(workerId ? { workerId } : {}) };
}

/** Conductor's Task as a poll returns it: how often it was delivered, and the response timeout the worker must keep. */
function polledTaskView(polled: PolledTask): Record<string, unknown> {
  return {
    ...toConductorTask(polled.state, polled.task),
    pollCount: polled.deliveries,
    callbackAfterSeconds: 0,
    // The command's value is the effective one (an inline task definition overrides the registered one).
    responseTimeoutSeconds: polled.command.responseTimeoutSeconds,
  };
}

function unknownTask(taskId: string): BatonError {
  return new BatonError('UNKNOWN_TASK', `no task with id ${taskId}`, { details: { taskId } });
}
