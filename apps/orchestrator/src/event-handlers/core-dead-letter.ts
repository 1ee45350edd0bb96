import type { Msg } from 'nats';
import { copyApplicationHeaders, dlqSubject, Headers, toHeaderValue, type DeadLetterReason, type JetStreamPublisher } from '@app/messaging';

/**
 * Dead-letters a core NATS message (which has no stream, sequence or redelivery) the way the
 * JetStream consumer does for its messages: the body byte for byte to `baton.dlq.<subject>`
 * (stream BATON_DLQ), the application headers kept, the `Baton-Dlq-*` headers added.
 * `Baton-Dlq-Origin-Stream` and `-Sequence` are absent: the event was never in a stream.
 *
 * @example
 * await publishCoreDeadLetter(publisher, msg, { code: 'UNKNOWN_EXECUTION', reason: 'no execution 42' }, { consumer: 'baton-handler-payments', attempts: 1, key: 'core:…' });
 */
export function publishCoreDeadLetter(
  publisher: JetStreamPublisher,
  msg: Msg,
  why: DeadLetterReason,
  origin: { readonly consumer: string; readonly attempts: number; readonly key: string },
): Promise<unknown> {
  const headers = copyApplicationHeaders(msg.headers);
  const originMsgId = msg.headers?.get(Headers.MsgId);
  if (originMsgId) headers.set(Headers.DlqOriginMsgId, originMsgId);
  headers.set(Headers.DlqReason, toHeaderValue(why.reason));
  headers.set(Headers.DlqCode, toHeaderValue(why.code));
  headers.set(Headers.DlqOriginSubject, msg.subject);
  headers.set(Headers.DlqDeliveries, String(origin.attempts));
  headers.set(Headers.DlqConsumer, origin.consumer);
  return publisher.publishBytes(dlqSubject(msg.subject), msg.data, { msgId: `dlq:${origin.consumer}:${origin.key}`, headers });
}

