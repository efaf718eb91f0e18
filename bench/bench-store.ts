// The event store against its limit: a plain better-sqlite3 table doing the bare work (WAL,
// synchronous=FULL, prepared statements, one transaction per append), and the ledger's SQLite store
// doing the same appends through the port (expected-revision check, hash chain, recorded-at), in the
// same run on the same disk. Prints both and their ratio for: one event per append, batches of 100,
// and reading every event back.
//
//   npm run bench:store                 # 100k events over 1,000 streams
//   npm run bench:store -- --events 20000
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { validateEvent } from '../events/index.ts';
import type { EventToAppend } from '../src/store/port.ts';
import { SqliteEventStore } from '../src/store/sqlite.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EVENTS = arg('events', 100_000);
const STREAMS = arg('streams', 1_000);
const BATCH = 100;

const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-store-'));

/** What the plain table stores per row: the same event (type, data and metadata) as one JSON text. */
function plainPayload(e: EventToAppend): string {
  return JSON.stringify({ id: e.eventId, type: e.type, v: e.schemaVersion, data: e.data, meta: e.metadata });
}

function ledgerEvent(i: number): EventToAppend {
  return {
    eventId: uuidv7(),
    type: 'MarkModerated',
    schemaVersion: 1,
    data: {
      markEventId: '01a20bf6-1e1d-7613-9429-128711bae7a6',
      moduleCode: 'M2',
      attempt: 1,
      moderator: { id: 'tutor-2' },
      previousMark: 40 + (i % 50),
      moderatedMark: 41 + (i % 50),
      moderatedOn: '2024-06-01',
    },
    metadata: {
      actor: { id: 'tutor-2', role: 'tutor' },
      occurredAt: '2024-06-01T12:00:00.000+01:00',
      correlationId: uuidv7(),
      causationId: null,
    },
  };
}

function rate(n: number, ms: number) {
  return Math.round((n / ms) * 1000);
}

function plainTable(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL,
    data TEXT NOT NULL, UNIQUE (stream_id, revision))`);
  const insert = db.prepare('INSERT INTO events (stream_id, revision, type, data) VALUES (?, ?, ?, ?)');
  const revisions = new Int32Array(STREAMS);
  const appendOne = db.transaction((stream: number, e: EventToAppend) => {
    insert.run(`student-${stream}`, revisions[stream]!, e.type, plainPayload(e));
    revisions[stream]!++;
  });
  const appendBatch = db.transaction((stream: number, batch: EventToAppend[]) => {
    for (const e of batch) {
      insert.run(`student-${stream}`, revisions[stream]!, e.type, plainPayload(e));
      revisions[stream]!++;
    }
  });
  const readAll = db
    .prepare(
      'SELECT position, stream_id, revision, type, data FROM events WHERE position > ? ORDER BY position LIMIT 4096',
    )
    .raw(true);
  return { db, appendOne, appendBatch, readAll };
}

async function main() {
  console.log(`bench:store: ${EVENTS} events of ~300 bytes over ${STREAMS} streams, in ${dir}`);
  console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
  const results: Record<string, { plain: number; ours: number }> = {};

  // --- one event per append ---
  {
    const plain = plainTable(join(dir, 'plain-single.db'));
    const plainEvents = Array.from({ length: EVENTS }, (_, i) => ledgerEvent(i));
    console.log(
      `event size: ${Math.round(plainEvents.reduce((n, e) => n + plainPayload(e).length, 0) / EVENTS)} bytes as JSON`,
    );
    let t = performance.now();
    for (let i = 0; i < EVENTS; i++) plain.appendOne(i % STREAMS, plainEvents[i]!);
    const plainRate = rate(EVENTS, performance.now() - t);
    plain.db.close();

    const store = new SqliteEventStore({ path: join(dir, 'ours-single.db') });
    const revisions: (bigint | 'no_stream')[] = Array.from({ length: STREAMS }, () => 'no_stream');
    const events = Array.from({ length: EVENTS }, (_, i) => ledgerEvent(i));
    t = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      const s = i % STREAMS;
      const r = await store.append(`student-${s}`, [events[i]!], revisions[s]!);
      revisions[s] = r.nextExpectedRevision;
    }
    const oursRate = rate(EVENTS, performance.now() - t);
    await store.close();
    results['one event per append'] = { plain: plainRate, ours: oursRate };
  }

  // --- batches of 100, each with its schema validated first (the ledger's append path) ---
  let storePath = '';
  {
    const plain = plainTable(join(dir, 'plain-batch.db'));
    const plainEvents = Array.from({ length: EVENTS }, (_, i) => ledgerEvent(i));
    let t = performance.now();
    for (let i = 0; i < EVENTS; i += BATCH)
      plain.appendBatch((i / BATCH) % STREAMS, plainEvents.slice(i, i + BATCH));
    const plainRate = rate(EVENTS, performance.now() - t);
    t = performance.now();
    let after = 0;
    let read = 0;
    for (;;) {
      const rows = plain.readAll.all(after) as unknown[][];
      if (rows.length === 0) break;
      for (const row of rows) JSON.parse(row[4] as string);
      read += rows.length;
      after = rows[rows.length - 1]![0] as number;
    }
    const plainRead = rate(read, performance.now() - t);
    plain.db.close();

    storePath = join(dir, 'ours-batch.db');
    const store = new SqliteEventStore({ path: storePath });
    const revisions: (bigint | 'no_stream')[] = Array.from({ length: STREAMS }, () => 'no_stream');
    const events = Array.from({ length: EVENTS }, (_, i) => ledgerEvent(i));
    t = performance.now();
    for (let i = 0; i < EVENTS; i += BATCH) {
      const s = (i / BATCH) % STREAMS;
      const batch = events.slice(i, i + BATCH);
      for (const e of batch) validateEvent('MarkModerated', e.data);
      const r = await store.append(`student-${s}`, batch, revisions[s]!);
      revisions[s] = r.nextExpectedRevision;
    }
    const oursRate = rate(EVENTS, performance.now() - t);
    results['batches of 100'] = { plain: plainRate, ours: oursRate };

    t = performance.now();
    let n = 0;
    let position = 0n;
    for (;;) {
      const page = await store.readAll({ after: position, maxCount: 4096 });
      if (page.length === 0) break;
      n += page.length;
      position = page[page.length - 1]!.position;
    }
    results['read all'] = { plain: plainRead, ours: rate(n, performance.now() - t) };
    t = performance.now();
    const report = await store.verify();
    console.log(
      `verify: ${report.eventsChecked} events in ${Math.round(performance.now() - t)} ms, ok=${report.ok}`,
    );
    await store.close();
  }

  console.log('');
  console.log('phase                   plain table/s   ledger store/s   ledger/plain');
  for (const [phase, r] of Object.entries(results)) {
    console.log(
      `${phase.padEnd(22)} ${String(r.plain).padStart(14)} ${String(r.ours).padStart(16)} ${(r.ours / r.plain).toFixed(2).padStart(13)}`,
    );
  }
  console.log(
    '(the plain table parses each row\'s JSON on read, as any reader must; "ledger" appends carry the hash chain,',
  );
  console.log(' the expected-revision check and, for batches, zod validation of every event)');
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  rmSync(dir, { recursive: true, force: true });
  console.error(error);
  process.exit(1);
});
