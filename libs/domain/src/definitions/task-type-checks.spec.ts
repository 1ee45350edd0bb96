import { dynamicTask, exclusiveJoin, human, noop, publishEvent, simple, startWorkflowTask, validateWorkflowDef, workflow, type WorkflowTask } from '@app/domain';

const problemsOf = (...tasks: WorkflowTask[]) => validateWorkflowDef(workflow('wf').tasks(...tasks).build());

describe('validation of the Conductor parity task types', () => {
  it('given NOOP, HUMAN, DYNAMIC, START_WORKFLOW and EXCLUSIVE_JOIN tasks as Conductor writes them, when validated, then there is no problem', () => {
    expect(problemsOf(noop('n'), human('h'), dynamicTask('d', '${workflow.input.task}'), startWorkflowTask('s', 'other'), simple('a', 'a'), exclusiveJoin('x', ['a']))).toEqual([]);
  });

  it('given a KAFKA_PUBLISH task, when validated, then it is refused with a message naming the EVENT jsm: alternative', () => {
    const problems = problemsOf({ name: 'k', taskReferenceName: 'k', type: 'KAFKA_PUBLISH', inputParameters: { kafka_request: { topic: 't' } } });
    expect(problems).toEqual([{ path: 'tasks[0].type', message: expect.stringContaining('"sink": "jsm:<subject>"') }]);
  });

  it('given a DYNAMIC task without dynamicTaskNameParam, or naming an input it does not define, when validated, then each is reported', () => {
    expect(problemsOf({ name: 'd', taskReferenceName: 'd', type: 'DYNAMIC' })).toEqual([{ path: 'tasks[0].dynamicTaskNameParam', message: expect.stringContaining('needs dynamicTaskNameParam') }]);
    expect(problemsOf({ name: 'd', taskReferenceName: 'd', type: 'DYNAMIC', dynamicTaskNameParam: 'which' })).toEqual([{ path: 'tasks[0].dynamicTaskNameParam', message: expect.stringContaining('"which"') }]);
  });

  it('given an EXCLUSIVE_JOIN without joinOn, when validated, then joinOn is reported', () => {
    expect(problemsOf({ name: 'x', taskReferenceName: 'x', type: 'EXCLUSIVE_JOIN' })).toEqual([{ path: 'tasks[0].joinOn', message: expect.stringContaining('needs joinOn') }]);
  });

  it('given a START_WORKFLOW without startWorkflow, when validated, then the input is reported', () => {
    expect(problemsOf({ name: 's', taskReferenceName: 's', type: 'START_WORKFLOW', inputParameters: {} })).toEqual([{ path: 'tasks[0].inputParameters.startWorkflow', message: expect.stringContaining('needs inputParameters.startWorkflow') }]);
  });

  it('given EVENT sinks conductor, conductor:<event> and conductor:<workflow>:<event>, when validated, then they are accepted; a malformed one is not', () => {
    expect(problemsOf(publishEvent('e1', 'conductor'), publishEvent('e2', 'conductor:order_ready'), publishEvent('e3', 'conductor:orders:ready'))).toEqual([]);
    expect(problemsOf(publishEvent('e1', 'conductor:a:b:c'))).toEqual([{ path: 'tasks[0].sink', message: expect.stringContaining('conductor[:<event>]') }]);
  });
});
