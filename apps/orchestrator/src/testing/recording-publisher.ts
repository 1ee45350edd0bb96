import type { PubAck } from 'nats';
import type { JetStreamPublisher, PublishOptions } from '@app/messaging';

/** A message a test publisher was asked to send. */
export interface PublishedMessage {
  readonly subject: string;
  readonly body: unknown;
  readonly msgId?: string;
}

/**
 * Stands in for the JetStream publisher in in-process tests: keeps every message it is asked to
 * publish, and acks a repeated Nats-Msg-Id as a duplicate, as JetStream does within its window.
 */
export class RecordingPublisher {
  readonly messages: PublishedMessage[] = [];
  private sequence = 0;

  publish(subject: string, body: unknown, options: PublishOptions = {}): Promise<PubAck> {
    const duplicate = options.msgId !== undefined && this.messages.some((message) => message.msgId === options.msgId);
    this.messages.push({ subject, body, ...(options.msgId !== undefined ? { msgId: options.msgId } : {}) });
    return Promise.resolve({ stream: 'TEST', seq: duplicate ? this.sequence : ++this.sequence, duplicate, domain: '' } as PubAck);
  }

  /** Typed as the real publisher for constructors that take one. */
  asPublisher(): JetStreamPublisher {
    return this as unknown as JetStreamPublisher;
  }

  on(subject: string): PublishedMessage[] {
    return this.messages.filter((message) => message.subject === subject);
  }
}
