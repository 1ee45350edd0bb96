import { ExpressionError, positionAt, type ExpressionErrorKind } from './expression-error';

/*
 * Internal failures are deliberately not `Error` subclasses: capturing a host stack trace on
 * every throw would make a script that throws and catches in a loop slow enough to matter.
 */

/**
 * Failure raised inside the interpreter. It carries the source offset of the node that failed
 * and is turned into an {@link ExpressionError} (with line:col) at the API boundary, where the
 * source text is known.
 */
export class SandboxFault {
  constructor(
    readonly kind: ExpressionErrorKind,
    readonly message: string,
    public offset = -1,
  ) {}
}

/** A value thrown by the script itself with `throw`; script `try/catch` may catch it. */
export class ScriptThrow {
  constructor(
    readonly value: unknown,
    readonly message: string,
    public offset = -1,
  ) {}
}

export function runtimeFault(message: string): SandboxFault {
  return new SandboxFault('runtime', message);
}

export function forbiddenFault(message: string): SandboxFault {
  return new SandboxFault('forbidden', message);
}

export function limitFault(message: string): SandboxFault {
  return new SandboxFault('limit', message);
}

/** Turns anything thrown while parsing or running into an ExpressionError with a position. */
export function toExpressionError(error: unknown, source: string): ExpressionError {
  if (error instanceof ExpressionError) return error;
  if (error instanceof SandboxFault || error instanceof ScriptThrow) {
    const kind = error instanceof SandboxFault ? error.kind : 'runtime';
    const prefix = error instanceof ScriptThrow ? 'script threw: ' : '';
    return new ExpressionError(`${prefix}${error.message}`, {
      kind,
      position: error.offset >= 0 ? positionAt(source, error.offset) : undefined,
      cause: error,
    });
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new ExpressionError('expression exceeded the host stack (nesting too deep)', { kind: 'limit', cause: error });
  }
  // A host failure we did not anticipate: report it without its stack, never rethrow it raw.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ExpressionError(`expression failed: ${message}`, { kind: 'runtime', cause: error });
}
