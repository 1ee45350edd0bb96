import type { EventProvider } from './event-handler-def';

/** What the action resolution knows about the message that carried an event. */
export interface EventMessage {
  readonly provider: EventProvider;
  readonly subject: string;
  /**
   * The message's identity, stable across redeliveries: `msg:<Nats-Msg-Id>` when the publisher set
   * one, else `seq:<stream>:<sequence>:<stored-at ns>` for JetStream (the store time tells a
   * recreated stream's sequence 1 from the old one's), else `core:<random>` (core NATS never redelivers).
   */
  readonly key: string;
  /** Conductor's `conductor.event.messageId`: the Nats-Msg-Id, else `<stream>:<sequence>`, else the random core id. */
  readonly messageId: string;
  /** 1 on the first delivery; core NATS messages are delivered once. */
  readonly deliveryCount: number;
}

/** Identity of a JetStream message. */
export function jetStreamEventMessage(message: { subject: string; stream: string; sequence: number; storedAtNanos: number; msgId?: string; deliveryCount: number }): EventMessage {
  const { subject, stream, sequence, storedAtNanos, msgId, deliveryCount } = message;
  return {
    provider: 'jsm',
    subject,
    key: msgId ? `msg:${msgId}` : `seq:${stream}:${sequence}:${storedAtNanos}`,
    messageId: msgId || `${stream}:${sequence}`,
    deliveryCount,
  };
}

/** Identity of a core NATS message; `randomId` stands in when the publisher set no Nats-Msg-Id. */
export function coreEventMessage(message: { subject: string; msgId?: string }, randomId: string): EventMessage {
  return {
    provider: 'nats',
    subject: message.subject,
    key: message.msgId ? `msg:${message.msgId}` : `core:${randomId}`,
    messageId: message.msgId || randomId,
    deliveryCount: 1,
  };
}
