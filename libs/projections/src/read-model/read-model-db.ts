import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import { migrateReadModel } from './read-model.migrations';
import type { ReadModelSchema } from './read-model.schema';
import { parseReadModelUrl, type ReadModelLocation } from './read-model-url';

export type ReadModelDialect = 'sqlite' | 'postgres';

/** An open read-model database. */
export interface ReadModelDb {
  readonly db: Kysely<ReadModelSchema>;
  readonly dialect: ReadModelDialect;
  /** Closes the pool or file. */
  close(): Promise<void>;
}

export interface ReadModelDbOptions {
  /** Apply pending migrations before returning. Default true. */
  readonly migrate?: boolean;
  /** PostgreSQL pool size. Default 10. */
  readonly poolSize?: number;
  /** SQLite: how long a write waits for another process's write lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
}

const INT8_OID = 20;

/**
 * `bigint` columns hold epoch milliseconds and counts, all far below 2^53: read them as numbers.
 * Scoped to this pool, unlike `pg.types.setTypeParser`, which would change every pool in the process.
 */
const pgTypeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pgTypes.getTypeParser(oid, format ?? 'text')) as typeof pgTypes.getTypeParser,
};

function openSqlite(path: string, busyTimeoutMs: number): Database.Database {
  const database = new Database(path, { timeout: busyTimeoutMs });
  if (path !== ':memory:') {
    // WAL: queries keep reading while a projection batch writes.
    database.pragma('journal_mode = WAL');
    // Durable enough: a lost last commit loses its checkpoint with it, and the batch is re-applied.
    database.pragma('synchronous = NORMAL');
  }
  return database;
}

function openKysely(location: ReadModelLocation, options: ReadModelDbOptions): Kysely<ReadModelSchema> {
  if (location.dialect === 'sqlite') {
    return new Kysely<ReadModelSchema>({ dialect: new SqliteDialect({ database: openSqlite(location.path, options.busyTimeoutMs ?? 5_000) }) });
  }
  const pool = new Pool({
    connectionString: location.connectionString,
    max: options.poolSize ?? 10,
    types: pgTypeParsers,
    ...(location.schema === undefined ? {} : { options: `-c search_path=${location.schema}` }),
  });
  return new Kysely<ReadModelSchema>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Opens the read-model database named by `url` and migrates it.
 *
 * @example
 * const readModel = await createReadModelDb('sqlite:data/read-model.db');
 * const readModel = await createReadModelDb('postgres://baton@db:5432/baton?schema=read_model');
 * …
 * await readModel.close();
 */
export async function createReadModelDb(url: string, options: ReadModelDbOptions = {}): Promise<ReadModelDb> {
  const location = parseReadModelUrl(url);
  const db = openKysely(location, options);
  const readModel: ReadModelDb = { db, dialect: location.dialect, close: () => db.destroy() };
  if (options.migrate === false) return readModel;
  try {
    await migrateReadModel(db, location.dialect === 'postgres' && location.schema !== undefined ? { schema: location.schema } : {});
  } catch (error) {
    await readModel.close();
    throw error;
  }
  return readModel;
}
