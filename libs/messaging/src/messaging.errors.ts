import { BatonError } from '@app/domain';

/** Stable codes of the errors the messaging library raises. */
export const MessagingErrorCodes = {
  PublishTimeout: 'PUBLISH_TIMEOUT',
  PublishNoResponders: 'PUBLISH_NO_RESPONDERS',
  PublishDisconnected: 'PUBLISH_DISCONNECTED',
  PublishRejected: 'PUBLISH_REJECTED',
  PublishTooLarge: 'PUBLISH_TOO_LARGE',
  PublishEncodeFailed: 'PUBLISH_ENCODE_FAILED',
  ConnectionClosed: 'NATS_CONNECTION_CLOSED',
  PublisherClosed: 'PUBLISHER_CLOSED',
  StreamConfigConflict: 'STREAM_CONFIG_CONFLICT',
  ConsumerConfigConflict: 'CONSUMER_CONFIG_CONFLICT',
  SetupFailed: 'JETSTREAM_SETUP_FAILED',
  RetryLater: 'RETRY_LATER',
  /** The NATS credential or TLS settings contradict each other, or a file they name cannot be read. */
  InvalidNatsConfig: 'INVALID_NATS_CONFIG',
} as const;
export type MessagingErrorCode = (typeof MessagingErrorCodes)[keyof typeof MessagingErrorCodes];

declare module '@app/domain' {
  // Registers every code above: the interface's members come from the Record it extends.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface BatonErrorCodes extends Record<MessagingErrorCode, true> {}
}

/**
 * A JetStream publish that did not get a positive ack. `retryable` tells the caller whether the
 * same publish (with the same `Nats-Msg-Id`) may still succeed, e.g. after a leader election.
 *
 * @example
 * try { await publisher.publish(subject, body, { msgId }); }
 * catch (error) { if (error instanceof PublishError && error.retryable) msg.nak(1_000); }
 */
export class PublishError extends BatonError {
  constructor(
    code: MessagingErrorCode,
    message: string,
    options: { retryable: boolean; subject: string; msgId?: string; attempts?: number; cause?: unknown },
  ) {
    super(code, message, {
      retryable: options.retryable,
      cause: options.cause,
      details: { subject: options.subject, msgId: options.msgId, attempts: options.attempts },
    });
  }
}

/**
 * Streams or consumers could not be created or brought to the wanted configuration.
 *
 * @example
 * await ensureStreams(jsm).catch((error: JetStreamSetupError) => logger.error(error.code));
 */
export class JetStreamSetupError extends BatonError {}

/**
 * Thrown by a message handler to ask for redelivery after `delayMs` without counting the failure
 * as a bug, e.g. when a downstream rate limit says "later" or the service is shutting down.
 *
 * @example
 * if (limiter.exhausted) throw new RetryLaterError('rate limited', 5_000);
 */
export class RetryLaterError extends BatonError {
  constructor(
    message: string,
    readonly delayMs: number,
    options: { cause?: unknown } = {},
  ) {
    super(MessagingErrorCodes.RetryLater, message, { retryable: true, cause: options.cause, details: { delayMs } });
  }
}
