import type { ScriptEngine, ScriptOutcome } from '@app/scripts';
import { failedOutcome, type InProcessOutcome, type InProcessRunner, type InProcessTask } from './in-process-runner';

const SCRIPT_EVALUATORS: ReadonlySet<string> = new Set(['javascript', 'graaljs']);

/**
 * INLINE (evaluatorType `javascript`/`graaljs`) and LAMBDA, in the QuickJS sandbox (`@app/scripts`),
 * with Conductor's outcomes: INLINE runs its `expression` as a script (the last statement's value is
 * the result) and a script error fails it for good; LAMBDA runs `scriptExpression` as a function body
 * (it must `return`) and an error fails the attempt (retried per its task definition). A timeout is a
 * plain failure for both. `$` is the whole task input. Scripts run one at a time: QuickJS runs on the
 * event loop, each bounded by its interrupt deadline.
 */
export class ScriptTaskRunner implements InProcessRunner {
  readonly taskTypes = ['INLINE', 'LAMBDA'] as const;
  readonly concurrency = 1;

  constructor(private readonly engine: () => Promise<ScriptEngine>) {}

  async run(task: InProcessTask): Promise<InProcessOutcome> {
    return task.taskType === 'LAMBDA' ? this.lambda(task) : this.inline(task);
  }

  private async inline(task: InProcessTask): Promise<InProcessOutcome> {
    const evaluatorType = String(task.input['evaluatorType'] ?? 'javascript');
    if (!SCRIPT_EVALUATORS.has(evaluatorType)) return failedOutcome(`Unknown evaluator '${evaluatorType}' in INLINE task.`, 'FAILED_WITH_TERMINAL_ERROR');
    const expression = task.input['expression'];
    if (typeof expression !== 'string' || expression.trim() === '') {
      return failedOutcome("Empty 'expression' in Inline task's input parameters. A non-empty String value must be provided.", 'FAILED_WITH_TERMINAL_ERROR');
    }
    const outcome = await (await this.engine()).evaluate(expression, task.input, 'script');
    return resultOf(outcome, (message) => `Error evaluating the script \`${message}\``, 'FAILED_WITH_TERMINAL_ERROR');
  }

  private async lambda(task: InProcessTask): Promise<InProcessOutcome> {
    const script = task.input['scriptExpression'];
    if (typeof script !== 'string' || script.trim() === '') {
      return failedOutcome("Empty 'scriptExpression' in Lambda task's input parameters. A non-empty String value must be provided.");
    }
    const outcome = await (await this.engine()).evaluate(script, task.input, 'function-body');
    return resultOf(outcome, (message) => message, 'FAILED');
  }
}

function resultOf(outcome: ScriptOutcome, reasonOf: (message: string) => string, onError: 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR'): InProcessOutcome {
  if (outcome.ok) return { status: 'COMPLETED', output: { result: outcome.result } };
  if (outcome.kind === 'timeout') return failedOutcome(outcome.message);
  return failedOutcome(reasonOf(outcome.message), onError);
}
