import Database from 'better-sqlite3';
import { eventHash, GENESIS_HASH, hashFormatOf } from '../../src/store/hash-chain.ts';
import type { MetaRow } from '../../src/store/row.ts';

// What an attacker with write access to the SQLite file can do with the sqlite3 tool and the published
// hash formula: each function rewrites the log so that its hash chains verify again. Only the signed
// checkpoints, kept outside the log, can tell.

type Row = {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  meta: string;
  recorded_at: string;
  hash: string;
};

function open(path: string): Database.Database {
  const db = new Database(path);
  db.exec(
    'DROP TRIGGER IF EXISTS events_are_immutable_update; DROP TRIGGER IF EXISTS events_are_immutable_delete',
  );
  return db;
}

/** Recomputes every hash from `fromPosition` on, in log order, as the store would have written them. */
function rehash(db: Database.Database, fromPosition = 1): void {
  const rows = db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
  const heads = new Map<string, string>();
  const update = db.prepare('UPDATE events SET hash = ? WHERE position = ?');
  for (const r of rows) {
    const prevHash = heads.get(r.stream_id) ?? GENESIS_HASH;
    let hash = r.hash;
    if (r.position >= fromPosition) {
      const m = JSON.parse(r.meta) as MetaRow;
      hash = eventHash({
        prevHash,
        streamId: r.stream_id,
        revision: BigInt(r.revision),
        eventId: r.event_id,
        type: r.type,
        schemaVersion: r.schema_version,
        recordedAt: r.recorded_at,
        metadata: {
          actor: { id: m[0], role: m[1] },
          occurredAt: m[2],
          correlationId: m[3],
          causationId: m[4],
        },
        dataJson: r.data,
        place: hashFormatOf(r.hash) === 2 ? BigInt(r.position) : undefined,
      });
      update.run(hash, r.position);
    }
    heads.set(r.stream_id, hash);
  }
}

/** Edits one event's data and re-chains its stream (and, for v2, everything after it). */
export function rechainEditedEvent(path: string, position: number, data: unknown): void {
  const db = open(path);
  db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), position);
  rehash(db, position);
  db.close();
}

/** Drops the newest events and winds AUTOINCREMENT back, so no position looks missing. */
export function dropNewest(path: string, n: number): void {
  const db = open(path);
  const head = db.prepare('SELECT max(position) FROM events').pluck().get() as number;
  db.prepare('DELETE FROM events WHERE position > ?').run(head - n);
  db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(head - n);
  db.close();
}

/** Deletes a whole stream, renumbers the events after it to close the gap, and re-hashes. */
export function deleteStreamAndRenumber(path: string, streamId: string): void {
  const db = open(path);
  db.prepare('DELETE FROM events WHERE stream_id = ?').run(streamId);
  const positions = db.prepare('SELECT position FROM events ORDER BY position').pluck().all() as number[];
  const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
  positions.forEach((p, i) => {
    if (p !== i + 1) move.run(i + 1, p);
  });
  db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(positions.length);
  rehash(db);
  db.close();
}
