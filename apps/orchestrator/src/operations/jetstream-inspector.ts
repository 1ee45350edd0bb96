import { Inject, Injectable } from '@nestjs/common';
import type { ConsumerInfo, JetStreamManager, NatsConnection, StoredMsg } from 'nats';
import { DLQ_STREAM, Headers, ORCHESTRATOR_RESULTS_DURABLE, RESULTS_STREAM, TASK_SUBJECT_PREFIX, TASKS_STREAM, workerDurable } from '@app/messaging';
import { NATS_CONNECTION } from '../messaging/nats.providers';

/** A durable consumer's backlog as JetStream reports it. */
export interface ConsumerBacklog {
  readonly name: string;
  /** Stored, not delivered yet. */
  readonly pending: number;
  /** Delivered, not acknowledged yet: being worked on. */
  readonly ackPending: number;
  /** Delivered more than once. */
  readonly redelivered: number;
  /** Pull requests waiting for messages: idle workers. */
  readonly waitingPulls: number;
}

/** The task queue of one task type: messages in `BATON_TASKS` on its subject and its workers' durable. */
export interface TaskQueue {
  readonly taskType: string;
  /** Commands stored on `baton.task.<taskType>` (a work queue: delivered-but-unacked ones included). */
  readonly messages: number;
  readonly consumer?: ConsumerBacklog;
}

/** A dead letter: the original body and the reason Baton gave up on it (the `Baton-Dlq-*` headers). */
export interface DeadLetter {
  readonly seq: number;
  readonly time: string;
  readonly subject: string;
  readonly code?: string;
  readonly reason?: string;
  readonly originSubject?: string;
  readonly originStream?: string;
  readonly originSequence?: string;
  readonly deliveries?: string;
  readonly consumer?: string;
  readonly originMsgId?: string;
  /** The body as text, cut at 4 KiB (`truncated`). */
  readonly body: string;
  readonly truncated: boolean;
  /** The `executionId` in the body, when it is JSON that has one. */
  readonly executionId?: string;
}

export interface DeadLetterPage {
  readonly total: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly letters: readonly DeadLetter[];
}

const BODY_LIMIT = 4_096;
const decoder = new TextDecoder();

function backlogOf(info: ConsumerInfo): ConsumerBacklog {
  return { name: info.name, pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered, waitingPulls: info.num_waiting };
}

function isNotFound(error: unknown): boolean {
  return /not found|no message found/i.test(String((error as Error)?.message ?? error));
}

function deadLetterOf(message: StoredMsg): DeadLetter {
  const text = decoder.decode(message.data);
  const header = (name: string) => message.header?.get(name) || undefined;
  let executionId: string | undefined;
  try {
    const parsed = JSON.parse(text) as { executionId?: unknown };
    if (typeof parsed?.executionId === 'string') executionId = parsed.executionId;
  } catch {
    // not JSON: that may be why it is here
  }
  const fields = {
    code: header(Headers.DlqCode),
    reason: header(Headers.DlqReason),
    originSubject: header(Headers.DlqOriginSubject),
    originStream: header(Headers.DlqOriginStream),
    originSequence: header(Headers.DlqOriginSequence),
    deliveries: header(Headers.DlqDeliveries),
    consumer: header(Headers.DlqConsumer),
    originMsgId: header(Headers.DlqOriginMsgId),
    executionId,
  };
  return {
    seq: message.seq,
    time: message.time.toISOString(),
    subject: message.subject,
    body: text.length > BODY_LIMIT ? text.slice(0, BODY_LIMIT) : text,
    truncated: text.length > BODY_LIMIT,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
}

/** Read-only views of Baton's JetStream streams for operators: queue depths, consumers, dead letters. */
@Injectable()
export class JetStreamInspector {
  private manager?: Promise<JetStreamManager>;

  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  private jsm(): Promise<JetStreamManager> {
    this.manager ??= this.connection.jetstreamManager();
    return this.manager;
  }

  /** Every task type with commands stored or a workers' durable, by name. */
  async taskQueues(): Promise<TaskQueue[]> {
    const jsm = await this.jsm();
    const [info, consumers] = await Promise.all([
      jsm.streams.info(TASKS_STREAM, { subjects_filter: `${TASK_SUBJECT_PREFIX}>` }),
      jsm.consumers.list(TASKS_STREAM).next(),
    ]);
    const byType = new Map<string, { messages: number; consumer?: ConsumerBacklog }>();
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) byType.set(subject.slice(TASK_SUBJECT_PREFIX.length), { messages: count });
    for (const consumer of consumers) {
      const filter = consumer.config.filter_subject ?? '';
      if (!filter.startsWith(TASK_SUBJECT_PREFIX) || consumer.name !== workerDurable(filter.slice(TASK_SUBJECT_PREFIX.length))) continue;
      const taskType = filter.slice(TASK_SUBJECT_PREFIX.length);
      byType.set(taskType, { messages: byType.get(taskType)?.messages ?? 0, consumer: backlogOf(consumer) });
    }
    return [...byType].sort(([a], [b]) => a.localeCompare(b)).map(([taskType, queue]) => ({ taskType, ...queue }));
  }

  /** The results the orchestrator replicas have not applied yet. */
  async resultsBacklog(): Promise<ConsumerBacklog | undefined> {
    const jsm = await this.jsm();
    try {
      return backlogOf(await jsm.consumers.info(RESULTS_STREAM, ORCHESTRATOR_RESULTS_DURABLE));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The newest dead letters (before `beforeSeq` when given), newest first, at most `limit`. */
  async deadLetters(limit: number, beforeSeq?: number): Promise<DeadLetterPage> {
    const jsm = await this.jsm();
    const { state } = await jsm.streams.info(DLQ_STREAM);
    const letters: DeadLetter[] = [];
    const top = Math.min(state.last_seq, beforeSeq === undefined ? state.last_seq : beforeSeq - 1);
    // Sequences are contiguous in a limits stream, but a message may have been deleted by hand:
    // look at a bounded number of sequences for the page.
    const lowest = Math.max(state.first_seq, 1, top - limit * 4 + 1);
    for (let seq = top; seq >= lowest && letters.length < limit; seq -= 1) {
      try {
        letters.push(deadLetterOf(await jsm.streams.getMessage(DLQ_STREAM, { seq })));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return { total: state.messages, firstSeq: state.first_seq, lastSeq: state.last_seq, letters };
  }
}
