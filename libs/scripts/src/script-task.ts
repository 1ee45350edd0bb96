import type { ScriptEngine, ScriptOutcome } from './script-engine';

/** The outcome of an INLINE or LAMBDA task, as the task's result reports it. */
export interface ScriptTaskOutcome {
  readonly status: 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR';
  readonly output: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

const SCRIPT_EVALUATORS: ReadonlySet<string> = new Set(['javascript', 'graaljs']);

/**
 * Runs an INLINE (evaluatorType `javascript`/`graaljs`) or LAMBDA task's script with Conductor's
 * outcomes: INLINE runs `expression` as a script (the last statement's value is the result) and a
 * script error fails it for good; LAMBDA runs `scriptExpression` as a function body (it must
 * `return`) and an error fails the attempt (retried per its task definition). A timeout is a plain
 * failure for both. `$` is the whole task input; the output is `{ result }`, or `{ error }` with the
 * reason. Synchronous: the orchestrator's runner and the flow-test engine share it.
 */
export function runScriptTask(engine: ScriptEngine, taskType: 'INLINE' | 'LAMBDA', input: Readonly<Record<string, unknown>>): ScriptTaskOutcome {
  if (taskType === 'LAMBDA') {
    const script = input['scriptExpression'];
    if (typeof script !== 'string' || script.trim() === '') return failed("Empty 'scriptExpression' in Lambda task's input parameters. A non-empty String value must be provided.", 'FAILED');
    return outcomeOf(engine.evaluateSync(script, input, 'function-body'), (message) => message, 'FAILED');
  }
  const evaluatorType = String(input['evaluatorType'] ?? 'javascript');
  if (!SCRIPT_EVALUATORS.has(evaluatorType)) return failed(`Unknown evaluator '${evaluatorType}' in INLINE task.`, 'FAILED_WITH_TERMINAL_ERROR');
  const expression = input['expression'];
  if (typeof expression !== 'string' || expression.trim() === '') {
    return failed("Empty 'expression' in Inline task's input parameters. A non-empty String value must be provided.", 'FAILED_WITH_TERMINAL_ERROR');
  }
  return outcomeOf(engine.evaluateSync(expression, input, 'script'), (message) => `Error evaluating the script \`${message}\``, 'FAILED_WITH_TERMINAL_ERROR');
}

function outcomeOf(outcome: ScriptOutcome, reasonOf: (message: string) => string, onError: 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR'): ScriptTaskOutcome {
  if (outcome.ok) return { status: 'COMPLETED', output: { result: outcome.result } };
  if (outcome.kind === 'timeout') return failed(outcome.message, 'FAILED');
  return failed(reasonOf(outcome.message), onError);
}

function failed(reason: string, status: 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR'): ScriptTaskOutcome {
  return { status, reason, output: { error: reason } };
}
