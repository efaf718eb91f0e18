import type { StoredEvent } from './hash-chain.ts';
import type { EventToAppend, RecordedEvent } from './port.ts';
import { fromRow, type MetaRow, metadataOf } from './row.ts';

// The SQLite store's table, its rows and how they are turned into events (src/store/sqlite.ts).
//
// Immutability: triggers refuse any UPDATE or DELETE on the events table; AUTOINCREMENT keeps positions
// from ever being reused, so removed rows show up as gaps that `verify` reports. `write_probe` holds one
// row that a readiness check rewrites to learn whether the disk takes writes again (never events).

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id      TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  event_id       TEXT    NOT NULL UNIQUE,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  meta           TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  hash           TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TRIGGER IF NOT EXISTS events_are_immutable_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: append a correction instead'); END;
CREATE TRIGGER IF NOT EXISTS events_are_immutable_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable: append a correction instead'); END;
CREATE TABLE IF NOT EXISTS write_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL, pad BLOB NOT NULL);
`;

/** Tables that mark a file as one of the ledger's other databases, never the log. */
export const NOT_THE_LOG = {
  subject_keys: 'the student keys (LEDGER_KEYS_DB)',
  signing_keys: 'the checkpoint signing key (LEDGER_KEYS_DB)',
  tokens: 'the bearer tokens (LEDGER_AUTH_DB)',
  idempotency_keys: 'the idempotency keys (LEDGER_IDEMPOTENCY_DB)',
};

export const COLUMNS =
  'position, stream_id, revision, event_id, type, schema_version, data, meta, recorded_at, hash';

// Integers are read as numbers (positions stay far below 2^53) and made bigint here: better-sqlite3's
// safeIntegers mode is about a third slower on the read path.
export type Row = [number, string, number, string, string, number, string, string, string, string];

// The metadata is one column, a compact JSON array [actor id, actor role, occurred-at, correlation id,
// causation id]: one column to write and read instead of five (the store is measured against a plain
// table, and every column costs on both paths).
export function metaJson(m: EventToAppend['metadata']): string {
  return JSON.stringify([m.actor.id, m.actor.role, m.occurredAt, m.correlationId, m.causationId]);
}

export function toStored(r: Row): StoredEvent {
  return {
    position: BigInt(r[0]),
    streamId: r[1],
    revision: BigInt(r[2]),
    eventId: r[3],
    type: r[4],
    schemaVersion: r[5],
    dataJson: r[6],
    metadata: metadataOf(JSON.parse(r[7]) as MetaRow),
    recordedAt: r[8],
    hash: r[9],
  };
}

export function toRecorded(r: Row): RecordedEvent {
  return fromRow(
    r[0],
    r[1],
    r[2],
    r[3],
    r[4],
    r[5],
    JSON.parse(r[6]),
    JSON.parse(r[7]) as MetaRow,
    r[8],
    r[9],
  );
}
