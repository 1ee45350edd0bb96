import { hostname } from 'node:os';
import path from 'node:path';
import { natsConnectionOptions, natsSecurityFromEnv, type NatsSecurity } from '@app/messaging';
import { DEFAULT_JSON_LIMITS, MAX_JSON_DEPTH, type JsonLimits } from '@app/common';
import type { ExecutionBounds } from '@app/domain';
import { loadAuthConfig, type AuthConfig } from '../auth/auth-config';

/** Orchestrator settings, from environment variables with embedded defaults (docs/configuration.md). */
export interface BatonConfig {
  /** HTTP port (`BATON_HTTP_PORT`, default 8080). */
  readonly httpPort: number;
  readonly httpHost: string;
  /** `BATON_NATS_URL`, default nats://127.0.0.1:4222. Comma-separated for a cluster. */
  readonly natsUrl: string;
  /** Credentials and TLS for NATS: `BATON_NATS_USER`/`_PASSWORD`, `_TOKEN`, `_NKEY_SEED`(`_FILE`), `_CREDS_FILE`, `_TLS_CA`/`_CERT`/`_KEY`. */
  readonly natsSecurity: NatsSecurity;
  /** `BATON_EVENT_STORE`: `sqlite:<file>` (default `sqlite:./data/baton.db`) or `esdb://host:2113?tls=false`. */
  readonly eventStore: string;
  /** `BATON_READ_MODEL`: the SQL read models (execution index, task report): `sqlite:<file>` (default `sqlite:./data/read-model.db`) or `postgres://…`. */
  readonly readModel: string;
  /** Directory for embedded files (`BATON_DATA_DIR`, default ./data). */
  readonly dataDir: string;
  /** Largest inbound message body accepted, in bytes (`BATON_MAX_PAYLOAD_BYTES`, default 256 KiB); larger ones are dead-lettered. */
  readonly maxPayloadBytes: number;
  /**
   * What every inbound JSON document (HTTP body, NATS result, polled task command, event-handler
   * message) may hold: `maxBytes` is {@link maxPayloadBytes}; nesting `BATON_JSON_MAX_DEPTH`
   * (default 128, at most 256), keys per object `BATON_JSON_MAX_KEYS` (10,000), items per array
   * `BATON_JSON_MAX_ARRAY_LENGTH` (100,000). Over a limit: HTTP 400 / dead letter `VALIDATION_FAILED`.
   */
  readonly jsonLimits: JsonLimits;
  /**
   * What one execution may hold: one task attempt's output (`BATON_MAX_TASK_OUTPUT_BYTES`, default
   * 256 KiB) and its data in all (`BATON_MAX_EXECUTION_STATE_BYTES`, default 8 MiB). Beyond either,
   * the task fails and the execution ends FAILED with a reason naming the limit.
   */
  readonly executionBounds: ExecutionBounds;
  /** Executions kept in the state cache (`BATON_CACHE_SIZE`, default 2,000: sized for the default 256 MB heap). */
  readonly cacheSize: number;
  /** Results processed concurrently (`BATON_RESULT_CONCURRENCY`, default 512). */
  readonly resultConcurrency: number;
  /** How long NATS waits for the orchestrator to ack a result before redelivering it (`BATON_RESULT_ACK_WAIT_MS`, default 10 s): bounds how long a crashed replica's in-flight results wait. */
  readonly resultAckWaitMs: number;
  /**
   * Cap of the backoff between tries of a result that failed with a retryable error (the store was
   * unreachable, say), which starts at 200 ms and doubles (`BATON_RESULT_RETRY_MAX_MS`, default 5 s).
   * The same cap bounds how often an unreachable event store is probed, so it is also how long
   * the orchestrator may take to notice the store is back.
   */
  readonly resultRetryMaxMs: number;
  /** Execution ends older than this are not reacted to again (notification, failure workflow) when a rebuilt read model replays history (`BATON_REACTION_WINDOW_MS`, default 15 min). */
  readonly reactionWindowMs: number;
  /**
   * How deep SUB_WORKFLOW children may nest (`BATON_MAX_SUBWORKFLOW_DEPTH`, default 32): a child
   * that would be nested deeper is not started, and its SUB_WORKFLOW task fails for good with the
   * reason, so a self-recursive definition ends instead of growing without bound.
   */
  readonly maxSubWorkflowDepth: number;
  /** Names this replica in logs and its NATS connection (`BATON_INSTANCE_ID`, default `<hostname>-<httpPort>`). */
  readonly instanceId: string;
  /** JetStream stream replicas (`BATON_STREAM_REPLICAS`, default 1; 3 in a cluster). */
  readonly streamReplicas: number;
  /** NATS KV bucket holding the rate and concurrency limits' shared state (`BATON_LIMITS_BUCKET`, default BATON_LIMITS); one per deployment. */
  readonly limitsBucket: string;
  /** How often each replica gives back concurrency slots of tasks that ended without freeing them (`BATON_LIMITS_RECONCILE_MS`, default 10 s). */
  readonly limitsReconcileMs: number;
  /** HTTP tasks the orchestrator runs at once (`BATON_HTTP_TASK_CONCURRENCY`, default 32); more wait their turn. */
  readonly httpTaskConcurrency: number;
  /** Largest response body an HTTP task reads, in bytes (`BATON_HTTP_TASK_MAX_BODY_BYTES`, default 1 MiB); a larger one fails the attempt. */
  readonly httpTaskMaxBodyBytes: number;
  /** Time an INLINE or LAMBDA script may run (`BATON_SCRIPT_TIMEOUT_MS`, default 4,000, Conductor's 4 s). */
  readonly scriptTimeoutMs: number;
  /** Heap of one script's sandbox (`BATON_SCRIPT_MEMORY_MB`, default 32). */
  readonly scriptMemoryMb: number;
  /** Time a JSON_JQ_TRANSFORM query may run (`BATON_JQ_TIMEOUT_MS`, default 5,000). */
  readonly jqTimeoutMs: number;
  /** Memory of the jq instance (`BATON_JQ_MEMORY_MB`, default 128). */
  readonly jqMemoryMb: number;
  /** pino level (`BATON_LOG_LEVEL`, default info). */
  readonly logLevel: string;
  /** `json` (default: one JSON object per line) or `pretty` (human-readable, for development; colours only on a terminal) (`BATON_LOG_FORMAT`). */
  readonly logFormat: LogFormat;
  /** The web console's build served at `/` (`BATON_CONSOLE_DIR`, default the `console` folder of the build, `dist/console`); `off` serves none. */
  readonly consoleDir?: string;
  /** How the HTTP API authenticates: `BATON_AUTH`, `BATON_AUTH_TOKENS_FILE` / `BATON_AUTH_TOKENS` (docs/security.md). */
  readonly auth: AuthConfig;
}

export type LogFormat = 'json' | 'pretty';

function logFormatFrom(raw: string | undefined): LogFormat {
  if (raw === undefined || raw === '' || raw === 'json') return 'json';
  if (raw !== 'pretty') throw new Error(`BATON_LOG_FORMAT must be json or pretty, got "${raw}"`);
  try {
    require.resolve('pino-pretty');
  } catch {
    throw new Error('BATON_LOG_FORMAT=pretty needs the pino-pretty package, a development dependency (npm install without --omit=dev)');
  }
  return raw;
}

/** First delay of the result retry backoff; {@link BatonConfig.resultRetryMaxMs} caps its doubling. */
export const RESULT_RETRY_INITIAL_MS = 200;

/** DI token of {@link BatonConfig}. */
export const BATON_CONFIG = Symbol('BATON_CONFIG');

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function jsonLimitsFrom(env: NodeJS.ProcessEnv, maxBytes: number): JsonLimits {
  return {
    maxBytes,
    maxDepth: intFrom(env, 'BATON_JSON_MAX_DEPTH', DEFAULT_JSON_LIMITS.maxDepth, 8, MAX_JSON_DEPTH),
    maxKeys: intFrom(env, 'BATON_JSON_MAX_KEYS', DEFAULT_JSON_LIMITS.maxKeys, 16),
    maxArrayLength: intFrom(env, 'BATON_JSON_MAX_ARRAY_LENGTH', DEFAULT_JSON_LIMITS.maxArrayLength, 16),
  };
}

function bucketFrom(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'BATON_LIMITS';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw new Error(`BATON_LIMITS_BUCKET must be 1–64 letters, digits, "_" or "-", got "${raw}"`);
  return raw;
}

/** Reads and checks the configuration; throws with the variable's name when one is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BatonConfig {
  const dataDir = path.resolve(env.BATON_DATA_DIR ?? 'data');
  const httpPort = intFrom(env, 'BATON_HTTP_PORT', 8080, 0);
  const eventStore = env.BATON_EVENT_STORE ?? `sqlite:${path.join(dataDir, 'baton.db')}`;
  if (!/^(sqlite:|esdb(\+discover)?:\/\/)/.test(eventStore)) {
    throw new Error(`BATON_EVENT_STORE must be sqlite:<file> or an esdb:// connection string, got "${eventStore}"`);
  }
  const readModel = env.BATON_READ_MODEL;
  if (readModel !== undefined && !/^(sqlite:|postgres(ql)?:\/\/)/.test(readModel)) {
    throw new Error(`BATON_READ_MODEL must be sqlite:<file> or a postgres:// URL, got "${readModel}"`);
  }
  const natsUrl = env.BATON_NATS_URL ?? 'nats://127.0.0.1:4222';
  const natsSecurity = natsSecurityFromEnv(env);
  // Contradicting credentials or an unreadable creds file stop the start here, naming the variable.
  natsConnectionOptions(natsUrl, natsSecurity);
  const maxPayloadBytes = intFrom(env, 'BATON_MAX_PAYLOAD_BYTES', 256 * 1024, 1024);
  return {
    httpPort,
    httpHost: env.BATON_HTTP_HOST ?? '0.0.0.0',
    natsUrl,
    natsSecurity,
    eventStore,
    readModel: env.BATON_READ_MODEL ?? `sqlite:${path.join(dataDir, 'read-model.db')}`,
    dataDir,
    maxPayloadBytes,
    jsonLimits: jsonLimitsFrom(env, maxPayloadBytes),
    executionBounds: {
      maxTaskOutputBytes: intFrom(env, 'BATON_MAX_TASK_OUTPUT_BYTES', 256 * 1024, 1024),
      maxExecutionStateBytes: intFrom(env, 'BATON_MAX_EXECUTION_STATE_BYTES', 8 * 1024 * 1024, 64 * 1024),
    },
    cacheSize: intFrom(env, 'BATON_CACHE_SIZE', 2_000, 1),
    resultConcurrency: intFrom(env, 'BATON_RESULT_CONCURRENCY', 512, 1),
    resultAckWaitMs: intFrom(env, 'BATON_RESULT_ACK_WAIT_MS', 10_000, 1_000),
    reactionWindowMs: intFrom(env, 'BATON_REACTION_WINDOW_MS', 15 * 60_000, 0),
    resultRetryMaxMs: intFrom(env, 'BATON_RESULT_RETRY_MAX_MS', 5_000, RESULT_RETRY_INITIAL_MS),
    maxSubWorkflowDepth: intFrom(env, 'BATON_MAX_SUBWORKFLOW_DEPTH', 32, 1),
    instanceId: env.BATON_INSTANCE_ID ?? `${hostname()}-${httpPort}`,
    streamReplicas: intFrom(env, 'BATON_STREAM_REPLICAS', 1, 1),
    limitsBucket: bucketFrom(env.BATON_LIMITS_BUCKET),
    limitsReconcileMs: intFrom(env, 'BATON_LIMITS_RECONCILE_MS', 10_000, 100),
    httpTaskConcurrency: intFrom(env, 'BATON_HTTP_TASK_CONCURRENCY', 32, 1),
    httpTaskMaxBodyBytes: intFrom(env, 'BATON_HTTP_TASK_MAX_BODY_BYTES', 1024 * 1024, 1024),
    scriptTimeoutMs: intFrom(env, 'BATON_SCRIPT_TIMEOUT_MS', 4_000, 10),
    scriptMemoryMb: intFrom(env, 'BATON_SCRIPT_MEMORY_MB', 32, 1),
    jqTimeoutMs: intFrom(env, 'BATON_JQ_TIMEOUT_MS', 5_000, 10),
    jqMemoryMb: intFrom(env, 'BATON_JQ_MEMORY_MB', 128, 32),
    logLevel: env.BATON_LOG_LEVEL ?? 'info',
    auth: loadAuthConfig(env),
    logFormat: logFormatFrom(env.BATON_LOG_FORMAT),
    ...(env.BATON_CONSOLE_DIR ? { consoleDir: env.BATON_CONSOLE_DIR } : {}),
  };
}
