import { Injectable } from '@nestjs/common';
import { JetStreamInspector } from '../operations/jetstream-inspector';
import { TaskPoller } from './task-poller.service';

/** Conductor's PollData for one worker of a task type. */
export interface PollData {
  readonly queueName: string;
  readonly workerId: string;
  readonly lastPollTime: number;
}

/**
 * Conductor's queue administration over JetStream: a task type's queue is its subject in the
 * work-queue stream `BATON_TASKS` (read through the {@link JetStreamInspector} the console uses).
 */
@Injectable()
export class TaskQueues {
  constructor(
    private readonly inspector: JetStreamInspector,
    private readonly poller: TaskPoller,
  ) {}

  /**
   * Commands waiting for a worker, per task type: the durable's undelivered count when workers (or
   * polls) created it, else every message the stream holds on the type's subject.
   */
  async sizes(taskTypes: readonly string[]): Promise<Record<string, number>> {
    const queues = new Map((await this.inspector.taskQueues()).map((queue) => [queue.taskType, queue]));
    return Object.fromEntries(taskTypes.map((taskType) => {
      const queue = queues.get(taskType);
      return [taskType, queue?.consumer ? queue.consumer.pending : (queue?.messages ?? 0)];
    }));
  }

  /** The HTTP pollers of a task type this replica has seen, most recent first. */
  pollData(taskType: string): PollData[] {
    return this.poller.lastPollsOf(taskType).map((poll) => ({ queueName: taskType, ...poll }));
  }
}
