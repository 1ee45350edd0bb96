import type Database from 'better-sqlite3';
import type { StoredEvent } from '../core/stored-event';
import { STATUS_LIVE } from './sqlite-schema';

export interface StreamRow {
  readonly streamId: bigint;
  readonly lastRevision: bigint;
  readonly truncateBefore: bigint;
  readonly status: bigint;
}

interface StreamPage {
  readonly streamId: bigint;
  readonly streamName: string;
  readonly from: bigint;
  readonly floor: bigint;
  readonly limit: number;
}

interface AllPage {
  readonly from: bigint;
  readonly limit: number;
}

/** One row of {@link prepareStatements}' `storedRows`: position, stream name, revision, id, type, data text, metadata text, created (ms). */
export type StoredRow = [position: bigint, streamName: string, revision: bigint, id: string, type: string, data: string, metadata: string, created: bigint];

const EVENT_COLUMNS = 'e.position, e.revision, e.event_id AS id, e.type, e.data, e.metadata, e.created';
const ALL_PAGE = (condition: string, order: string): string =>
  `SELECT ${EVENT_COLUMNS}, s.name AS streamName FROM events e JOIN streams s ON s.stream_id = e.stream_id
   WHERE e.position ${condition} @from ORDER BY e.position ${order} LIMIT @limit`;

/** Every statement the store runs, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  return {
    stream: db.prepare<[string], StreamRow>(
      'SELECT stream_id AS streamId, last_revision AS lastRevision, truncate_before AS truncateBefore, status FROM streams WHERE name = ?',
    ),
    insertStream: db.prepare<[string]>('INSERT INTO streams (name) VALUES (?)'),
    insertEvent: db.prepare<[bigint, bigint, string, string, string, string, number]>(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    setHead: db.prepare<[bigint, bigint]>(`UPDATE streams SET last_revision = ?, status = ${STATUS_LIVE} WHERE stream_id = ?`),
    setStatus: db.prepare<[bigint, bigint, bigint]>('UPDATE streams SET status = ?, truncate_before = ? WHERE stream_id = ?'),
    revisionOfId: db.prepare<[bigint, string], bigint>('SELECT revision FROM events WHERE stream_id = ? AND event_id = ?').pluck(),
    positionAt: db.prepare<[bigint, bigint], bigint>('SELECT position FROM events WHERE stream_id = ? AND revision = ?').pluck(),
    head: db.prepare<[], bigint>('SELECT max(position) FROM events').pluck(),
    streamForwards: db.prepare<StreamPage, StoredEvent>(
      `SELECT ${EVENT_COLUMNS}, @streamName AS streamName FROM events e
       WHERE e.stream_id = @streamId AND e.revision >= @from AND e.revision >= @floor ORDER BY e.revision LIMIT @limit`,
    ),
    streamBackwards: db.prepare<StreamPage, StoredEvent>(
      `SELECT ${EVENT_COLUMNS}, @streamName AS streamName FROM events e
       WHERE e.stream_id = @streamId AND e.revision <= @from AND e.revision >= @floor ORDER BY e.revision DESC LIMIT @limit`,
    ),
    allFrom: db.prepare<AllPage, StoredEvent>(ALL_PAGE('>=', 'ASC')),
    allAfter: db.prepare<AllPage, StoredEvent>(ALL_PAGE('>', 'ASC')),
    allUntil: db.prepare<AllPage, StoredEvent>(ALL_PAGE('<=', 'DESC')),
    allBefore: db.prepare<AllPage, StoredEvent>(ALL_PAGE('<', 'DESC')),
    ping: db.prepare<[], bigint>('SELECT 1').pluck(),
    // Raw rows (arrays, no per-row objects): the whole-store scans of the offline tools.
    storedRows: db.prepare<[], StoredRow>(
      `SELECT e.position, s.name, e.revision, e.event_id, e.type, e.data, e.metadata, e.created FROM events e JOIN streams s ON s.stream_id = e.stream_id
       WHERE e.type NOT LIKE '$%' ORDER BY e.position`,
    ).raw(true),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
