import { runScriptTask, type ScriptEngine } from '@app/scripts';
import type { InProcessOutcome, InProcessRunner, InProcessTask } from './in-process-runner';

/**
 * INLINE (evaluatorType `javascript`/`graaljs`) and LAMBDA, in the QuickJS sandbox with Conductor's
 * outcomes (`runScriptTask` of `@app/scripts`). Scripts run one at a time: QuickJS runs on the
 * event loop, each bounded by its interrupt deadline.
 */
export class ScriptTaskRunner implements InProcessRunner {
  readonly taskTypes = ['INLINE', 'LAMBDA'] as const;
  readonly concurrency = 1;

  constructor(private readonly engine: () => Promise<ScriptEngine>) {}

  async run(task: InProcessTask): Promise<InProcessOutcome> {
    const engine = await this.engine();
    await engine.ready();
    return runScriptTask(engine, task.taskType === 'LAMBDA' ? 'LAMBDA' : 'INLINE', task.input);
  }
}
