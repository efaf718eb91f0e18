// How long writing a student's read-model state takes, as the rebuild writes it (the state codec:
// JSON.stringify with a replacer for bigints, Sets and Maps) and as plain JSON with no replacer at all
// (the same stored text parsed and written back: the least any JSON encoding of these states can cost).
// Reads the states from a read-model file the bench kept:
//   npx tsx bench/encode-states.ts /tmp/nasenco-bench-XXXX/read-models.db [count]
import Database from 'better-sqlite3';
import { decodeState, encodeState } from '../src/store/state-codec.ts';

const [file, count = '2000'] = process.argv.slice(2);
if (!file) throw new Error('usage: npx tsx bench/encode-states.ts READ_MODELS_DB [count]');
const db = new Database(file, { readonly: true });
const live = db
  .prepare("SELECT id FROM read_model_generations WHERE state = 'live' ORDER BY id DESC LIMIT 1")
  .get() as { id: number } | undefined;
if (!live) throw new Error(`${file} has no live read models`);
const rows = db.prepare(`SELECT state FROM g${live.id}_students LIMIT ?`).all(Number(count)) as {
  state: Buffer;
}[];
const states = rows.map((r) => decodeState(r.state));
const plain = rows.map((r) => JSON.parse(r.state.toString('utf8')));
const bytes = rows.reduce((n, r) => n + r.state.length, 0) / rows.length;
const perState = (run: () => void) => {
  const started = performance.now();
  run();
  return ((performance.now() - started) * 1000) / rows.length;
};
for (let round = 1; round <= 3; round++) {
  const codec = perState(() => {
    for (const s of states) encodeState(s);
  });
  const bare = perState(() => {
    for (const s of plain) Buffer.from(JSON.stringify(s), 'utf8');
  });
  console.log(
    `round ${round}: ${rows.length} student states of ${Math.round(bytes / 1024)} KB on average: ` +
      `the codec ${codec.toFixed(0)} µs a state, plain JSON.stringify ${bare.toFixed(0)} µs`,
  );
}
