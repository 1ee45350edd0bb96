import type { ExecutionCommand, ExecutionState } from '@app/domain';

/** A command that reaches the execution at a virtual time: a mocked worker's answer, a child's end. */
export interface Arrival {
  readonly at: number;
  readonly command: ExecutionCommand;
  /** The answer of a heartbeat: the task takes its next mocked attempt afterwards. */
  readonly heartbeatOf?: string;
}

/** What happens next: an arrival, or an armed timer falling due. */
export type AgendaItem = { readonly kind: 'arrival'; readonly at: number; readonly arrival: Arrival } | { readonly kind: 'timer'; readonly at: number; readonly timerId: string };

/**
 * The run's time line: arrivals in time order (first come, first served at equal times) and the
 * execution's armed timers. An arrival due at the same time as a timer goes first: the worker
 * answered by then.
 */
export class FlowAgenda {
  private arrivals: { readonly seq: number; readonly arrival: Arrival }[] = [];
  private seq = 0;

  add(arrival: Arrival): void {
    this.arrivals.push({ seq: (this.seq += 1), arrival });
  }

  /** The next item, without taking it. */
  peek(state: ExecutionState): AgendaItem | undefined {
    const arrival = this.earliestArrival();
    const timer = earliestTimer(state);
    if (arrival && (!timer || arrival.arrival.at <= timer.dueAt)) return { kind: 'arrival', at: arrival.arrival.at, arrival: arrival.arrival };
    return timer ? { kind: 'timer', at: timer.dueAt, timerId: timer.timerId } : undefined;
  }

  /** Removes an arrival {@link peek} returned. */
  take(arrival: Arrival): void {
    this.arrivals = this.arrivals.filter((entry) => entry.arrival !== arrival);
  }

  private earliestArrival(): { readonly seq: number; readonly arrival: Arrival } | undefined {
    let best: { readonly seq: number; readonly arrival: Arrival } | undefined;
    for (const entry of this.arrivals) {
      if (!best || entry.arrival.at < best.arrival.at || (entry.arrival.at === best.arrival.at && entry.seq < best.seq)) best = entry;
    }
    return best;
  }
}

function earliestTimer(state: ExecutionState): { timerId: string; dueAt: number } | undefined {
  let best: { timerId: string; dueAt: number } | undefined;
  for (const timer of Object.values(state.timers)) {
    if (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timerNumber(timer.timerId) < timerNumber(best.timerId))) best = timer;
  }
  return best;
}

const timerNumber = (timerId: string): number => Number(timerId.slice(1));
