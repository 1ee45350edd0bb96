import { BatonError } from '@app/domain';
import { completedOutcome, failedOutcome } from './task-outcome';
import { TerminalError } from './terminal.error';
import { defaultHeartbeatIntervalMs } from './task-run';

describe('completedOutcome', () => {
  it('keeps a plain object as the output', () => {
    expect(completedOutcome({ chargeId: 'c-1' })).toEqual({ status: 'COMPLETED', output: { chargeId: 'c-1' } });
  });

  it('reports nothing as an empty output', () => {
    expect(completedOutcome(undefined)).toEqual({ status: 'COMPLETED', output: {} });
  });

  it.each([[42], ['text'], [null], [[1, 2]], [new Date(0)]])('wraps %p as { result }', (value) => {
    expect(completedOutcome(value)).toEqual({ status: 'COMPLETED', output: { result: value } });
  });
});

describe('failedOutcome', () => {
  it('makes a TerminalError a terminal failure', () => {
    expect(failedOutcome(new TerminalError('card expired'))).toEqual({ status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'card expired' });
  });

  it('makes any Baton error that is not retryable a terminal failure', () => {
    expect(failedOutcome(new BatonError<string>('NOPE', 'no', { retryable: false }))).toMatchObject({ status: 'FAILED_WITH_TERMINAL_ERROR' });
  });

  it('makes other errors retryable failures, with a bounded reason', () => {
    expect(failedOutcome(new Error('gateway timeout'))).toEqual({ status: 'FAILED', reason: 'gateway timeout' });
    expect(failedOutcome(new BatonError<string>('BUSY', 'busy', { retryable: true }))).toMatchObject({ status: 'FAILED' });
    expect(failedOutcome('thrown string')).toEqual({ status: 'FAILED', reason: 'thrown string' });
    expect((failedOutcome(new Error('x'.repeat(10_000))) as { reason: string }).reason).toHaveLength(4_096);
  });
});

describe('defaultHeartbeatIntervalMs', () => {
  it('is a third of the response timeout, at most 30 s', () => {
    expect(defaultHeartbeatIntervalMs(30)).toBe(10_000);
    expect(defaultHeartbeatIntervalMs(3_600)).toBe(30_000);
    expect(defaultHeartbeatIntervalMs(0)).toBe(30_000);
  });
});
