import { evaluateWithEvaluator } from './switch-evaluator';
import type { EvaluationOptions } from './expression-evaluator';

/**
 * Conductor's ScriptEvaluator.toBoolean: a boolean is itself, a number is true when > 0, and
 * everything else (strings included, even "true") is false.
 */
export function conditionResultToBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value > 0;
  return false;
}

/**
 * Conductor's JsonUtils.expand, applied to event payloads before conditions see them: string
 * values of objects that parse as JSON are replaced by the parsed value (so `"{\"a\":1}"`
 * becomes an object, and also `"42"` becomes 42). Strings directly inside arrays are left as
 * they are, as Conductor leaves them. Returns a new value; the input is not modified.
 */
export function expandJsonStrings(value: unknown): unknown {
  if (typeof value === 'string') return parseOrKeep(value);
  return expandNested(value);
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function expandNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : expandNested(item)));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const expanded = typeof item === 'string' ? parseOrKeep(item) : expandNested(item);
    Object.defineProperty(out, key, { value: expanded, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Options of {@link evaluateCondition}. */
export interface ConditionOptions extends EvaluationOptions {
  /** Evaluator of the condition; Conductor's default is JavaScript. */
  readonly evaluatorType?: string;
  /** Apply {@link expandJsonStrings} to the payload first, as Conductor does. Default true. */
  readonly expandJsonStrings?: boolean;
}

/**
 * Evaluates an event handler's `condition` against an event payload bound as `$`. An empty or
 * missing condition matches everything, as in Conductor's DefaultEventProcessor.
 *
 * @example
 * evaluateCondition("$.status == 'READY'", { status: 'READY' }); // true
 * evaluateCondition('$.count', { count: 0 }); // false (numbers must be > 0)
 */
export function evaluateCondition(condition: string | undefined | null, payload: unknown, options: ConditionOptions = {}): boolean {
  if (condition === undefined || condition === null || condition === '') return true;
  const input = options.expandJsonStrings === false ? payload : expandJsonStrings(payload);
  const result = evaluateWithEvaluator(options.evaluatorType ?? 'javascript', condition, input as Record<string, unknown>, options);
  return conditionResultToBoolean(result);
}
