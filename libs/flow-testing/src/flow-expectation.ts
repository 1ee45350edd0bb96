import type { ExecutionStatus, TaskStatus } from '@app/domain';
import { jsonEqual } from './json-equal';
import type { FlowTestResult } from './workflow-test-request';

/** What a flow test expects of a run; every field is optional and only the ones given are checked. */
export interface FlowExpectation {
  /** The execution's final status (`RUNNING` when the run stopped before the end). */
  readonly status?: ExecutionStatus;
  /** Exactly this path: the reference name of every task attempt, in scheduling order (system tasks included). */
  readonly path?: readonly string[];
  /** These output keys with exactly these values (other keys are not checked). */
  readonly output?: Readonly<Record<string, unknown>>;
  /** The status of the latest attempt of these reference names. */
  readonly tasks?: Readonly<Record<string, TaskStatus>>;
  /** A substring of the execution's reason (why it failed, was terminated or timed out). */
  readonly reason?: string;
}

/** One expectation a run did not meet. */
export interface FlowMismatch {
  /** `status`, `path`, `output.<key>`, `tasks.<ref>` or `reason`. */
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** The expectations a run did not meet (empty: it passed). */
export function compareFlow(result: FlowTestResult, expectation: FlowExpectation): FlowMismatch[] {
  const mismatches: FlowMismatch[] = [];
  const check = (field: string, expected: unknown, actual: unknown, same = jsonEqual(expected, actual)) => {
    if (!same) mismatches.push({ field, expected, actual });
  };
  if (expectation.status !== undefined) check('status', expectation.status, result.status);
  if (expectation.path !== undefined) check('path', expectation.path, result.path);
  for (const [key, value] of Object.entries(expectation.output ?? {})) check(`output.${key}`, value, result.output[key]);
  for (const [ref, status] of Object.entries(expectation.tasks ?? {})) {
    const latest = [...result.tasks].reverse().find((task) => task.taskRefName === ref);
    check(`tasks.${ref}`, status, latest?.status ?? '(never scheduled)');
  }
  if (expectation.reason !== undefined) check('reason', expectation.reason, result.reason ?? '', (result.reason ?? '').includes(expectation.reason));
  return mismatches;
}

/** Mismatches as text: a path shows both paths and where they part. */
export function formatFlowMismatches(mismatches: readonly FlowMismatch[], result?: FlowTestResult): string {
  const lines: string[] = [];
  for (const mismatch of mismatches) {
    if (mismatch.field === 'path') {
      const expected = mismatch.expected as readonly string[];
      const actual = mismatch.actual as readonly string[];
      let at = 0;
      while (at < expected.length && at < actual.length && expected[at] === actual[at]) at += 1;
      lines.push(`path differs at step ${at + 1} (expected ${expected[at] ?? '(end)'}, got ${actual[at] ?? '(end)'})`);
      lines.push(`  expected: ${expected.join(' → ') || '(no task)'}`);
      lines.push(`  actual:   ${actual.join(' → ') || '(no task)'}`);
    } else if (mismatch.field === 'reason') {
      lines.push(`reason: expected to contain ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`);
    } else {
      lines.push(`${mismatch.field}: expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`);
    }
  }
  if (result?.stalled !== undefined && mismatches.length > 0) lines.push(`the run stopped ${result.status}: ${result.stalled}`);
  return lines.join('\n');
}

/** A run did not meet its expectation; the message shows expected and actual values (and both paths). */
export class FlowAssertionError extends Error {
  constructor(readonly mismatches: readonly FlowMismatch[], readonly result: FlowTestResult) {
    super(`flow test failed:\n${formatFlowMismatches(mismatches, result)}`);
    this.name = 'FlowAssertionError';
  }
}

/** Throws {@link FlowAssertionError} unless the run meets the expectation. */
export function assertFlow(result: FlowTestResult, expectation: FlowExpectation): void {
  const mismatches = compareFlow(result, expectation);
  if (mismatches.length > 0) throw new FlowAssertionError(mismatches, result);
}
