import { httpTask, inline, jsonJqTransform, lambda, workflow, workflowInput } from '@app/domain';
import { ScriptEngine } from '@app/scripts';
import { runWorkflowTest } from './flow-engine';
import { completed, failed } from './workflow-test-request';

const definition = workflow('in_process_flow')
  .tasks(
    httpTask('call', { uri: 'http://127.0.0.1:9/api', method: 'GET' }),
    jsonJqTransform('shape', '.body.n', { body: '${call.output.response.body}' }),
    lambda('calc', 'return $.n * 2;', { n: '${shape.output.result}' }),
    inline('label', '"n=" + $.v + " of " + $.list.size()', { v: '${calc.output.result}', list: workflowInput('list') }),
  )
  .outputs({ label: '${label.output.result}' })
  .build();

let scripts: ScriptEngine;
beforeAll(async () => {
  scripts = await ScriptEngine.load();
});

describe('runWorkflowTest: HTTP, JSON_JQ_TRANSFORM, LAMBDA and INLINE', () => {
  it('given mocks for the HTTP call and the jq program and a script engine, when run, then the scripts run for real and the flow completes', () => {
    const result = runWorkflowTest(
      { workflowDef: definition, input: { list: [1, 2] }, taskRefToMockOutput: { call: [completed({ response: { statusCode: 200, body: { n: 3 } } })], shape: [completed({ result: 3, resultList: [3] })] } },
      { scripts },
    );
    expect({ status: result.status, path: result.path, output: result.output }).toEqual({ status: 'COMPLETED', path: ['call', 'shape', 'calc', 'label'], output: { label: 'n=6 of 2' } });
  });

  it('given a failing script, when run, then the task fails with the sandbox\'s reason', () => {
    const broken = workflow('broken_flow').tasks(inline('boom', '$.missing.field')).build();
    const result = runWorkflowTest({ workflowDef: broken }, { scripts });
    expect(result.tasks[0]).toMatchObject({ status: 'FAILED_WITH_TERMINAL_ERROR', reason: expect.stringMatching(/^Error evaluating the script `TypeError/) });
    expect(result.status).toBe('FAILED');
  });

  it('given no mock for the HTTP call, when run, then the run stops and says which task waits for one', () => {
    const result = runWorkflowTest({ workflowDef: definition, input: { list: [] } }, { scripts });
    expect(result.stalled).toContain('call (HTTP, attempt 1) has no mocked attempt left');
  });

  it('given mocked attempts for scripts and no engine, when run, then the mocks stand in for them', () => {
    const result = runWorkflowTest({
      workflowDef: definition,
      input: { list: [] },
      taskRefToMockOutput: { call: [failed('down'), completed({ response: { body: { n: 1 } } })], shape: [completed({ result: 1 })], calc: [completed({ result: 2 })], label: [completed({ result: 'mocked' })] },
      taskDefs: [{ name: 'call', retryCount: 1, retryDelaySeconds: 1 }],
    });
    expect({ status: result.status, path: result.path, output: result.output, elapsedMs: result.elapsedMs }).toEqual({ status: 'COMPLETED', path: ['call', 'call', 'shape', 'calc', 'label'], output: { label: 'mocked' }, elapsedMs: 1_000 });
  });
});
