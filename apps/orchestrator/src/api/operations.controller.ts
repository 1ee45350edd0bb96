import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonResponse } from './openapi/api-responses.decorator';
import type { PendingTaskCount, QuarantinedEvent, ThrottledTask } from '@app/projections';
import { DefinitionRegistry } from '../definitions/definition-registry.service';
import { JetStreamInspector, type ConsumerBacklog, type DeadLetterPage, type TaskQueue } from '../operations/jetstream-inspector';
import { ProjectedOperationalIndex } from '../read-model/projected-operational-index.service';
import { DeadLetterQueryDto } from './dto/dead-letter-query.dto';
import { Roles } from '../auth/roles';

/** One task type's queue: JetStream's view (commands stored, the workers' durable) and the read model's (attempts not finished). */
export interface TaskTypeQueue {
  readonly taskType: string;
  readonly stream?: Omit<TaskQueue, 'taskType'>;
  readonly pending?: Omit<PendingTaskCount, 'taskDefName'>;
  readonly limits?: { readonly concurrentExecLimit?: number; readonly rateLimitPerFrequency?: number; readonly rateLimitFrequencyInSeconds?: number };
}

export interface QueuesReport {
  readonly taskTypes: readonly TaskTypeQueue[];
  /** Results waiting for an orchestrator replica. */
  readonly results?: ConsumerBacklog;
}

/**
 * **Baton** operations views for the console: queue depths and pending tasks per task type,
 * throttled tasks, dead letters. JetStream figures are read at the request; read-model figures
 * follow the log.
 */
@ApiTags('console')
@Controller('api/operations')
export class OperationsController {
  constructor(
    private readonly jetStream: JetStreamInspector,
    private readonly readModel: ProjectedOperationalIndex,
    private readonly registry: DefinitionRegistry,
  ) {}

  @Roles('auditor')
  @Get('queues')
  @ApiOperation({ summary: 'Per task type: commands in BATON_TASKS, the workers’ durable (pending, in flight, redelivered, idle pulls), attempts not finished in the read model, its limits; plus the results backlog' })
  @ApiJsonResponse('QueuesReport')
  async queues(): Promise<QueuesReport> {
    const [queues, pending, results] = await Promise.all([this.jetStream.taskQueues(), this.readModel.index.pendingTaskCounts(), this.jetStream.resultsBacklog()]);
    const taskDefs = this.registry.taskDefsByName();
    const rows = new Map<string, { stream?: Omit<TaskQueue, 'taskType'>; pending?: Omit<PendingTaskCount, 'taskDefName'> }>();
    for (const { taskType, ...stream } of queues) rows.set(taskType, { stream });
    // System tasks (WAIT, JOIN…) wait inside the orchestrator: only worker tasks have a queue.
    for (const { taskDefName, ...count } of pending.filter((row) => row.taskType === 'SIMPLE')) rows.set(taskDefName, { ...rows.get(taskDefName), pending: count });
    for (const name of Object.keys(taskDefs)) if (!rows.has(name)) rows.set(name, {});
    const taskTypes = [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([taskType, row]): TaskTypeQueue => {
      const def = taskDefs[taskType];
      const limits = def && (def.concurrentExecLimit || def.rateLimitPerFrequency)
        ? { concurrentExecLimit: def.concurrentExecLimit, rateLimitPerFrequency: def.rateLimitPerFrequency, rateLimitFrequencyInSeconds: def.rateLimitFrequencyInSeconds }
        : undefined;
      return { taskType, ...row, ...(limits ? { limits } : {}) };
    });
    return { taskTypes, ...(results ? { results } : {}) };
  }

  @Roles('auditor')
  @Get('throttled')
  @ApiOperation({ summary: 'Tasks whose command waits for its type’s rate or concurrency limit, longest waiting first (at most 500)' })
  @ApiJsonResponse('ThrottledTask', { isArray: true })
  throttled(): Promise<ThrottledTask[]> {
    return this.readModel.index.throttledTasks(500);
  }

  @Roles('auditor')
  @Get('quarantine')
  @ApiJsonResponse('QuarantinedEvent', { isArray: true })
  @ApiOperation({ summary: 'Events the read models could not apply: recorded with the error and skipped so the others are applied (newest first, at most 500)' })
  quarantine(): Promise<QuarantinedEvent[]> {
    return this.readModel.quarantined(500);
  }

  @Roles('auditor')
  @Get('dead-letters')
  @ApiOperation({ summary: 'Dead letters, newest first: code, reason, origin, deliveries, body (first 4 KiB)' })
  @ApiJsonResponse('DeadLetterPage')
  deadLetters(@Query() query: DeadLetterQueryDto): Promise<DeadLetterPage> {
    return this.jetStream.deadLetters(query.limit ?? 50, query.beforeSeq);
  }
}
