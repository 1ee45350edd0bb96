import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiEmptyResponse, ApiJsonResponse } from './openapi/api-responses.decorator';
import type { FastifyReply } from 'fastify';
import { BatonError, isTerminalExecution, pendingTasks, type ReportedTaskStatus, type TaskStatus } from '@app/domain';
import { TASK_TYPE_PATTERN } from '@app/messaging';
import type { TaskSearchQuery } from '@app/projections';
import type { CauseMetadata } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { blockingTaskOf, ExecutionWaiter } from '../executions/execution-waiter';
import { CommandRejectedError } from '../executions/orchestrator.errors';
import { TaskQueues, type PollData } from '../polling/task-queues';
import { ProjectedOperationalIndex } from '../read-model/projected-operational-index.service';
import { RequestValidationError } from './api-exception.filter';
import { toConductorWorkflow } from './conductor.mapper';
import { API_TASK_STATUSES } from './dto/task-result.dto';
import { integerParam } from './query-params';
import { CurrentPrincipal, RequestCause } from './request-cause.decorator';
import { assertMayWorkOn, taskById, WorkerTaskAccess } from './worker-task-access';
import type { Principal } from '../auth/principal';
import { searchClauses } from './search-query.parser';
import { returnStrategyOf, workflowRunView } from './workflow-run.view';
import { Roles } from '../auth/roles';

/** Task ids are `<executionId>-<n>` (the n-th task the execution scheduled). */
const TASK_ID = /^(.+)-\d+$/;
const TASK_STATUSES: readonly TaskStatus[] = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'CANCELED', 'SKIPPED'];
/** Task types whose pending task a signal may complete. */
const SIGNALLABLE = new Set(['WAIT', 'HUMAN', 'SIMPLE']);
const SIGNAL_WAIT_MS = 5_000;
/** Event types whose `logs` (or `log`) belong to a task attempt. */
const LOG_EVENTS = new Set(['TaskProgressReported', 'TaskCompleted', 'TaskFailed', 'TaskLogAdded']);

/** Conductor's task log entry. */
interface TaskExecLog {
  readonly log: string;
  readonly taskId: string;
  readonly createdTime: number;
}

/**
 * Conductor's task administration: execution logs, task search, queue sizes and poll data, the
 * signal API (complete whatever task an execution waits on) and the synchronous update by
 * reference name.
 */
@ApiTags('tasks')
@Controller('api/tasks')
export class TaskAdminController {
  constructor(
    private readonly executions: ExecutionService,
    private readonly waiter: ExecutionWaiter,
    private readonly queues: TaskQueues,
    private readonly readModel: ProjectedOperationalIndex,
    private readonly access: WorkerTaskAccess,
  ) {}

  @Roles('reader')
  @Get('search')
  @ApiOperation({ summary: 'Search task attempts (SearchResult<TaskSummary>); query like `taskType = x AND status IN (FAILED,TIMED_OUT)` on taskType, taskDefName, status, workflowId, workflowType' })
  @ApiJsonResponse('TaskSearchResult')
  async search(@Query('start') start?: string, @Query('size') size?: string, @Query('query') query?: string): Promise<{ totalHits: number; results: Record<string, unknown>[] }> {
    const parsed = searchClauses(query, ['taskType', 'taskDefName', 'status', 'workflowId', 'workflowType', 'workflowName']);
    const problems = [...parsed.problems];
    const search: { -readonly [K in keyof TaskSearchQuery]: TaskSearchQuery[K] } = { start: integerParam('start', start, 0, Number.MAX_SAFE_INTEGER, problems) ?? 0, size: integerParam('size', size, 0, 1000, problems) ?? 100 };
    for (const { field, values } of parsed.clauses) {
      if (field === 'status') {
        const bad = values.filter((value) => !(TASK_STATUSES as readonly string[]).includes(value));
        if (bad.length > 0) problems.push({ path: 'query', message: `unknown task status ${bad.join(', ')}; statuses: ${TASK_STATUSES.join(', ')}` });
        search.status = values as TaskStatus[];
      } else if (field === 'taskType') search.taskDefName = values;
      else if (field === 'taskDefName') search.taskDefName = values;
      else if (field === 'workflowId') search.executionId = values;
      else search.workflowName = values;
    }
    if (problems.length > 0) throw new RequestValidationError(problems);
    const result = await this.readModel.taskSearch.search(search);
    return {
      totalHits: result.totalHits,
      results: result.results.map((task) => ({
        taskId: task.taskId,
        workflowId: task.executionId,
        workflowType: task.workflowName,
        taskDefName: task.taskDefName,
        // Conductor reports a worker task's type as its definition name.
        taskType: task.taskType === 'SIMPLE' ? task.taskDefName : task.taskType,
        taskReferenceName: task.taskRefName,
        retryCount: task.attempt - 1,
        status: task.status,
        scheduledTime: new Date(task.scheduledAt).toISOString(),
        startTime: task.startedAt === undefined ? undefined : new Date(task.startedAt).toISOString(),
        endTime: task.endedAt === undefined ? undefined : new Date(task.endedAt).toISOString(),
        executionTime: task.durationMs ?? 0,
        queueWaitTime: task.queueWaitMs ?? 0,
        reasonForIncompletion: task.reason,
        workerId: task.workerId,
      })),
    };
  }

  @Roles('reader')
  @Get('queue/sizes')
  @ApiOperation({ summary: 'Commands waiting for a worker per task type: `{ "<taskType>": n }` (repeat taskType)' })
  @ApiQuery({ name: 'taskType', required: true, isArray: true, type: String })
  @ApiJsonResponse('QueueSizes')
  async queueSizes(@Query('taskType') taskTypeParam?: string | string[]): Promise<Record<string, number>> {
    const taskTypes = taskTypesOf(taskTypeParam);
    return this.queues.sizes(taskTypes);
  }

  @Roles('reader')
  @Get('queue/polldata')
  @ApiOperation({ summary: "Conductor's PollData of a task type: each HTTP poller this replica has seen, with its last poll time" })
  @ApiJsonResponse('PollData', { isArray: true })
  pollData(@Query('taskType') taskTypeParam?: string): PollData[] {
    const [taskType] = taskTypesOf(taskTypeParam);
    return this.queues.pollData(taskType!);
  }

  @Roles('worker', 'operator')
  @Post(':taskId/log')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a log line to a task attempt (the body is the line: a JSON string or text); stored as TaskLogAdded' })
  @ApiBody({ schema: { type: 'string' } })
  @ApiEmptyResponse()
  async addLog(@Param('taskId') taskId: string, @Body() body: unknown, @RequestCause() cause: CauseMetadata, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (typeof body !== 'string' || body.length === 0 || body.length > 4096) throw new RequestValidationError([{ path: '', message: 'the body is the log line: a non-empty string of at most 4096 characters' }]);
    await this.access.assertMayReport(principal, executionOf(taskId), taskById(taskId));
    await this.executions.commandOrThrow(executionOf(taskId), { type: 'AddTaskLog', taskId, log: body }, cause);
  }

  @Roles('reader')
  @Get(':taskId/log')
  @ApiOperation({ summary: "A task attempt's log lines, oldest first: `[{ log, taskId, createdTime }]`; 204 when it has none" })
  @ApiNoContentResponse({ description: 'The task has no log line' })
  @ApiJsonResponse('TaskExecLog', { isArray: true })
  async logs(@Param('taskId') taskId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TaskExecLog[] | undefined> {
    const executionId = executionOf(taskId);
    const state = await this.executions.get(executionId);
    if (!state.tasks[taskId]) throw unknownTask(taskId);
    // Each line keeps the time its event was stored, from whichever event carried it.
    const logs = (await this.executions.history(executionId)).flatMap((event): TaskExecLog[] => {
      const data = event.data as { taskId?: string; logs?: readonly string[]; log?: string };
      if (!LOG_EVENTS.has(event.type) || data.taskId !== taskId) return [];
      return [...(data.logs ?? []), ...(data.log !== undefined ? [data.log] : [])].map((log) => ({ log, taskId, createdTime: event.created.getTime() }));
    });
    if (logs.length > 0) return logs;
    reply.status(204);
    return undefined;
  }

  @Roles('operator')
  @Post(':workflowId/:status/signal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Signal an execution: complete (or fail) the task it waits on — a WAIT without duration, a HUMAN task, else its first pending worker task; the body is the output' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiEmptyResponse()
  async signal(@Param('workflowId') workflowId: string, @Param('status') status: string, @Body() output: unknown, @RequestCause() cause: CauseMetadata): Promise<void> {
    await this.applySignal(workflowId, status, output, cause);
  }

  @Roles('operator')
  @Post(':workflowId/:status/signal/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Signal, then wait (timeoutMillis, default 5000) until the execution ends or blocks again; answers a SignalResponse per returnStrategy' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiJsonResponse('WorkflowRun')
  async signalSync(
    @Param('workflowId') workflowId: string,
    @Param('status') status: string,
    @Body() output: unknown,
    @RequestCause() cause: CauseMetadata,
    @Query('returnStrategy') returnStrategyParam?: string,
    @Query('timeoutMillis') timeoutParam?: string,
  ): Promise<Record<string, unknown>> {
    const strategy = returnStrategyOf(returnStrategyParam);
    const timeoutMs = timeoutParam === undefined || timeoutParam === '' ? SIGNAL_WAIT_MS : Number(timeoutParam);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 300_000) throw new RequestValidationError([{ path: 'timeoutMillis', message: 'timeoutMillis must be an integer from 0 to 300000' }]);
    const signalled = await this.applySignal(workflowId, status, output, cause);
    return workflowRunView(await this.waiter.waitFor(workflowId, { timeoutMs, ignoreTaskId: signalled }), strategy);
  }

  @Roles('worker', 'operator')
  @Post(':workflowId/:taskRefName/:status/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete or fail the pending task with this reference name, then answer the Workflow (404 when none is pending)' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiJsonResponse('Workflow')
  async updateByRefSync(
    @Param('workflowId') workflowId: string,
    @Param('taskRefName') taskRefName: string,
    @Param('status') status: string,
    @Body() output: unknown,
    @RequestCause() cause: CauseMetadata,
    @CurrentPrincipal() principal: Principal,
    @Query('workerid') workerId?: string,
  ): Promise<Record<string, unknown>> {
    const reported = reportedStatus(status);
    const state = await this.executions.get(workflowId);
    const pending = pendingTasks(state).find((task) => task.taskRefName === taskRefName);
    if (!pending) {
      throw new BatonError('UNKNOWN_TASK', `found no pending task ${taskRefName} of execution ${workflowId} to update`, { details: { workflowId, taskRefName } });
    }
    assertMayWorkOn(principal, pending.taskDefName);
    const updated = await this.executions.updateTaskByRef(workflowId, taskRefName, reported, outputOf(output), { ...cause, ...(workerId ? { workerId } : {}) });
    return toConductorWorkflow(updated, true);
  }

  /** Completes the task the execution waits on; returns its id. */
  private async applySignal(workflowId: string, status: string, output: unknown, cause: CauseMetadata): Promise<string> {
    const reported = reportedStatus(status);
    const state = await this.executions.get(workflowId);
    if (isTerminalExecution(state.status)) throw new CommandRejectedError({ code: 'EXECUTION_ENDED', reason: `execution ${workflowId} is already ${state.status}` });
    const target = blockingTaskOf(state) ?? pendingTasks(state).find((task) => SIGNALLABLE.has(task.taskType));
    if (!target) throw new BatonError('UNKNOWN_TASK', `execution ${workflowId} (${state.status}) waits on no task a signal can complete`, { details: { workflowId } });
    await this.executions.commandOrThrow(workflowId, { type: 'ApplyTaskResult', taskId: target.taskId, status: reported, output: outputOf(output), workerId: 'signal' }, cause);
    return target.taskId;
  }
}

function reportedStatus(status: string): ReportedTaskStatus {
  if (!(API_TASK_STATUSES as readonly string[]).includes(status)) throw new RequestValidationError([{ path: 'status', message: `status must be one of ${API_TASK_STATUSES.join(', ')}` }]);
  return status as ReportedTaskStatus;
}

function outputOf(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new RequestValidationError([{ path: '', message: "the body is the task's output and must be a JSON object" }]);
  return body as Record<string, unknown>;
}

function taskTypesOf(raw: string | string[] | undefined): string[] {
  const taskTypes = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  if (taskTypes.length === 0) throw new RequestValidationError([{ path: 'taskType', message: 'taskType is required (repeat it for several types)' }]);
  const bad = taskTypes.filter((taskType) => !TASK_TYPE_PATTERN.test(taskType));
  if (bad.length > 0) throw new RequestValidationError([{ path: 'taskType', message: `taskType must match ${TASK_TYPE_PATTERN.source}: ${bad.join(', ')}` }]);
  return taskTypes;
}


function executionOf(taskId: string): string {
  const executionId = TASK_ID.exec(taskId)?.[1];
  if (executionId === undefined) throw unknownTask(taskId);
  return executionId;
}

function unknownTask(taskId: string): BatonError {
  return new BatonError('UNKNOWN_TASK', `no task with id ${taskId}`, { details: { taskId } });
}
