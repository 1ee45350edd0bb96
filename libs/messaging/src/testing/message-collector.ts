import type { Msg, MsgHdrs, NatsConnection, Subscription } from 'nats';

/** One message seen on a core subscription. */
export interface CollectedMessage {
  subject: string;
  headers: MsgHdrs | undefined;
  body: unknown;
}

/**
 * Listens on a subject with a core subscription: JetStream publishes reach core subscribers too,
 * so tests can watch result and dead-letter subjects without creating consumers on shared streams.
 */
export class MessageCollector {
  readonly messages: CollectedMessage[] = [];
  private readonly subscription: Subscription;

  private constructor(connection: NatsConnection, subject: string) {
    this.subscription = connection.subscribe(subject, { callback: (_error, msg) => this.messages.push(toCollected(msg)) });
  }

  /** Subscribes and waits until the server has the interest, so nothing published after is missed. */
  static async listen(connection: NatsConnection, subject: string): Promise<MessageCollector> {
    const collector = new MessageCollector(connection, subject);
    await connection.flush();
    return collector;
  }

  where(predicate: (message: CollectedMessage) => boolean): CollectedMessage[] {
    return this.messages.filter(predicate);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

function toCollected(msg: Msg): CollectedMessage {
  let body: unknown;
  try {
    body = msg.json();
  } catch {
    body = msg.string();
  }
  return { subject: msg.subject, headers: msg.headers, body };
}
