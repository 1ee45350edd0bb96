import type { TaskDef, WorkflowDef } from '@app/domain';
import { runWorkflowTest } from './flow-engine';
import { assertFlow, type FlowExpectation } from './flow-expectation';
import type { FlowTestResult, MockAttempt, WorkflowTestRequest } from './workflow-test-request';

/** A flow test being written: mocks added one reference name at a time, then run. */
export class FlowTest {
  private readonly mocks: Record<string, MockAttempt[]> = {};
  private readonly children: Record<string, WorkflowTestRequest> = {};

  constructor(
    private readonly definition: WorkflowDef,
    private readonly options: { taskDefs?: readonly TaskDef[] | Readonly<Record<string, TaskDef>>; startTime?: number; executionId?: string } = {},
  ) {}

  /** The attempts of a task reference name, in order (`completed(…)`, `failed(…)`, `timedOut()`…). */
  mock(taskRefName: string, ...attempts: MockAttempt[]): this {
    (this.mocks[taskRefName] ??= []).push(...attempts);
    return this;
  }

  /** Shorthand: one completed attempt per reference name, with this output. */
  outputs(byRef: Readonly<Record<string, Readonly<Record<string, unknown>>>>): this {
    for (const [ref, output] of Object.entries(byRef)) this.mock(ref, { status: 'COMPLETED', output });
    return this;
  }

  /** Runs a SUB_WORKFLOW's child from its own test request (instead of mocking the task). */
  subWorkflow(taskRefName: string, request: WorkflowTestRequest): this {
    this.children[taskRefName] = request;
    return this;
  }

  /** Runs the definition with this input; the result can then be checked with {@link FlowRunResult.expect}. */
  run(input: Readonly<Record<string, unknown>> = {}, correlationId?: string): FlowRunResult {
    const result = runWorkflowTest({
      workflowDef: this.definition,
      input,
      ...(correlationId !== undefined ? { correlationId } : {}),
      ...(this.options.taskDefs ? { taskDefs: this.options.taskDefs } : {}),
      ...(this.options.startTime !== undefined ? { startTime: this.options.startTime } : {}),
      ...(this.options.executionId !== undefined ? { executionId: this.options.executionId } : {}),
      taskRefToMockOutput: this.mocks,
      subWorkflowTestRequest: this.children,
    });
    return Object.assign(result, {
      expect(expectation: FlowExpectation): FlowTestResult {
        assertFlow(result, expectation);
        return result;
      },
    });
  }
}

/** A run's result, with `expect(…)`: throws a `FlowAssertionError` showing expected and actual path, status and output. */
export type FlowRunResult = FlowTestResult & { expect(expectation: FlowExpectation): FlowTestResult };

/**
 * A flow test in a few lines, in any test runner (no NATS, store or workers):
 *
 * @example
 * flowTest(orderFulfilmentWorkflow, { taskDefs: orderTaskDefs })
 *   .outputs({ validate_order: {}, reserve_inventory: { reservationId: 'r-1' }, check_fraud: { verdict: 'accept' } })
 *   .mock('charge_payment', failed('gateway down'), completed({ paymentId: 'p-1' }))
 *   .run({ orderId: 'o-1', amount: 10 })
 *   .expect({ status: 'RUNNING', path: ['validate_order', 'checks', 'reserve_inventory', 'check_fraud', 'checks_join', 'fraud_decision', 'charge_payment', 'charge_payment', 'wait_payment_confirmation'] });
 */
export function flowTest(definition: WorkflowDef, options?: ConstructorParameters<typeof FlowTest>[1]): FlowTest {
  return new FlowTest(definition, options);
}
