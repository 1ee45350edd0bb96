import type { Position } from '@app/event-store';
import { comparePositions } from './position';

interface Waiter {
  readonly target: Position;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Callers waiting for the projection to pass a position (read-your-writes). */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  /**
   * Resolves once {@link advance} reaches `target`, or rejects with `onTimeout()` after `timeoutMs`.
   * `applied` is the position already reached: a wait for it resolves at once.
   */
  wait(target: Position, applied: Position | undefined, timeoutMs: number, onTimeout: () => Error): Promise<void> {
    if (applied !== undefined && comparePositions(target, applied) <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        target,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(onTimeout());
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  advance(applied: Position): void {
    for (const waiter of this.waiters) {
      if (comparePositions(waiter.target, applied) > 0) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  rejectAll(error: Error): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.waiters.clear();
  }
}
