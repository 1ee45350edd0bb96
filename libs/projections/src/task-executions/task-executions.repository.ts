import type { TaskStatus } from '@app/domain';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { ReadModelSchema } from '../read-model/read-model.schema';

/** Statistics of one task type (`taskDefName`) over its attempts. Durations of finished attempts only. */
export interface TaskStats {
  readonly taskDefName: string;
  readonly taskType: string;
  readonly total: number;
  readonly byStatus: Readonly<Partial<Record<TaskStatus, number>>>;
  readonly avgDurationMs: number | null;
  /** Median by the nearest-rank method: an actual observed duration. */
  readonly p50DurationMs: number | null;
  /** Over attempts that reported IN_PROGRESS (only those have a known start). */
  readonly avgQueueWaitMs: number | null;
}

export interface TaskStatsQuery {
  readonly taskDefName?: string;
  readonly workflowName?: string;
  /** Only attempts scheduled at or after this epoch-ms instant. */
  readonly sinceMs?: number;
}

type TaskExecutionsEb = ExpressionBuilder<ReadModelSchema, 'task_executions'>;

interface Accumulator {
  taskDefName: string;
  taskType: string;
  total: number;
  byStatus: Partial<Record<TaskStatus, number>>;
  durationSum: number;
  durationCount: number;
  waitSum: number;
  waitCount: number;
  p50: number | null;
}

const groupKey = (taskDefName: string, taskType: string): string => JSON.stringify([taskDefName, taskType]);
const average = (sum: number, count: number): number | null => (count === 0 ? null : sum / count);

/**
 * Reports over the {@link TaskExecutionsProjection}'s table. Aggregation happens in SQL that both
 * SQLite and PostgreSQL run (window functions for the median), so no attempt rows are shipped.
 *
 * @example
 * const stats = await new TaskExecutionsReport(readModel.db).taskStats({ sinceMs: Date.now() - 3_600_000 });
 */
export class TaskExecutionsReport {
  constructor(private readonly db: Kysely<ReadModelSchema>) {}

  async taskStats(query: TaskStatsQuery = {}): Promise<TaskStats[]> {
    const where = (eb: TaskExecutionsEb) => {
      const conditions = [];
      if (query.taskDefName !== undefined) conditions.push(eb('task_def_name', '=', query.taskDefName));
      if (query.workflowName !== undefined) conditions.push(eb('workflow_name', '=', query.workflowName));
      if (query.sinceMs !== undefined) conditions.push(eb('scheduled_at', '>=', query.sinceMs));
      return eb.and(conditions);
    };
    const groups = new Map<string, Accumulator>();
    for (const row of await this.countsByStatus(where)) {
      const key = groupKey(row.task_def_name, row.task_type);
      const group = groups.get(key) ?? { taskDefName: row.task_def_name, taskType: row.task_type, total: 0, byStatus: {}, durationSum: 0, durationCount: 0, waitSum: 0, waitCount: 0, p50: null };
      groups.set(key, group);
      group.total += Number(row.attempts);
      group.byStatus[row.status] = Number(row.attempts);
      group.durationSum += Number(row.duration_sum ?? 0);
      group.durationCount += Number(row.duration_count);
      group.waitSum += Number(row.wait_sum ?? 0);
      group.waitCount += Number(row.wait_count);
    }
    for (const row of await this.medians(where)) {
      const group = groups.get(groupKey(row.task_def_name, row.task_type));
      if (group !== undefined) group.p50 = Number(row.duration_ms);
    }
    return [...groups.values()].map((group) => ({
      taskDefName: group.taskDefName,
      taskType: group.taskType,
      total: group.total,
      byStatus: group.byStatus,
      avgDurationMs: average(group.durationSum, group.durationCount),
      p50DurationMs: group.p50,
      avgQueueWaitMs: average(group.waitSum, group.waitCount),
    }));
  }

  private countsByStatus(where: (eb: TaskExecutionsEb) => ReturnType<TaskExecutionsEb['and']>) {
    return this.db
      .selectFrom('task_executions')
      .where(where)
      .select((eb) => [
        'task_def_name',
        'task_type',
        'status',
        eb.fn.countAll().as('attempts'),
        // sum/count of a bigint come back as numeric/bigint text from PostgreSQL: the caller converts.
        eb.fn.sum<number | string | null>('duration_ms').as('duration_sum'),
        eb.fn.count('duration_ms').as('duration_count'),
        eb.fn.sum<number | string | null>('queue_wait_ms').as('wait_sum'),
        eb.fn.count('queue_wait_ms').as('wait_count'),
      ])
      .groupBy(['task_def_name', 'task_type', 'status'])
      .orderBy('task_def_name')
      .orderBy('task_type')
      .execute();
  }

  /** Per group, the duration at rank ⌈n/2⌉ — integer division `(n + 1) / 2` in both dialects. */
  private medians(where: (eb: TaskExecutionsEb) => ReturnType<TaskExecutionsEb['and']>) {
    const ranked = this.db
      .selectFrom('task_executions')
      .where(where)
      .where('duration_ms', 'is not', null)
      .select((eb) => [
        'task_def_name',
        'task_type',
        'duration_ms',
        eb.fn.agg<number>('row_number').over((over) => over.partitionBy(['task_def_name', 'task_type']).orderBy('duration_ms')).as('rn'),
        eb.fn.countAll<number>().over((over) => over.partitionBy(['task_def_name', 'task_type'])).as('n'),
      ]);
    return this.db
      .selectFrom(ranked.as('ranked'))
      .select(['task_def_name', 'task_type', 'duration_ms'])
      .where(sql<boolean>`${sql.ref('rn')} = (${sql.ref('n')} + 1) / 2`)
      .execute();
  }
}
