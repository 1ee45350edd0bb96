import { readFileSync } from 'node:fs';
import { BatonClient } from '@app/client';
import type { EventStore } from '@app/event-store';
import { UsageError } from './exit-codes';
import { CliOutput, type CliStreams } from './output/cli-output';

/** The options every command takes (docs/cli.md). */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly url: string;
  readonly token?: string;
  readonly store?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';
export const DEFAULT_STORE = 'sqlite:./data/baton.db';

/** What a command runs with: its output, the HTTP client (online commands), the store (offline commands). */
export class CliContext {
  readonly output: CliOutput;

  constructor(streams: CliStreams, readonly options: GlobalOptions) {
    this.output = new CliOutput(streams, options.json === true);
  }

  client(): BatonClient {
    if (!/^https?:\/\/[^/]/.test(this.options.url)) throw new UsageError(`--url must be an http:// or https:// URL, got "${this.options.url}"`);
    return new BatonClient({ url: this.options.url, ...(this.options.token ? { token: this.options.token } : {}), clientName: 'baton-cli' });
  }

  /** The store of `--store` (default `BATON_EVENT_STORE`, else `sqlite:./data/baton.db`). */
  async openStore(options: { readOnly: boolean }): Promise<EventStore> {
    const url = this.options.store ?? DEFAULT_STORE;
    // Loaded on demand: the store adapters (gRPC, SQLite) are what makes a CLI start slow.
    const { isEventStoreUrl, openEventStore } = await import('@app/event-store');
    if (!isEventStoreUrl(url)) throw new UsageError(`--store must be sqlite:<file> or an esdb:// connection string, got "${url}"`);
    try {
      return openEventStore(url, options);
    } catch (error) {
      // Opening only fails for a file that is not there or not a store: the argument is wrong.
      throw new UsageError(`--store ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** `--option`'s value as a JSON object. */
export function jsonObjectOption(option: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${option} must be a JSON object: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${option} must be a JSON object, got ${text}`);
  return value as Record<string, unknown>;
}

/** `--option`'s value as an integer in a range. */
export function integerOption(option: string, text: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) throw new UsageError(`${option} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got "${text}"`);
  return value;
}

/** A JSON file's content; a missing file or bad JSON is a usage error naming the file. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
