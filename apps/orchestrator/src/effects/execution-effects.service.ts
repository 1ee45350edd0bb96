import { Injectable } from '@nestjs/common';
import { timerTaskId, type ExecutionEvent, type StartedExecution } from '@app/domain';
import type { Position } from '@app/event-store';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { TimerService } from '../timers/timer.service';
import type { ExecutionEffects } from '../executions/execution-effects.port';
import { InProcessTasks } from './in-process/in-process-tasks.service';
import { TaskDispatcher } from './task-dispatcher.service';

/**
 * The fast path of effects, right after an append: worker commands go out, system tasks the
 * orchestrator runs itself (HTTP, scripts, jq) start in their runners, durable timers are
 * armed in memory (the read model holds them durably), timers of ended tasks are dropped.
 * Notifications and compensations follow from the log itself (`LifecycleReactions`), so a
 * crash between append and effect cannot lose them.
 */
@Injectable()
export class ExecutionEffectsService implements ExecutionEffects {
  constructor(
    private readonly dispatcher: TaskDispatcher,
    private readonly timers: TimerService,
    private readonly metrics: OrchestratorMetrics,
    private readonly inProcess: InProcessTasks,
  ) {}

  afterAppend(state: StartedExecution, events: readonly ExecutionEvent[], _position: Position): void {
    for (const event of events) {
      switch (event.type) {
        case 'TaskScheduled':
          if (event.data.taskType === 'SIMPLE') this.dispatcher.dispatch(state, event.data);
          else if (this.inProcess.handles(event.data.taskType)) this.inProcess.enqueue(state, event.data);
          break;
        case 'TaskCompleted':
        case 'TaskFailed':
        case 'TaskTimedOut':
        case 'TaskCanceled':
        case 'TaskSkipped':
          this.timers.disarmTask(state.executionId, event.data.taskId);
          if (state.tasks[event.data.taskId]?.taskType === 'SIMPLE') this.dispatcher.taskEnded(state, event.data.taskId);
          else this.inProcess.taskEnded(event.data.taskId);
          break;
        case 'TimerStarted':
          this.timers.arm({ executionId: state.executionId, timerId: event.data.timerId, dueAt: event.data.dueAt, taskId: timerTaskId(event.data.purpose) });
          break;
        case 'TimerFired':
          this.timers.disarm(state.executionId, event.data.timerId);
          break;
        case 'ExecutionCompleted':
        case 'ExecutionFailed':
        case 'ExecutionTerminated':
        case 'ExecutionTimedOut':
          this.timers.disarmExecution(state.executionId);
          this.metrics.executionsEnded.inc({ status: state.status });
          break;
        case 'TimeoutAlerted':
          this.metrics.timeoutAlerts.inc({ scope: event.data.taskId ? 'task' : 'workflow' });
          break;
        default:
          break;
      }
      this.metrics.eventsAppended.inc({ type: event.type });
    }
  }
}
