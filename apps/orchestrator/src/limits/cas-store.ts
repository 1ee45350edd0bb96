/** A value with the revision a compare-and-set must name to replace it. */
export interface CasEntry {
  readonly value: string;
  readonly revision: number;
}

/**
 * Keys with compare-and-set updates: what the limiter needs of a NATS KV bucket (an in-memory
 * one stands in for it in unit tests).
 */
export interface CasStore {
  /** The current entry (empty value when deleted), or undefined when the key was never written. */
  get(key: string): Promise<CasEntry | undefined>;
  /**
   * Writes `value` if the key is still at `revision` (0: the key must not exist). Resolves with
   * the new revision, or `'conflict'` when someone else wrote first.
   */
  put(key: string, value: string, revision: number): Promise<number | 'conflict'>;
  /** Keys starting with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

/** Key of a task type's concurrency slot set. */
export const concurrencyKey = (taskType: string): string => `concurrency.${taskType}`;

/** Key of a task type's rate window. */
export const rateKey = (taskType: string): string => `rate.${taskType}`;

/** The task type and kind of a limiter key, or undefined for another key. */
export function parseLimitKey(key: string): { kind: 'concurrency' | 'rate'; taskType: string } | undefined {
  const dot = key.indexOf('.');
  const kind = key.slice(0, dot);
  if (dot <= 0 || (kind !== 'concurrency' && kind !== 'rate')) return undefined;
  return { kind, taskType: key.slice(dot + 1) };
}
