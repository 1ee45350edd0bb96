import type { ExecutionEvent, TaskDef, WorkflowDef } from '@app/domain';

/** DI token of the {@link WorkflowTestRunner}. */
export const WORKFLOW_TEST_RUNNER = Symbol('WORKFLOW_TEST_RUNNER');

/** One mocked attempt of a task (Conductor's TaskMock). */
export interface TaskMock {
  readonly status?: 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' | 'IN_PROGRESS' | 'TIMED_OUT';
  readonly output?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly executionTime?: number;
  readonly queueWaitTime?: number;
}

/** A definition to run with mocked task outputs (Conductor's WorkflowTestRequest, definitions resolved). */
export interface WorkflowTestRun {
  readonly workflowDef: WorkflowDef;
  readonly taskDefs: Readonly<Record<string, TaskDef>>;
  readonly input: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
  readonly priority?: number;
  readonly taskRefToMockOutput: Readonly<Record<string, readonly TaskMock[]>>;
  readonly subWorkflowTestRequest: Readonly<Record<string, WorkflowTestRun>>;
  readonly executionId: string;
  readonly startTime: number;
}

/**
 * Runs a definition in process against mocked task outputs, with no NATS, store or worker, and
 * returns the history it produced. The flow-test engine (`@app/flow-testing`, the same one the CLI's
 * `baton test` uses) implements it; `POST /api/workflow/test` is served only when one is provided.
 */
export interface WorkflowTestRunner {
  run(request: WorkflowTestRun): { readonly events: readonly ExecutionEvent[] };
}
