import { ignore, type DecideContext, type Decision } from './decision';
import { decideDispatched, decideThrottled } from './decisions/throttle.decision';
import { decidePause, decideRerun, decideRestart, decideResume, decideRetry, decideTerminate } from './decisions/operator.decision';
import { decideAddTaskLog, decideRemove } from './decisions/housekeeping.decision';
import { decideStart } from './decisions/start.decision';
import { decideSkipTask, decideTaskByRef, decideTaskResult } from './decisions/task-result.decision';
import { decideFireTimer } from './decisions/timer.decision';
import type { ExecutionCommand } from './execution-commands';
import { assertNever } from './execution-events';
import type { ExecutionState } from './execution-state';
import { boundDecision } from './execution-bounds';

export * from './decision';

/**
 * The execution decider: given the current state and a command, the events that follow (or why
 * there are none). Pure and deterministic; `evolve` folds the events back into state. One small
 * decision function per command, one planner per task type.
 */
export function decide(command: ExecutionCommand, state: ExecutionState, context: DecideContext): Decision {
  const decision = decideUnbounded(command, state, context);
  return context.bounds ? boundDecision(decision, state, context.now, context.bounds) : decision;
}

function decideUnbounded(command: ExecutionCommand, state: ExecutionState, context: DecideContext): Decision {
  // A removed execution is gone for every caller; its stream only stays for audit.
  if (state.removed) return ignore('UNKNOWN_EXECUTION', `no execution ${state.executionId} (it was removed)`);
  switch (command.type) {
    case 'StartExecution':
      return decideStart(command, state, context);
    case 'ApplyTaskResult':
      return decideTaskResult(command, state, context);
    case 'CompleteTaskByRef':
      return decideTaskByRef(command, state, context);
    case 'SkipTask':
      return decideSkipTask(command, state, context);
    case 'FireTimer':
      return decideFireTimer(command, state, context);
    case 'TerminateExecution':
      return decideTerminate(command, state, context);
    case 'PauseExecution':
      return decidePause(command, state, context);
    case 'ResumeExecution':
      return decideResume(command, state, context);
    case 'RetryExecution':
      return decideRetry(command, state, context);
    case 'RerunExecution':
      return decideRerun(command, state, context);
    case 'RestartExecution':
      return decideRestart(command, state, context);
    case 'RecordTaskThrottled':
      return decideThrottled(command, state, context);
    case 'RecordTaskDispatched':
      return decideDispatched(command, state, context);
    case 'RemoveExecution':
      return decideRemove(command, state, context);
    case 'AddTaskLog':
      return decideAddTaskLog(command, state, context);
    default:
      return assertNever(command, 'execution command');
  }
}
