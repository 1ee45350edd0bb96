import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { ReadModelSchema } from './read-model.schema';

/**
 * The read model's schema, as kysely migrations applied in name order. Add a migration for every
 * change; never edit one that has shipped. Epoch-millisecond columns are `bigint` (SQLite stores
 * them as 64-bit integers too).
 */
const SHARED_MIGRATIONS: Record<string, Migration> = {
  '0001-read-model': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('projection_checkpoints')
        .addColumn('projection_name', 'text', (c) => c.primaryKey())
        .addColumn('commit_position', 'text')
        .addColumn('prepare_position', 'text')
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema.createTable('executions')
        .addColumn('execution_id', 'text', (c) => c.primaryKey())
        .addColumn('workflow_name', 'text', (c) => c.notNull())
        .addColumn('workflow_version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('correlation_id', 'text')
        .addColumn('idempotency_key', 'text')
        .addColumn('parent_execution_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('reason', 'text')
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('output', 'text')
        .addColumn('failed_task_ref', 'text')
        .execute();
      await db.schema.createIndex('executions_workflow_status_idx').on('executions').columns(['workflow_name', 'status', 'created_at']).execute();
      await db.schema.createIndex('executions_correlation_idx').on('executions').columns(['correlation_id', 'workflow_name']).execute();
      await db.schema.createIndex('executions_status_idx').on('executions').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('executions_created_idx').on('executions').column('created_at').execute();

      await db.schema.createTable('pending_tasks')
        .addColumn('task_id', 'text', (c) => c.primaryKey())
        .addColumn('execution_id', 'text', (c) => c.notNull())
        .addColumn('task_def_name', 'text', (c) => c.notNull())
        .addColumn('task_ref_name', 'text', (c) => c.notNull())
        .addColumn('task_type', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('scheduled_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('pending_tasks_execution_idx').on('pending_tasks').column('execution_id').execute();
      await db.schema.createIndex('pending_tasks_def_status_idx').on('pending_tasks').columns(['task_def_name', 'status']).execute();
      await db.schema.createIndex('pending_tasks_status_idx').on('pending_tasks').columns(['status', 'task_id']).execute();

      await db.schema.createTable('timers')
        .addColumn('execution_id', 'text', (c) => c.notNull())
        .addColumn('timer_id', 'text', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('purpose_kind', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('timers_pk', ['execution_id', 'timer_id'])
        .execute();
      await db.schema.createIndex('timers_due_idx').on('timers').columns(['due_at', 'execution_id', 'timer_id']).execute();

      await db.schema.createTable('task_executions')
        .addColumn('task_id', 'text', (c) => c.primaryKey())
        .addColumn('execution_id', 'text', (c) => c.notNull())
        .addColumn('workflow_name', 'text')
        .addColumn('task_def_name', 'text', (c) => c.notNull())
        .addColumn('task_ref_name', 'text', (c) => c.notNull())
        .addColumn('task_type', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('scheduled_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('queue_wait_ms', 'bigint')
        .addColumn('duration_ms', 'bigint')
        .addColumn('worker_id', 'text')
        .addColumn('reason', 'text')
        .execute();
      await db.schema.createIndex('task_executions_execution_idx').on('task_executions').column('execution_id').execute();
      await db.schema.createIndex('task_executions_def_scheduled_idx').on('task_executions').columns(['task_def_name', 'scheduled_at']).execute();

      await db.schema.createTable('task_execution_workflows')
        .addColumn('execution_id', 'text', (c) => c.primaryKey())
        .addColumn('workflow_name', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002-timer-task': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('timers').addColumn('task_id', 'text').execute();
      await db.schema.createIndex('timers_task_idx').on('timers').column('task_id').execute();
    },
  },
  '0003-console': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Searches sort with the execution id as tiebreak in the direction of the first term: these
      // indexes hand pages over in order, so a page deep into 100,000 executions walks an index
      // instead of sorting the table.
      await db.schema.dropIndex('executions_created_idx').execute();
      await db.schema.dropIndex('executions_status_idx').execute();
      await db.schema.createIndex('executions_created_id_idx').on('executions').columns(['created_at', 'execution_id']).execute();
      await db.schema.createIndex('executions_status_created_id_idx').on('executions').columns(['status', 'created_at', 'execution_id']).execute();
      await db.schema.createIndex('executions_workflow_created_id_idx').on('executions').columns(['workflow_name', 'created_at', 'execution_id']).execute();
      await db.schema.createIndex('executions_ended_id_idx').on('executions').columns(['ended_at', 'execution_id']).execute();
      // Links between executions: a parent's children, the failure workflows started for one.
      await db.schema.createIndex('executions_parent_idx').on('executions').column('parent_execution_id').execute();
      await db.schema.createIndex('executions_idempotency_idx').on('executions').column('idempotency_key').execute();
      // Tasks waiting for their type's rate or concurrency limit (TaskThrottled until TaskDispatched).
      await db.schema.alterTable('pending_tasks').addColumn('throttled_reason', 'text').execute();
      await db.schema.alterTable('pending_tasks').addColumn('throttled_limit', 'integer').execute();
      await db.schema.alterTable('pending_tasks').addColumn('throttled_at', 'bigint').execute();
    },
  },
  '0005-quarantine': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Events a read model could not apply, skipped so the others are not blocked (ProjectionRunner).
      await db.schema
        .createTable('quarantined_events')
        .addColumn('projection_name', 'text', (c) => c.notNull())
        .addColumn('commit_position', 'text', (c) => c.notNull())
        .addColumn('prepare_position', 'text', (c) => c.notNull())
        .addColumn('stream_name', 'text', (c) => c.notNull())
        .addColumn('stream_revision', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('error', 'text', (c) => c.notNull())
        .addColumn('quarantined_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('quarantined_events_pk', ['projection_name', 'commit_position', 'prepare_position'])
        .execute();
    },
  },
};

/**
 * Free-text search (the console's executions page, `freeText` of the search API) matches a
 * substring of the execution id, correlation id or workflow name. No B-tree serves `LIKE '%…%'`,
 * so each dialect gets a trigram index: SQLite an FTS5 table with the trigram tokenizer kept in
 * step by triggers, PostgreSQL `pg_trgm` GIN indexes on the lower-cased columns.
 */
function freeTextMigration(dialect: 'sqlite' | 'postgres'): Migration {
  return { up: (db) => (dialect === 'sqlite' ? sqliteFreeText(db) : postgresFreeText(db)) };
}

async function sqliteFreeText(db: Kysely<unknown>): Promise<void> {
  // External content: the index holds only trigrams, the text stays in `executions` (joined by
  // rowid). A VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY; Baton never
  // runs one on the read model, and `INSERT INTO executions_text(executions_text) VALUES ('rebuild')`
  // repairs the index after one.
  await sql`create virtual table executions_text using fts5(execution_id, correlation_id, workflow_name, content='executions', content_rowid='rowid', tokenize='trigram')`.execute(db);
  await sql`create trigger executions_text_insert after insert on executions begin
    insert into executions_text(rowid, execution_id, correlation_id, workflow_name) values (new.rowid, new.execution_id, new.correlation_id, new.workflow_name);
  end`.execute(db);
  await sql`create trigger executions_text_delete after delete on executions begin
    insert into executions_text(executions_text, rowid, execution_id, correlation_id, workflow_name) values ('delete', old.rowid, old.execution_id, old.correlation_id, old.workflow_name);
  end`.execute(db);
  // Only when a searched column changes: status updates, the common case, cost nothing.
  await sql`create trigger executions_text_update after update of execution_id, correlation_id, workflow_name on executions begin
    insert into executions_text(executions_text, rowid, execution_id, correlation_id, workflow_name) values ('delete', old.rowid, old.execution_id, old.correlation_id, old.workflow_name);
    insert into executions_text(rowid, execution_id, correlation_id, workflow_name) values (new.rowid, new.execution_id, new.correlation_id, new.workflow_name);
  end`.execute(db);
  await sql`insert into executions_text(executions_text) values ('rebuild')`.execute(db);
}

async function postgresFreeText(db: Kysely<unknown>): Promise<void> {
  // The extension is per database, and read models of several schemas may migrate at once: the lock
  // keeps two of them from creating it together. In `public`, so dropping a read model's schema
  // never drops it from under another's indexes. Where it cannot be created (no privilege, no
  // contrib package) free text still works, by a scan.
  await sql`select pg_advisory_xact_lock(hashtext('baton_read_model_pg_trgm'))`.execute(db);
  await sql`savepoint baton_pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    await sql`release savepoint baton_pg_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint baton_pg_trgm`.execute(db);
  }
  const found = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  const schema = found.rows[0]?.schema;
  if (schema === undefined) return;
  const opclass = sql`${sql.id(schema)}.gin_trgm_ops`;
  for (const column of ['execution_id', 'correlation_id', 'workflow_name']) {
    await sql`create index ${sql.id(`executions_${column}_trgm_idx`)} on executions using gin (lower(${sql.ref(column)}) ${opclass})`.execute(db);
  }
}

/** The migrations for one dialect, by name. */
function migrationsFor(dialect: 'sqlite' | 'postgres'): Record<string, Migration> {
  return { ...SHARED_MIGRATIONS, '0004-free-text': freeTextMigration(dialect) };
}

/** Named so it never collides with another application's kysely migrations in a shared schema. */
const MIGRATION_TABLE = 'baton_read_model_migration';
const MIGRATION_LOCK_TABLE = 'baton_read_model_migration_lock';
const BUSY_RETRIES = 50;

export interface MigrateOptions {
  readonly dialect: 'sqlite' | 'postgres';
  /** PostgreSQL schema holding the tables (created if missing). */
  readonly schema?: string;
}

/**
 * Brings the read model's schema up to date. Safe when several processes start at once: on
 * PostgreSQL kysely serialises them with an advisory lock inside one transaction; on SQLite, where
 * kysely runs DDL outside a transaction, the whole migration runs under `BEGIN IMMEDIATE` (the
 * file's write lock), and a process that finds the lock taken tries again.
 *
 * @example
 * await migrateReadModel(db, { dialect: 'postgres', schema: 'reports' });
 */
export async function migrateReadModel(db: Kysely<ReadModelSchema>, options: MigrateOptions): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrationsFor(options.dialect)) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
  if (options.dialect === 'postgres') return throwIfFailed(await migrator.migrateToLatest());
  for (let attempt = 1; ; attempt += 1) {
    try {
      await sql`begin immediate`.execute(db);
    } catch (error) {
      if (!isSqliteBusy(error) || attempt >= BUSY_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5 * attempt, 100)));
      continue;
    }
    try {
      throwIfFailed(await migrator.migrateToLatest());
      await sql`commit`.execute(db);
      return;
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  }
}

function throwIfFailed(result: MigrationResultSet): void {
  if (result.error !== undefined) throw new Error('read-model migration failed', { cause: result.error });
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
