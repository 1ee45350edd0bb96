import type { JqEngine } from '@app/scripts';
import { failedOutcome, type InProcessOutcome, type InProcessRunner, type InProcessTask } from './in-process-runner';

/**
 * JSON_JQ_TRANSFORM: the jq program `queryExpression` over the whole task input (the
 * `queryExpression` key included, as in Conductor), in the jq worker (`@app/scripts`); output
 * `result` (the first value emitted, null if none) and `resultList` (all of them). A compile or
 * runtime error fails the attempt with jq's message in the reason and `output.error`.
 */
export class JqTaskRunner implements InProcessRunner {
  readonly taskTypes = ['JSON_JQ_TRANSFORM'] as const;
  /** One jq worker runs one query at a time; more would only queue inside it. */
  readonly concurrency = 1;

  constructor(private readonly jq: JqEngine) {}

  async run(task: InProcessTask): Promise<InProcessOutcome> {
    const query = task.input['queryExpression'];
    if (typeof query !== 'string' || query.trim() === '') return failedOutcome("Missing 'queryExpression' in input parameters");
    const outcome = await this.jq.run(query, task.input);
    if (!outcome.ok) return failedOutcome(outcome.message);
    return { status: 'COMPLETED', output: { result: outcome.results[0] ?? null, resultList: outcome.results } };
  }
}
