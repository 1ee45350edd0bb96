import { Body, Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiTextResponse } from './openapi/api-responses.decorator';
import type { ReportedTaskStatus } from '@app/domain';
import { ExecutionService } from '../executions/execution.service';
import type { CauseMetadata } from '../executions/execution.repository';
import { RequestValidationError } from './api-exception.filter';
import { API_TASK_STATUSES, TaskResultDto } from './dto/task-result.dto';
import { CurrentPrincipal, RequestCause } from './request-cause.decorator';
import { taskById, taskByRef, WorkerTaskAccess } from './worker-task-access';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles';

/** Task updates over HTTP, at Conductor's paths (workers normally report over NATS). */
@ApiTags('tasks')
@Controller('api/tasks')
export class TasksController {
  constructor(
    private readonly executions: ExecutionService,
    private readonly access: WorkerTaskAccess,
  ) {}

  @Roles('worker', 'operator')
  @Post()
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: "Report a task's result (Conductor TaskResult); returns the task id" })
  @ApiProduces('text/plain')
  @ApiTextResponse('The task id')
  async update(@Body() result: TaskResultDto, @RequestCause() cause: CauseMetadata, @CurrentPrincipal() principal: Principal): Promise<string> {
    await this.access.assertMayReport(principal, result.workflowInstanceId, taskById(result.taskId));
    await this.executions.commandOrThrow(
      result.workflowInstanceId,
      {
        type: 'ApplyTaskResult',
        taskId: result.taskId,
        status: result.status,
        output: result.outputData ?? {},
        ...(result.reasonForIncompletion ? { reason: result.reasonForIncompletion } : {}),
        ...(result.workerId ? { workerId: result.workerId } : {}),
        ...(result.logs?.length ? { logs: result.logs.map((log) => (typeof log === 'string' ? log : JSON.stringify(log))) } : {}),
      },
      { ...cause, ...(result.workerId ? { workerId: result.workerId } : {}) },
    );
    return result.taskId;
  }

  @Roles('worker', 'operator')
  @Post(':workflowId/:taskRefName/:status')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Complete or fail the pending task with this reference name (e.g. a WAIT); the body is its output; returns the task id' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiProduces('text/plain')
  @ApiTextResponse('The task id, or empty when the signal was kept for a WAIT not reached yet')
  async updateByRef(
    @Param('workflowId') workflowId: string,
    @Param('taskRefName') taskRefName: string,
    @Param('status') status: string,
    @Body() output: unknown,
    @RequestCause() cause: CauseMetadata,
    @CurrentPrincipal() principal: Principal,
  ): Promise<string> {
    if (!(API_TASK_STATUSES as readonly string[]).includes(status)) {
      throw new RequestValidationError([{ path: 'status', message: `status must be one of ${API_TASK_STATUSES.join(', ')}` }]);
    }
    if (output !== undefined && output !== null && (typeof output !== 'object' || Array.isArray(output))) {
      throw new RequestValidationError([{ path: '', message: "the body is the task's output and must be a JSON object" }]);
    }
    await this.access.assertMayReport(principal, workflowId, taskByRef(taskRefName));
    const state = await this.executions.updateTaskByRef(workflowId, taskRefName, status as ReportedTaskStatus, (output ?? {}) as Record<string, unknown>, cause);
    return state.latestByRef[taskRefName] ?? '';
  }
}
