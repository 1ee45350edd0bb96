import Database from 'better-sqlite3';

/** Stored in `PRAGMA user_version`, for future migrations. */
export const SCHEMA_VERSION = 1;

/** `streams.status` values. */
export const STATUS_LIVE = 0n;
export const STATUS_SOFT_DELETED = 1n;
export const STATUS_TOMBSTONED = 2n;

// `events.position` is the `$all` position (commit === prepare): AUTOINCREMENT never reuses one, and
// appends run in BEGIN IMMEDIATE transactions, so positions become visible in increasing order.
// A soft delete only moves `truncate_before` past the last revision: the rows stay, like
// EventStoreDB's events before a scavenge, and a later append continues the revision numbers.
const DDL = `
CREATE TABLE IF NOT EXISTS streams (
  stream_id       INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL UNIQUE,
  last_revision   INTEGER NOT NULL DEFAULT -1,
  truncate_before INTEGER NOT NULL DEFAULT 0,
  status          INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id INTEGER NOT NULL REFERENCES streams (stream_id),
  revision  INTEGER NOT NULL,
  event_id  TEXT    NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  created   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_event_id ON events (stream_id, event_id);
PRAGMA user_version = ${SCHEMA_VERSION};
`;

/**
 * Opens (and creates) the store's database: WAL so readers never block the writer,
 * `synchronous=NORMAL` (durable at checkpoints, never corrupt), a busy timeout so two processes
 * on one file wait for each other's short write transactions instead of failing.
 */
export function openDatabase(path: string, busyTimeoutMs: number, readOnly = false): Database.Database {
  if (readOnly) return openReadOnly(path, busyTimeoutMs);
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.defaultSafeIntegers(true);
    db.transaction(() => db.exec(DDL)).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens an existing store without writing to it (audits, exports): no schema creation, no journal
 * change, and a missing file is an error rather than a new empty store.
 */
function openReadOnly(path: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  } catch (error) {
    throw new Error(`no SQLite event store at ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    db.defaultSafeIntegers(true);
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('streams', 'events')").get() as { n: bigint };
    if (tables.n !== 2n) throw new Error(`${path} is not a Baton SQLite event store (no streams and events tables)`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
