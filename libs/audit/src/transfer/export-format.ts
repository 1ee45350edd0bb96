import type { EventMetadata, RecordedEvent } from '@app/event-store';

/** First line of an export file. */
export interface ExportHeader {
  readonly format: 'baton-export';
  readonly version: 1;
  readonly exportedAt: string;
}

/** One event per line, in `$all` order. Revisions are decimal strings (64-bit). */
export interface ExportedEvent {
  readonly stream: string;
  readonly revision: string;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** When the source store recorded it (ISO 8601); a target store records its own time. */
  readonly created: string;
}

/** Last line: an export without it was cut short. */
export interface ExportTrailer {
  readonly end: true;
  readonly events: number;
  readonly streams: number;
}

export const EXPORT_FORMAT = 'baton-export';
export const EXPORT_VERSION = 1;

/** A line of an import file that is not what an export writes. */
export class ExportFileError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, message: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`);
    this.name = 'ExportFileError';
  }
}

export function headerLine(now: Date): string {
  const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString() };
  return `${JSON.stringify(header)}\n`;
}

export function eventLine(event: RecordedEvent): string {
  const line: ExportedEvent = {
    stream: event.streamName,
    revision: event.revision.toString(),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    created: event.created.toISOString(),
  };
  return `${JSON.stringify(line)}\n`;
}

/**
 * {@link eventLine} from a store's raw row: data and metadata are copied as their stored JSON
 * text, not parsed and written again (the same line, key order aside, for far less work).
 */
export function storedEventLine(streamName: string, revision: bigint, id: string, type: string, dataText: string, metadataText: string, created: number | bigint): string {
  return `{"stream":${JSON.stringify(streamName)},"revision":"${revision}","id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"data":${dataText},"metadata":${metadataText},"created":"${new Date(Number(created)).toISOString()}"}\n`;
}

export function trailerLine(events: number, streams: number): string {
  const trailer: ExportTrailer = { end: true, events, streams };
  return `${JSON.stringify(trailer)}\n`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the header line; throws {@link ExportFileError} when the file is not an export. */
export function parseHeader(file: string, text: string | undefined): ExportHeader {
  let value: unknown;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isRecord(value) || value['format'] !== EXPORT_FORMAT) throw new ExportFileError(file, 1, `not a Baton export (the first line must be {"format":"${EXPORT_FORMAT}",…})`);
  if (value['version'] !== EXPORT_VERSION) throw new ExportFileError(file, 1, `export format version ${String(value['version'])} is not supported (this Baton reads version ${EXPORT_VERSION})`);
  return value as unknown as ExportHeader;
}

/** A parsed line: an event, or the trailer. Throws {@link ExportFileError} naming the line and field. */
export function parseLine(file: string, lineNumber: number, text: string): { event: ExportedEvent; revision: bigint } | { trailer: ExportTrailer } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExportFileError(file, lineNumber, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(value)) throw new ExportFileError(file, lineNumber, 'must be a JSON object');
  if (value['end'] === true) {
    if (!Number.isInteger(value['events']) || !Number.isInteger(value['streams'])) throw new ExportFileError(file, lineNumber, 'the trailer must give events and streams counts');
    return { trailer: value as unknown as ExportTrailer };
  }
  const fail = (field: string, rule: string): never => {
    throw new ExportFileError(file, lineNumber, `${field} ${rule}`);
  };
  if (typeof value['stream'] !== 'string' || value['stream'] === '') fail('stream', 'must be a stream name');
  if (typeof value['revision'] !== 'string' || !/^\d{1,19}$/.test(value['revision'])) fail('revision', 'must be a revision as a decimal string');
  if (typeof value['id'] !== 'string' || !/^[0-9a-fA-F-]{36}$/.test(value['id'])) fail('id', 'must be an event id (UUID)');
  if (typeof value['type'] !== 'string' || value['type'] === '') fail('type', 'must be an event type');
  if (!('data' in value)) fail('data', 'is missing');
  if (!isRecord(value['metadata'])) fail('metadata', 'must be an object');
  return { event: value as unknown as ExportedEvent, revision: BigInt(value['revision'] as string) };
}
