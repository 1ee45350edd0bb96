import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { BaseRpcContext } from '@nestjs/microservices/ctx-host/base-rpc.context';
import type { NatsConnection } from 'nats';
import type { ConsumerMetrics } from './consumer-metrics';
import { DeadLetterPublisher } from './dead-letter';
import { settleHandlerResult } from './handler-outcome';
import { JetStreamConsumer } from './jetstream-consumer';
import type { JetStreamPatternExtras } from './jetstream-pattern.extras';
import { JetStreamPublisher } from './jetstream-publisher';
import { ensureStreams, type BatonStreamsOptions } from './jetstream-setup';
import { type JetStreamMessageContext } from './message.context';
import type { MessagingLogger } from './messaging-logger';
import { closeNats, connectNats, type NatsConnectOptions } from './nats-connection';

/** Transport id: pass it as `@EventPattern(pattern, JETSTREAM_TRANSPORT, extras)` in hybrid apps. */
export const JETSTREAM_TRANSPORT = Symbol('BATON_JETSTREAM');

/** Options of {@link JetStreamTransport}. */
export interface JetStreamTransportOptions extends NatsConnectOptions {
  /** Use this connection instead of opening one; the transport then leaves it open on close. */
  connection?: NatsConnection;
  /** Create or update the Baton streams on start (default), with these options; `false` skips it. */
  streams?: BatonStreamsOptions | false;
  /** Consumer settings every pattern starts from; a pattern's extras override them. */
  consumerDefaults?: Partial<JetStreamPatternExtras>;
  /** Counter hook for received / acked / nacked / dead-lettered messages. */
  metrics?: ConsumerMetrics;
  logger?: MessagingLogger;
  /** How long `close()` waits for running handlers. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** Dead-letter subject of a message; default `baton.dlq.<subject>`. */
  deadLetterSubject?: (originSubject: string) => string;
}

/** Connection states reported through `status`. */
export type JetStreamTransportStatus = 'connected' | 'disconnected' | 'reconnecting';

/** Events of {@link JetStreamTransport.on}. */
export type JetStreamTransportEvents = {
  disconnect: (server: unknown) => void;
  reconnect: (server: unknown) => void;
  error: (error: unknown) => void;
};

/**
 * NestJS transport strategy over JetStream durable pull consumers: every `@EventPattern` whose
 * extras name a durable becomes one consumer (filter = the pattern) shared by all replicas. A
 * message is acked only after its handler resolves (or its observable completes); a retryable
 * failure is redelivered with backoff; an invalid body or a non-retryable error is published to
 * `baton.dlq.<subject>` and terminated. Register {@link JetStreamExceptionFilter} so handler
 * errors keep their `retryable` flag.
 *
 * @example
 * ```ts
 * const app = await NestFactory.createMicroservice(AppModule, {
 *   strategy: new JetStreamTransport({ name: 'orchestrator', metrics }),
 * });
 * app.useGlobalFilters(new JetStreamExceptionFilter());
 * await app.listen();
 *
 * // in a controller
 * @EventPattern('baton.result.>', { stream: RESULTS_STREAM, durable: ORCHESTRATOR_RESULTS_DURABLE, dto: TaskResultMessage })
 * async onResult(@Payload() result: TaskResultMessage, @Ctx() ctx: JetStreamMessageContext) { … }
 * ```
 */
export class JetStreamTransport
  extends Server<JetStreamTransportEvents, JetStreamTransportStatus>
  implements CustomTransportStrategy
{
  override transportId = JETSTREAM_TRANSPORT;
  private connection: NatsConnection | undefined;
  private consumers: JetStreamConsumer[] = [];
  private paused = false;
  private readonly events = new EventEmitter();
  private readonly log: MessagingLogger;

  constructor(private readonly options: JetStreamTransportOptions = {}) {
    super();
    this.log = options.logger ?? new Logger(JetStreamTransport.name);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      await this.close();
      callback(error);
      return;
    }
    callback();
  }

  async close(): Promise<void> {
    const consumers = this.consumers;
    this.consumers = [];
    await Promise.all(consumers.map((consumer) => consumer.stop(this.options.shutdownTimeoutMs ?? 30_000)));
    const connection = this.connection;
    this.connection = undefined;
    if (connection && !this.options.connection) await closeNats(connection);
    this.events.removeAllListeners();
  }

  /**
   * Pauses every consumer (also those started later) until {@link resume}: for an outage of a
   * dependency every handler needs. See {@link JetStreamConsumer.pause}.
   */
  pause(): void {
    this.paused = true;
    for (const consumer of this.consumers) consumer.pause();
  }

  /** Resumes the consumers after {@link pause}. */
  resume(): void {
    this.paused = false;
    for (const consumer of this.consumers) consumer.resume();
  }

  on<EventKey extends keyof JetStreamTransportEvents, EventCallback extends JetStreamTransportEvents[EventKey]>(event: EventKey, callback: EventCallback): void {
    this.events.on(event, callback);
  }

  /** The NATS connection. */
  unwrap<T = NatsConnection>(): T {
    if (!this.connection) throw new Error('JetStreamTransport is not listening yet: call listen() (app.listen / startAllMicroservices) first.');
    return this.connection as T;
  }

  private async start(): Promise<void> {
    const connection = this.options.connection ?? (await connectNats({ name: 'baton', ...this.options }));
    this.connection = connection;
    this._status$.next('connected');
    void this.watchStatus(connection);
    const jsm = await connection.jetstreamManager();
    if (this.options.streams !== false) await ensureStreams(jsm, this.options.streams ?? {});
    const deadLetter = new DeadLetterPublisher(new JetStreamPublisher(connection), this.options.deadLetterSubject);
    for (const [pattern, handler] of this.messageHandlers) {
      const extras = { ...this.options.consumerDefaults, ...(handler.extras as Partial<JetStreamPatternExtras> | undefined) };
      if (!extras.durable) {
        this.log.warn(`pattern "${pattern}" has no durable in its extras; JetStreamTransport leaves it alone`);
        continue;
      }
      const stream = extras.stream ?? (await jsm.streams.find(pattern));
      const consumer = new JetStreamConsumer(
        connection,
        { ...extras, durable: extras.durable, stream, filterSubject: pattern, deadLetter, metrics: this.options.metrics, logger: this.log },
        (data, context) => this.invoke(handler, data, context),
      );
      if (this.paused) consumer.pause();
      this.consumers.push(consumer);
    }
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
  }

  /** Runs a Nest handler (interceptors, pipes, filters included) to completion of its result. */
  private invoke(handler: MessageHandler, data: unknown, context: JetStreamMessageContext): Promise<unknown> {
    const rpcContext = context as unknown as BaseRpcContext;
    const transportId = this.transportId;
    return new Promise((resolve, reject) => {
      const run = async () => {
        try {
          const result = await handler(data, context);
          const pending = settleHandlerResult(result);
          resolve(pending ? await pending : result);
        } catch (error) {
          reject(error);
        } finally {
          this.onProcessingEndHook?.(transportId, rpcContext);
        }
      };
      try {
        this.onProcessingStartHook(transportId, rpcContext, run);
      } catch (error) {
        reject(error);
      }
    });
  }

  private async watchStatus(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      switch (status.type) {
        case 'disconnect':
          this._status$.next('disconnected');
          this.events.emit('disconnect', status.data);
          break;
        case 'reconnecting':
          this._status$.next('reconnecting');
          break;
        case 'reconnect':
          this._status$.next('connected');
          this.events.emit('reconnect', status.data);
          break;
        case 'error':
          if (this.events.listenerCount('error') > 0) this.events.emit('error', status.data);
          else this.log.error(`NATS error: ${String(status.data)}`);
          break;
        default:
          break;
      }
    }
  }
}
