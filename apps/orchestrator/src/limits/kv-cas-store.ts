import { KvWatchInclude, type KV, type NatsConnection, type QueuedIterator, type KvEntry } from 'nats';
import type { CasEntry, CasStore } from './cas-store';

/** JetStream's "wrong last sequence" error: the compare-and-set lost. */
const WRONG_LAST_SEQUENCE = 10071;

const decoder = new TextDecoder();

/**
 * The limiter's state in a NATS KV bucket (history 1, no TTL: one small key per limited task
 * type). Every replica opens (creating when missing) the same bucket.
 *
 * @example
 * const store = await KvCasStore.open(connection, 'BATON_LIMITS');
 * const revision = await store.put('concurrency.charge', '{"holders":["e1-3"]}', 0);
 */
export class KvCasStore implements CasStore {
  private constructor(readonly kv: KV) {}

  static async open(connection: NatsConnection, bucket: string, options: { replicas?: number } = {}): Promise<KvCasStore> {
    const kv = await connection.jetstream().views.kv(bucket, { history: 1, replicas: options.replicas ?? 1 });
    return new KvCasStore(kv);
  }

  async get(key: string): Promise<CasEntry | undefined> {
    const entry = await this.kv.get(key);
    if (!entry) return undefined;
    // A deleted or purged key reads as empty, at its marker's revision (the next write must name it).
    return { value: entry.operation === 'PUT' ? decoder.decode(entry.value) : '', revision: entry.revision };
  }

  async put(key: string, value: string, revision: number): Promise<number | 'conflict'> {
    try {
      // previousSeq 0 = "the key must not exist", as JetStream's expected-last-subject-sequence header.
      return await this.kv.put(key, value, { previousSeq: revision });
    } catch (error) {
      if ((error as { api_error?: { err_code?: number } }).api_error?.err_code === WRONG_LAST_SEQUENCE) return 'conflict';
      throw error;
    }
  }

  async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys(`${prefix}>`)) keys.push(key);
    return keys;
  }

  /** Every later write to the bucket (by any replica), as it happens. */
  watch(): Promise<QueuedIterator<KvEntry>> {
    return this.kv.watch({ key: '>', include: KvWatchInclude.UpdatesOnly, ignoreDeletes: true });
  }

  /** Decodes a watched entry. */
  static entryOf(entry: KvEntry): CasEntry & { key: string } {
    return { key: entry.key, value: decoder.decode(entry.value), revision: entry.revision };
  }
}
