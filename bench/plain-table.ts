import Database from 'better-sqlite3';
import type { EventToAppend } from '../src/store/port.ts';

// The limit every ledger figure is compared with: a plain better-sqlite3 table doing only the bare work
// (WAL, synchronous=FULL like the ledger's default, prepared statements, a transaction per append or per import chunk) on
// the same events, in the same run, on the same disk. It checks no revision, chains no hash and
// validates nothing; on read it parses each row's JSON, as any reader must.

/** What the plain table stores per row: the event (id, type, version, data and metadata) as one JSON text. */
export function plainPayload(e: EventToAppend): string {
  return JSON.stringify({ id: e.eventId, type: e.type, v: e.schemaVersion, data: e.data, meta: e.metadata });
}

export class PlainTable {
  readonly db: Database.Database;
  private readonly revisions = new Map<string, number>();
  private readonly insert: Database.Statement;
  private readonly appendTx: (streamId: string, events: EventToAppend[]) => void;
  private readonly groupTx: (batches: { streamId: string; events: EventToAppend[] }[]) => void;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS events (
      position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL,
      data TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    this.insert = this.db.prepare('INSERT INTO events (stream_id, revision, type, data) VALUES (?, ?, ?, ?)');
    const insertBatch = (streamId: string, events: EventToAppend[]) => {
      let revision = this.revisions.get(streamId) ?? 0;
      for (const e of events) this.insert.run(streamId, revision++, e.type, plainPayload(e));
      this.revisions.set(streamId, revision);
    };
    this.appendTx = this.db.transaction(insertBatch);
    this.groupTx = this.db.transaction((batches: { streamId: string; events: EventToAppend[] }[]) => {
      for (const b of batches) insertBatch(b.streamId, b.events);
    });
  }

  /** One transaction for the whole batch. */
  append(streamId: string, events: EventToAppend[]): void {
    this.appendTx(streamId, events);
  }

  /** Several streams' batches in one transaction (as the ledger's store commits an import chunk). */
  appendGroup(batches: { streamId: string; events: EventToAppend[] }[]): void {
    this.groupTx(batches);
  }

  /** Reads every row in pages of 4096 and parses its JSON; returns the number of rows. */
  readAll(): number {
    const page = this.db
      .prepare(
        'SELECT position, stream_id, revision, type, data FROM events WHERE position > ? ORDER BY position LIMIT 4096',
      )
      .raw(true);
    let after = 0;
    let read = 0;
    for (;;) {
      const rows = page.all(after) as [number, string, number, string, string][];
      if (rows.length === 0) return read;
      for (const row of rows) JSON.parse(row[4]);
      read += rows.length;
      after = rows[rows.length - 1]![0];
    }
  }

  close(): void {
    this.db.close();
  }
}
