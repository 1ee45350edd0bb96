import { simple, workflow } from '@app/domain';
import { caseRequest, FlowCasesFormatError, parseFlowCases } from './flow-cases';
import { runWorkflowTest } from './flow-engine';
import { compareFlow, formatFlowMismatches } from './flow-expectation';

const greet = workflow('greet').tasks(simple('hello', 'hello'), simple('bye', 'bye')).build();

describe('flow cases files and expectations', () => {
  it('given a cases file, when parsed and run, then a case that holds has no mismatch and one that does not lists expected and actual path', () => {
    const cases = parseFlowCases({
      cases: [
        { name: 'both', taskRefToMockOutput: { hello: [{ output: { text: 'hi' } }], bye: [{}] }, expect: { status: 'COMPLETED', path: ['hello', 'bye'] } },
        { name: 'wrong', taskRefToMockOutput: { hello: [{ status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'no' }] }, expect: { status: 'COMPLETED', path: ['hello', 'bye'] } },
      ],
    });

    const [passing, failing] = cases.map((testCase) => compareFlow(runWorkflowTest(caseRequest(greet, testCase)), testCase.expect));
    expect(passing).toEqual([]);
    expect(failing).toEqual([
      { field: 'status', expected: 'COMPLETED', actual: 'FAILED' },
      { field: 'path', expected: ['hello', 'bye'], actual: ['hello'] },
    ]);
    expect(formatFlowMismatches(failing!)).toBe(
      ['status: expected "COMPLETED", got "FAILED"', 'path differs at step 2 (expected bye, got (end))', '  expected: hello → bye', '  actual:   hello'].join('\n'),
    );
  });

  it('given expectations on output keys, task statuses and the reason, when they do not hold, then each is named', () => {
    const result = runWorkflowTest({ workflowDef: greet, taskRefToMockOutput: { hello: [{ status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'no greeting' }] } });

    expect(compareFlow(result, { output: { text: 'hi' }, tasks: { hello: 'COMPLETED', bye: 'COMPLETED' }, reason: 'greeting' })).toEqual([
      { field: 'output.text', expected: 'hi', actual: undefined },
      { field: 'tasks.hello', expected: 'COMPLETED', actual: 'FAILED_WITH_TERMINAL_ERROR' },
      { field: 'tasks.bye', expected: 'COMPLETED', actual: '(never scheduled)' },
    ]);
  });

  it('given a malformed cases file, when parsed, then every problem is reported at its path', () => {
    const parse = () =>
      parseFlowCases([
        { name: 'a', taskRefToMockOutput: { hello: [{ status: 'DONE' }], bye: {} }, expect: { status: 'FINISHED', path: 'hello' } },
        { name: 'a', expect: {} },
        'nothing',
      ]);

    expect(parse).toThrow(FlowCasesFormatError);
    let problems: readonly { path: string }[] = [];
    try {
      parse();
    } catch (error) {
      problems = (error as FlowCasesFormatError).problems;
    }
    expect(problems.map((problem) => problem.path)).toEqual([
      '[0].taskRefToMockOutput.hello[0].status',
      '[0].taskRefToMockOutput.bye',
      '[0].expect.status',
      '[0].expect.path',
      '[1].name',
      '[1].expect',
      '[2]',
    ]);
    expect(() => parseFlowCases({ cases: [] })).toThrow('cases: must be a non-empty array of cases');
  });
});
