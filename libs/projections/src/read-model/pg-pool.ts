import { Pool, types as pgTypes } from 'pg';

const INT8_OID = 20;
const DRAIN_TIMEOUT_MS = 5_000;

/**
 * `bigint` columns hold epoch milliseconds and counts, all far below 2^53: read them as numbers.
 * Scoped to this pool, unlike `pg.types.setTypeParser`, which would change every pool in the process.
 */
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pgTypes.getTypeParser(oid, format ?? 'text')) as typeof pgTypes.getTypeParser,
};

export interface ReadModelPool {
  readonly pool: Pool;
  /** Resolves once every connection is really closed (`pool.end()` resolves before the sockets are). */
  drained(): Promise<void>;
}

/**
 * A pg pool for the read model. An idle connection that the server drops (restart, failover,
 * `pg_terminate_backend`) is reported to `onIdleError` instead of crashing the process: the pool has
 * already discarded it, and the next query opens a new one.
 */
export function openPool(options: { connectionString: string; schema?: string; size: number; onIdleError: (error: Error) => void }): ReadModelPool {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.size,
    types: typeParsers,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  let open = 0;
  let wake: (() => void) | undefined;
  pool.on('connect', () => {
    open += 1;
  });
  pool.on('remove', () => {
    open -= 1;
    if (open === 0) wake?.();
  });
  pool.on('error', options.onIdleError);
  const drained = (): Promise<void> => {
    if (open === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  };
  return { pool, drained };
}
