import {
  EVENT_SCHEMA_VERSION,
  executionEventRef,
  executionIdOfStream,
  executionStream,
  schemaVersionOf,
  toExecutionEvent,
  toExecutionEvents,
  type UpcasterTable,
} from '@app/domain';

describe('execution streams', () => {
  it('given an execution id, then its stream is execution-<id> and the id reads back from it', () => {
    expect(executionStream('42')).toBe('execution-42');
    expect(executionIdOfStream('execution-42')).toBe('42');
    expect(executionEventRef('42', 7n)).toBe('execution-42@7');
  });

  it('given a stream of something else, then it holds no execution', () => {
    expect(executionIdOfStream('idempotency-order-abc')).toBeUndefined();
    expect(executionIdOfStream('catalog-definitions')).toBeUndefined();
  });
});

describe('the stored-event decoder', () => {
  const failed = { taskId: 't1', reason: 'boom', terminal: false, at: 5 };

  it('given an event of the current version, then it is read as stored', () => {
    expect(toExecutionEvent({ type: 'TaskFailed', data: failed, metadata: { schemaVersion: EVENT_SCHEMA_VERSION } })).toEqual({ type: 'TaskFailed', data: failed });
  });

  it('given an event written before versioning, then it counts as version 1', () => {
    expect(schemaVersionOf({ type: 'TaskFailed', data: failed })).toBe(1);
    expect(schemaVersionOf({ type: 'TaskFailed', data: failed, metadata: { schemaVersion: 'two' } })).toBe(1);
    expect(toExecutionEvent({ type: 'TaskFailed', data: failed })).toEqual({ type: 'TaskFailed', data: failed });
  });

  it('given a type this version does not know, then it is skipped', () => {
    expect(toExecutionEvent({ type: 'TaskTeleported', data: {} })).toBeUndefined();
    expect(toExecutionEvents([{ type: 'TaskTeleported', data: {} }, { type: 'TaskFailed', data: failed }])).toEqual([{ type: 'TaskFailed', data: failed }]);
  });

  describe('given a later version in which TaskFailed renamed `reason` to `message` and added `category`', () => {
    const upcasters: UpcasterTable = {
      TaskFailed: {
        1: ({ reason, ...rest }) => ({ ...rest, message: reason }),
        2: (data) => ({ ...data, category: 'UNKNOWN' }),
      },
    };

    it('when a version-1 event is read, then every step up to the current version is applied in turn', () => {
      expect(toExecutionEvent({ type: 'TaskFailed', data: failed, metadata: { schemaVersion: 1 } }, upcasters, 3)).toEqual({
        type: 'TaskFailed',
        data: { taskId: 't1', message: 'boom', terminal: false, at: 5, category: 'UNKNOWN' },
      });
    });

    it('when a version-2 event is read, then only the later step is applied', () => {
      const v2 = { taskId: 't1', message: 'boom', terminal: false, at: 5 };
      expect(toExecutionEvent({ type: 'TaskFailed', data: v2, metadata: { schemaVersion: 2 } }, upcasters, 3)?.data).toEqual({ ...v2, category: 'UNKNOWN' });
    });

    it('when an event of a type without upcasters is read, then it is unchanged', () => {
      const completed = { taskId: 't1', output: {}, at: 5 };
      expect(toExecutionEvent({ type: 'TaskCompleted', data: completed, metadata: { schemaVersion: 1 } }, upcasters, 3)?.data).toBe(completed);
    });

    it('when an event of the current version is read, then no step runs', () => {
      const v3 = { taskId: 't1', message: 'boom', terminal: false, at: 5, category: 'WORKER' };
      expect(toExecutionEvent({ type: 'TaskFailed', data: v3, metadata: { schemaVersion: 3 } }, upcasters, 3)?.data).toBe(v3);
    });
  });
});
