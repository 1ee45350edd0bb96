import { MessagingErrorCodes, PublishError, RetryLaterError, type JetStreamMessageContext, type JetStreamPublisher, type TaskCommandMessage } from '@app/messaging';
import { RecordingLogger } from '@app/messaging/testing/recording-logger';
import { TaskRun } from './task-run';

const command: TaskCommandMessage = {
  taskId: 't-1',
  taskType: 'charge',
  executionId: 'e-1',
  workflowName: 'checkout',
  workflowVersion: 1,
  taskRefName: 'charge',
  attempt: 1,
  input: { amount: 5 },
  scheduledAt: 0,
  responseTimeoutSeconds: 60,
};

function harness(publish: jest.Mock, shutdown = new AbortController()) {
  const message = { deliveryCount: 1, traceparent: undefined, working: jest.fn() } as unknown as JetStreamMessageContext;
  const run = new TaskRun(command, message, {
    taskType: 'charge',
    workerId: 'w-1',
    publisher: { publish } as unknown as JetStreamPublisher,
    ackWaitMs: 60_000,
    shutdownSignal: shutdown.signal,
    logger: new RecordingLogger(),
  });
  return { run, shutdown };
}

describe('TaskRun', () => {
  it('fails the run when the result cannot be published yet, so the consumer redelivers the command', async () => {
    const unavailable = new PublishError(MessagingErrorCodes.PublishTimeout, 'timeout', { retryable: true, subject: 'baton.result.charge' });
    const { run } = harness(jest.fn().mockRejectedValue(unavailable));

    await expect(run.execute(() => ({ ok: true }))).rejects.toBe(unavailable);
  });

  it('reports a terminal failure when the output itself can never be published', async () => {
    const tooLarge = new PublishError(MessagingErrorCodes.PublishTooLarge, 'too large', { retryable: false, subject: 'baton.result.charge' });
    const publish = jest.fn().mockRejectedValueOnce(tooLarge).mockResolvedValue({ seq: 1 });
    const { run } = harness(publish);

    await run.execute(() => ({ huge: true }));

    expect(publish).toHaveBeenLastCalledWith(
      'baton.result.charge',
      expect.objectContaining({ status: 'FAILED_WITH_TERMINAL_ERROR', reason: expect.stringContaining('could not be published') }),
      expect.objectContaining({ msgId: 't-1:1:FAILED_WITH_TERMINAL_ERROR' }),
    );
  });

  it('hands the command back instead of reporting a failure when shutdown aborted the task', async () => {
    const publish = jest.fn();
    const { run, shutdown } = harness(publish);

    const running = run.execute(
      (task) =>
        new Promise((_resolve, reject) => {
          task.signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    shutdown.abort();

    await expect(running).rejects.toBeInstanceOf(RetryLaterError);
    expect(publish).not.toHaveBeenCalled();
  });

  it('sends pending log lines with a manual heartbeat and the rest with the result', async () => {
    const publish = jest.fn().mockResolvedValue({ seq: 1 });
    const { run } = harness(publish);

    await run.execute(async (task) => {
      task.log('one');
      await task.heartbeat();
      task.log('two');
      return {};
    });

    const bodies = publish.mock.calls.map(([, body]) => body as { status: string; logs?: Array<{ log: string }> });
    expect(bodies.map((body) => [body.status, body.logs?.map((entry) => entry.log)])).toEqual([
      ['IN_PROGRESS', ['one']],
      ['COMPLETED', ['two']],
    ]);
    expect(publish.mock.calls[0][2]).toMatchObject({ msgId: 't-1:1:IN_PROGRESS:1' });
  });
});
