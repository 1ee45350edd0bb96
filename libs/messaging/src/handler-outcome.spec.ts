import { of, throwError, timer, map } from 'rxjs';
import { BatonError } from '@app/domain';
import { DlqCodes } from './contract/subjects';
import { decideOnFailure, settleHandlerResult } from './handler-outcome';
import { RetryLaterError } from './messaging.errors';

describe('decideOnFailure', () => {
  const attempt = (deliveryCount: number, maxDeliver = 5) => ({ deliveryCount, maxDeliver, backoff: { initialMs: 1_000, maxMs: 8_000 } });

  it('dead-letters a non-retryable error under its own code', () => {
    const error = new BatonError('EXECUTION_NOT_FOUND', 'execution 42 does not exist', { retryable: false });
    expect(decideOnFailure(error, attempt(1))).toEqual({ action: 'dead-letter', code: 'EXECUTION_NOT_FOUND', reason: 'execution 42 does not exist' });
  });

  it('dead-letters a non-retryable error without a code under NON_RETRYABLE_ERROR', () => {
    expect(decideOnFailure({ retryable: false, message: 'no' }, attempt(1))).toMatchObject({ action: 'dead-letter', code: DlqCodes.NonRetryable });
  });

  it('dead-letters a deterministic fault of the input (a stack overflow) at once instead of redelivering it', () => {
    const overflow = new RangeError('Maximum call stack size exceeded');
    expect(decideOnFailure(overflow, attempt(1))).toEqual({ action: 'dead-letter', code: DlqCodes.NonRetryable, reason: expect.stringContaining('Maximum call stack') });
  });

  it('retries retryable and unknown errors with a delay that grows with the delivery count', () => {
    const first = decideOnFailure(new BatonError<string>('BUSY', 'busy', { retryable: true }), attempt(1));
    const third = decideOnFailure(new Error('unknown'), attempt(3));
    const nestGeneric = decideOnFailure({ status: 'error', message: 'Internal server error' }, attempt(1));
    expect(first).toMatchObject({ action: 'retry' });
    expect(nestGeneric).toMatchObject({ action: 'retry' });
    expect((first as { delayMs: number }).delayMs).toBeLessThanOrEqual(1_000);
    expect((third as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(3_200);
  });

  it('honours the delay a RetryLaterError asks for', () => {
    expect(decideOnFailure(new RetryLaterError('rate limited', 250), attempt(1))).toEqual({ action: 'retry', delayMs: 250 });
  });

  it('dead-letters a retryable failure on the last allowed delivery', () => {
    expect(decideOnFailure(new Error('still down'), attempt(5))).toEqual({
      action: 'dead-letter',
      code: DlqCodes.MaxDeliveriesExceeded,
      reason: 'gave up after 5 deliveries; last error: still down',
    });
  });
});

describe('settleHandlerResult', () => {
  it('needs no waiting for a plain value', () => {
    expect(settleHandlerResult(42)).toBeUndefined();
  });

  it('waits for a promise, and for an observable inside a promise', async () => {
    await expect(settleHandlerResult(Promise.resolve(1))).resolves.toBe(1);
    await expect(settleHandlerResult(Promise.resolve(timer(5).pipe(map(() => 'done'))))).resolves.toBe('done');
  });

  it('waits for an observable to complete and surfaces its error', async () => {
    await expect(settleHandlerResult(of(1, 2, 3))).resolves.toBe(3);
    await expect(settleHandlerResult(throwError(() => new Error('nope')))).rejects.toThrow('nope');
  });
});
