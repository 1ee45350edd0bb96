import type { JsMsg } from 'nats';

// Acks are fire-and-forget publishes: once the connection is closed they throw, and the server's
// redelivery after ack_wait is then the right outcome. These never throw for that reason.

/** Acknowledges; a failure leaves the message to be redelivered after its ack wait. */
export function safeAck(msg: JsMsg): void {
  try {
    msg.ack();
  } catch {
    /* redelivered after ack_wait */
  }
}

/** Hands the message back for redelivery (after `delayMs`, when given); a failure means redelivery after the ack wait. */
export function safeNak(msg: JsMsg, delayMs?: number): void {
  try {
    msg.nak(delayMs);
  } catch {
    /* redelivered after ack_wait */
  }
}

/** Tells the server never to deliver the message again; a failure means redelivery after the ack wait. */
export function safeTerm(msg: JsMsg): void {
  try {
    msg.term();
  } catch {
    /* redelivered after ack_wait, then dead-lettered again under the same Msg-Id */
  }
}
