import { isTerminalExecution, pendingTasks, type ExecutionState } from '@app/domain';

/**
 * Rules every folded history must satisfy whatever the decisions were: an ended execution has
 * nothing pending and no armed timer; one still open waits on something (a task, a timer, a
 * deferred step), or nothing would ever move it again.
 */
export function invariantViolations(state: ExecutionState, executionId: string): string[] {
  const violations: string[] = [];
  if (state.executionId !== executionId) violations.push(`the history starts execution "${state.executionId}" in the stream of execution "${executionId}"`);
  const pending = pendingTasks(state);
  const timers = Object.keys(state.timers);
  if (isTerminalExecution(state.status)) {
    if (pending.length > 0) violations.push(`it ended ${state.status} with tasks still pending: ${pending.map((task) => task.taskRefName).join(', ')}`);
    if (timers.length > 0) violations.push(`it ended ${state.status} with timers still armed: ${timers.join(', ')}`);
  } else if (state.status === 'RUNNING' && pending.length === 0 && timers.length === 0) {
    violations.push('it is RUNNING with no pending task and no armed timer: nothing can move it on');
  }
  return violations;
}
