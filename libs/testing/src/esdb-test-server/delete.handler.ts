import type { handleUnaryCall } from '@grpc/grpc-js';
import { type DeleteReq, DeleteResp, type TombstoneReq, TombstoneResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { EventLog } from './event-log.storage';
import { invalidArgument, streamDeletedError, wrongExpectedVersionError } from './rpc.errors';
import { expectedState, streamNameOf } from './wire.codec';

/** `Streams.Delete` (soft delete: reads then say not found, later appends continue the revisions). */
export function deleteHandler(log: EventLog): handleUnaryCall<DeleteReq, DeleteResp> {
  return (call, callback) => {
    const options = call.request.getOptions();
    if (!options) return callback(invalidArgument('Delete options are missing'));
    const streamName = streamNameOf(options.getStreamIdentifier());
    const expected = expectedState(options);
    const outcome = log.softDelete(streamName, expected);
    if (outcome.kind === 'stream_deleted') return callback(streamDeletedError(streamName));
    if (outcome.kind === 'wrong_expected_version') return callback(wrongExpectedVersionError(streamName, expected, outcome.current));
    const reply = new DeleteResp();
    if (outcome.last) reply.setPosition(new DeleteResp.Position().setCommitPosition(outcome.last.positionText).setPreparePosition(outcome.last.positionText));
    else reply.setNoPosition(new Empty());
    callback(null, reply);
  };
}

/** `Streams.Tombstone` (hard delete: reads and appends fail with `stream-deleted` forever). */
export function tombstoneHandler(log: EventLog): handleUnaryCall<TombstoneReq, TombstoneResp> {
  return (call, callback) => {
    const options = call.request.getOptions();
    if (!options) return callback(invalidArgument('Tombstone options are missing'));
    const streamName = streamNameOf(options.getStreamIdentifier());
    const expected = expectedState(options);
    const outcome = log.tombstone(streamName, expected);
    if (outcome.kind === 'stream_deleted') return callback(streamDeletedError(streamName));
    if (outcome.kind === 'wrong_expected_version') return callback(wrongExpectedVersionError(streamName, expected, outcome.current));
    const reply = new TombstoneResp();
    if (outcome.last) reply.setPosition(new TombstoneResp.Position().setCommitPosition(outcome.last.positionText).setPreparePosition(outcome.last.positionText));
    else reply.setNoPosition(new Empty());
    callback(null, reply);
  };
}
