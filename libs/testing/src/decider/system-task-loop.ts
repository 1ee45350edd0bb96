import { doWhile, inlineValue, setVariable, switchTask, workflow, workflowInput, type WorkflowDef, type WorkflowTask } from '@app/domain';

/**
 * A DO_WHILE (`loop`) of tasks the decider runs itself — value-param INLINE `add`, SET_VARIABLE
 * `keep`, SWITCH `parity` with an INLINE `even` in its even case — for `workflow.input.times`
 * iterations, so one decision runs them all. The variable `n` ends equal to the last iteration.
 */
export function systemTaskLoop(): WorkflowTask {
  return doWhile(
    'loop',
    '$.loop.iteration < $.times',
    [
      inlineValue('add', '${loop.output.iteration}'),
      setVariable('keep', { n: '${add.output.result}' }),
      switchTask('parity', { expression: '$.n % 2 == 0 ? "even" : "odd"', evaluatorType: 'javascript', inputParameters: { n: '${workflow.variables.n}' }, cases: { even: [inlineValue('even', 'even')] } }),
    ],
    { times: workflowInput('times') },
  );
}

/** A workflow that runs `before`, then {@link systemTaskLoop}; its output is `{ n, iterations }`, both equal to `times` when it completes. */
export function systemTaskLoopWorkflow(name: string, ...before: WorkflowTask[]): WorkflowDef {
  return workflow(name)
    .tasks(...before, systemTaskLoop())
    .variables({ n: 0 })
    .outputs({ n: '${workflow.variables.n}', iterations: '${loop.output.iteration}' })
    .build();
}
