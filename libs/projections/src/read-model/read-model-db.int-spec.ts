import { type Kysely, sql } from 'kysely';
import { ReadModelScratch, TEST_DIALECTS } from '@app/testing/projections/read-model-scratch';
import { waitFor } from '@app/testing/wait-for';
import { createReadModelDb } from './read-model-db';

describe.each(TEST_DIALECTS)('createReadModelDb on %s', (dialect) => {
  const scratch = new ReadModelScratch(dialect);
  afterAll(() => scratch.dispose());

  it('given a fresh database, when opened, then every table exists and is empty', async () => {
    const readModel = await scratch.openReadModel();
    expect(readModel.dialect).toBe(dialect);
    const tables = new Set((await readModel.db.introspection.getTables()).map((table) => table.name));
    expect(tables).toEqual(new Set([
      'baton_read_model_migration', 'baton_read_model_migration_lock',
      'executions', 'pending_tasks', 'projection_checkpoints', 'quarantined_events', 'task_execution_workflows', 'task_executions', 'timers',
      // SQLite's free-text index: an FTS5 table and its shadow tables (PostgreSQL indexes the columns instead)
      ...(dialect === 'sqlite' ? ['executions_text', 'executions_text_config', 'executions_text_data', 'executions_text_docsize', 'executions_text_idx'] : []),
    ]));
    for (const table of ['executions', 'pending_tasks', 'timers', 'task_executions', 'quarantined_events'] as const) {
      expect(await readModel.db.selectFrom(table).selectAll().execute()).toEqual([]);
    }
  });

  it('given two processes starting at once on one database, when both migrate, then both succeed and the schema is applied once', async () => {
    const url = await scratch.url();
    const [first, second] = await Promise.all([1, 2].map(() => scratch.openReadModel({ busyTimeoutMs: 20 }, url)));
    const third = await scratch.openReadModel({}, url);
    const loose = third.db as unknown as Kysely<Record<string, { name: string }>>;
    expect(await loose.selectFrom('baton_read_model_migration').select('name').execute()).toEqual([{ name: '0001-read-model' }, { name: '0002-timer-task' }, { name: '0003-console' }, { name: '0004-free-text' }, { name: '0005-quarantine' }]);
    expect(first!.dialect).toBe(second!.dialect);
  });

  it('given epoch-millisecond bigints, when read back, then they are numbers', async () => {
    const readModel = await scratch.openReadModel();
    await readModel.db.insertInto('timers').values({ execution_id: 'e', timer_id: 't', due_at: 1_767_225_600_123, purpose_kind: 'WAIT', task_id: null }).execute();
    const row = await readModel.db.selectFrom('timers').select(['due_at']).select((eb) => eb.fn.countAll().as('n')).groupBy('due_at').executeTakeFirstOrThrow();
    expect(row).toEqual({ due_at: 1_767_225_600_123, n: 1 });
  });

  it('given migrate: false, when opened, then no table is created', async () => {
    const url = await scratch.url();
    const readModel = await createReadModelDb(url, { migrate: false });
    try {
      // Not `toThrow()`: better-sqlite3's errors come from another realm than this test file's `Error`.
      await expect(sql`select count(*) from executions`.execute(readModel.db)).rejects.toHaveProperty('message', expect.stringMatching(/executions/));
    } finally {
      await readModel.close();
    }
  });

  (dialect === 'postgres' ? it : it.skip)('given the server drops an idle connection, then the process survives and the next query reconnects', async () => {
    const lost: Error[] = [];
    const readModel = await scratch.openReadModel({ poolSize: 1, onIdleError: (error) => lost.push(error) });
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(readModel.db);
    const other = await scratch.openReadModel();
    await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(other.db);
    await waitFor('the idle connection error', () => lost.length > 0, { timeoutMs: 5_000, intervalMs: 1 });
    expect(await readModel.db.selectFrom('executions').selectAll().execute()).toEqual([]);
  });

  (dialect === 'sqlite' ? it : it.skip)('given sqlite::memory:, then a private migrated database', async () => {
    const readModel = await scratch.openReadModel({}, 'sqlite::memory:');
    expect(await readModel.db.selectFrom('executions').selectAll().execute()).toEqual([]);
  });
});
