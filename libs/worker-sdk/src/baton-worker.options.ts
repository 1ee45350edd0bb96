import type { BatonStreamsOptions, ConsumerMetrics, MessagingLogger, NatsSecurity } from '@app/messaging';
import type { NatsConnection } from 'nats';
import type { CreateWorkerOptions } from './create-worker';

/** DI token of the {@link BatonWorkerModuleOptions}. */
export const BATON_WORKER_OPTIONS = Symbol('BATON_WORKER_OPTIONS');

/**
 * Per-task settings of `@BatonTask`, over the module's defaults.
 *
 * @example
 * ```ts
 * @BatonTask('render_invoice', { concurrency: 2, heartbeatIntervalMs: 5_000, shutdownTimeoutMs: 120_000 })
 * ```
 */
export type BatonTaskOptions = Pick<
  CreateWorkerOptions,
  'concurrency' | 'heartbeatIntervalMs' | 'ackWaitMs' | 'shutdownTimeoutMs' | 'maxDeliver' | 'maxPayloadBytes' | 'rememberFinishedTasks'
>;

/**
 * Options of `BatonWorkerModule.forRoot`.
 *
 * @example
 * BatonWorkerModule.forRoot({ natsUrl: 'nats://nats:4222', workerId: process.env.HOSTNAME, defaults: { concurrency: 16 } });
 */
export interface BatonWorkerModuleOptions {
  /** NATS URL(s); default `BATON_NATS_URL`, then nats://127.0.0.1:4222. */
  natsUrl?: string | string[];
  /** NATS credentials and TLS files; default the `BATON_NATS_*` variables (docs/configuration.md). */
  natsSecurity?: NatsSecurity;
  /** Share an existing connection instead of opening one; it is left open on shutdown. */
  connection?: NatsConnection;
  /** Reported in every result. Default `<hostname>:<pid>`. */
  workerId?: string;
  /** Create/update the Baton streams at bootstrap (default), with these options; `false` skips it. */
  streams?: BatonStreamsOptions | false;
  /** Settings every `@BatonTask` starts from. */
  defaults?: BatonTaskOptions;
  metrics?: ConsumerMetrics;
  /** Default: Nest's Logger with context `BatonWorker`. */
  logger?: MessagingLogger;
}

/** Options of `BatonWorkerModule.forRootAsync`. */
export interface BatonWorkerModuleAsyncOptions {
  imports?: unknown[];
  inject?: unknown[];
  useFactory: (...args: never[]) => BatonWorkerModuleOptions | Promise<BatonWorkerModuleOptions>;
}
