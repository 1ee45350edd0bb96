import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, JsMsg, NatsConnection, QueuedIterator } from 'nats';
import { delay } from '@app/common';
import { BatonError, type ExecutionState, type TaskState } from '@app/domain';
import {
  DeadLetterPublisher,
  DlqCodes,
  JetStreamPublisher,
  TASKS_STREAM,
  TaskCommandMessageDto,
  WORKER_CONSUMER_DEFAULTS,
  decodeJson,
  ensureDurableConsumer,
  isDecodeFailure,
  isNotFound,
  safeNak,
  validateBody,
  workerConsumerSpec,
  workerDurable,
  type DeadLetterReason,
} from '@app/messaging';
import { BATON_CONFIG, RESULT_RETRY_INITIAL_MS, type BatonConfig } from '../config/baton-config';
import type { CommandOutcome } from '../executions/execution-command-bus';
import type { CauseMetadata } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { NATS_CONNECTION } from '../messaging/nats.providers';
import { EventStoreAvailability } from '../store/event-store-availability.service';

declare module '@app/domain' {
  interface BatonErrorCodes {
    /** The workers' JetStream queue could not be polled (retryable). */
    TASK_QUEUE_UNAVAILABLE: true;
  }
}

/** One poll: up to `count` commands of a task type, waiting up to `timeoutMs` for the first. */
export interface PollRequest {
  readonly taskType: string;
  /** 1–1000. */
  readonly count: number;
  /** 0 answers with what is queued right now. */
  readonly timeoutMs: number;
  /** Recorded as the task's worker. */
  readonly workerId?: string;
}

/** A task handed to an HTTP worker: recorded IN_PROGRESS, its command acknowledged. */
export interface PolledTask {
  readonly command: TaskCommandMessageDto;
  /** The execution after the hand-over was stored. */
  readonly state: ExecutionState;
  readonly task: TaskState;
  /** Times JetStream has delivered this command (to pollers and SDK workers alike). */
  readonly deliveries: number;
}

/** Poll data kept per task type (the most recent workers). */
const MAX_POLLERS_KEPT = 100;
/** The durable's existence is checked again after this long (it may have been deleted). */
const CONSUMER_RECHECK_MS = 10_000;

/**
 * Conductor-style polling over the same JetStream work queue SDK workers consume: commands are
 * pulled from the durable `baton-worker-<taskType>` (created with the worker SDK's settings when
 * missing), each one is recorded in its execution's history as IN_PROGRESS with the poller's
 * worker id (`ApplyTaskResult`, which also pushes the task's response deadline), and only then
 * acknowledged. From there the HTTP worker owns the task: `POST /api/tasks` completes it, and
 * silence past `responseTimeoutSeconds` retries it.
 */
@Injectable()
export class TaskPoller implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TaskPoller.name);
  private readonly js: JetStreamClient;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly shutdown = new AbortController();
  /** Pulls waiting right now, stopped at shutdown so long polls do not hold it up. */
  private readonly pulls = new Set<QueuedIterator<JsMsg>>();
  /** When each task type's durable was last seen to exist. */
  private readonly consumerSeenAt = new Map<string, number>();
  private jsm: Promise<JetStreamManager> | undefined;
  /** Last HTTP poll per task type and worker id (this replica's), for Conductor's poll data. */
  private readonly lastPolls = new Map<string, Map<string, number>>();

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(JetStreamPublisher) publisher: JetStreamPublisher,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
    private readonly executions: ExecutionService,
    private readonly storeAvailability: EventStoreAvailability,
    private readonly metrics: OrchestratorMetrics,
  ) {
    this.js = connection.jetstream();
    this.deadLetters = new DeadLetterPublisher(publisher);
  }

  /**
   * Hands over up to `count` queued commands; waits up to `timeoutMs` when none is queued and
   * answers as soon as one arrives. A command that cannot be recorded (the store is unreachable)
   * is nak'ed and stays queued; one for a task that is no longer pending is acked and left out.
   */
  async poll(request: PollRequest, cause: CauseMetadata): Promise<PolledTask[]> {
    if (this.shutdown.signal.aborted) return [];
    this.recordPoll(request);
    if (!this.storeAvailability.available) {
      // Nothing could be recorded: leave the commands queued (their delivery counts untouched)
      // and answer like an empty queue, without turning a long poll into a busy loop.
      await delay(request.timeoutMs, this.shutdown.signal);
      return [];
    }
    await this.ensureConsumer(request.taskType);
    const pull = this.pull(request);
    this.pulls.add(pull);
    // Each command is handed over as it arrives: its ack frees the durable's max_ack_pending for the next.
    const handOvers: Promise<PolledTask | undefined>[] = [];
    try {
      for await (const msg of pull) handOvers.push(this.handOver(msg, request, cause));
    } catch (error) {
      this.consumerSeenAt.delete(request.taskType);
      if (handOvers.length === 0) {
        throw new BatonError('TASK_QUEUE_UNAVAILABLE', `polling ${workerDurable(request.taskType)} failed: ${String(error)}`, { retryable: true, cause: error });
      }
      this.logger.warn(`polling ${workerDurable(request.taskType)} ended early: ${String(error)}`);
    } finally {
      this.pulls.delete(pull);
    }
    const handed = await Promise.all(handOvers);
    return handed.filter((polled): polled is PolledTask => polled !== undefined);
  }

  /** When each worker of this task type last polled this replica, most recent first. */
  lastPollsOf(taskType: string): { workerId: string; lastPollTime: number }[] {
    return [...(this.lastPolls.get(taskType) ?? new Map<string, number>())].map(([workerId, lastPollTime]) => ({ workerId, lastPollTime })).sort((a, b) => b.lastPollTime - a.lastPollTime);
  }

  private recordPoll(request: PollRequest): void {
    let workers = this.lastPolls.get(request.taskType);
    if (!workers) this.lastPolls.set(request.taskType, (workers = new Map()));
    const workerId = request.workerId ?? '';
    // Bounded: a flood of made-up worker ids must not grow memory without end.
    if (!workers.has(workerId) && workers.size >= MAX_POLLERS_KEPT) workers.delete(workers.keys().next().value as string);
    workers.set(workerId, Date.now());
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
    for (const pull of this.pulls) pull.stop();
  }

  /**
   * One pull request: `no_wait` with `expires` makes the server wait up to `expires` for a first
   * message, then deliver what is queued (up to the batch) and end the request at once, so a poll
   * never holds found tasks back waiting for a full batch. nats.js 2.x offers sub-second `expires`
   * and `no_wait` only on the (deprecated) `js.fetch`; its successor requires `expires` ≥ 1 s.
   */
  private pull(request: PollRequest): QueuedIterator<JsMsg> {
    return this.js.fetch(TASKS_STREAM, workerDurable(request.taskType), {
      batch: request.count,
      no_wait: true,
      ...(request.timeoutMs > 0 ? { expires: request.timeoutMs } : {}),
    });
  }

  /** A pull on a missing durable just waits and finds nothing: make sure it exists, as SDK workers would create it. */
  private async ensureConsumer(taskType: string): Promise<void> {
    const seenAt = this.consumerSeenAt.get(taskType);
    if (seenAt !== undefined && Date.now() - seenAt < CONSUMER_RECHECK_MS) return;
    this.jsm ??= this.connection.jetstreamManager({ checkAPI: false });
    const jsm = await this.jsm;
    try {
      await jsm.consumers.info(TASKS_STREAM, workerDurable(taskType));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      // Only when missing: SDK workers of the type may have set their own concurrency and ack wait.
      await ensureDurableConsumer(jsm, workerConsumerSpec(taskType));
      this.logger.log(`created ${workerDurable(taskType)} for HTTP polling`);
    }
    this.consumerSeenAt.set(taskType, Date.now());
  }

  /** Records the hand-over, then acks: the task is returned only when both happened. */
  private async handOver(msg: JsMsg, request: PollRequest, cause: CauseMetadata): Promise<PolledTask | undefined> {
    const command = await this.decode(msg, request.taskType);
    if (!command) return undefined;
    const { workerId } = request;
    let outcome: CommandOutcome;
    try {
      outcome = await this.executions.command(
        command.executionId,
        { type: 'ApplyTaskResult', taskId: command.taskId, attempt: command.attempt, status: 'IN_PROGRESS', ...(workerId ? { workerId } : {}) },
        { ...cause, ...(workerId ? { workerId } : {}) },
      );
    } catch (error) {
      this.storeAvailability.reportFailure(error);
      this.logger.warn(`could not record the hand-over of ${command.taskId}; it stays queued: ${String(error)}`);
      safeNak(msg, RESULT_RETRY_INITIAL_MS);
      this.count(msg, 'nacked');
      return undefined;
    }
    await this.acknowledge(msg, command.taskId);
    const task = outcome.state.tasks[command.taskId];
    if (outcome.decision.ignored || !task) {
      // A stale command (the task ended, was retried, or its execution is gone): nothing to hand over.
      this.logger.debug(`command for ${command.taskId} not handed over: ${outcome.decision.ignored?.reason ?? 'no such task'}`);
      return undefined;
    }
    return { command, state: outcome.state, task, deliveries: msg.info.deliveryCount };
  }

  /** The command, or undefined when it was dead-lettered (undecodable, invalid, another type's, delivered too often). */
  private async decode(msg: JsMsg, taskType: string): Promise<TaskCommandMessageDto | undefined> {
    const deliveries = msg.info.deliveryCount;
    if (deliveries > WORKER_CONSUMER_DEFAULTS.maxDeliveries) {
      const reason = `delivered ${deliveries} times, more than the ${WORKER_CONSUMER_DEFAULTS.maxDeliveries} allowed`;
      return this.deadLetter(msg, { code: DlqCodes.MaxDeliveriesExceeded, reason });
    }
    const body = decodeJson(msg.data, this.config.maxPayloadBytes, this.config.jsonLimits);
    const command = isDecodeFailure(body) ? body : await validateBody(TaskCommandMessageDto, body);
    if (isDecodeFailure(command)) return this.deadLetter(msg, command);
    if (command.taskType !== taskType) {
      return this.deadLetter(msg, { code: 'TASK_TYPE_MISMATCH', reason: `command for "${command.taskType}" arrived on the "${taskType}" queue` });
    }
    return command;
  }

  private async deadLetter(msg: JsMsg, why: DeadLetterReason): Promise<undefined> {
    const outcome = await this.deadLetters.deadLetterOrNak(msg, why, { stream: TASKS_STREAM, durable: msg.info.consumer }, RESULT_RETRY_INITIAL_MS);
    if (outcome.deadLettered) {
      this.logger.warn(`dead-lettered ${msg.subject} #${msg.seq}: ${why.code}: ${why.reason}`);
      this.count(msg, 'dead_lettered');
    } else {
      this.logger.error(`could not dead-letter ${msg.subject} #${msg.seq} (${why.code}); it stays queued: ${String(outcome.error)}`);
      this.count(msg, 'nacked');
    }
    return undefined;
  }

  /**
   * Waits for the server to confirm the ack, so a task is handed out only once its command left
   * the queue. A lost confirmation is logged; the task is still handed over (it was recorded), and
   * should the ack really be lost the command comes back after the ack wait, to be handed over again.
   */
  private async acknowledge(msg: JsMsg, taskId: string): Promise<void> {
    try {
      await msg.ackAck();
      this.count(msg, 'acked');
    } catch (error) {
      this.logger.warn(`the ack of ${taskId}'s command was not confirmed: ${String(error)}`);
    }
  }

  private count(msg: JsMsg, outcome: 'acked' | 'nacked' | 'dead_lettered'): void {
    this.metrics.inbound.inc({ subject: msg.subject, outcome });
  }
}
