import { hostname } from 'node:os';
import {
  closeNats,
  connectNats,
  consoleMessagingLogger,
  ensureStreams,
  JetStreamConsumer,
  JetStreamPublisher,
  TASK_TYPE_PATTERN,
  TaskCommandMessageDto,
  taskSubject,
  WORKER_CONSUMER_DEFAULTS,
  workerConsumerSpec,
  type BatonStreamsOptions,
  type ConsumerMetrics,
  type MessagingLogger,
  type NatsSecurity,
} from '@app/messaging';
import { BatonError } from '@app/domain';
import type { NatsConnection } from 'nats';
import type { TaskHandler } from './task.context';
import { FinishedTasks } from './finished-tasks';
import { reportPermissionViolations } from './permission-violations';
import { TaskRun } from './task-run';

/**
 * Options of {@link createWorker}; only `taskType` and `handler` are required.
 *
 * @example
 * createWorker({ taskType: 'ship_order', handler, concurrency: 4, natsUrl: 'nats://nats:4222', shutdownTimeoutMs: 60_000 });
 */
export interface CreateWorkerOptions<I extends object = Record<string, unknown>, O = unknown> {
  /** Conductor task-definition name; the worker consumes `baton.task.<taskType>`. */
  taskType: string;
  handler: TaskHandler<I, O>;
  /** Tasks run at once by this process. Default 8. */
  concurrency?: number;
  /** NATS URL(s); default `BATON_NATS_URL`, then nats://127.0.0.1:4222. Ignored with `connection`. */
  natsUrl?: string | string[];
  /** NATS credentials and TLS files; default the `BATON_NATS_*` variables. Ignored with `connection`. */
  natsSecurity?: NatsSecurity;
  /** Share an existing connection; the worker then leaves it open when it stops. */
  connection?: NatsConnection;
  /** Reported in every result. Default `<hostname>:<pid>`. */
  workerId?: string;
  /** IN_PROGRESS heartbeat interval. Default min(responseTimeoutSeconds / 3, 30 s) per task. */
  heartbeatIntervalMs?: number;
  /** JetStream ack wait of the worker's durable (renewed while a task runs). Default 60 s. */
  ackWaitMs?: number;
  /** How long `stop()` lets running tasks finish before aborting them. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** Deliveries of one command (crashes, failed result publishes) before it is dead-lettered. Default 10. */
  maxDeliver?: number;
  /**
   * Outcomes of finished tasks remembered by task id and attempt, so that a command delivered
   * again after it ran here (after a NATS server crash, say) gets its result sent again instead of
   * running twice. Default 10,000 (at most 16 MiB of outputs); 0 turns it off.
   */
  rememberFinishedTasks?: number;
  /** Larger command bodies are dead-lettered unparsed. Default 256 KiB. */
  maxPayloadBytes?: number;
  /** Create/update the Baton streams on start (default), with these options; `false` skips it. */
  streams?: BatonStreamsOptions | false;
  metrics?: ConsumerMetrics;
  logger?: MessagingLogger;
}

/**
 * A running (or runnable) worker for one task type, as returned by {@link createWorker}.
 *
 * @example
 * await worker.start();
 * process.once('SIGTERM', () => void worker.stop().then(() => process.exit(0)));
 */
export interface BatonWorker {
  readonly taskType: string;
  readonly workerId: string;
  /** Tasks running right now. */
  readonly inFlight: number;
  /** Connects (unless given a connection), ensures the streams and the durable, and starts pulling. */
  start(): Promise<void>;
  /**
   * Stops pulling, lets running tasks finish and publish their results (aborting them after
   * `shutdownTimeoutMs`, which sends their commands back to the queue), then drains the connection
   * it opened.
   */
  stop(): Promise<void>;
}

/** Extra time aborted tasks get to notice the abort and hand their command back. */
const ABORT_GRACE_MS = 5_000;

/**
 * Creates a worker that executes Baton task commands of one type and reports their results.
 *
 * Delivery is at least once: a command is acked only after its result was stored in JetStream
 * (Nats-Msg-Id `<taskId>:<attempt>:<status>`, so a repeated result is dropped as a duplicate); a
 * crash of the worker before that means the command is delivered again and the handler runs
 * again. A command delivered again after it finished here (a crashed NATS server can forget
 * acknowledgements) is answered with its remembered outcome instead (`rememberFinishedTasks`).
 * So make the handler's side effects idempotent with `task.taskId` (and `task.attempt`).
 *
 * @example
 * const worker = createWorker({
 *   taskType: 'send_email',
 *   concurrency: 16,
 *   handler: async (task: TaskContext<{ to: string }>) => {
 *     if (!task.input.to.includes('@')) throw new TerminalError(`not an address: ${task.input.to}`);
 *     const id = await mailer.send(task.input.to);
 *     return { messageId: id };
 *   },
 * });
 * await worker.start();
 * process.once('SIGTERM', () => void worker.stop());
 */
export function createWorker<I extends object = Record<string, unknown>, O = unknown>(options: CreateWorkerOptions<I, O>): BatonWorker {
  if (!TASK_TYPE_PATTERN.test(options.taskType)) {
    throw new BatonError('INVALID_TASK_TYPE', `task type "${options.taskType}" must match ${TASK_TYPE_PATTERN}`, { retryable: false });
  }
  return new Worker(options);
}

class Worker<I extends object, O> implements BatonWorker {
  readonly taskType: string;
  readonly workerId: string;
  private readonly logger: MessagingLogger;
  private readonly shutdown = new AbortController();
  private connection: NatsConnection | undefined;
  private permissionWatch: { stop(): void } | undefined;
  private consumer: JetStreamConsumer<TaskCommandMessageDto> | undefined;
  private publisher: JetStreamPublisher | undefined;
  private readonly finished: FinishedTasks;

  constructor(private readonly options: CreateWorkerOptions<I, O>) {
    this.finished = new FinishedTasks(options.rememberFinishedTasks);
    this.taskType = options.taskType;
    this.workerId = (options.workerId ?? `${hostname()}:${process.pid}`).slice(0, 256);
    this.logger = options.logger ?? consoleMessagingLogger;
  }

  get inFlight(): number {
    return this.consumer?.inFlight ?? 0;
  }

  async start(): Promise<void> {
    if (this.consumer) throw new BatonError('WORKER_ALREADY_STARTED', `worker for ${this.taskType} already started`, { retryable: false });
    const connection = this.options.connection ?? (await connectNats({ url: this.options.natsUrl, security: this.options.natsSecurity, name: `baton-worker-${this.taskType}` }));
    this.connection = connection;
    this.permissionWatch = reportPermissionViolations(connection, this.taskType, this.workerId, this.logger);
    if (this.options.streams !== false) await ensureStreams(await connection.jetstreamManager(), this.options.streams ?? {});
    const publisher = new JetStreamPublisher(connection);
    this.publisher = publisher;
    const concurrency = this.options.concurrency ?? WORKER_CONSUMER_DEFAULTS.concurrency;
    const spec = workerConsumerSpec(this.taskType, { concurrency, ackWaitMs: this.options.ackWaitMs });
    const ackWaitMs = spec.ackWaitMs;
    this.consumer = new JetStreamConsumer<TaskCommandMessageDto>(
      connection,
      {
        stream: spec.stream,
        durable: spec.durable,
        filterSubject: spec.filterSubject,
        dto: TaskCommandMessageDto,
        concurrency,
        ackWaitMs,
        maxAckPending: spec.maxAckPending,
        maxDeliver: this.options.maxDeliver ?? WORKER_CONSUMER_DEFAULTS.maxDeliveries,
        maxPayloadBytes: this.options.maxPayloadBytes,
        metrics: this.options.metrics,
        logger: this.logger,
      },
      (command, message) => {
        if (command.taskType !== this.taskType) {
          throw new BatonError('TASK_TYPE_MISMATCH', `command for "${command.taskType}" arrived at the "${this.taskType}" worker`, { retryable: false });
        }
        const run = new TaskRun<I>(command, message, {
          taskType: this.taskType,
          workerId: this.workerId,
          publisher,
          ackWaitMs,
          heartbeatIntervalMs: this.options.heartbeatIntervalMs,
          shutdownSignal: this.shutdown.signal,
          logger: this.logger,
        });
        return this.finished.runOnce(command.taskId, command.attempt, {
          run: () => run.execute(this.options.handler as TaskHandler<I>),
          resend: (earlier) => {
            this.logger.warn(`task ${command.taskId} (attempt ${command.attempt}) was delivered again after it ran here: its ${earlier.status} result is sent again, the handler does not run twice`);
            return run.resend(earlier);
          },
        });
      },
    );
    try {
      await this.consumer.start();
    } catch (error) {
      await this.release();
      throw error;
    }
    this.logger.log(`worker ${this.workerId} consuming ${taskSubject(this.taskType)} (concurrency ${concurrency})`);
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    const finished = await consumer.stop(this.options.shutdownTimeoutMs ?? 30_000);
    if (!finished) {
      this.logger.warn(`worker ${this.workerId}: aborting ${consumer.inFlight} task(s) still running after the shutdown timeout`);
      this.shutdown.abort();
      await consumer.stop(ABORT_GRACE_MS);
    }
    await this.release();
  }

  private async release(): Promise<void> {
    this.permissionWatch?.stop();
    this.permissionWatch = undefined;
    await this.publisher?.close();
    if (this.connection && !this.options.connection) await closeNats(this.connection);
    this.connection = undefined;
  }
}
