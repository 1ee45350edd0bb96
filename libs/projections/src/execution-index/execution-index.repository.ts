import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { ReadModelDialect } from '../read-model/read-model-db';
import type { ExecutionsTable, IndexedExecutionStatus, PendingTasksTable, ReadModelSchema } from '../read-model/read-model.schema';
import type { DueTimer, TimerCursor, ExecutionSearch, ExecutionSummary, PendingTask, PendingTaskCount, PendingTaskQuery, SearchResult, StatusCounts, ThrottledTask } from './execution-index.types';
import { containsPattern, NULLABLE_SORT_COLUMNS, pageOf, parseSort } from './execution-search';

type ExecutionsEb = ExpressionBuilder<ReadModelSchema, 'executions'>;

/** Executions still able to change: Conductor's "open" workflows. */
const OPEN_STATUSES: readonly IndexedExecutionStatus[] = ['RUNNING', 'PAUSED'];
const MAX_LIST_SIZE = 10_000;

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toSummary(row: Selectable<ExecutionsTable>): ExecutionSummary {
  const optional = {
    correlationId: orUndefined(row.correlation_id),
    idempotencyKey: orUndefined(row.idempotency_key),
    parentExecutionId: orUndefined(row.parent_execution_id),
    endedAt: row.ended_at === null ? undefined : Number(row.ended_at),
    reason: orUndefined(row.reason),
    output: row.output === null ? undefined : (JSON.parse(row.output) as Record<string, unknown>),
    failedTaskRef: orUndefined(row.failed_task_ref),
  };
  return {
    executionId: row.execution_id,
    workflowName: row.workflow_name,
    workflowVersion: Number(row.workflow_version),
    status: row.status,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    input: JSON.parse(row.input) as Record<string, unknown>,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

function toPendingTask(row: Selectable<PendingTasksTable>): PendingTask {
  return {
    taskId: row.task_id,
    executionId: row.execution_id,
    taskDefName: row.task_def_name,
    taskRefName: row.task_ref_name,
    taskType: row.task_type,
    attempt: Number(row.attempt),
    status: row.status,
    scheduledAt: Number(row.scheduled_at),
    updatedAt: Number(row.updated_at),
  };
}

/**
 * Case-insensitive in both dialects. SQLite's LIKE already ignores ASCII case (and its lower()
 * folds ASCII only), so the column is compared as it is: no function call per row of a scan.
 */
function contains(column: 'execution_id' | 'correlation_id' | 'workflow_name', pattern: string, dialect: ReadModelDialect): Expression<SqlBool> {
  return dialect === 'sqlite' ? sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'` : sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** The trigram index finds substrings of at least three characters; shorter ones scan. */
const TRIGRAM = 3;

/**
 * An FTS5 phrase: with the trigram tokenizer it matches the text as a substring of a column.
 * The index only narrows the rows (it folds Unicode case, LIKE folds ASCII): the LIKE conditions
 * beside it keep the answer exactly what it was without the index.
 */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function searchConditions(eb: ExecutionsEb, search: ExecutionSearch, dialect: ReadModelDialect): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (search.workflowName !== undefined) conditions.push(eb('workflow_name', '=', search.workflowName));
  if (search.workflowVersion !== undefined) conditions.push(eb('workflow_version', '=', search.workflowVersion));
  if (search.correlationId !== undefined) conditions.push(eb('correlation_id', '=', search.correlationId));
  if (search.createdFrom !== undefined) conditions.push(eb('created_at', '>=', search.createdFrom));
  if (search.createdTo !== undefined) conditions.push(eb('created_at', '<', search.createdTo));
  if (search.status !== undefined) {
    const statuses: readonly IndexedExecutionStatus[] = typeof search.status === 'string' ? [search.status] : search.status;
    conditions.push(statuses.length === 1 ? eb('status', '=', statuses[0]!) : eb('status', 'in', statuses));
  }
  const text = search.freeText?.trim();
  if (text !== undefined && text !== '' && text !== '*') {
    const pattern = containsPattern(text);
    if (dialect === 'sqlite' && [...text].length >= TRIGRAM) conditions.push(sql<SqlBool>`rowid in (select rowid from executions_text where executions_text match ${ftsPhrase(text)})`);
    conditions.push(eb.or([contains('execution_id', pattern, dialect), contains('correlation_id', pattern, dialect), contains('workflow_name', pattern, dialect)]));
  }
  return conditions;
}

/**
 * Queries over the {@link ExecutionIndexProjection}'s tables: search for the API and UI, and the
 * lookups the orchestrator itself needs (pending tasks after a crash, concurrency limits, due
 * timers). Every query is one indexed statement; none loads a whole table.
 *
 * @example
 * const index = new ExecutionIndex(readModel.db, readModel.dialect);
 * const { totalHits, results } = await index.searchExecutions({ workflowName: 'order', status: 'RUNNING', size: 20 });
 * const due = await index.timersDueBefore(Date.now() + 60_000, 500);
 */
export class ExecutionIndex {
  constructor(
    private readonly db: Kysely<ReadModelSchema>,
    /** Prefix lookups differ: SQLite compares text bytewise, PostgreSQL by the database's collation. */
    private readonly dialect: ReadModelDialect,
  ) {}

  async findExecution(executionId: string): Promise<ExecutionSummary | undefined> {
    const row = await this.db.selectFrom('executions').selectAll().where('execution_id', '=', executionId).executeTakeFirst();
    return row === undefined ? undefined : toSummary(row);
  }

  /** One page of matching executions and how many match in all. Throws {@link InvalidSearchError}. */
  async searchExecutions(search: ExecutionSearch = {}): Promise<SearchResult<ExecutionSummary>> {
    const counted = await this.db.selectFrom('executions').where((eb) => eb.and(searchConditions(eb, search, this.dialect))).select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow();
    const totalHits = Number(counted.total);
    return { totalHits, results: await this.page(search, totalHits) };
  }

  /**
   * A page, how many match, and how many match in each status: two statements, as the per-status
   * counts already hold the total (the sum over the statuses the search asks for).
   */
  async searchWithCounts(search: ExecutionSearch = {}): Promise<SearchResult<ExecutionSummary> & { readonly statusCounts: StatusCounts }> {
    const statusCounts = await this.statusCounts(search);
    const wanted = search.status === undefined ? undefined : new Set<string>(typeof search.status === 'string' ? [search.status] : search.status);
    const totalHits = Object.entries(statusCounts).reduce((sum, [status, count]) => (wanted === undefined || wanted.has(status) ? sum + (count ?? 0) : sum), 0);
    return { totalHits, statusCounts, results: await this.page(search, totalHits) };
  }

  private async page(search: ExecutionSearch, totalHits: number): Promise<ExecutionSummary[]> {
    const { offset, limit } = pageOf(search);
    const sort = parseSort(search.sort);
    if (limit === 0 || offset >= totalHits) return [];
    let page = this.db.selectFrom('executions').where((eb) => eb.and(searchConditions(eb, search, this.dialect))).selectAll();
    // NULLS LAST only where a column can hold NULL: on the others it would keep SQLite from reading
    // the order off an index.
    for (const term of sort) page = page.orderBy(term.column, (order) => (NULLABLE_SORT_COLUMNS.has(term.column) ? (term.direction === 'asc' ? order.asc() : order.desc()).nullsLast() : term.direction === 'asc' ? order.asc() : order.desc()));
    const rows = await page.limit(limit).offset(offset).execute();
    return rows.map(toSummary);
  }

  /** How many executions match `search` in each status, ignoring its status filter (facet counts for a search page). */
  async statusCounts(search: ExecutionSearch = {}): Promise<StatusCounts> {
    const rows = await this.db
      .selectFrom('executions')
      .where((eb) => eb.and(searchConditions(eb, { ...search, status: undefined }, this.dialect)))
      .select((eb) => ['status', eb.fn.countAll().as('count')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  /** Executions started by this one (SUB_WORKFLOW children), oldest first. */
  async childrenOf(executionId: string, limit = 1_000): Promise<ExecutionSummary[]> {
    const rows = await this.db.selectFrom('executions').selectAll().where('parent_execution_id', '=', executionId).orderBy('created_at').orderBy('execution_id').limit(Math.min(limit, MAX_LIST_SIZE)).execute();
    return rows.map(toSummary);
  }

  /** Executions whose idempotency key starts with `prefix` (e.g. `failure:<id>:`, the failure workflows started for an execution), oldest first. */
  async withIdempotencyKeyPrefix(prefix: string, limit = 100): Promise<ExecutionSummary[]> {
    // SQLite's LIKE ignores ASCII case and cannot use the index; a bytewise range does. A range in
    // PostgreSQL would follow the collation, where LIKE (case-sensitive there) is exact.
    const escaped = prefix.replace(/[\\%_]/g, (char) => `\\${char}`);
    const rows = await this.db
      .selectFrom('executions')
      .selectAll()
      .where((eb) =>
        this.dialect === 'sqlite'
          ? eb.and([eb('idempotency_key', '>=', prefix), eb('idempotency_key', '<', `${prefix}\u{10FFFF}`)])
          : sql<SqlBool>`idempotency_key like ${`${escaped}%`} escape '\\'`,
      )
      .orderBy('created_at')
      .limit(Math.min(limit, MAX_LIST_SIZE))
      .execute();
    return rows.filter((row) => row.idempotency_key?.startsWith(prefix)).map(toSummary);
  }

  /** Unfinished task attempts per task type: scheduled, in progress, throttled. */
  async pendingTaskCounts(): Promise<PendingTaskCount[]> {
    const rows = await this.db
      .selectFrom('pending_tasks')
      .select((eb) => [
        'task_def_name',
        'task_type',
        eb.fn.sum<number>(eb.case().when('status', '=', 'SCHEDULED').then(1).else(0).end()).as('scheduled'),
        eb.fn.sum<number>(eb.case().when('status', '=', 'IN_PROGRESS').then(1).else(0).end()).as('in_progress'),
        eb.fn.sum<number>(eb.case().when('throttled_reason', 'is not', null).then(1).else(0).end()).as('throttled'),
        eb.fn.min('scheduled_at').as('oldest'),
      ])
      .groupBy(['task_def_name', 'task_type'])
      .orderBy('task_def_name')
      .execute();
    return rows.map((row) => ({
      taskDefName: row.task_def_name,
      taskType: row.task_type,
      scheduled: Number(row.scheduled),
      inProgress: Number(row.in_progress),
      throttled: Number(row.throttled),
      oldestScheduledAt: Number(row.oldest),
    }));
  }

  /** Tasks waiting for their type's rate or concurrency limit, longest waiting first. */
  async throttledTasks(limit = 100): Promise<ThrottledTask[]> {
    const rows = await this.db.selectFrom('pending_tasks').selectAll().where('throttled_reason', 'is not', null).orderBy('throttled_at').orderBy('task_id').limit(Math.max(1, Math.min(limit, MAX_LIST_SIZE))).execute();
    return rows.map((row) => ({ ...toPendingTask(row), reason: row.throttled_reason!, limit: Number(row.throttled_limit), throttledAt: Number(row.throttled_at) }));
  }

  /** Executions of a workflow with this correlation id, oldest first; open ones only unless `includeClosed`. */
  async findByCorrelation(workflowName: string, correlationId: string, options: { includeClosed?: boolean; limit?: number } = {}): Promise<ExecutionSummary[]> {
    let query = this.db.selectFrom('executions').selectAll().where('correlation_id', '=', correlationId).where('workflow_name', '=', workflowName);
    if (options.includeClosed !== true) query = query.where('status', 'in', OPEN_STATUSES);
    const rows = await query.orderBy('created_at').orderBy('execution_id').limit(Math.min(options.limit ?? MAX_LIST_SIZE, MAX_LIST_SIZE)).execute();
    return rows.map(toSummary);
  }

  /** Task attempts not finished yet, by task id: page with `afterTaskId` = the last id of the previous page. */
  async pendingTasks(query: PendingTaskQuery = {}): Promise<PendingTask[]> {
    let select = this.db.selectFrom('pending_tasks').selectAll();
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.taskDefName !== undefined) select = select.where('task_def_name', '=', query.taskDefName);
    if (query.taskType !== undefined) select = select.where('task_type', '=', query.taskType);
    if (query.afterTaskId !== undefined) select = select.where('task_id', '>', query.afterTaskId);
    const limit = Math.max(1, Math.min(query.limit ?? 100, MAX_LIST_SIZE));
    const rows = await select.orderBy('task_id').limit(limit).execute();
    return rows.map(toPendingTask);
  }

  /** Attempts of a task type scheduled or in progress (for `concurrentExecLimit`). */
  async countActiveTasks(taskDefName: string): Promise<number> {
    const row = await this.db.selectFrom('pending_tasks').select((eb) => eb.fn.countAll().as('count')).where('task_def_name', '=', taskDefName).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * Armed timers due at or before `epochMs`, soonest first (ties by execution, then timer id), at
   * most `limit`; with `after`, only those sorting after that timer (keyset paging through a
   * window holding more timers than one page).
   */
  async timersDueBefore(epochMs: number, limit: number, after?: TimerCursor): Promise<DueTimer[]> {
    let query = this.db.selectFrom('timers').selectAll().where('due_at', '<=', epochMs);
    if (after) {
      query = query.where((eb) => eb(eb.refTuple('due_at', 'execution_id', 'timer_id'), '>', eb.tuple(after.dueAt, after.executionId, after.timerId)));
    }
    const rows = await query.orderBy('due_at').orderBy('execution_id').orderBy('timer_id').limit(Math.max(0, limit)).execute();
    return rows.map((row) => ({ executionId: row.execution_id, timerId: row.timer_id, dueAt: Number(row.due_at), purposeKind: row.purpose_kind }));
  }

  /** Executions RUNNING or PAUSED. */
  async openExecutionCount(): Promise<number> {
    const row = await this.db.selectFrom('executions').select((eb) => eb.fn.countAll().as('count')).where('status', 'in', OPEN_STATUSES).executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
