import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { DLQ_STREAM, Headers } from '@app/messaging';
import { BatonApi } from './baton-api';
import { startNode, type ChildHandle } from './child-process';

export const NATS_URL = process.env.BATON_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Node flags the orchestrator runs with everywhere (package.json `start`, Dockerfile). */
export const ORCHESTRATOR_NODE_FLAGS = ['--max-old-space-size=256'] as const;

/** The sample services, by entry point. */
export const SAMPLE_SERVICES = ['order-service', 'inventory-service', 'payment-service', 'shipping-service', 'notification-service'] as const;

const BATON_STREAMS = ['BATON_TASKS', 'BATON_RESULTS', 'BATON_DLQ', 'BATON_EXECUTIONS'];

/**
 * Deletes Baton's streams (and with them every consumer), so an end-to-end suite starts from
 * an empty NATS — the test run's own server (global-setup.ts). Suites run one at a time
 * (`--runInBand`) for this reason.
 */
export async function resetBatonStreams(natsUrl = NATS_URL): Promise<void> {
  const connection = await connect({ servers: natsUrl });
  try {
    const jsm = await connection.jetstreamManager();
    for (const name of BATON_STREAMS) {
      try {
        await jsm.streams.delete(name);
      } catch (error) {
        if (!String(error).includes('not found')) throw error;
      }
    }
  } finally {
    await connection.close();
  }
}

/** A dead letter of one of a test's executions: its code and the execution it was for. */
export interface DeadLetterOf {
  readonly executionId: string;
  readonly code: string;
}

/**
 * The dead letters whose body names one of these executions: what the orchestrator gave up on for
 * this test, ignoring letters of other suites sharing the NATS server.
 */
export async function deadLettersOf(executionIds: ReadonlySet<string>, natsUrl = NATS_URL): Promise<DeadLetterOf[]> {
  const connection = await connect({ servers: natsUrl });
  try {
    const jsm = await connection.jetstreamManager();
    const stored = await jsm.streams.info(DLQ_STREAM).catch((error: unknown) => {
      if (String(error).includes('not found')) return undefined;
      throw error;
    });
    if (!stored || stored.state.messages === 0) return [];
    const found: DeadLetterOf[] = [];
    const messages = await (await connection.jetstream().consumers.get(DLQ_STREAM)).consume();
    for await (const message of messages) {
      const executionId = executionIdIn(message.data);
      if (executionId !== undefined && executionIds.has(executionId)) found.push({ executionId, code: message.headers?.get(Headers.DlqCode) ?? '' });
      if (message.info.pending === 0) break;
    }
    return found;
  } finally {
    await connection.close();
  }
}

function executionIdIn(body: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { executionId?: unknown };
    return typeof parsed.executionId === 'string' ? parsed.executionId : undefined;
  } catch {
    return undefined; // a malformed body another suite sent on purpose
  }
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A temporary directory for one suite's data and logs. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `baton-${prefix}-`));
}

export interface OrchestratorProcess {
  readonly handle: ChildHandle;
  readonly api: BatonApi;
  readonly port: number;
}

/**
 * Starts the orchestrator as its own process and waits until it answers /health with 200 — it, not
 * another process on the port: /health reports the pid. If the process exits first, the error
 * carries the last line it wrote to stderr (its start-up failure).
 */
export async function startOrchestrator(options: { dataDir: string; port?: number; name?: string; env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number }): Promise<OrchestratorProcess> {
  const port = options.port ?? (await freePort());
  const name = options.name ?? 'orchestrator';
  const handle = startNode(name, 'apps/orchestrator/src/main.js', {
    logDir: path.join(options.dataDir, 'logs'),
    // The same heap bound the orchestrator is launched with in production (npm start, Dockerfile).
    nodeArgs: [...ORCHESTRATOR_NODE_FLAGS, ...(options.nodeArgs ?? [])],
    env: {
      BATON_HTTP_PORT: String(port),
      BATON_HTTP_HOST: '127.0.0.1',
      BATON_DATA_DIR: options.dataDir,
      BATON_NATS_URL: NATS_URL,
      BATON_INSTANCE_ID: name,
      ...options.env,
    },
  });
  const api = new BatonApi(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (!handle.running) {
      const code = await handle.finished();
      throw new OrchestratorStartError(`${name} exited with code ${code}: ${handle.lastErrorLine ?? '(nothing on stderr)'} (log: ${handle.logFile})`, handle.lastErrorLine);
    }
    if ((await api.healthyPid()) === handle.process.pid) return { handle, api, port };
    if (Date.now() > deadline) {
      await handle.stop();
      throw new OrchestratorStartError(`${name} did not answer /health on port ${port} within ${options.timeoutMs ?? 30_000} ms (log: ${handle.logFile})`, handle.lastErrorLine);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The orchestrator did not start: `stderrLine` is the last line it wrote to stderr, if any. */
export class OrchestratorStartError extends Error {
  constructor(
    message: string,
    readonly stderrLine: string | undefined,
  ) {
    super(message);
  }
}

/** Starts the five sample services as separate processes and waits until each is consuming. */
export async function startSampleServices(options: { apiUrl: string; logDir: string; env?: Record<string, string> }): Promise<ChildHandle[]> {
  const services = SAMPLE_SERVICES.map((service) =>
    startNode(service, `apps/${service}/src/main.js`, {
      logDir: options.logDir,
      env: { BATON_NATS_URL: NATS_URL, BATON_API_URL: options.apiUrl, PAYMENT_CONFIRM_DELAY_MS: '50', ...options.env },
    }),
  );
  await Promise.all(services.map((service) => service.waitForLine(/ready/, 30_000)));
  return services;
}

/** Stops processes gracefully (SIGTERM), in parallel. */
export async function stopAll(handles: readonly (ChildHandle | undefined)[]): Promise<void> {
  await Promise.all(handles.map((handle) => handle?.stop()));
}
