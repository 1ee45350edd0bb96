import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ExecutionCommand, IgnoredCode } from '@app/domain';
import {
  ORCHESTRATOR_RESULTS_DURABLE,
  RESULTS_STREAM,
  RESULT_SUBJECT_PREFIX,
  TaskResultMessage,
  taskTypeOfResultSubject,
  type JetStreamMessageContext,
  type JetStreamPatternExtras,
} from '@app/messaging';
import type { CommandOutcome } from '../executions/execution-command-bus';
import { ExecutionService } from '../executions/execution.service';
import { CommandRejectedError } from '../executions/orchestrator.errors';
import { EventStoreAvailability } from '../store/event-store-availability.service';

/** Results that cannot apply to anything: dead-lettered with the reason. */
const DEAD_LETTER_CODES: ReadonlySet<IgnoredCode> = new Set(['UNKNOWN_EXECUTION', 'UNKNOWN_TASK', 'ATTEMPT_MISMATCH', 'TASK_TYPE_MISMATCH', 'TASK_NOT_EXTERNAL']);

/**
 * Task results and heartbeats from workers (`baton.result.<taskType>`). The transport acks a
 * message only after this handler resolves, i.e. after the resulting events are stored; invalid
 * bodies never get here (the transport dead-letters them with the validation errors).
 */
@Controller()
export class TaskResultsController {
  private readonly logger = new Logger(TaskResultsController.name);

  constructor(
    private readonly executions: ExecutionService,
    private readonly storeAvailability: EventStoreAvailability,
  ) {}

  @EventPattern(`${RESULT_SUBJECT_PREFIX}>`, { stream: RESULTS_STREAM, durable: ORCHESTRATOR_RESULTS_DURABLE, dto: TaskResultMessage } satisfies JetStreamPatternExtras)
  async onResult(@Payload() result: TaskResultMessage, @Ctx() context: JetStreamMessageContext): Promise<void> {
    const outcome = await this.apply(result, context);
    const ignored = outcome.decision.ignored;
    if (!ignored) return;
    if (DEAD_LETTER_CODES.has(ignored.code)) throw new CommandRejectedError(ignored);
    // Duplicates and late results are expected with at-least-once delivery: acknowledged, not applied.
    this.logger.debug(`result for ${result.taskId} ignored: ${ignored.reason}`);
  }

  /**
   * The result as a command. A failure leaves the message unacknowledged (redelivered with backoff);
   * one because the store is unreachable also pauses the consumer until the store answers again.
   */
  private async apply(result: TaskResultMessage, context: JetStreamMessageContext): Promise<CommandOutcome> {
    const sentFor = taskTypeOfResultSubject(context.subject);
    const command: ExecutionCommand = {
      type: 'ApplyTaskResult',
      taskId: result.taskId,
      attempt: result.attempt,
      // The subject names the type the publisher was allowed to report for (NATS permissions):
      // a result for another type's task is refused, not applied.
      ...(sentFor !== undefined ? { taskDefName: sentFor } : {}),
      status: result.status,
      ...(result.output !== undefined ? { output: result.output } : {}),
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      workerId: result.workerId,
      ...(result.logs?.length ? { logs: result.logs.map((entry) => entry.log) } : {}),
    };
    const cause = { causationId: context.msgId ?? `nats:${context.stream}:${context.streamSequence}`, actor: `worker:${result.workerId}` };
    try {
      return await this.executions.command(result.executionId, command, cause);
    } catch (error) {
      this.storeAvailability.reportFailure(error);
      throw error;
    }
  }
}
