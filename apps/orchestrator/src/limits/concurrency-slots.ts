/** A task asking for a slot, with the limit its execution's task definition sets. */
export interface SlotRequest {
  readonly taskId: string;
  readonly limit: number;
}

/** Outcome of {@link planSlots}. */
export interface SlotPlan {
  /** The slot holders afterwards. */
  readonly holders: readonly string[];
  /** True when `holders` differs from the input (it must be written). */
  readonly changed: boolean;
  /** Requests that hold a slot afterwards: newly added, or already holders (acquire is idempotent). */
  readonly granted: ReadonlySet<string>;
  /** Releases that were not holders (nothing to do for them, if the input was current). */
  readonly absent: readonly string[];
}

/**
 * One compare-and-set round of a task type's slot set: releases first, then requests in FIFO
 * order while the set is below each request's limit; the first that does not fit stops the rest
 * (so a later, smaller request cannot overtake it). A request whose task already holds a slot is
 * granted whatever its position: after a crash, recovery dispatches a task again that was
 * dispatched before, and it must neither wait nor take a second slot.
 *
 * @example
 * planSlots(['a', 'b'], ['a'], [{ taskId: 'c', limit: 2 }, { taskId: 'd', limit: 2 }]);
 * // { holders: ['b', 'c'], changed: true, granted: Set {'c'}, absent: [] }
 */
export function planSlots(holders: readonly string[], releases: readonly string[], requests: readonly SlotRequest[]): SlotPlan {
  const set = new Set(holders);
  const absent = releases.filter((taskId) => !set.delete(taskId));
  let changed = absent.length < releases.length;
  const granted = new Set<string>(requests.filter((request) => set.has(request.taskId)).map((request) => request.taskId));
  for (const request of requests) {
    if (granted.has(request.taskId)) continue;
    if (set.size >= request.limit) break;
    set.add(request.taskId);
    granted.add(request.taskId);
    changed = true;
  }
  return { holders: [...set], changed, granted, absent };
}

/** Parses a stored slot set; anything unreadable counts as empty. */
export function decodeSlots(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  try {
    const value = JSON.parse(text) as { holders?: unknown };
    return Array.isArray(value.holders) ? value.holders.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export const encodeSlots = (holders: readonly string[]): string => JSON.stringify({ holders });

/** Execution id of a task id (`<executionId>-<sequence>`, see the domain's decision builder). */
export function executionIdOfTask(taskId: string): string {
  const dash = taskId.lastIndexOf('-');
  return dash > 0 ? taskId.slice(0, dash) : taskId;
}
