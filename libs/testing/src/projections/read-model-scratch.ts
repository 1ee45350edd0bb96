import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createReadModelDb, type ReadModelDb, type ReadModelDbOptions } from '@app/projections';

export type TestDialect = 'sqlite' | 'postgres';
export const TEST_DIALECTS: readonly TestDialect[] = ['sqlite', 'postgres'];

/** The shared server's maintenance database; only `CREATE/DROP DATABASE` run there. */
const ADMIN_URL = process.env['BATON_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Fresh, isolated read-model databases for one test file: temp files for SQLite; for PostgreSQL a
 * database `baton_test_<random>` made for the file (a schema per test inside it) and dropped at the
 * end, so the shared `test` database stays clean.
 */
export class ReadModelScratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'baton-projections-'));
  private readonly open: ReadModelDb[] = [];
  private database: string | undefined;
  private count = 0;

  constructor(readonly dialect: TestDialect) {}

  /** A temp file path for anything else the test needs (an event store). */
  file(name: string): string {
    return join(this.dir, `${this.count++}-${name}`);
  }

  async url(): Promise<string> {
    if (this.dialect === 'sqlite') return `sqlite:${this.file('read-model.db')}`;
    if (this.database === undefined) {
      const name = `baton_test_${randomBytes(6).toString('hex')}`;
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      this.database = name;
    }
    const url = new URL(ADMIN_URL);
    url.pathname = `/${this.database}`;
    url.searchParams.set('schema', `t${this.count++}`);
    return url.toString();
  }

  /** Opens (and migrates) a fresh read model, closed by {@link dispose}. */
  async openReadModel(options: ReadModelDbOptions = {}, url?: string): Promise<ReadModelDb> {
    const readModel = await createReadModelDb(url ?? (await this.url()), options);
    this.open.push(readModel);
    return readModel;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.open.splice(0).map((readModel) => readModel.close()));
    const database = this.database;
    if (database !== undefined) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
