import { isEnded, statusLabel, toneOf } from './status';

describe('status colouring', () => {
  it.each([
    ['COMPLETED', 'success'], ['FAILED', 'danger'], ['FAILED_WITH_TERMINAL_ERROR', 'danger'], ['TIMED_OUT', 'danger'],
    ['RUNNING', 'running'], ['IN_PROGRESS', 'running'], ['SCHEDULED', 'pending'], ['PAUSED', 'warning'],
    ['TERMINATED', 'neutral'], ['CANCELED', 'neutral'], ['SKIPPED', 'skipped'], ['NOT_RUN', 'idle'], ['SOMETHING_NEW', 'neutral'],
  ])('given %s, then the %s tone', (status, tone) => {
    expect(toneOf(status)).toBe(tone);
  });

  it('given statuses, then readable labels', () => {
    expect(statusLabel('FAILED_WITH_TERMINAL_ERROR')).toBe('Failed (terminal)');
    expect(statusLabel('TIMED_OUT')).toBe('Timed out');
    expect(statusLabel('NOT_RUN')).toBe('Not run');
  });

  it('given execution statuses, then only the four terminal ones have ended', () => {
    expect(['COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT', 'RUNNING', 'PAUSED'].map(isEnded)).toEqual([true, true, true, true, false, false]);
  });
});
