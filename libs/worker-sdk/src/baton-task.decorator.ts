import { SetMetadata } from '@nestjs/common';
import { BatonError } from '@app/domain';
import { TASK_TYPE_PATTERN } from '@app/messaging';
import type { BatonTaskOptions } from './baton-worker.options';

/** Metadata key under which `@BatonTask` stores its settings on the method. */
export const BATON_TASK_METADATA = 'baton:task';

/** What `@BatonTask` records on a method. */
export interface BatonTaskMetadata {
  readonly taskType: string;
  readonly options: BatonTaskOptions;
}

/**
 * Marks a provider method as the handler of a task type. `BatonWorkerModule` finds it at
 * bootstrap, runs a worker for it, and stops that worker gracefully on shutdown. The method gets a
 * `TaskContext` and works like a `createWorker` handler.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class PaymentTasks {
 *   @BatonTask('charge_payment', { concurrency: 4 })
 *   async charge(task: TaskContext<{ orderId: string; amount: number }>) {
 *     if (task.input.amount <= 0) throw new TerminalError('amount must be positive');
 *     return { chargeId: await this.gateway.charge(task.input) };
 *   }
 * }
 * ```
 */
export function BatonTask(taskType: string, options: BatonTaskOptions = {}): MethodDecorator {
  if (!TASK_TYPE_PATTERN.test(taskType)) {
    throw new BatonError('INVALID_TASK_TYPE', `@BatonTask("${taskType}"): task type must match ${TASK_TYPE_PATTERN}`, { retryable: false });
  }
  return SetMetadata<string, BatonTaskMetadata>(BATON_TASK_METADATA, { taskType, options });
}
