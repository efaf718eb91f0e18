// The checkpointer of a read-model database during a rebuild (src/store/read-model-db.ts,
// `checkpointAside`), run on a worker thread: it copies what the rebuild's commits appended to the
// write-ahead log into the database file, so that the thread applying events only appends. A rebuild
// writes every state once (hundreds of megabytes at a million events); SQLite's own checkpoint, run
// inside a commit every 4 MB, was about half of each commit's time.
//
// PASSIVE: it never waits for a reader or a writer, and a checkpoint changes no content (the rows and
// checkpoint a commit wrote are the same whichever file holds them). Plain JavaScript, as a worker of
// Node 20 cannot load TypeScript by itself.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, everyMs, stop } = workerData;
const stopped = new Int32Array(stop);
const db = new Database(path, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 0');
  while (Atomics.load(stopped, 0) === 0) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy (another checkpoint running): try again at the next turn
    }
    Atomics.wait(stopped, 0, 0, everyMs);
  }
} finally {
  db.close();
}
