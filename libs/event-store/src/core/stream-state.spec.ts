import { StreamDeletedError, StreamRevisionConflictError } from '../event-store.errors';
import { assertIdsNew, checkDelete, decideAppend, NEW_STREAM, type StreamState } from './stream-state';

// Cases the contract suite leaves out because EventStoreDB itself is looser or undefined there.
describe('decideAppend', () => {
  const stream: StreamState = { lastRevision: 1n, truncateBefore: 0n, status: 'live' };
  const stored = new Map([['a', 0n], ['b', 1n]]);
  const revisionOf = (id: string) => stored.get(id);

  it('given any, when a new id comes before a stored one, then it conflicts (ids stay unique per stream)', () => {
    expect(() => decideAppend('s', stream, 'any', ['new', 'a'], revisionOf)).toThrow(StreamRevisionConflictError);
  });

  it('given an expected revision, when the ids run past the stream, then it conflicts', () => {
    expect(() => decideAppend('s', stream, 0n, ['b', 'new'], revisionOf)).toThrow(StreamRevisionConflictError);
  });

  it('given an expected revision, when ids match out of order, then it conflicts', () => {
    expect(() => decideAppend('s', stream, 'no_stream', ['b', 'a'], revisionOf)).toThrow(StreamRevisionConflictError);
  });

  it('given an append of nothing, then only the expected revision is checked', () => {
    expect(decideAppend('s', stream, 1n, [], revisionOf)).toEqual({ kind: 'write', firstRevision: 2n });
    expect(() => decideAppend('s', stream, 0n, [], revisionOf)).toThrow(StreamRevisionConflictError);
  });

  it('given a tombstoned stream, then even an idempotent retry fails as deleted', () => {
    expect(() => decideAppend('s', { ...stream, status: 'tombstoned' }, 'no_stream', ['a', 'b'], revisionOf)).toThrow(StreamDeletedError);
    expect(() => checkDelete('s', { ...stream, status: 'tombstoned' }, 'any')).toThrow(StreamDeletedError);
  });

  it('given a batch that repeats an id, then writing it conflicts', () => {
    expect(() => assertIdsNew('s', 'no_stream', NEW_STREAM, ['x', 'x'], () => undefined)).toThrow(StreamRevisionConflictError);
  });
});
