import { Metadata, status, type ServerErrorResponse } from '@grpc/grpc-js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { StreamDeleted, Timeout, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import type { Code } from '@eventstore/db-client/generated/code_pb';
import type { ExpectedState } from './event-log.storage';
import { expectedVersionText, streamIdentifier } from './wire.codec';

// The client maps failures by the `exception` trailer (see its convertToCommandError), not by code.
function rpcError(code: status, details: string, trailers: Record<string, string> = {}): ServerErrorResponse {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export function streamDeletedError(streamName: string): ServerErrorResponse {
  return rpcError(status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, { exception: 'stream-deleted', 'stream-name': streamName });
}

export function wrongExpectedVersionError(streamName: string, expected: ExpectedState, current: number | undefined): ServerErrorResponse {
  const trailers: Record<string, string> = { exception: 'wrong-expected-version', 'stream-name': streamName, 'expected-version': expectedVersionText(expected) };
  if (current !== undefined) trailers['actual-version'] = String(current);
  return rpcError(status.FAILED_PRECONDITION, `Append failed due to WrongExpectedVersion. Stream: ${streamName}, Expected version: ${expectedVersionText(expected)}, Actual version: ${current ?? -1}`, trailers);
}

export function invalidArgument(details: string): ServerErrorResponse {
  return rpcError(status.INVALID_ARGUMENT, details);
}

export function missingMetadataError(): ServerErrorResponse {
  return rpcError(status.INVALID_ARGUMENT, 'Required metadata properties are missing', {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });
}

function packed(code: status, message: string, detail: { serializeBinary(): Uint8Array }, typeName: string): Status {
  const details = new Any();
  details.pack(detail.serializeBinary(), typeName);
  return new Status().setCode(code as number as Code).setMessage(message).setDetails(details);
}

/** BatchAppend reports a conflict as a `google.rpc.Status` whose details are `Any(WrongExpectedVersion)`. */
export function batchWrongExpectedVersion(expected: ExpectedState, current: number | undefined): Status {
  const detail = new WrongExpectedVersion();
  if (current === undefined) detail.setCurrentNoStream(new Empty());
  else detail.setCurrentStreamRevision(String(current));
  switch (expected.kind) {
    case 'revision': detail.setExpectedStreamPosition(String(expected.revision)); break;
    case 'no_stream': detail.setExpectedNoStream(new Empty()); break;
    case 'stream_exists': detail.setExpectedStreamExists(new Empty()); break;
    case 'any': detail.setExpectedAny(new Empty()); break;
  }
  return packed(status.FAILED_PRECONDITION, 'Wrong expected version', detail, 'event_store.client.WrongExpectedVersion');
}

export function batchStreamDeleted(streamName: string): Status {
  return packed(status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, new StreamDeleted().setStreamIdentifier(streamIdentifier(streamName)), 'event_store.client.StreamDeleted');
}

export function batchTimeout(): Status {
  return packed(status.DEADLINE_EXCEEDED, 'Append deadline exceeded', new Timeout(), 'event_store.client.Timeout');
}
