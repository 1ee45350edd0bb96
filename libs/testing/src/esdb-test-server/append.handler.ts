import type { handleBidiStreamingCall, handleClientStreamingCall } from '@grpc/grpc-js';
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { type AppendReq, AppendResp, type BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { AllStreamPosition, Empty, type UUID } from '@eventstore/db-client/generated/shared_pb';
import type { EventLog, ExpectedState, ProposedEvent, WriteOutcome } from './event-log.storage';
import { batchStreamDeleted, batchTimeout, batchWrongExpectedVersion, invalidArgument, missingMetadataError, streamDeletedError } from './rpc.errors';
import { expectedState, parseUuid, proposedEvent, streamIdentifier, streamNameOf } from './wire.codec';

/** `Streams.Append`: one client-streaming call per append (options first, then the events). */
export function appendHandler(log: EventLog): handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    call.on('data', (request: AppendReq) => {
      const message = request.getProposedMessage();
      if (request.hasOptions()) options = request.getOptions();
      else if (message) events.push(proposedEvent(message));
    });
    call.on('error', () => undefined); // the client went away; nothing was written
    call.on('end', () => {
      if (!options) return callback(invalidArgument('The first append message must carry options'));
      if (events.some((event) => !event.type)) return callback(missingMetadataError());
      const streamName = streamNameOf(options.getStreamIdentifier());
      const expected = expectedState(options);
      const outcome = log.append(streamName, expected, events);
      if (outcome.kind === 'stream_deleted') return callback(streamDeletedError(streamName));
      if (outcome.kind === 'wrong_expected_version') {
        // A conflict is a normal reply here, not a gRPC error.
        const wrong = new AppendResp.WrongExpectedVersion();
        if (outcome.current === undefined) wrong.setCurrentNoStream(new Empty());
        else wrong.setCurrentRevision(String(outcome.current));
        if (expected.kind === 'revision') wrong.setExpectedRevision(String(expected.revision));
        else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
        else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
        else wrong.setExpectedAny(new Empty());
        return callback(null, new AppendResp().setWrongExpectedVersion(wrong));
      }
      const success = new AppendResp.Success();
      if (outcome.revision === undefined) success.setNoStream(new Empty());
      else success.setCurrentRevision(String(outcome.revision));
      if (outcome.last) success.setPosition(new AppendResp.Position().setCommitPosition(outcome.last.positionText).setPreparePosition(outcome.last.positionText));
      else success.setNoPosition(new Empty());
      callback(null, new AppendResp().setSuccess(success));
    });
  };
}

interface PendingBatch {
  options?: BatchAppendReq.Options;
  readonly events: ProposedEvent[];
}

/** `Streams.BatchAppend`: one long-lived bidirectional call; requests and replies matched by correlation id. */
export function batchAppendHandler(log: EventLog): handleBidiStreamingCall<BatchAppendReq, BatchAppendResp> {
  return (call) => {
    const pending = new Map<string, PendingBatch>();
    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId();
      const key = parseUuid(correlationId);
      let batch = pending.get(key);
      if (!batch) pending.set(key, (batch = { events: [] }));
      if (request.hasOptions()) batch.options = request.getOptions();
      for (const message of request.getProposedMessagesList()) batch.events.push(proposedEvent(message));
      if (!request.getIsFinal()) return;
      pending.delete(key);
      if (!batch.options) return call.emit('error', invalidArgument('The first batch of an append must carry options'));
      if (batch.events.some((event) => !event.type)) return call.emit('error', missingMetadataError());
      call.write(batchReply(log, correlationId, batch.options, batch.events));
    });
    call.on('error', () => pending.clear());
    call.on('end', () => call.end());
  };
}

function batchReply(log: EventLog, correlationId: UUID | undefined, options: BatchAppendReq.Options, events: ProposedEvent[]): BatchAppendResp {
  const streamName = streamNameOf(options.getStreamIdentifier());
  const expected = expectedState(options);
  const reply = new BatchAppendResp().setStreamIdentifier(streamIdentifier(streamName));
  if (correlationId) reply.setCorrelationId(correlationId);
  echoExpected(reply, expected);
  const deadline = options.getDeadline()?.toDate();
  if (deadline && deadline.getTime() < Date.now()) return reply.setError(batchTimeout());
  const outcome: WriteOutcome = log.append(streamName, expected, events);
  if (outcome.kind === 'stream_deleted') return reply.setError(batchStreamDeleted(streamName));
  if (outcome.kind === 'wrong_expected_version') return reply.setError(batchWrongExpectedVersion(expected, outcome.current));
  const success = new BatchAppendResp.Success();
  if (outcome.revision === undefined) success.setNoStream(new GoogleEmpty());
  else success.setCurrentRevision(String(outcome.revision));
  if (outcome.last) success.setPosition(new AllStreamPosition().setCommitPosition(outcome.last.positionText).setPreparePosition(outcome.last.positionText));
  else success.setNoPosition(new GoogleEmpty());
  return reply.setSuccess(success);
}

function echoExpected(reply: BatchAppendResp, expected: ExpectedState): void {
  if (expected.kind === 'revision') reply.setStreamPosition(String(expected.revision));
  else if (expected.kind === 'no_stream') reply.setNoStream(new GoogleEmpty());
  else if (expected.kind === 'stream_exists') reply.setStreamExists(new GoogleEmpty());
  else reply.setAny(new GoogleEmpty());
}
