import { headers as createHeaders, nuid, type JetStreamClient, type JetStreamPublishOptions, type MsgHdrs, type NatsConnection, type PubAck } from 'nats';
import { Headers } from './contract/subjects';
import { cappedBackoff, delay, settlesWithin, type BackoffPolicy } from '@app/common';
import { ConcurrencyLimit } from './concurrency-limit';
import { MessagingErrorCodes, PublishError, type MessagingErrorCode } from './messaging.errors';

/** Per-message options of {@link JetStreamPublisher.publish}. */
export interface PublishOptions {
  /**
   * `Nats-Msg-Id` for JetStream dedupe. Give a deterministic one (e.g. the task id) to make a
   * republish after a crash harmless; without one a random id still makes internal retries safe.
   */
  msgId?: string;
  /** W3C trace context to carry along. */
  traceparent?: string;
  /** Extra headers; NATS header values cannot hold line breaks. */
  headers?: MsgHdrs | Readonly<Record<string, string>>;
  /** JetStream publish expectations (expected stream, last sequence…). */
  expect?: JetStreamPublishOptions['expect'];
}

/** Tunables of {@link JetStreamPublisher}. */
export interface JetStreamPublisherOptions {
  /** Publishes awaiting their ack at once; more wait for a slot. Default 1024. */
  maxInFlight?: number;
  /** Wait for one ack before trying again. Default 2 s. */
  attemptTimeoutMs?: number;
  /**
   * How long to keep retrying a publish whose outcome is unknown (timeout, no responders during a
   * leader election, disconnected). Default 15 s: a cluster needed ~7 s to elect a leader.
   */
  retryForMs?: number;
  /** Pause between attempts. Default 50 ms doubling up to 1 s. */
  backoff?: BackoffPolicy;
}

const encoder = new TextEncoder();

/**
 * Publishes to JetStream with at-least-once semantics: every message carries a `Nats-Msg-Id`, a
 * publish whose ack did not arrive is retried with the same id (JetStream drops the duplicate),
 * and many publishes are in flight at once instead of one round trip after another.
 *
 * @example
 * const publisher = new JetStreamPublisher(nc);
 * const ack = await publisher.publish(taskSubject('charge_payment'), command, { msgId: command.taskId });
 */
export class JetStreamPublisher {
  private readonly js: JetStreamClient;
  private readonly limit: ConcurrencyLimit;
  private readonly attemptTimeoutMs: number;
  private readonly retryForMs: number;
  private readonly backoff: BackoffPolicy;
  private closed = false;

  constructor(
    private readonly connection: NatsConnection,
    options: JetStreamPublisherOptions = {},
  ) {
    this.js = connection.jetstream();
    this.limit = new ConcurrencyLimit(options.maxInFlight ?? 1024);
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 2_000;
    this.retryForMs = options.retryForMs ?? 15_000;
    this.backoff = options.backoff ?? { initialMs: 50, maxMs: 1_000 };
  }

  /** Publishes currently waiting for their ack (for gauges and tests). */
  get inFlight(): number {
    return this.limit.inUse;
  }

  /** Serialises `body` as JSON and publishes it; resolves with the stream's ack. */
  publish(subject: string, body: unknown, options: PublishOptions = {}): Promise<PubAck> {
    let data: Uint8Array;
    try {
      data = encoder.encode(JSON.stringify(body));
    } catch (cause) {
      return Promise.reject(
        new PublishError(MessagingErrorCodes.PublishEncodeFailed, `cannot encode the message for ${subject} as JSON`, { retryable: false, subject, cause }),
      );
    }
    return this.publishBytes(subject, data, options);
  }

  /** Publishes bytes as they are (a dead letter keeps the original body untouched). */
  async publishBytes(subject: string, data: Uint8Array, options: PublishOptions = {}): Promise<PubAck> {
    if (this.closed) {
      throw new PublishError(MessagingErrorCodes.PublisherClosed, `publisher is closed; not publishing to ${subject}`, { retryable: true, subject });
    }
    const wait = this.limit.acquire();
    if (wait) await wait;
    try {
      return await this.publishWithRetry(subject, data, toPublishOptions(options, this.attemptTimeoutMs));
    } finally {
      this.limit.release();
    }
  }

  /** Refuses new publishes and waits (bounded) for those in flight to settle. */
  async close(timeoutMs = 15_000): Promise<void> {
    this.closed = true;
    await settlesWithin(this.limit.idle(), timeoutMs);
  }

  private async publishWithRetry(subject: string, data: Uint8Array, options: Partial<JetStreamPublishOptions>): Promise<PubAck> {
    const giveUpAt = Date.now() + this.retryForMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.js.publish(subject, data, options);
      } catch (error) {
        const failure = classifyPublishFailure(error);
        const pause = cappedBackoff(attempt, this.backoff);
        if (!failure.retry || this.connection.isClosed() || Date.now() + pause > giveUpAt) {
          throw new PublishError(failure.code, `publish to ${subject} failed after ${attempt} attempt(s): ${(error as Error).message}`, {
            retryable: failure.retryable,
            subject,
            msgId: options.msgID,
            attempts: attempt,
            cause: error,
          });
        }
        await delay(pause);
      }
    }
  }
}

function toPublishOptions(options: PublishOptions, timeout: number): Partial<JetStreamPublishOptions> {
  const headers = toHeaders(options.headers);
  if (options.traceparent) headers.set(Headers.TraceParent, options.traceparent);
  return { msgID: options.msgId ?? nuid.next(), timeout, headers, expect: options.expect };
}

function toHeaders(source: PublishOptions['headers']): MsgHdrs {
  if (source && typeof (source as MsgHdrs).set === 'function') return source as MsgHdrs;
  const headers = createHeaders();
  if (source) for (const [key, value] of Object.entries(source as Record<string, string>)) headers.set(key, value);
  return headers;
}

interface PublishFailure {
  code: MessagingErrorCode;
  /** Whether this publisher should try again itself. */
  retry: boolean;
  /** What the error tells the caller. */
  retryable: boolean;
}

/** JetStream API errors that mean "not now" rather than "never" (nats-server err_code). */
const TRANSIENT_API_ERRORS = new Set([10008 /* temporarily unavailable */, 10023 /* insufficient resources */]);

/**
 * A timeout or a lost connection means the outcome is unknown: the message may be stored. Only
 * retrying with the same `Nats-Msg-Id` resolves that without duplicates.
 */
export function classifyPublishFailure(error: unknown): PublishFailure {
  const { code, api_error: apiError } = (error ?? {}) as { code?: string; api_error?: { err_code?: number } };
  if (apiError?.err_code !== undefined) {
    return TRANSIENT_API_ERRORS.has(apiError.err_code)
      ? { code: MessagingErrorCodes.PublishNoResponders, retry: true, retryable: true }
      : { code: MessagingErrorCodes.PublishRejected, retry: false, retryable: false };
  }
  switch (code) {
    case 'TIMEOUT':
      return { code: MessagingErrorCodes.PublishTimeout, retry: true, retryable: true };
    case '503':
      return { code: MessagingErrorCodes.PublishNoResponders, retry: true, retryable: true };
    case 'DISCONNECT':
    case 'CONNECTION_REFUSED':
    case 'REQUEST_ERROR':
      return { code: MessagingErrorCodes.PublishDisconnected, retry: true, retryable: true };
    case 'CONNECTION_CLOSED':
    case 'CONNECTION_DRAINING':
      return { code: MessagingErrorCodes.ConnectionClosed, retry: false, retryable: true };
    case 'MAX_PAYLOAD_EXCEEDED':
      return { code: MessagingErrorCodes.PublishTooLarge, retry: false, retryable: false };
    default:
      return { code: MessagingErrorCodes.PublishRejected, retry: false, retryable: false };
  }
}
