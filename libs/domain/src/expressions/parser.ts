import type { ProgramNode } from './ast';
import { ExpressionError } from './expression-error';
import { toExpressionError } from './faults';
import { StatementParser } from './statement-parser';
import { tokenize } from './tokenizer';

/** Scripts longer than this are refused before tokenizing. */
export const MAX_SOURCE_LENGTH = 256 * 1024;

/** A script that passed parsing and the sandbox's static checks; evaluate it many times. */
export interface ParsedExpression {
  readonly source: string;
  /** @internal the syntax tree; treat as opaque. */
  readonly program: ProgramNode;
}

// Only trees produced here are evaluated: a hand-built tree could skip the static checks.
const genuine = new WeakSet<ParsedExpression>();

/**
 * Parses a SWITCH/INLINE/event-condition script (a JavaScript subset) into a reusable tree.
 * Throws an {@link ExpressionError} of kind `syntax` (or `forbidden`) with `line:col`.
 *
 * @example
 * const parsed = parseExpression("$.verdict == 'reject' ? 'reject' : 'accept'");
 * evaluateExpression(parsed, { $: { verdict: 'reject' } }); // 'reject'
 */
export function parseExpression(source: string): ParsedExpression {
  if (typeof source !== 'string') throw new ExpressionError('expression must be a string', { kind: 'syntax' });
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_SOURCE_LENGTH} characters`, { kind: 'limit' });
  }
  try {
    const program = new StatementParser(tokenize(source)).parseProgram();
    if (program.body.length === 0) throw new ExpressionError('expression is empty', { kind: 'syntax' });
    const parsed: ParsedExpression = Object.freeze({ source, program });
    genuine.add(parsed);
    return parsed;
  } catch (error) {
    throw toExpressionError(error, source);
  }
}

/** True for values returned by {@link parseExpression}. */
export function isParsedExpression(value: unknown): value is ParsedExpression {
  return typeof value === 'object' && value !== null && genuine.has(value as ParsedExpression);
}
