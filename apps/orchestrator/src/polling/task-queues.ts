import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamManager, NatsConnection } from 'nats';
import { TASKS_STREAM, isNotFound, taskSubject, workerDurable } from '@app/messaging';
import { NATS_CONNECTION } from '../messaging/nats.providers';
import { TaskPoller } from './task-poller';

/** Conductor's PollData for one worker of a task type. */
export interface PollData {
  readonly queueName: string;
  readonly workerId: string;
  readonly lastPollTime: number;
}

/**
 * Queue administration over JetStream: a task type's queue is its subject in the work-queue stream
 * `BATON_TASKS`, so its size is what the stream holds for the subject that no worker has taken yet.
 */
@Injectable()
export class TaskQueues {
  private jsm: Promise<JetStreamManager> | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    private readonly poller: TaskPoller,
  ) {}

  /**
   * Commands waiting for a worker, per task type: the durable's undelivered count when workers (or
   * polls) created it, else every message the stream holds on the type's subject.
   */
  async sizes(taskTypes: readonly string[]): Promise<Record<string, number>> {
    this.jsm ??= this.connection.jetstreamManager({ checkAPI: false });
    const jsm = await this.jsm;
    const sizes: Record<string, number> = {};
    for (const taskType of taskTypes) {
      try {
        sizes[taskType] = (await jsm.consumers.info(TASKS_STREAM, workerDurable(taskType))).num_pending;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        const info = await jsm.streams.info(TASKS_STREAM, { subjects_filter: taskSubject(taskType) });
        sizes[taskType] = info.state.subjects?.[taskSubject(taskType)] ?? 0;
      }
    }
    return sizes;
  }

  /** The HTTP pollers of a task type this replica has seen, most recent first. */
  pollData(taskType: string): PollData[] {
    return this.poller.lastPollsOf(taskType).map((poll) => ({ queueName: taskType, ...poll }));
  }
}
