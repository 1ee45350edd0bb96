import type { CasStore } from './cas-store';

/** What one round decides against the key's current value. */
export interface CasPlan<R> {
  /** The value to write, or undefined to leave the key as it is. */
  readonly next?: string;
  readonly result: R;
  /**
   * Set when a decision to write nothing rests on the value being current (say, a release of a
   * task that is not in a possibly stale copy of the set): the round reads the key and plans again.
   */
  readonly needsCurrent?: boolean;
}

/**
 * One key of a {@link CasStore} with a local copy of its last known value. A round plans against
 * the copy and writes with its revision; when someone else wrote first the key is read again and
 * the round planned again, so no decision is ever stored on stale data. Watched writes of other
 * replicas refresh the copy ({@link observe}), which keeps conflicts rare.
 */
export class CasCell {
  private value: string | undefined;
  private revision = -1;
  private stale = false;
  /** Write conflicts seen (for metrics). */
  conflicts = 0;

  constructor(
    private readonly store: CasStore,
    readonly key: string,
  ) {}

  /** A write seen on the key (watch): kept when newer than the local copy. */
  observe(value: string, revision: number): void {
    if (revision > this.revision) {
      this.value = value;
      this.revision = revision;
    }
  }

  /** The next round reads the key first (a fallback for writes the watch may have missed). */
  markStale(): void {
    this.stale = true;
  }

  /** Plans against the key's value (read if unknown) and writes the plan, until a write sticks or none is needed. */
  async modify<R>(plan: (value: string | undefined) => CasPlan<R>): Promise<R> {
    let current = false;
    if (this.revision < 0 || this.stale) current = await this.read();
    for (;;) {
      const decided = plan(this.value);
      if (decided.next === undefined) {
        if (decided.needsCurrent && !current) {
          current = await this.read();
          continue;
        }
        return decided.result;
      }
      const written = await this.store.put(this.key, decided.next, this.revision);
      if (written === 'conflict') {
        this.conflicts += 1;
        current = await this.read();
        continue;
      }
      this.observe(decided.next, written);
      return decided.result;
    }
  }

  private async read(): Promise<true> {
    const entry = await this.store.get(this.key);
    // A read is the truth even when a watched write looked newer (the key may have been purged).
    this.value = entry?.value;
    this.revision = entry?.revision ?? 0;
    this.stale = false;
    return true;
  }
}
