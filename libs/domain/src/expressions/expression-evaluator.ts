import { ExpressionError } from './expression-error';
import { LruCache } from './expression-cache';
import { toExpressionError } from './faults';
import { Interpreter } from './interpreter';
import { isParsedExpression, parseExpression, type ParsedExpression } from './parser';
import { copyIn, copyOut } from './plain-data';
import { isForbiddenIdentifier, RESERVED_WORDS } from './sandbox-rules';

/** Limits of one evaluation; every field is optional and has a safe default. */
export interface EvaluationOptions {
  /** Evaluation steps (roughly: nodes visited) before the script is stopped. Default 100,000. */
  readonly maxSteps?: number;
  /** Nested script function calls. Default 200. */
  readonly maxCallDepth?: number;
  /** Longest string a script may build (in UTF-16 code units). Default 1 MiB. */
  readonly maxStringLength?: number;
  /** Longest array a script may build. Default 100,000. */
  readonly maxArrayLength?: number;
}

export const DEFAULT_EVALUATION_LIMITS: Required<EvaluationOptions> = Object.freeze({
  maxSteps: 100_000,
  maxCallDepth: 200,
  maxStringLength: 1024 * 1024,
  maxArrayLength: 100_000,
});

const PARSE_CACHE_CAPACITY = 1000;
const parseCache = new LruCache<string, ParsedExpression>(PARSE_CACHE_CAPACITY);

/**
 * Parses through a bounded LRU cache keyed by source text, so a SWITCH expression on the hot
 * path is parsed once per process rather than once per execution.
 *
 * @example
 * getParsedExpression('$.a > 1') === getParsedExpression('$.a > 1'); // true
 */
export function getParsedExpression(source: string): ParsedExpression {
  const cached = parseCache.get(source);
  if (cached !== undefined) return cached;
  const parsed = parseExpression(source);
  parseCache.set(source, parsed);
  return parsed;
}

/** Empties the parse cache (tests, or after registering many one-off expressions). */
export function clearExpressionCache(): void {
  parseCache.clear();
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function limitsFrom(options: EvaluationOptions): Required<EvaluationOptions> {
  const limits = { ...DEFAULT_EVALUATION_LIMITS };
  for (const key of Object.keys(limits) as (keyof EvaluationOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) throw new ExpressionError(`option ${key} must be a positive integer`, { kind: 'limit' });
    limits[key] = value;
  }
  return limits;
}

/**
 * Evaluates a script in the sandbox. `bindings` become the script's variables (Conductor binds
 * the task input as `$`); they are deep-copied in, so the caller's objects are never mutated.
 * The result is copied out as plain JSON-compatible data (`undefined` becomes `null`).
 *
 * Throws {@link ExpressionError}: `syntax` for unparseable source, `runtime` for script
 * failures, `forbidden` for sandbox violations, `limit` when a budget is exceeded.
 *
 * @example
 * evaluateExpression("$.verdict == 'reject' ? 'reject' : 'accept'", { $: { verdict: 'ok' } }); // 'accept'
 * evaluateExpression('(function(){ var t = 0; for (const i of $.items) t += i.qty; return t; })()',
 *   { $: { items: [{ qty: 2 }, { qty: 3 }] } }); // 5
 */
export function evaluateExpression(
  source: string | ParsedExpression,
  bindings: Readonly<Record<string, unknown>>,
  options: EvaluationOptions = {},
): unknown {
  let parsed: ParsedExpression;
  if (typeof source === 'string') parsed = getParsedExpression(source);
  else if (isParsedExpression(source)) parsed = source;
  else throw new ExpressionError('evaluateExpression needs source text or the result of parseExpression', { kind: 'forbidden' });
  const limits = limitsFrom(options);
  try {
    const scope = new Map<string, unknown>();
    for (const name of Object.keys(bindings)) {
      if (!IDENTIFIER.test(name) || RESERVED_WORDS.has(name) || isForbiddenIdentifier(name)) {
        throw new ExpressionError(`'${name}' cannot be used as a binding name`, { kind: 'forbidden' });
      }
      scope.set(name, copyIn(bindings[name]));
    }
    const result = new Interpreter(limits).run(parsed.program, scope);
    return copyOut(result);
  } catch (error) {
    throw toExpressionError(error, parsed.source);
  }
}
