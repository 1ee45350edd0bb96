import { BatonError } from '../errors/baton-error';

/**
 * What went wrong with an expression:
 * - `syntax`: the source does not parse (reported at definition registration);
 * - `runtime`: the script failed while running (a TypeError-like failure or a `throw`);
 * - `forbidden`: the script tried to reach something outside the sandbox;
 * - `limit`: the script exceeded the step budget, the call depth or a size limit.
 */
export type ExpressionErrorKind = 'syntax' | 'runtime' | 'forbidden' | 'limit';

/** Where in the expression source a problem was found (1-based). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Raised by parameter mapping and the sandboxed expression evaluator.
 *
 * Never retryable: evaluating the same expression over the same input fails the same way.
 *
 * @example
 * try { evaluateExpression('$.a.b', { $: {} }); }
 * catch (e) { if (e instanceof ExpressionError) console.log(e.kind, e.position); }
 */
export class ExpressionError extends BatonError {
  readonly kind: ExpressionErrorKind;
  readonly position: SourcePosition | undefined;

  constructor(
    message: string,
    options: { kind?: ExpressionErrorKind; position?: SourcePosition; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    const kind = options.kind ?? 'runtime';
    const where = options.position === undefined ? '' : ` at ${options.position.line}:${options.position.column}`;
    super('EXPRESSION_ERROR', `${message}${where}`, {
      retryable: false,
      details: { kind, ...(options.position ?? {}), ...(options.details ?? {}) },
      cause: options.cause,
    });
    this.kind = kind;
    this.position = options.position;
  }
}

/** Converts a 0-based offset into a 1-based line and column. */
export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
