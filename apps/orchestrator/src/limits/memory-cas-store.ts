import type { CasEntry, CasStore } from './cas-store';

/** A {@link CasStore} in memory, for unit tests (revisions count writes across all keys, like a KV stream). */
export class MemoryCasStore implements CasStore {
  private readonly entries = new Map<string, CasEntry>();
  private sequence = 0;
  private readonly listeners: ((key: string, entry: CasEntry) => void)[] = [];
  /** Writes refused with a conflict, for assertions. */
  conflicts = 0;

  /** Calls `listener` after every write (what a KV watch delivers). */
  onWrite(listener: (key: string, entry: CasEntry) => void): void {
    this.listeners.push(listener);
  }

  async get(key: string): Promise<CasEntry | undefined> {
    return this.entries.get(key);
  }

  async put(key: string, value: string, revision: number): Promise<number | 'conflict'> {
    if ((this.entries.get(key)?.revision ?? 0) !== revision) {
      this.conflicts += 1;
      return 'conflict';
    }
    this.sequence += 1;
    const entry = { value, revision: this.sequence };
    this.entries.set(key, entry);
    for (const listener of this.listeners) queueMicrotask(() => listener(key, entry));
    return this.sequence;
  }

  async keys(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((key) => key.startsWith(prefix));
  }
}
