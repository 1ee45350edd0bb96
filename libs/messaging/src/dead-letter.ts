import { headers as createHeaders, type JsMsg, type MsgHdrs, type PubAck } from 'nats';
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
    const headers = copyApplicationHeaders(msg.headers);
    const originMsgId = msg.headers?.get(Headers.MsgId);
    if (originMsgId) headers.set(Headers.DlqOriginMsgId, originMsgId);
    headers.set(Headers.DlqReason, toHeaderValue(why.reason));
    headers.set(Headers.DlqCode, toHeaderValue(why.code));
    headers.set(Headers.DlqOriginSubject, msg.subject);
    headers.set(Headers.DlqOriginStream, origin.stream);
    headers.set(Headers.DlqOriginSequence, String(msg.seq));
    headers.set(Headers.DlqDeliveries, String(msg.info.deliveryCount));
    if (origin.durable) headers.set(Headers.DlqConsumer, origin.durable);
    return this.publisher.publishBytes(this.subjectFor(msg.subject), msg.data, {
      msgId: `dlq:${origin.stream}:${msg.seq}`,
      headers,
    });
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
