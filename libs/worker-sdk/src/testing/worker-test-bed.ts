import {
  DLQ_STREAM,
  dlqSubject,
  ensureStreams,
  JetStreamPublisher,
  RESULTS_STREAM,
  resultSubject,
  TASKS_STREAM,
  taskSubject,
  workerDurable,
  type TaskCommandMessage,
  type TaskResultMessage,
} from '@app/messaging';
import { MessageCollector } from '@app/messaging/testing/message-collector';
import { uniqueToken } from '@app/messaging/testing/unique-token';
import type { JetStreamManager, NatsConnection } from 'nats';

/**
 * A task type of its own on the shared NATS server: results and dead letters are watched with core
 * subscriptions (no consumer on the shared result stream), and everything is purged afterwards.
 */
export class WorkerTestBed {
  private taskSeq = 0;

  private constructor(
    readonly taskType: string,
    readonly connection: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly publisher: JetStreamPublisher,
    readonly results: MessageCollector,
    readonly deadLetters: MessageCollector,
  ) {}

  static async create(connection: NatsConnection): Promise<WorkerTestBed> {
    const jsm = await connection.jetstreamManager();
    await ensureStreams(jsm);
    const taskType = `test_${uniqueToken()}`;
    const results = await MessageCollector.listen(connection, resultSubject(taskType));
    const deadLetters = await MessageCollector.listen(connection, dlqSubject(taskSubject(taskType)));
    return new WorkerTestBed(taskType, connection, jsm, new JetStreamPublisher(connection), results, deadLetters);
  }

  command(overrides: Partial<TaskCommandMessage> = {}): TaskCommandMessage {
    this.taskSeq++;
    return {
      taskId: `task-${this.taskSeq}-${uniqueToken()}`,
      taskType: this.taskType,
      executionId: `exec-${this.taskSeq}`,
      workflowName: 'checkout',
      workflowVersion: 1,
      taskRefName: 'charge',
      attempt: 1,
      input: { orderId: `o-${this.taskSeq}` },
      scheduledAt: Date.now(),
      responseTimeoutSeconds: 60,
      ...overrides,
    };
  }

  /** Publishes a command as the orchestrator does (Msg-Id = task id unless told otherwise). */
  async send(command: TaskCommandMessage | Record<string, unknown>, options: { msgId?: string; traceparent?: string } = {}): Promise<void> {
    const msgId = options.msgId ?? (command as { taskId?: string }).taskId;
    await this.publisher.publish(taskSubject(this.taskType), command, { msgId, traceparent: options.traceparent });
  }

  resultsFor(taskId: string): TaskResultMessage[] {
    return this.results.where((message) => (message.body as TaskResultMessage).taskId === taskId).map((message) => message.body as TaskResultMessage);
  }

  async pendingCommands(): Promise<number> {
    const info = await this.jsm.streams.info(TASKS_STREAM, { subjects_filter: taskSubject(this.taskType) });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  async storedResults(): Promise<number> {
    const info = await this.jsm.streams.info(RESULTS_STREAM, { subjects_filter: resultSubject(this.taskType) });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  async dispose(): Promise<void> {
    this.results.stop();
    this.deadLetters.stop();
    await this.jsm.consumers.delete(TASKS_STREAM, workerDurable(this.taskType)).catch(() => undefined);
    await this.jsm.streams.purge(TASKS_STREAM, { filter: taskSubject(this.taskType) });
    await this.jsm.streams.purge(RESULTS_STREAM, { filter: resultSubject(this.taskType) });
    await this.jsm.streams.purge(DLQ_STREAM, { filter: dlqSubject(taskSubject(this.taskType)) });
  }
}
