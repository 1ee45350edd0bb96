import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  nanos,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type NatsError,
  type StreamConfig,
  type StreamInfo,
} from 'nats';
import {
  DLQ_STREAM,
  DLQ_SUBJECT_PREFIX,
  EXECUTION_SUBJECT_PREFIX,
  NOTIFICATIONS_STREAM,
  RESULT_SUBJECT_PREFIX,
  RESULTS_STREAM,
  TASK_SUBJECT_PREFIX,
  TASKS_STREAM,
} from './contract/subjects';
import { JetStreamSetupError, MessagingErrorCodes, type MessagingErrorCode } from './messaging.errors';

/** JetStream API error codes this module reacts to (nats-server's `err_code`). */
const JsErrCodes = {
  StreamNotFound: 10059,
  ConsumerNotFound: 10014,
  StreamNameInUse: 10058,
  ConsumerAlreadyExists: 10148,
  ConsumerNameExists: 10013,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Tunables of the Baton streams; the defaults suit one server, `replicas: 3` a cluster. */
export interface BatonStreamsOptions {
  /** Copies of every stream; 3 in a three-node cluster. Default 1. */
  replicas?: number;
  /** Largest message a stream accepts, in bytes; -1 (default) leaves it to the server's max_payload. */
  maxMessageBytes?: number;
  /** Window in which a repeated `Nats-Msg-Id` is dropped. Default 2 minutes. */
  duplicateWindowMs?: number;
  /** How long dead letters are kept. Default 7 days. */
  dlqMaxAgeMs?: number;
  /** Size cap of the dead-letter stream; the oldest go first. Default 1 GiB. */
  dlqMaxBytes?: number;
  /** How long execution notifications are kept. Default 24 hours. */
  executionsMaxAgeMs?: number;
}

/** A stream configuration with at least a name, as {@link ensureStream} takes it. */
export type StreamSpec = Partial<StreamConfig> & { name: string };

/** The four Baton streams as JetStream configurations (exported for tooling and docs). */
export function batonStreamConfigs(options: BatonStreamsOptions = {}): StreamSpec[] {
  const common: Partial<StreamConfig> = {
    storage: StorageType.File,
    num_replicas: options.replicas ?? 1,
    max_msg_size: options.maxMessageBytes ?? -1,
    duplicate_window: nanos(options.duplicateWindowMs ?? 2 * 60 * 1000),
    discard: DiscardPolicy.Old,
  };
  return [
    { ...common, name: TASKS_STREAM, subjects: [`${TASK_SUBJECT_PREFIX}>`], retention: RetentionPolicy.Workqueue },
    { ...common, name: RESULTS_STREAM, subjects: [`${RESULT_SUBJECT_PREFIX}>`], retention: RetentionPolicy.Workqueue },
    {
      ...common,
      name: DLQ_STREAM,
      subjects: [`${DLQ_SUBJECT_PREFIX}>`],
      retention: RetentionPolicy.Limits,
      max_age: nanos(options.dlqMaxAgeMs ?? 7 * DAY_MS),
      max_bytes: options.dlqMaxBytes ?? 1024 ** 3,
    },
    {
      ...common,
      name: NOTIFICATIONS_STREAM,
      subjects: [`${EXECUTION_SUBJECT_PREFIX}>`],
      retention: RetentionPolicy.Limits,
      max_age: nanos(options.executionsMaxAgeMs ?? DAY_MS),
    },
  ];
}

/**
 * Creates or updates the Baton streams (tasks, results, dead letters, execution notifications).
 * Safe to call from every replica at every start: concurrent creators are tolerated.
 *
 * @example
 * const jsm = await nc.jetstreamManager();
 * await ensureStreams(jsm, { replicas: 3 });
 */
export async function ensureStreams(jsm: JetStreamManager, options: BatonStreamsOptions = {}): Promise<StreamInfo[]> {
  return Promise.all(batonStreamConfigs(options).map((config) => ensureStream(jsm, config)));
}

/**
 * Creates the stream, or updates it when a field this configuration sets differs. A field the
 * server cannot change in place (retention, storage) fails with `STREAM_CONFIG_CONFLICT`.
 *
 * @example
 * await ensureStream(jsm, { name: 'ORDERS', subjects: ['orders.>'], storage: StorageType.File });
 */
export async function ensureStream(jsm: JetStreamManager, config: StreamSpec): Promise<StreamInfo> {
  const existing = await streamInfoOrNull(jsm, config.name);
  if (!existing) {
    try {
      return await jsm.streams.add(config);
    } catch (error) {
      // Another replica created it between our lookup and our add: fall through to the update.
      if (apiErrCode(error) !== JsErrCodes.StreamNameInUse) throw setupError(`creating stream ${config.name}`, error);
    }
  }
  const current = existing ?? (await jsm.streams.info(config.name));
  if (!differs(current.config, config)) return current;
  try {
    return await jsm.streams.update(config.name, { ...current.config, ...config });
  } catch (error) {
    throw setupError(`updating stream ${config.name}`, error, MessagingErrorCodes.StreamConfigConflict);
  }
}

/** Durable pull consumer settings that {@link ensureDurableConsumer} keeps in step. */
export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  filterSubject: string;
  ackWaitMs: number;
  /** Server-side cap on deliveries; -1 leaves the cap to the client (see JetStreamConsumer). */
  maxDeliver: number;
  maxAckPending: number;
  deliverPolicy?: DeliverPolicy;
  replicas?: number;
}

/**
 * Creates the durable pull consumer or updates it in place. On nats-server 2.9 a consumer "add"
 * with an existing durable name is an update; newer servers refuse it, so that case falls back
 * to an explicit update.
 *
 * @example
 * await ensureDurableConsumer(jsm, { stream: 'BATON_TASKS', durable: 'baton-worker-email',
 *   filterSubject: 'baton.task.email', ackWaitMs: 60_000, maxDeliver: -1, maxAckPending: 64 });
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<ConsumerInfo> {
  const config: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: spec.maxAckPending,
    filter_subject: spec.filterSubject,
    deliver_policy: spec.deliverPolicy ?? DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ...(spec.replicas ? { num_replicas: spec.replicas } : {}),
  };
  try {
    return await jsm.consumers.add(spec.stream, config);
  } catch (error) {
    const code = apiErrCode(error);
    if (code !== JsErrCodes.ConsumerAlreadyExists && code !== JsErrCodes.ConsumerNameExists) {
      throw setupError(`creating consumer ${spec.stream}/${spec.durable}`, error, MessagingErrorCodes.ConsumerConfigConflict);
    }
  }
  try {
    const { deliver_policy: _immutable, ...updatable } = config;
    return await jsm.consumers.update(spec.stream, spec.durable, updatable);
  } catch (error) {
    throw setupError(`updating consumer ${spec.stream}/${spec.durable}`, error, MessagingErrorCodes.ConsumerConfigConflict);
  }
}

/** True for the JetStream "not found" answers about a stream or a consumer. */
export function isNotFound(error: unknown): boolean {
  const code = apiErrCode(error);
  return code === JsErrCodes.StreamNotFound || code === JsErrCodes.ConsumerNotFound;
}

/** JetStream API `err_code` of a nats.js error, if it carries one. */
export function apiErrCode(error: unknown): number | undefined {
  return (error as Partial<NatsError> | undefined)?.api_error?.err_code;
}

async function streamInfoOrNull(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (apiErrCode(error) === JsErrCodes.StreamNotFound) return null;
    throw setupError(`reading stream ${name}`, error);
  }
}

/** Compares only what the wanted config sets: the server fills in many defaults of its own. */
function differs(current: StreamConfig, wanted: Partial<StreamConfig>): boolean {
  return Object.entries(wanted).some(([key, value]) => {
    const actual = (current as unknown as Record<string, unknown>)[key];
    return Array.isArray(value) ? JSON.stringify([...value].sort()) !== JSON.stringify([...((actual as unknown[]) ?? [])].sort()) : actual !== value;
  });
}

function setupError(what: string, cause: unknown, code: MessagingErrorCode = MessagingErrorCodes.SetupFailed): JetStreamSetupError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new JetStreamSetupError(code, `${what}: ${message}`, { retryable: apiErrCode(cause) === undefined, cause });
}
