import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import { DlqCodes } from './contract/subjects';
import { cappedBackoff, isDeterministicFault, type BackoffPolicy } from '@app/common';
import { errorMessage } from './messaging-logger';

/** What a message handler may return: nothing, a value, a promise, or an observable (Nest style). */
export type HandlerReturn = unknown | Promise<unknown> | Observable<unknown>;

/**
 * Waits for the handler to be done: a promise to settle, an observable to complete. A plain value
 * needs no waiting, which saves the hot path a promise.
 */
export function settleHandlerResult(result: HandlerReturn): Promise<unknown> | undefined {
  if (isObservable(result)) return lastValueFrom(result, { defaultValue: undefined });
  if (result instanceof Promise) return result.then((value) => (isObservable(value) ? lastValueFrom(value, { defaultValue: undefined }) : value));
  return undefined;
}

/** What to do with a message whose handler failed. */
export type FailureDecision = { readonly action: 'retry'; readonly delayMs: number } | { readonly action: 'dead-letter'; readonly code: string; readonly reason: string };

/** Delivery facts the decision depends on. */
export interface DeliveryAttempt {
  readonly deliveryCount: number;
  readonly maxDeliver: number;
  readonly backoff: BackoffPolicy;
}

/**
 * `retryable: false` (a `BatonError` or any object saying so) is final, and so is a deterministic
 * fault of the input (a stack overflow, text that is not JSON: `isDeterministicFault`), which
 * would fail identically on every redelivery; an explicit `delayMs` (`RetryLaterError`) is
 * honoured; everything else, including errors of unknown shape, is worth another try until the
 * last delivery, because losing a message is worse than retrying one.
 */
export function decideOnFailure(error: unknown, attempt: DeliveryAttempt): FailureDecision {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as { retryable?: unknown; code?: unknown; delayMs?: unknown };
  if (shape.retryable === false || isDeterministicFault(error)) {
    return { action: 'dead-letter', code: typeof shape.code === 'string' && shape.code ? shape.code : DlqCodes.NonRetryable, reason: errorMessage(error) };
  }
  if (attempt.deliveryCount >= attempt.maxDeliver) {
    return {
      action: 'dead-letter',
      code: DlqCodes.MaxDeliveriesExceeded,
      reason: `gave up after ${attempt.deliveryCount} deliveries; last error: ${errorMessage(error)}`,
    };
  }
  const delayMs = typeof shape.delayMs === 'number' && shape.delayMs >= 0 ? shape.delayMs : cappedBackoff(attempt.deliveryCount, attempt.backoff);
  return { action: 'retry', delayMs };
}
