import { headers as createHeaders, type JsMsg, type Msg, type MsgHdrs, type PubAck } from 'nats';
import { dlqSubject, Headers } from './contract/subjects';
import type { JetStreamPublisher } from './jetstream-publisher';
import { safeNak, safeTerm } from './msg-settlement';

/** Why a message is dead-lettered; becomes the `Baton-Dlq-Code` and `Baton-Dlq-Reason` headers. */
export interface DeadLetterReason {
  code: string;
  reason: string;
}

/** Where the message came from, beyond what the message itself says. */
export interface DeadLetterOrigin {
  stream: string;
  durable?: string;
}

/** Where a core NATS message (no stream, no sequence, no redelivery) was being handled. */
export interface CoreDeadLetterOrigin {
  /** The queue group or handler that gave up on it. */
  consumer: string;
  /** How many times it was tried in process. */
  attempts: number;
  /** The message's identity (the dead letter's `Nats-Msg-Id` derives from it). */
  key: string;
}

/** Header values travel on one line and NATS servers cap header size, so reasons are trimmed. */
const MAX_REASON_LENGTH = 2_048;

/**
 * Republishes messages that cannot be processed to `baton.dlq.<original subject>` (stream
 * BATON_DLQ), keeping the original body and headers and adding why, from where, and after how
 * many deliveries. The copy's `Nats-Msg-Id` is derived from the origin stream and sequence, so
 * dead-lettering the same message twice (a crash between publish and term) stores it once.
 *
 * @example
 * const dlq = new DeadLetterPublisher(publisher);
 * await dlq.publish(msg, { code: 'VALIDATION_FAILED', reason: 'taskId: taskId must be a string' }, { stream: 'BATON_RESULTS' });
 * msg.term();
 */
export class DeadLetterPublisher {
  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly subjectFor: (originSubject: string) => string = dlqSubject,
  ) {}

  publish(msg: JsMsg, why: DeadLetterReason, origin: DeadLetterOrigin): Promise<PubAck> {
    const headers = deadLetterHeaders(msg, why, { stream: origin.stream, sequence: msg.seq, deliveries: msg.info.deliveryCount, consumer: origin.durable });
    return this.publisher.publishBytes(this.subjectFor(msg.subject), msg.data, { msgId: `dlq:${origin.stream}:${msg.seq}`, headers });
  }

  /**
   * Dead-letters a core NATS message the same way: the body byte for byte, the application
   * headers kept, the `Baton-Dlq-*` headers added, except `Baton-Dlq-Origin-Stream` and
   * `-Sequence` (the message was never in a stream).
   *
   * @example
   * await dlq.publishCore(msg, { code: 'UNKNOWN_EXECUTION', reason: 'no execution 42' }, { consumer: 'baton-handler-payments', attempts: 1, key: 'core:…' });
   */
  publishCore(msg: Msg, why: DeadLetterReason, origin: CoreDeadLetterOrigin): Promise<PubAck> {
    const headers = deadLetterHeaders(msg, why, { deliveries: origin.attempts, consumer: origin.consumer });
    return this.publisher.publishBytes(this.subjectFor(msg.subject), msg.data, { msgId: `dlq:${origin.consumer}:${origin.key}`, headers });
  }

  /**
   * Dead-letters the message, then terminates it so it is not delivered again. When the publish
   * fails the message is nak'ed with `retryDelayMs` instead, never dropped, and the whole decision
   * is made again on its next delivery. Resolves with the publish error in that case.
   */
  async deadLetterOrNak(msg: JsMsg, why: DeadLetterReason, origin: DeadLetterOrigin, retryDelayMs: number): Promise<{ deadLettered: true } | { deadLettered: false; error: unknown }> {
    try {
      await this.publish(msg, why, origin);
    } catch (error) {
      safeNak(msg, retryDelayMs);
      return { deadLettered: false, error };
    }
    safeTerm(msg);
    return { deadLettered: true };
  }
}

/**
 * The headers of a dead letter (docs/wire-contract.md §7): the original's application headers, its
 * `Nats-Msg-Id` as `Baton-Dlq-Origin-Msg-Id`, then why, from where and after how many deliveries.
 */
export function deadLetterHeaders(
  original: { readonly subject: string; readonly headers?: MsgHdrs },
  why: DeadLetterReason,
  where: { readonly stream?: string; readonly sequence?: number; readonly deliveries: number; readonly consumer?: string },
): MsgHdrs {
  const headers = copyApplicationHeaders(original.headers);
  const originMsgId = original.headers?.get(Headers.MsgId);
  if (originMsgId) headers.set(Headers.DlqOriginMsgId, originMsgId);
  headers.set(Headers.DlqReason, toHeaderValue(why.reason));
  headers.set(Headers.DlqCode, toHeaderValue(why.code));
  headers.set(Headers.DlqOriginSubject, original.subject);
  if (where.stream !== undefined) headers.set(Headers.DlqOriginStream, where.stream);
  if (where.sequence !== undefined) headers.set(Headers.DlqOriginSequence, String(where.sequence));
  headers.set(Headers.DlqDeliveries, String(where.deliveries));
  if (where.consumer) headers.set(Headers.DlqConsumer, where.consumer);
  return headers;
}

/** Copies every header except JetStream's own (`Nats-*`), which would steer or break the republish. */
export function copyApplicationHeaders(source: MsgHdrs | undefined): MsgHdrs {
  const target = createHeaders();
  if (!source) return target;
  for (const [key, values] of source) {
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of values) target.append(key, value);
  }
  return target;
}

/** One line, bounded length: header values cannot hold CR/LF. */
export function toHeaderValue(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ').trim();
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH - 3)}...` : oneLine;
}
