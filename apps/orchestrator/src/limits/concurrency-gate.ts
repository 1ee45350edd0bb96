import type { CasCell } from './cas-cell';
import { CoalescingRunner } from './coalescing-runner';
import { decodeSlots, encodeSlots, planSlots } from './concurrency-slots';

/** What a waiter is told: it holds a slot now, or (once) that it has to wait. */
export interface GateCallbacks {
  granted(): void;
  blocked(): void;
}

interface SlotWaiter extends GateCallbacks {
  readonly taskId: string;
  readonly limit: number;
  told: boolean;
}

/**
 * A task type's concurrency slots as seen by one replica: a FIFO of local waiters and pending
 * releases, settled against the shared slot set in batched compare-and-set rounds (one write
 * for everything that queued up while the previous round was in flight).
 */
export class ConcurrencyGate {
  private waiters: SlotWaiter[] = [];
  private readonly releases = new Set<string>();
  private readonly runner: CoalescingRunner;

  constructor(
    private readonly cell: CasCell,
    onError: (error: unknown) => void,
  ) {
    this.runner = new CoalescingRunner(() => this.round(), onError);
  }

  /** Local tasks waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  acquire(taskId: string, limit: number, callbacks: GateCallbacks): void {
    this.waiters.push({ taskId, limit, granted: callbacks.granted, blocked: callbacks.blocked, told: false });
    this.runner.request();
  }

  /** Stops waiting for a slot (a round in flight may still grant it: the owner frees it then). */
  cancel(taskId: string): void {
    this.waiters = this.waiters.filter((waiter) => waiter.taskId !== taskId);
  }

  release(taskId: string): void {
    this.releases.add(taskId);
    this.runner.request();
  }

  /** Another replica wrote the slot set: maybe a slot freed up. */
  observe(value: string, revision: number): void {
    this.cell.observe(value, revision);
    if (this.waiters.length > 0) this.runner.request();
  }

  /** Re-reads the slot set and tries again (the fallback should a watched write be missed). */
  refresh(): void {
    if (this.waiters.length === 0 && this.releases.size === 0) return;
    this.cell.markStale();
    this.runner.request();
  }

  stop(): void {
    this.runner.stop();
  }

  private async round(): Promise<void> {
    const releases = [...this.releases];
    const requests = this.waiters.slice();
    if (releases.length === 0 && requests.length === 0) return;
    const plan = await this.cell.modify((value) => {
      const slots = planSlots(decodeSlots(value), releases, requests);
      // Writing nothing because a release is absent or a request already holds its slot is only
      // right if the copy is current: the cell reads the key and plans again if it was not.
      return { result: slots, ...(slots.changed ? { next: encodeSlots(slots.holders) } : { needsCurrent: slots.absent.length > 0 || slots.granted.size > 0 }) };
    });
    for (const taskId of releases) this.releases.delete(taskId);
    this.waiters = this.waiters.filter((waiter) => !plan.granted.has(waiter.taskId));
    for (const request of requests) if (plan.granted.has(request.taskId)) request.granted();
    // Only waiters this round considered were refused (later ones join the next round).
    for (const waiter of this.waiters) {
      if (waiter.told || !requests.includes(waiter)) continue;
      waiter.told = true;
      waiter.blocked();
    }
  }
}
