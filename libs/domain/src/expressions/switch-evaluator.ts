import { ExpressionError } from './expression-error';
import { toExpressionError } from './faults';
import { evaluateExpression, getParsedExpression, type EvaluationOptions } from './expression-evaluator';
import { copyIn, copyOut } from './plain-data';

/** Evaluator types of SWITCH, INLINE and event-handler conditions (Conductor's names). */
export const EVALUATOR_TYPES = ['value-param', 'javascript', 'graaljs'] as const;
export type EvaluatorType = (typeof EVALUATOR_TYPES)[number];

export function isEvaluatorType(value: unknown): value is EvaluatorType {
  return typeof value === 'string' && (EVALUATOR_TYPES as readonly string[]).includes(value);
}

/**
 * Runs `expression` with the evaluator Conductor would pick for `evaluatorType`:
 * - `value-param`: the value of the input parameter named by `expression` (ValueParamEvaluator);
 * - `javascript` / `graaljs`: the sandboxed script, with the input bound as `$` (GraalJS in
 *   Conductor also works on a deep copy of the input).
 * INLINE tasks use the result as their `result` output.
 *
 * @example
 * evaluateWithEvaluator('javascript', '$.a + $.b', { a: 1, b: 2 }); // 3
 */
export function evaluateWithEvaluator(
  evaluatorType: string,
  expression: string,
  input: Readonly<Record<string, unknown>>,
  options?: EvaluationOptions,
): unknown {
  switch (evaluatorType) {
    case 'value-param':
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new ExpressionError('value-param input must be a JSON object', { kind: 'runtime' });
      }
      if (!Object.prototype.hasOwnProperty.call(input, expression)) return null;
      try {
        return copyOut(copyIn(input[expression]));
      } catch (error) {
        throw toExpressionError(error, expression);
      }
    case 'javascript':
    case 'graaljs':
      return evaluateExpression(expression, { $: input }, options);
    default:
      throw new ExpressionError(`No evaluator registered for type: ${evaluatorType}`, { kind: 'syntax', details: { evaluatorType } });
  }
}

/**
 * The decision-case key a value selects, as Conductor's SwitchTaskMapper computes it
 * (`"" + result` in Java): `null`/`undefined` → `"null"`, booleans → `"true"`/`"false"`,
 * numbers as JavaScript prints them (`1`, `1.5`), strings unchanged. Objects and arrays,
 * which Java would print as `{a=1}`, become their JSON text.
 */
export function toCaseKey(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'null';
}

/**
 * Evaluates a SWITCH task's expression over its resolved input and returns the case key to
 * look up in `decisionCases` (falling back to `defaultCase` when absent, as Conductor does).
 *
 * @example
 * evaluateSwitchCase('value-param', 'kind', { kind: 'express' }); // 'express'
 * evaluateSwitchCase('value-param', 'missing', {}); // 'null'
 * evaluateSwitchCase('javascript', "$.total > 100 ? 'review' : 'auto'", { total: 250 }); // 'review'
 */
export function evaluateSwitchCase(
  evaluatorType: string,
  expression: string,
  inputs: Readonly<Record<string, unknown>>,
  options?: EvaluationOptions,
): string {
  return toCaseKey(evaluateWithEvaluator(evaluatorType, expression, inputs, options));
}

/**
 * Problems with an `evaluatorType`/`expression` pair, for definition validation: an unknown
 * evaluator type, an empty expression, or a script that does not parse (with `line:col`).
 *
 * @example
 * validateEvaluatorExpression('javascript', '$.a >'); // ['unexpected end of expression at 1:5']
 */
export function validateEvaluatorExpression(evaluatorType: unknown, expression: unknown): string[] {
  if (!isEvaluatorType(evaluatorType)) return [`unsupported evaluatorType '${String(evaluatorType)}' (expected one of ${EVALUATOR_TYPES.join(', ')})`];
  if (typeof expression !== 'string' || expression.trim() === '') return ['expression must be a non-empty string'];
  if (evaluatorType === 'value-param') return [];
  try {
    getParsedExpression(expression);
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}
