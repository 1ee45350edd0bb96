import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { redactSecrets } from '@app/common';
import { closeNats, connectNats } from '@app/messaging';
import type { BatonConfig } from './baton-config';

/**
 * A start-up failure the operator can fix: which variable, its value, and what is wrong with it.
 * `main` prints it as one line (no stack trace unless `BATON_LOG_LEVEL=debug`) and exits 1.
 */
export class StartupError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string,
    problem: string,
  ) {
    super(`${variable}=${value}: ${problem}`);
    this.name = 'StartupError';
  }
}

/**
 * Checks what the orchestrator needs from its surroundings before it starts anything, so a wrong
 * setting fails fast with its name instead of as a stack trace from deep inside a library (or,
 * for the HTTP port, after the process already said it was ready): the data directory and the
 * SQLite files' directories are writable, the HTTP port is free, NATS answers.
 */
export async function checkStartup(config: BatonConfig, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  checkWritable('BATON_DATA_DIR', env.BATON_DATA_DIR ?? config.dataDir, config.dataDir);
  for (const [variable, url] of [['BATON_EVENT_STORE', config.eventStore], ['BATON_READ_MODEL', config.readModel]] as const) {
    if (url.startsWith('sqlite:') && url !== 'sqlite::memory:') checkWritable(variable, url, path.dirname(path.resolve(url.slice('sqlite:'.length))));
  }
  await checkPortFree(config);
  await checkNats(config);
}

function checkWritable(variable: string, value: string, dir: string): void {
  const probe = path.join(dir, `.baton-write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new StartupError(variable, value, `cannot write in ${dir} (${codeOf(error)})`);
  }
}

function checkPortFree(config: BatonConfig): Promise<void> {
  if (config.httpPort === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => reject(portError(config, error)));
    server.listen({ port: config.httpPort, host: config.httpHost, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** The failure to listen on the HTTP port, naming the variable (also for a bind lost after the check). */
export function portError(config: BatonConfig, error: unknown): StartupError {
  const inUse = (error as { code?: unknown } | undefined)?.code === 'EADDRINUSE';
  const problem = inUse ? `${config.httpHost}:${config.httpPort} is in use by another process` : `cannot listen on ${config.httpHost}:${config.httpPort} (${codeOf(error)})`;
  return new StartupError('BATON_HTTP_PORT', String(config.httpPort), problem);
}

async function checkNats(config: BatonConfig): Promise<void> {
  try {
    const connection = await connectNats({ url: config.natsUrl, security: config.natsSecurity, name: `baton-startup-check-${config.instanceId}`, connectionOptions: { maxReconnectAttempts: 0, timeout: 5_000 } });
    await closeNats(connection, { drain: false });
  } catch (error) {
    throw new StartupError('BATON_NATS_URL', redactSecrets(config.natsUrl), `cannot connect to NATS (${codeOf(error)})`);
  }
}

function codeOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && typeof message === 'string' && !message.startsWith(code)) return `${code}: ${message}`;
  return typeof message === 'string' ? message : String(error);
}

/**
 * The one line `main` prints when the start fails: the variable and value of a
 * {@link StartupError}, else the error's first line.
 */
export function startupFailureLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `baton orchestrator: cannot start: ${message.split('\n')[0]}`;
}
