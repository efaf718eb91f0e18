import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type EventType, validateEvent } from '../events/index.ts';
import { configureImmer } from '../src/app/immer.ts';
import { Ledger } from '../src/app/ledger.ts';
import { rebuildReadModels } from '../src/app/rebuild.ts';
import { loadReferenceData } from '../src/app/reference-files.ts';
import { MemoryTokenStore } from '../src/auth/tokens.ts';
import { buildServer } from '../src/server.ts';
import { readAllPages } from '../src/store/port.ts';
import { SqliteEventStore } from '../src/store/sqlite.ts';
import { DATA_AS_OF } from './cohorts.ts';
import { runCommandPath } from './command-path.ts';
import { type GeneratedAppend, SyntheticLog } from './generate.ts';
import { BenchKeyStore } from './keys.ts';
import { latencyOf, peakRss, perSecond } from './measure.ts';
import { PlainTable } from './plain-table.ts';
import { Prng } from './prng.ts';

// One phase of the benchmark for one size, in its own process so that each phase's memory and JIT
// state are its own (bench/bench.ts runs them in turn and prints the figures). Results go back to the
// parent as an IPC message. Run alone (no parent), a phase prints its result as JSON, so one phase can be
// timed again on a kept directory: `npx tsx bench/child.ts --phase rebuild --dir D` (after `npm run bench --
// --sizes N --keep`, or `mkdir D` then `--phase build --dir D --events N` to make one).

configureImmer();

const { values } = parseArgs({
  options: {
    phase: { type: 'string' },
    dir: { type: 'string' },
    events: { type: 'string' },
    'plain-single': { type: 'string', default: '20000' },
    'from-student': { type: 'string', default: '0' },
    commands: { type: 'string', default: '20000' },
    clients: { type: 'string', default: '1,8' },
    samples: { type: 'string', default: '2000' },
  },
});
const dir = values.dir!;
const paths = {
  ledger: join(dir, 'ledger.db'),
  readModels: join(dir, 'read-models.db'),
  rebuilt: join(dir, 'rebuilt-read-models.db'),
  plainBatch: join(dir, 'plain-batch.db'),
  plainSingle: join(dir, 'plain-single.db'),
  /** The build's own figures, kept for a later run on the same log (`npm run bench -- --reuse DIR`). */
  built: join(dir, 'build.json'),
};

function send(message: Record<string, unknown>): void {
  if (process.send) process.send(message);
  else if (message.type === 'result')
    console.log(JSON.stringify(message.result, (_k, v) => (typeof v === 'bigint' ? String(v) : v), 2));
  else throw new Error(`the ${values.phase} phase needs the benchmark's parent process (npm run bench)`);
}

function reply<T>(type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type: string } & T) => {
      if (message.type !== type) return;
      process.off('message', listener);
      resolve(message);
    };
    process.on('message', listener);
  });
}

/**
 * The ledger's import path: every event checked against the catalogue, each student's batch appended with
 * its expected revision. The chunk's appends are made together, so the store commits them as one group.
 */
async function importChunk(store: SqliteEventStore, chunk: GeneratedAppend[]): Promise<void> {
  await Promise.all(
    chunk.map((append) =>
      store.append(
        append.streamId,
        append.events.map((e) => ({ ...e, data: validateEvent(e.type as EventType, e.data) })),
        append.expectedRevision,
      ),
    ),
  );
}

/**
 * The plain table's two limits, timed in this run: the given events inserted one a transaction into a
 * fresh table, then every row of the batch table read and parsed (which is then closed).
 */
function timePlainTable(
  plain: PlainTable,
  singles: { streamId: string; event: GeneratedAppend['events'][number] }[],
) {
  const single = new PlainTable(paths.plainSingle);
  let t = performance.now();
  for (const { streamId, event } of singles) single.append(streamId, [event]);
  const plainSingleMs = performance.now() - t;
  single.close();
  t = performance.now();
  const plainRead = plain.readAll();
  const plainReadMs = performance.now() - t;
  plain.close();
  return {
    plainRead,
    plainSinglePerSecond: perSecond(singles.length, plainSingleMs),
    plainSingleEvents: singles.length,
    plainReadPerSecond: perSecond(plainRead, plainReadMs),
  };
}

/** Generates the log and writes it twice, in chunks: to the plain table and through the ledger's import. */
async function build() {
  const total = Number(values.events);
  const singles = Math.min(total, Number(values['plain-single']));
  const log = new SyntheticLog(loadReferenceData());
  const plain = new PlainTable(paths.plainBatch);
  const store = new SqliteEventStore({ path: paths.ledger });
  const firstEvents: { streamId: string; event: GeneratedAppend['events'][number] }[] = [];
  let generateMs = 0;
  let plainMs = 0;
  let importMs = 0;
  let appends = 0;
  const source = log.appends({ maxEvents: total });
  for (let done = false; !done; ) {
    let t = performance.now();
    const chunk: GeneratedAppend[] = [];
    let size = 0;
    while (size < 20_000) {
      const next = source.next();
      if (next.done) {
        done = true;
        break;
      }
      chunk.push(next.value);
      size += next.value.events.length;
    }
    generateMs += performance.now() - t;
    for (const a of chunk)
      for (const event of a.events)
        if (firstEvents.length < singles) firstEvents.push({ streamId: a.streamId, event });
    t = performance.now();
    plain.appendGroup(chunk);
    plainMs += performance.now() - t;
    t = performance.now();
    await importChunk(store, chunk);
    importMs += performance.now() - t;
    appends += chunk.length;
  }
  const timed = timePlainTable(plain, firstEvents);
  const t = performance.now();
  let storeRead = 0;
  for await (const page of readAllPages(store)) storeRead += page.length;
  const storeReadMs = performance.now() - t;
  await store.close();
  const result = {
    events: log.eventCount,
    students: log.nextStudent,
    appends,
    meanBatch: log.eventCount / appends,
    generatePerSecond: perSecond(log.eventCount, generateMs),
    importPerSecond: perSecond(log.eventCount, importMs),
    plainBatchPerSecond: perSecond(log.eventCount, plainMs),
    ...timed,
    storeReadPerSecond: perSecond(storeRead, storeReadMs),
    storeBytes: statSync(paths.ledger).size,
    peakRss: peakRss(),
    reused: false,
  };
  writeFileSync(paths.built, JSON.stringify(result));
  return result;
}

/**
 * A log made by an earlier run, measured again (`--reuse DIR`): generating and importing 10M events takes
 * a quarter of an hour. The plain table's read and one-event inserts are timed anew, in this run; the
 * import's figures are the earlier build's (from build.json, if it was kept). The read models are removed,
 * so the first start builds them. Earlier runs' commands added students: new ones are numbered past them.
 */
async function reuse() {
  for (const f of [paths.readModels, paths.rebuilt])
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${f}${suffix}`, { force: true });
  const earlier = existsSync(paths.built) ? JSON.parse(readFileSync(paths.built, 'utf8')) : {};
  const plain = new PlainTable(paths.plainBatch);
  const singles = Number(values['plain-single']);
  const first = plain.db
    .prepare('SELECT stream_id, data FROM events ORDER BY position LIMIT ?')
    .all(singles) as { stream_id: string; data: string }[];
  rmSync(paths.plainSingle, { force: true });
  const events = first.map((row) => {
    const e = JSON.parse(row.data);
    return {
      streamId: row.stream_id,
      event: { eventId: e.id, type: e.type, schemaVersion: e.v, data: e.data, metadata: e.meta },
    };
  });
  const timed = timePlainTable(plain, events);
  const store = new SqliteEventStore({ path: paths.ledger });
  const t = performance.now();
  let storeRead = 0;
  const studentStreams = new Set<string>();
  for await (const page of readAllPages(store))
    for (const e of page) {
      storeRead++;
      if (e.streamId.startsWith('student-')) studentStreams.add(e.streamId);
    }
  const storeReadMs = performance.now() - t;
  await store.close();
  return {
    events: timed.plainRead,
    // past every student made so far, with room for any a killed run made out of turn
    students: studentStreams.size + 1000,
    appends: earlier.appends ?? Number.NaN,
    meanBatch: earlier.meanBatch ?? Number.NaN,
    generatePerSecond: earlier.generatePerSecond ?? Number.NaN,
    importPerSecond: earlier.importPerSecond ?? Number.NaN,
    plainBatchPerSecond: earlier.plainBatchPerSecond ?? Number.NaN,
    ...timed,
    storeReadPerSecond: perSecond(storeRead, storeReadMs),
    storeBytes: statSync(paths.ledger).size,
    storeEvents: storeRead,
    peakRss: peakRss(),
    reused: true,
  };
}

/** A full rebuild of every projection from the log, in a fresh process (what `ledger rebuild` does). */
async function rebuild() {
  rmSync(paths.rebuilt, { force: true });
  const ledger = openLedger(paths.rebuilt);
  const t = performance.now();
  const { applied, spent } = await rebuildReadModels(ledger);
  const ms = performance.now() - t;
  await ledger.stop();
  return { applied, ms, perSecond: perSecond(applied, ms), peakRss: peakRss(), spent };
}

/** The ledger as deployed on SQLite, with its read models in a file beside the log. */
function openLedger(readModels = paths.readModels) {
  return new Ledger({
    store: new SqliteEventStore({ path: paths.ledger }),
    keys: new BenchKeyStore(),
    reference: loadReferenceData(),
    readModels,
  });
}

/**
 * GET /students a page at a time (issue 14: the whole list was 1.7 MB and held /health up for 1.8 s),
 * over the network as a client sees it: the first page (100), and /health asked again and again while a
 * page of 500 is worked out.
 */
async function pagingFigures(port: number, token: string) {
  const base = `http://127.0.0.1:${port}`;
  const get = async (path: string) => {
    const answer = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: answer.status, bytes: (await answer.arrayBuffer()).byteLength, answer };
  };
  let t = performance.now();
  const first = await fetch(`${base}/students`, { headers: { authorization: `Bearer ${token}` } });
  const firstText = await first.text();
  const firstMs = performance.now() - t;
  const { total } = JSON.parse(firstText) as { total: number };
  t = performance.now();
  let done = false;
  const big = get('/students?limit=500').then((page) => {
    done = true;
    return { ...page, ms: performance.now() - t };
  });
  const health: number[] = [];
  while (!done) {
    const h = performance.now();
    await fetch(`${base}/health`).then((answer) => answer.arrayBuffer());
    health.push(performance.now() - h);
  }
  const page = await big;
  return {
    total,
    firstBytes: Buffer.byteLength(firstText),
    firstMs,
    bigBytes: page.bytes,
    bigMs: page.ms,
    healthChecks: health.length,
    healthMaxMs: Math.max(0, ...health),
  };
}

/** A first start: the read models built from the first event into their file beside the log, then a stop. */
async function firstStart() {
  const t = performance.now();
  const ledger = openLedger();
  const started = await ledger.start();
  const startMs = performance.now() - t;
  const peak = peakRss();
  await ledger.stop();
  return {
    startMs,
    applied: started.applied,
    peakRss: peak,
    readModelBytes: statSync(paths.readModels).size,
  };
}

/**
 * The running ledger as it normally starts, on an existing ledger (its read models resumed from their
 * checkpoint), then queries and HTTP load on it: its peak memory is the running ledger's.
 */
async function serve() {
  let t = performance.now();
  const ledger = openLedger();
  const started = await ledger.start();
  const startMs = performance.now() - t;
  const rssAfterStart = process.memoryUsage().rss;

  const rng = new Prng(7);
  const ids = ledger.queries.studentIds();
  // Drawn with replacement, so a small log still gives a p99 over enough samples.
  const sample = Array.from({ length: Number(values.samples) }, () => rng.pick(ids));
  // A running server has long since compiled its hot paths: 1,000 untimed decisions on other students
  // first (nothing is cached between decisions; each is computed from the record).
  for (let i = 0; i < 1000; i++) ledger.queries.decision(rng.pick(ids), DATA_AS_OF);
  const decision = await latencyOf(sample, (id) => ledger.queries.decision(id, DATA_AS_OF));
  const replaySample = sample.slice(0, 200);
  const asOf = await latencyOf(replaySample, (id) => {
    const r = ledger.queries.record(id);
    const first = r.application?.ref.position ?? r.lastPosition;
    return ledger.queries.asOf(id, { position: (first + r.lastPosition) / 2n });
  });
  const replay = await latencyOf(replaySample, (id) => ledger.queries.replay(id));

  // HTTP: the parent drives the routes with autocannon from its own process.
  const tokens = new MemoryTokenStore();
  const app = await buildServer({ ledger, tokens, logLevel: 'warn' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const writable = writeTargets(ledger);
  send({
    type: 'http',
    port,
    read: {
      token: tokens.create({ id: 'registry-bench', role: 'registry', label: 'bench' }),
      paths: sample.map((id) => `/students/${id}/decision?on=${DATA_AS_OF}`),
    },
    write: {
      token: tokens.create({ id: writable.tutorId, role: 'tutor', label: 'bench' }),
      paths: writable.studentIds.map((id) => `/students/${id}/record-partner-school-visit`),
      body: JSON.stringify({
        school: { name: 'Hillside Academy' },
        phase: 'secondary',
        visitedOn: '2024-06-03',
        moduleCode: 'M1',
        hours: 5,
      }),
    },
  });
  const http = await reply<{ results: unknown }>('http-done');
  const paging = await pagingFigures(
    port,
    tokens.create({ id: 'registry-bench', role: 'registry', label: 'bench' }),
  );
  const peak = peakRss();
  const heapUsed = process.memoryUsage().heapUsed;
  t = performance.now();
  await app.close();
  await ledger.stop();
  return {
    resumed: started.resumedFrom !== null,
    applied: started.applied,
    startMs,
    rssAfterStart,
    decision,
    asOf,
    replay,
    http: http.results,
    paging,
    writeTargets: writable.studentIds.length,
    peakRss: peak,
    heapUsed,
    closeMs: performance.now() - t,
  };
}

/** The tutor with the most blended students still studying, and those students (for the write route). */
function writeTargets(ledger: Ledger): { tutorId: string; studentIds: string[] } {
  const byTutor = new Map<string, string[]>();
  for (const cohort of ledger.queries.cohorts()) {
    if (cohort.programmeId !== 'blended-3module') continue;
    for (const r of ledger.queries.records(cohort.cohortId)) {
      if (r.withdrawal || r.interruption) continue;
      for (const tutor of cohort.tutors) byTutor.set(tutor, [...(byTutor.get(tutor) ?? []), r.studentId]);
    }
  }
  const [tutorId, studentIds] = [...byTutor.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  return { tutorId, studentIds };
}

/**
 * A running ledger taking commands from eight clients, killed (SIGKILL, by itself) while its read models
 * hold events they have applied and not yet written: the state the next phase starts from. Tells the
 * parent what was lost from memory before it dies.
 */
async function crash() {
  const ledger = openLedger();
  await ledger.start();
  const models = ledger.projections;
  const t = performance.now();
  let finished = false;
  void runCommandPath(ledger, {
    fromStudent: Number(values['from-student']),
    maxCommands: Number(values.commands),
    clients: 8,
  }).then(() => {
    finished = true; // (too soon to catch it mid-apply: killed all the same, with nothing unwritten)
  });
  await new Promise<void>(() => {
    const timer = setInterval(() => {
      if (!finished && (performance.now() - t < 1000 || !models.pending)) return;
      clearInterval(timer);
      const written = models.db.generation(models.current.id)!.checkpoint;
      const lost = { applied: models.checkpoint.toString(), written: written.toString(), peakRss: peakRss() };
      // killed as soon as the parent has the message, with the unwritten states still only in memory
      process.send!({ type: 'crashing', ...lost }, () => process.kill(process.pid, 'SIGKILL'));
    }, 5);
  });
}

/** Start-up after the crash: the read models resumed from the checkpoint they had written, the rest applied. */
async function afterCrash() {
  const t = performance.now();
  const ledger = openLedger();
  const started = await ledger.start();
  const startMs = performance.now() - t;
  const peak = peakRss();
  const checkpoint = ledger.projections.checkpoint;
  const head = await ledger.store.headPosition();
  await ledger.stop();
  return {
    startMs,
    resumedFrom: started.resumedFrom?.toString() ?? null,
    applied: started.applied,
    caughtUp: checkpoint === head,
    peakRss: peak,
  };
}

/**
 * One command per append, for students after the imported ones, on the running ledger: a run with each
 * number of clients in turn (one client: every command waits for the one before; several: they work
 * different students at once).
 */
async function commands() {
  const ledger = openLedger();
  await ledger.start();
  const runs = [];
  let fromStudent = Number(values['from-student']);
  for (const clients of values.clients.split(',').map(Number)) {
    const result = await runCommandPath(ledger, {
      fromStudent,
      maxCommands: Number(values.commands),
      clients,
    });
    fromStudent = result.nextStudent;
    runs.push({
      ...result,
      perSecond: perSecond(result.commands, result.ms),
      eventsPerSecond: perSecond(result.events, result.ms),
    });
  }
  await ledger.stop();
  return { runs, nextStudent: fromStudent, peakRss: peakRss() };
}

const phases = {
  build,
  reuse,
  rebuild,
  serve,
  'first-start': firstStart,
  commands,
  crash,
  'after-crash': afterCrash,
} as const;

const phase = phases[values.phase as keyof typeof phases];
phase()
  .then((result) => {
    send({ type: 'result', result });
    if (process.connected) process.disconnect();
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
