// Replies are built from the client's own generated classes: its serializers check `instanceof`,
// and a second generated copy would overwrite the first on jspb's global namespace.
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { ExpectedState, ProposedEvent, StoredEvent } from './event-log.storage';

interface ExpectedOptions {
  hasRevision?(): boolean;
  getRevision?(): string;
  hasStreamPosition?(): boolean;
  getStreamPosition?(): string;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

interface ProposedMessage {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

export function expectedState(options: ExpectedOptions): ExpectedState {
  if (options.hasRevision?.()) return { kind: 'revision', revision: Number(options.getRevision!()) };
  if (options.hasStreamPosition?.()) return { kind: 'revision', revision: Number(options.getStreamPosition!()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

/** Wire value of an expected revision in `expected-version` trailers: EventStoreDB's negative markers. */
export function expectedVersionText(expected: ExpectedState): string {
  switch (expected.kind) {
    case 'revision': return String(expected.revision);
    case 'no_stream': return '-1';
    case 'any': return '-2';
    case 'stream_exists': return '-4';
  }
}

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

export function parseUuid(uuid: UUID | undefined): string {
  if (!uuid) return '';
  const structured = uuid.getStructured();
  if (!structured) return uuid.getString();
  const hex =
    BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())).toString(16).padStart(16, '0') +
    BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())).toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toUuid(id: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  return uuid.setStructured(
    new UUID.Structured()
      .setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString())
      .setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString()),
  );
}

export function proposedEvent(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: parseUuid(message.getId()).toLowerCase(),
    type: metadata.get('type') ?? '',
    // EventStoreDB keeps only the JSON flag: everything else reads back as octet-stream.
    contentType: metadata.get('content-type') === 'application/json' ? 'application/json' : 'application/octet-stream',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

// Most readers ask for string UUIDs; their reply is immutable once built, so it is built once.
const cachedReplies = new WeakMap<StoredEvent, ReadResp>();

export function eventReply(event: StoredEvent, structuredUuid: boolean): ReadResp {
  const cached = structuredUuid ? undefined : cachedReplies.get(event);
  if (cached) return cached;
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(toUuid(event.id, structuredUuid))
    .setStreamIdentifier(streamIdentifier(event.streamName))
    .setStreamRevision(event.revision)
    .setPreparePosition(event.positionText)
    .setCommitPosition(event.positionText)
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', event.created);
  const reply = new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.positionText));
  if (!structuredUuid) cachedReplies.set(event, reply);
  return reply;
}
