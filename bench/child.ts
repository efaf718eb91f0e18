import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type EventType, validateEvent } from '../events/index.ts';
import { configureImmer } from '../src/app/immer.ts';
import { Ledger } from '../src/app/ledger.ts';
import { LiveProjections } from '../src/app/live-projections.ts';
import { ProjectionRunner } from '../src/app/projection-runner.ts';
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
// parent as an IPC message.

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
  snapshot: join(dir, 'projections.snapshot'),
  plainBatch: join(dir, 'plain-batch.db'),
  plainSingle: join(dir, 'plain-single.db'),
};

function send(message: Record<string, unknown>): void {
  process.send!(message);
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
  const single = new PlainTable(paths.plainSingle);
  let t = performance.now();
  for (const { streamId, event } of firstEvents) single.append(streamId, [event]);
  const plainSingleMs = performance.now() - t;
  single.close();
  t = performance.now();
  const plainRead = plain.readAll();
  const plainReadMs = performance.now() - t;
  plain.close();
  t = performance.now();
  let storeRead = 0;
  for await (const page of readAllPages(store)) storeRead += page.length;
  const storeReadMs = performance.now() - t;
  await store.close();
  return {
    events: log.eventCount,
    students: log.nextStudent,
    appends,
    meanBatch: log.eventCount / appends,
    generatePerSecond: perSecond(log.eventCount, generateMs),
    importPerSecond: perSecond(log.eventCount, importMs),
    plainBatchPerSecond: perSecond(log.eventCount, plainMs),
    plainSinglePerSecond: perSecond(firstEvents.length, plainSingleMs),
    plainSingleEvents: firstEvents.length,
    plainReadPerSecond: perSecond(plainRead, plainReadMs),
    storeReadPerSecond: perSecond(storeRead, storeReadMs),
    storeBytes: statSync(paths.ledger).size,
    peakRss: peakRss(),
  };
}

/** A full rebuild of every projection from the log, in a fresh process (what `ledger rebuild` does). */
async function rebuild() {
  const store = new SqliteEventStore({ path: paths.ledger });
  const projections = new LiveProjections(loadReferenceData());
  const runner = new ProjectionRunner(store, projections);
  const t = performance.now();
  const applied = await runner.rebuild();
  const ms = performance.now() - t;
  await store.close();
  return { applied, ms, perSecond: perSecond(applied, ms), peakRss: peakRss() };
}

/** The ledger as deployed on SQLite: no projection snapshot unless asked for (LEDGER_SNAPSHOTS=on). */
function openLedger(options: { snapshots: boolean } = { snapshots: false }) {
  return new Ledger({
    store: new SqliteEventStore({ path: paths.ledger }),
    keys: new BenchKeyStore(),
    reference: loadReferenceData(),
    ...(options.snapshots ? { snapshotPath: paths.snapshot } : {}),
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

/** Start-up as deployed (a rebuild from the log), then queries and HTTP on the running ledger. */
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
    for (const streamId of cohort.members) {
      const r = ledger.queries.record(streamId.slice('student-'.length));
      if (r.withdrawal || r.interruption) continue;
      for (const tutor of cohort.tutors) byTutor.set(tutor, [...(byTutor.get(tutor) ?? []), r.studentId]);
    }
  }
  const [tutorId, studentIds] = [...byTutor.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  return { tutorId, studentIds };
}

/** With snapshots on: a first start (rebuild, then write the snapshot) and a close. */
async function snapshotSave() {
  let t = performance.now();
  const ledger = openLedger({ snapshots: true });
  const started = await ledger.start();
  const startMs = performance.now() - t;
  t = performance.now();
  await ledger.stop();
  return { startMs, closeMs: performance.now() - t, applied: started.applied, peakRss: peakRss() };
}

/** With snapshots on: start-up from the snapshot the previous phase left. */
async function snapshotStart() {
  const t = performance.now();
  const ledger = openLedger({ snapshots: true });
  const started = await ledger.start();
  const startMs = performance.now() - t;
  const peak = peakRss();
  await ledger.stop();
  return { startMs, snapshot: started.snapshot, applied: started.applied, peakRss: peak };
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
  return { runs, peakRss: peakRss() };
}

const phases = {
  build,
  rebuild,
  serve,
  'snapshot-save': snapshotSave,
  'snapshot-start': snapshotStart,
  commands,
} as const;

const phase = phases[values.phase as keyof typeof phases];
phase()
  .then((result) => {
    send({ type: 'result', result });
    process.disconnect();
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
