import { FinishedTasks } from './finished-tasks';
import type { TaskOutcome } from './task-outcome';

const completed: TaskOutcome = { status: 'COMPLETED', output: { ok: true } };

function recorder(outcome: () => Promise<TaskOutcome>) {
  const calls = { runs: 0, resent: [] as TaskOutcome[] };
  return {
    calls,
    how: {
      run: () => {
        calls.runs += 1;
        return outcome();
      },
      resend: async (earlier: TaskOutcome) => void calls.resent.push(earlier),
    },
  };
}

describe('FinishedTasks', () => {
  it('given a task that ran, when the same attempt comes again, then its outcome is resent and it does not run again', async () => {
    const finished = new FinishedTasks();
    const { calls, how } = recorder(async () => completed);

    await finished.runOnce('t-1', 1, how);
    await finished.runOnce('t-1', 1, how);

    expect(calls).toEqual({ runs: 1, resent: [completed] });
  });

  it('given a task running, when a copy arrives meanwhile, then the copy waits and resends the outcome', async () => {
    const finished = new FinishedTasks();
    let finish!: (outcome: TaskOutcome) => void;
    const { calls, how } = recorder(() => new Promise((resolve) => (finish = resolve)));

    const first = finished.runOnce('t-1', 1, how);
    const copy = finished.runOnce('t-1', 1, how);
    finish(completed);
    await Promise.all([first, copy]);

    expect(calls).toEqual({ runs: 1, resent: [completed] });
  });

  it('given a run that failed to report, when a copy waited for it, then the copy runs the task itself', async () => {
    const finished = new FinishedTasks();
    let attempt = 0;
    const { calls, how } = recorder(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('result not published');
      return completed;
    });

    const [first, copy] = await Promise.allSettled([finished.runOnce('t-1', 1, how), finished.runOnce('t-1', 1, how)]);

    expect(first.status).toBe('rejected');
    expect(copy.status).toBe('fulfilled');
    expect(calls).toEqual({ runs: 2, resent: [] });
  });

  it('given another attempt of the task, then it runs (a retry is new work)', async () => {
    const finished = new FinishedTasks();
    const { calls, how } = recorder(async () => completed);

    await finished.runOnce('t-1', 1, how);
    await finished.runOnce('t-1', 2, how);

    expect(calls.runs).toBe(2);
  });

  it('given remembering turned off (0), then every copy runs', async () => {
    const finished = new FinishedTasks(0);
    const { calls, how } = recorder(async () => completed);

    await finished.runOnce('t-1', 1, how);
    await finished.runOnce('t-1', 1, how);

    expect(calls.runs).toBe(2);
  });
});
