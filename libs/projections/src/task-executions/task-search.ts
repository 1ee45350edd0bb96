import type { TaskStatus } from '@app/domain';
import type { Kysely, Selectable } from 'kysely';
import { pageOf } from '../execution-index/execution-search';
import type { SearchResult } from '../execution-index/execution-index.types';
import type { ReadModelSchema, TaskExecutionsTable } from '../read-model/read-model.schema';

/** One task attempt as task search returns it (Conductor's `TaskSummary`, times in epoch ms). */
export interface TaskAttemptSummary {
  readonly taskId: string;
  readonly executionId: string;
  readonly workflowName?: string;
  readonly taskDefName: string;
  readonly taskRefName: string;
  readonly taskType: string;
  readonly attempt: number;
  readonly status: TaskStatus;
  readonly scheduledAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly queueWaitMs?: number;
  readonly durationMs?: number;
  readonly workerId?: string;
  readonly reason?: string;
}

/** Filters of a task search, combined with AND; each list matches any of its values. */
export interface TaskSearchQuery {
  readonly taskDefName?: readonly string[];
  readonly taskType?: readonly string[];
  readonly status?: readonly TaskStatus[];
  readonly executionId?: readonly string[];
  readonly workflowName?: readonly string[];
  readonly start?: number;
  readonly size?: number;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toSummary(row: Selectable<TaskExecutionsTable>): TaskAttemptSummary {
  return {
    taskId: row.task_id,
    executionId: row.execution_id,
    workflowName: orUndefined(row.workflow_name),
    taskDefName: row.task_def_name,
    taskRefName: row.task_ref_name,
    taskType: row.task_type,
    attempt: Number(row.attempt),
    status: row.status,
    scheduledAt: Number(row.scheduled_at),
    startedAt: row.started_at === null ? undefined : Number(row.started_at),
    endedAt: row.ended_at === null ? undefined : Number(row.ended_at),
    queueWaitMs: row.queue_wait_ms === null ? undefined : Number(row.queue_wait_ms),
    durationMs: row.duration_ms === null ? undefined : Number(row.duration_ms),
    workerId: orUndefined(row.worker_id),
    reason: orUndefined(row.reason),
  };
}

/**
 * Conductor's task search over the task-attempts read model (every attempt of every execution that
 * was not removed), newest first.
 *
 * @example
 * const { totalHits, results } = await new TaskSearch(readModel.db).search({ taskDefName: ['charge'], status: ['FAILED'] });
 */
export class TaskSearch {
  constructor(private readonly db: Kysely<ReadModelSchema>) {}

  async search(query: TaskSearchQuery): Promise<SearchResult<TaskAttemptSummary>> {
    const { offset, limit } = pageOf(query);
    const filtered = this.db.selectFrom('task_executions').where((eb) => {
      const conditions = [];
      if (query.taskDefName?.length) conditions.push(eb('task_def_name', 'in', query.taskDefName));
      if (query.taskType?.length) conditions.push(eb('task_type', 'in', query.taskType));
      if (query.status?.length) conditions.push(eb('status', 'in', query.status));
      if (query.executionId?.length) conditions.push(eb('execution_id', 'in', query.executionId));
      if (query.workflowName?.length) conditions.push(eb('workflow_name', 'in', query.workflowName));
      return eb.and(conditions);
    });
    const counted = await filtered.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow();
    const totalHits = Number(counted.total);
    if (limit === 0 || offset >= totalHits) return { totalHits, results: [] };
    const rows = await filtered.selectAll().orderBy('scheduled_at', 'desc').orderBy('task_id', 'desc').limit(limit).offset(offset).execute();
    return { totalHits, results: rows.map(toSummary) };
  }
}
