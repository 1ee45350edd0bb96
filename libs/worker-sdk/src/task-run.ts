import {
  errorMessage,
  resultMsgId,
  resultSubject,
  RetryLaterError,
  type JetStreamMessageContext,
  type JetStreamPublisher,
  type MessagingLogger,
  type TaskCommandMessage,
  type TaskLogEntry,
  type TaskResultMessage,
  type TaskResultStatus,
} from '@app/messaging';
import type { TaskContext, TaskHandler } from './task.context';
import { completedOutcome, failedOutcome, type TaskOutcome } from './task-outcome';

/** What a run needs from its worker. */
export interface TaskRunSettings {
  readonly taskType: string;
  readonly workerId: string;
  readonly publisher: JetStreamPublisher;
  readonly ackWaitMs: number;
  /** Fixed heartbeat interval; default min(responseTimeoutSeconds / 3, 30 s). */
  readonly heartbeatIntervalMs?: number;
  /** Aborted when the worker's shutdown grace period is over. */
  readonly shutdownSignal: AbortSignal;
  readonly logger: MessagingLogger;
}

/** Log lines kept between two reports; more are counted and dropped so a chatty task cannot blow the payload. */
const MAX_PENDING_LOG_LINES = 1_000;
const MAX_LOG_LINE_LENGTH = 4_096;
const MAX_HEARTBEAT_INTERVAL_MS = 30_000;

type ResultBody = { -readonly [K in keyof TaskResultMessage]: TaskResultMessage[K] };

/**
 * One execution of one task command: runs the handler, keeps the command alive while it runs
 * (IN_PROGRESS heartbeats for the orchestrator, `working()` for JetStream), and publishes the
 * outcome. The command is acked by the consumer only after this resolves, i.e. after the result's
 * publish was acknowledged by the stream.
 */
export class TaskRun<I extends object> {
  readonly context: TaskContext<I>;
  private pendingLogs: TaskLogEntry[] = [];
  private droppedLogs = 0;
  private heartbeatSeq = 0;
  private lastHeartbeat: Promise<void> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly command: TaskCommandMessage,
    private readonly message: JetStreamMessageContext,
    private readonly settings: TaskRunSettings,
  ) {
    this.context = {
      taskId: command.taskId,
      taskType: command.taskType,
      executionId: command.executionId,
      workflowName: command.workflowName,
      workflowVersion: command.workflowVersion,
      taskRefName: command.taskRefName,
      attempt: command.attempt,
      input: command.input as I,
      correlationId: command.correlationId,
      scheduledAt: command.scheduledAt,
      responseTimeoutSeconds: command.responseTimeoutSeconds,
      workerId: settings.workerId,
      deliveryCount: message.deliveryCount,
      traceparent: message.traceparent,
      signal: settings.shutdownSignal,
      log: (line) => this.log(line),
      heartbeat: () => this.heartbeat(),
    };
  }

  /** Runs the handler and publishes its outcome; resolves with the outcome as reported. */
  async execute(handler: TaskHandler<I>): Promise<TaskOutcome> {
    this.startKeepAlive();
    let outcome: TaskOutcome;
    try {
      outcome = completedOutcome(await handler(this.context));
    } catch (error) {
      if (this.settings.shutdownSignal.aborted) {
        // Not the task's fault: hand the command to another worker without reporting a failure.
        throw new RetryLaterError(`worker ${this.settings.workerId} shut down while task ${this.command.taskId} ran`, 0, { cause: error });
      }
      outcome = failedOutcome(error);
    } finally {
      this.stopKeepAlive();
    }
    await this.lastHeartbeat;
    return this.report(outcome);
  }

  /**
   * Publishes the outcome of an earlier run of this same command again (same Nats-Msg-Id as the
   * first time) instead of running the handler twice: for a command delivered again after it
   * already ran here.
   */
  async resend(outcome: TaskOutcome): Promise<void> {
    await this.publish(outcome.status, outcome);
  }

  private async report(outcome: TaskOutcome): Promise<TaskOutcome> {
    try {
      await this.publish(outcome.status, outcome);
      return outcome;
    } catch (error) {
      if (outcome.status !== 'COMPLETED' || (error as { retryable?: unknown }).retryable !== false) throw error;
      // The output itself cannot be published (too large, not JSON): retrying would loop forever.
      const failed: TaskOutcome = { status: 'FAILED_WITH_TERMINAL_ERROR', reason: `the task output could not be published: ${errorMessage(error)}` };
      await this.publish(failed.status, failed);
      return failed;
    }
  }

  private heartbeat(): Promise<void> {
    this.message.working();
    const logs = this.takeLogs();
    const sent = this.publish('IN_PROGRESS', { logs }, ++this.heartbeatSeq).catch((error: unknown) => {
      if (logs) this.pendingLogs.unshift(...logs);
      this.settings.logger.warn(`task ${this.command.taskId}: heartbeat not published: ${errorMessage(error)}`);
    });
    this.lastHeartbeat = sent;
    return sent;
  }

  private publish(status: TaskResultStatus, parts: Partial<Pick<ResultBody, 'output' | 'reason' | 'logs'>>, heartbeatSeq?: number): Promise<void> {
    const { taskId, executionId, attempt } = this.command;
    const body: ResultBody = { taskId, executionId, attempt, status, workerId: this.settings.workerId };
    if (parts.output) body.output = parts.output;
    if (parts.reason) body.reason = parts.reason;
    const logs = parts.logs === undefined && status !== 'IN_PROGRESS' ? this.takeLogs() : parts.logs;
    if (logs) body.logs = logs;
    return this.settings.publisher
      .publish(resultSubject(this.settings.taskType), body, {
        msgId: resultMsgId(taskId, attempt, status, heartbeatSeq),
        traceparent: this.message.traceparent,
      })
      .then(() => undefined);
  }

  private log(line: string): void {
    if (this.pendingLogs.length >= MAX_PENDING_LOG_LINES) {
      this.droppedLogs++;
      return;
    }
    this.pendingLogs.push({ log: line.length > MAX_LOG_LINE_LENGTH ? line.slice(0, MAX_LOG_LINE_LENGTH) : line, createdTime: Date.now() });
  }

  private takeLogs(): TaskLogEntry[] | undefined {
    if (this.droppedLogs > 0) {
      this.pendingLogs.push({ log: `${this.droppedLogs} log line(s) dropped`, createdTime: Date.now() });
      this.droppedLogs = 0;
    }
    if (this.pendingLogs.length === 0) return undefined;
    const logs = this.pendingLogs;
    this.pendingLogs = [];
    return logs;
  }

  private startKeepAlive(): void {
    const heartbeatMs = this.settings.heartbeatIntervalMs ?? defaultHeartbeatIntervalMs(this.command.responseTimeoutSeconds);
    // JetStream's ack timer and the orchestrator's response timeout are separate clocks.
    this.timers.push(setInterval(() => void this.heartbeat(), heartbeatMs).unref());
    this.timers.push(setInterval(() => this.message.working(), Math.max(this.settings.ackWaitMs / 3, 50)).unref());
  }

  private stopKeepAlive(): void {
    for (const timer of this.timers) clearInterval(timer);
  }
}

/** A third of the response timeout, so two heartbeats may be lost before it expires; at most 30 s. */
export function defaultHeartbeatIntervalMs(responseTimeoutSeconds: number): number {
  if (responseTimeoutSeconds <= 0) return MAX_HEARTBEAT_INTERVAL_MS;
  return Math.min(Math.max((responseTimeoutSeconds * 1_000) / 3, 100), MAX_HEARTBEAT_INTERVAL_MS);
}
