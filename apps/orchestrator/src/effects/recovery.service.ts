import { Inject, Injectable, Logger } from '@nestjs/common';
import { isStarted, type TaskScheduled } from '@app/domain';
import { ExecutionRepository } from '../executions/execution.repository';
import { OPERATIONAL_INDEX, type OperationalIndex } from '../read-model/operational-index.port';
import type { DurableTimerSource } from '../timers/timer.service';
import { InProcessTasks } from './in-process/in-process-tasks.service';
import { TaskDispatcher } from './task-dispatcher.service';

/**
 * Crash recovery on start. A task appended but not yet published when the process died is
 * published again, and an in-process task whose outcome was not stored yet is run again: every task still SCHEDULED in the index gets its command republished with
 * the same Nats-Msg-Id (JetStream drops it when the first publish did land within the
 * duplicate window; a later duplicate is ignored by the decider when its result arrives).
 * Timers come back through the index the timer service reads.
 */
@Injectable()
export class RecoveryService {
  private readonly logger = new Logger(RecoveryService.name);

  constructor(
    @Inject(OPERATIONAL_INDEX) private readonly index: OperationalIndex,
    private readonly repository: ExecutionRepository,
    private readonly dispatcher: TaskDispatcher,
    private readonly inProcess: InProcessTasks,
  ) {}

  /** Brings the operational index up to date; returns the durable timer source it offers. */
  async start(): Promise<DurableTimerSource> {
    await this.index.start();
    return this.index;
  }

  async republishPendingTasks(): Promise<number> {
    let republished = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.index.scheduledTasks(after, 500);
      if (page.length === 0) break;
      for (const { executionId, taskId } of page) {
        const { state } = await this.repository.load(executionId);
        const task = state.tasks[taskId];
        if (!task || task.status !== 'SCHEDULED' || !isStarted(state)) continue;
        const scheduled: TaskScheduled['data'] = {
          taskId: task.taskId,
          taskRefName: task.taskRefName,
          taskDefName: task.taskDefName,
          taskType: task.taskType,
          attempt: task.attempt,
          input: task.input,
          at: task.scheduledAt,
        };
        // An in-process task (HTTP, a script, jq) cut short by the crash runs again: at-least-once.
        if (this.inProcess.handles(task.taskType)) this.inProcess.enqueue(state, scheduled);
        else this.dispatcher.dispatch(state, scheduled);
        republished += 1;
      }
      after = page[page.length - 1]!.taskId;
    }
    if (republished > 0) this.logger.log(`recovery: republished or reran ${republished} scheduled task(s)`);
    await this.dispatcher.flush();
    return republished;
  }
}
