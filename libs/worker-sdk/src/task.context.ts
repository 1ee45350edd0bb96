import type { TaskCommandMessage } from '@app/messaging';

/**
 * What a task handler receives: the command's fields, plus ways to talk back while it runs.
 *
 * @example
 * const worker = createWorker({
 *   taskType: 'charge_payment',
 *   handler: async (task: TaskContext<{ orderId: string; amount: number }>) => {
 *     task.log(`charging ${task.input.amount} for ${task.input.orderId}`);
 *     const receipt = await gateway.charge(task.input, { signal: task.signal });
 *     return { receiptId: receipt.id };
 *   },
 * });
 */
export interface TaskContext<I extends object = Record<string, unknown>> extends Omit<TaskCommandMessage, 'input'> {
  readonly input: I;
  /** Who is running the task, as reported in results. */
  readonly workerId: string;
  /** 1 on the first delivery of this command; more after a worker crash or a failed result publish. */
  readonly deliveryCount: number;
  /** W3C trace context of the command, if the orchestrator sent one. */
  readonly traceparent?: string;
  /**
   * Aborted when the worker shuts down and the shutdown grace period is over: stop early, and the
   * command goes back to the queue for another worker instead of being reported as failed.
   */
  readonly signal: AbortSignal;
  /** Adds a line to the task's execution log (sent with the next heartbeat or the result). */
  log(line: string): void;
  /** Reports IN_PROGRESS right away (heartbeats are also sent on a timer while the handler runs). */
  heartbeat(): Promise<void>;
}

/**
 * A task handler: resolve with the output (a plain object; anything else is wrapped as
 * `{ result: value }`), throw `TerminalError` for a failure that must not be retried, or throw
 * anything else for a retryable failure.
 *
 * @example
 * const reserveStock: TaskHandler<{ sku: string; quantity: number }> = async (task) => {
 *   const left = await stock.reserve(task.input.sku, task.input.quantity);
 *   if (left === null) throw new TerminalError(`unknown sku ${task.input.sku}`);
 *   return { left };
 * };
 */
export type TaskHandler<I extends object = Record<string, unknown>, O = unknown> = (task: TaskContext<I>) => O | Promise<O>;
