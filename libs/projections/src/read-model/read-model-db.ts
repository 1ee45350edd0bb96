import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { openPool } from './pg-pool';
import { migrateReadModel } from './read-model.migrations';
import type { ReadModelSchema } from './read-model.schema';
import { parseReadModelUrl, type ReadModelLocation } from './read-model-url';

export type ReadModelDialect = 'sqlite' | 'postgres';

/** An open read-model database. */
export interface ReadModelDb {
  readonly db: Kysely<ReadModelSchema>;
  readonly dialect: ReadModelDialect;
  /** Closes the file, or the pool once every connection is closed. */
  close(): Promise<void>;
}

export interface ReadModelDbOptions {
  /** Apply pending migrations before returning. Default true. */
  readonly migrate?: boolean;
  /** PostgreSQL pool size. Default 10. */
  readonly poolSize?: number;
  /** SQLite: how long a write waits for another process's write lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** PostgreSQL: an idle pooled connection was dropped by the server (the pool replaces it). Default: a warning on stderr. */
  readonly onIdleError?: (error: Error) => void;
}

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

interface OpenedKysely {
  readonly db: Kysely<ReadModelSchema>;
  readonly close: () => Promise<void>;
}

function openKysely(location: ReadModelLocation, options: ReadModelDbOptions): OpenedKysely {
  if (location.dialect === 'sqlite') {
    const db = new Kysely<ReadModelSchema>({ dialect: new SqliteDialect({ database: openSqlite(location.path, options.busyTimeoutMs ?? 5_000) }) });
    return { db, close: () => db.destroy() };
  }
  const { pool, drained } = openPool({
    connectionString: location.connectionString,
    ...(location.schema === undefined ? {} : { schema: location.schema }),
    size: options.poolSize ?? 10,
    onIdleError: options.onIdleError ?? ((error) => console.warn(`read model: idle PostgreSQL connection lost: ${error.message}`)),
  });
  const db = new Kysely<ReadModelSchema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    close: async () => {
      await db.destroy();
      await drained();
    },
  };
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
  const { db, close } = openKysely(location, options);
  const readModel: ReadModelDb = { db, dialect: location.dialect, close };
  if (options.migrate === false) return readModel;
  try {
    await migrateReadModel(db, location.dialect === 'postgres' && location.schema !== undefined ? { dialect: 'postgres', schema: location.schema } : { dialect: location.dialect });
  } catch (error) {
    await readModel.close();
    throw error;
  }
  return readModel;
}
