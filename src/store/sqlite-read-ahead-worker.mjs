// The reading half of a read-ahead over the SQLite log (src/store/sqlite-read-ahead.ts), run on a worker
// thread so that SQLite's work of fetching rows overlaps the main thread's work of applying them.
// Plain JavaScript because Node 20 cannot load TypeScript on a worker by itself.
//
// Each page goes back as one JSON text, an array of rows; the data and metadata columns already hold
// JSON and are placed in it as they are, so the main thread turns a whole page into objects with one
// JSON.parse. Strings that are not JSON already are quoted with JSON.stringify. The main thread grants
// credit for a few pages at a time, so at most that many are ever waiting in memory.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, after: start, pageSize, credit: initialCredit } = workerData;
const db = new Database(path, { readonly: true, fileMustExist: true });
const page = db
  .prepare(
    'SELECT position, stream_id, revision, event_id, type, schema_version, data, meta, recorded_at, hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
  )
  .raw(true);
const q = JSON.stringify;
let after = start;
let credit = initialCredit;
let finished = false;

function pump() {
  try {
    while (credit > 0 && !finished) {
      const rows = page.all(after, pageSize);
      if (rows.length === 0) {
        finished = true;
        db.close();
        parentPort.postMessage({ done: true });
        return;
      }
      let text = '[';
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        text += `${i === 0 ? '' : ','}[${r[0]},${q(r[1])},${r[2]},${q(r[3])},${q(r[4])},${r[5]},${r[6]},${r[7]},${q(r[8])},${q(r[9])}]`;
      }
      after = rows[rows.length - 1][0];
      credit--;
      parentPort.postMessage({ text: `${text}]`, count: rows.length });
    }
  } catch (error) {
    finished = true;
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}

parentPort.on('message', (more) => {
  credit += more;
  pump();
});
pump();
