// The benchmark at national scale, against the limits (issues 7 and 19). For each size it generates a
// deterministic synthetic log (bench/generate.ts: students across cohorts and all four programme
// shapes), writes it to a plain better-sqlite3 table and through the ledger's import path, then runs
// each measurement in its own process (bench/child.ts): a rebuild of the read models from zero, a first
// start, decision and as-of latencies, HTTP under load (autocannon, from this process) and peak memory, a
// start-up on the existing ledger, the command path one command per append (one and eight clients), and
// a start-up after the ledger was killed mid-apply. The plain table is written and read in the same run,
// with the same durability (synchronous=FULL). Everything lives in a temp dir, removed at the end.
//
//   npm run bench                                  # 10k, 100k and 1M events
//   npm run bench -- --sizes 10000000              # 10M: tens of minutes, run by hand
//   npm run bench -- --sizes 10000,100000          # fewer sizes
//   npm run bench -- --http-seconds 5 --connections 4 --commands 5000
//   npm run bench -- --sizes 1000000 --node-options=--max-old-space-size=768   # V8 flags for the ledger's processes
//   npm run bench -- --sizes 10000000 --reuse /tmp/nasenco-bench-XXXX --rebuilds 1   # a log kept by --keep, measured again
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { type StaffPagesResult, staffPagesLines, staffPagesPhase } from './staff-pages.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    'http-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '4' },
    commands: { type: 'string' },
    // Runs of the command path, one for each number of concurrent clients.
    clients: { type: 'string', default: '1,8' },
    // The deployment the README recommends at national scale: a heap limit, so V8 collects before RSS grows past 1 GiB.
    'node-options': { type: 'string', default: '--max-old-space-size=900' },
    keep: { type: 'boolean', default: false },
    // rebuilds from zero timed for each size (the median is reported): one is enough for a 10M run by hand
    rebuilds: { type: 'string', default: '3' },
    // a directory kept by an earlier run (--keep) of one size: its log is measured again, not generated
    reuse: { type: 'string' },
  },
});
if (values.reuse && values.sizes.includes(','))
  throw new Error('--reuse takes the directory of one size: give that size alone in --sizes');
const sizes = values.sizes.split(',').map((s) => Number(s.replace(/_/g, '')));
const httpSeconds = Number(values['http-seconds']);
const connections = Number(values.connections);
/** Commands in each run of the command path: as many as the log has events, at most 20k. */
const commandsFor = (size: number) => (values.commands ? Number(values.commands) : Math.min(size, 20_000));

/**
 * The V8 flags `npm start` runs the ledger with (package.json: its young generation), so each measured
 * process is the server's own, then --node-options (e.g. a heap limit), as a deployment would set them.
 */
const startFlags = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start as string
)
  .split(/\s+/)
  .filter((arg) => /^--(min|max)-semi-space-size=\d+$/.test(arg));
const nodeOptions = [...startFlags, ...values['node-options'].split(' ').filter(Boolean)];
const childPath = fileURLToPath(new URL('./child.ts', import.meta.url));
const GiB = 1024 ** 3;

// biome-ignore lint/suspicious/noExplicitAny: the children's results are plain data, checked by use
type Result = Record<string, any>;

function runPhase(
  phase: string,
  args: Record<string, string | number>,
  onHttp?: (m: Result) => Promise<unknown>,
) {
  // the crash phase kills itself: its result is what it said just before
  const argv = ['--phase', phase, ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)])];
  const child: ChildProcess = fork(childPath, argv, {
    execArgv: [...process.execArgv, ...nodeOptions],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<Result>((resolve, reject) => {
    let result: Result | null = null;
    child.on('message', (message: Result) => {
      if (message.type === 'result') result = message.result;
      else if (message.type === 'crashing') result = message;
      else if (message.type === 'http' && onHttp)
        onHttp(message).then((results) => child.send({ type: 'http-done', results }), reject);
    });
    child.on('exit', (code, signal) =>
      result && (phase !== 'crash' || signal === 'SIGKILL')
        ? resolve(result)
        : reject(new Error(`bench phase ${phase} exited with code ${code} (${signal ?? 'no signal'})`)),
    );
  });
}

async function load(
  request: { token: string; paths: string[]; body?: string },
  method: string,
  port: number,
) {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: httpSeconds,
    requests: [
      {
        method,
        headers: {
          authorization: `Bearer ${request.token}`,
          ...(request.body ? { 'content-type': 'application/json' } : {}),
        },
        ...(request.body ? { body: request.body } : {}),
        setupRequest: (r) => ({ ...r, path: request.paths[i++ % request.paths.length]! }),
      },
    ],
  });
  return {
    perSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function runSize(size: number) {
  const dir = values.reuse ?? mkdtempSync(join(tmpdir(), 'nasenco-bench-'));
  const started = performance.now();
  try {
    console.log(
      values.reuse
        ? `\n${fmt(size)} events: the log kept in ${dir}, its plain table timed again (read, one-event inserts)`
        : `\n${fmt(size)} events: generating and writing (plain table and ledger import) in ${dir}`,
    );
    const build = values.reuse
      ? await runPhase('reuse', { dir, 'plain-single': Math.min(size, 20_000) })
      : await runPhase('build', { dir, events: size, 'plain-single': Math.min(size, 20_000) });
    const times = Number(values.rebuilds);
    console.log(
      `${fmt(size)} events: rebuild of the read models from zero, ${times} time(s) (each a fresh process; the median is kept)`,
    );
    const rebuilds: Result[] = [];
    for (let i = 0; i < times; i++) rebuilds.push(await runPhase('rebuild', { dir }));
    rebuilds.sort((x, y) => x.perSecond - y.perSecond);
    const rebuild: Result = { ...rebuilds[Math.floor(times / 2)]!, all: rebuilds.map((x) => x.perSecond) };
    console.log(`${fmt(size)} events: a first start, the read models built into their file`);
    const firstStart = await runPhase('first-start', { dir });
    console.log(
      `${fmt(size)} events: start-up on the existing ledger, queries, HTTP for ${httpSeconds} s a route`,
    );
    const serve = await runPhase('serve', { dir }, async (m) => ({
      read: await load(m.read, 'GET', m.port),
      write: await load(m.write, 'POST', m.port),
    }));
    const commands = commandsFor(size);
    console.log(
      `${fmt(size)} events: ${fmt(commands)} commands, one per append, with ${values.clients} clients`,
    );
    const command = await runPhase('commands', {
      dir,
      'from-student': build.students,
      commands,
      clients: values.clients,
    });
    console.log(
      `${fmt(size)} events: commands from eight clients, the ledger killed (SIGKILL) mid-apply, then started`,
    );
    const crash = await runPhase('crash', { dir, 'from-student': command.nextStudent, commands });
    const afterCrash = await runPhase('after-crash', { dir });
    // the staff pages on the largest size only (issue 15: a 200-student cohort at 1M events)
    let staffPages: StaffPagesResult | { failed: string } | null = null;
    if (size === Math.max(...sizes)) {
      console.log(`${fmt(size)} events: the staff pages (a 200-student cohort added; API and Chromium)`);
      // the last phase: its failure is reported with the figures already measured, not instead of them
      staffPages = await staffPagesPhase(join(dir, 'ledger.db'), nodeOptions).catch((error: Error) => ({
        failed: error.message,
      }));
    }
    return {
      size,
      build,
      rebuild,
      firstStart,
      serve,
      crash,
      afterCrash,
      command,
      staffPages,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (!values.keep && !values.reuse) rmSync(dir, { recursive: true, force: true });
  }
}

type SizeResult = Awaited<ReturnType<typeof runSize>>;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number) =>
  n < 10 ? `${fmt(n, 2)} ms` : n < 10_000 ? `${fmt(n, 0)} ms` : `${fmt(n / 1000, 1)} s`;
const mb = (bytes: number) => `${fmt(bytes / 1024 ** 2)} MiB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function table(r: SizeResult): string {
  const { build: b, rebuild, firstStart, serve: s, crash, afterCrash, command: c } = r;
  const rows: [string, string, string, string, string][] = [
    ...c.runs.map((run: Result): [string, string, string, string, string] => {
      // group commit: eight clients must at least match the plain table's one event per transaction
      const vsPlain = run.perSecond / b.plainSinglePerSecond;
      return [
        `append: one command per append, ${run.clients} client${run.clients === 1 ? '' : 's'}`,
        `${fmt(run.perSecond)} /s (${fmt(run.commands)} cmds, ${fmt(run.eventsPerSecond)} events/s` +
          (run.commandsPerCommit === undefined ? '' : `; ${fmt(run.commandsPerCommit, 1)} a commit`) +
          (run.cpuMsPerCommand === undefined ? ')' : `; ${fmt(run.cpuMsPerCommand, 3)} ms CPU each)`),
        run.clients >= 8 ? '>= 1.00 of plain' : '>= 5,000 /s',
        verdict(run.clients >= 8 ? vsPlain >= 1 : run.perSecond >= 5000),
        `${fmt(vsPlain, 2)} of ${fmt(b.plainSinglePerSecond)} /s (1 event/tx)`,
      ];
    }),
    Number.isNaN(b.importPerSecond)
      ? ['append: batched import', 'not timed: the log was kept from an earlier run', '', '', '']
      : [
          `append: batched import${b.reused ? ' (when the kept log was made)' : ''}`,
          `${fmt(b.importPerSecond)} events/s (${fmt(b.meanBatch)} a batch)`,
          '>= 100,000 /s',
          verdict(b.importPerSecond >= 100_000),
          `${fmt(b.importPerSecond / b.plainBatchPerSecond, 2)} of ${fmt(b.plainBatchPerSecond)} /s (same batches)`,
        ],
    [
      'rebuild from zero of every read model',
      `${fmt(rebuild.perSecond)} events/s (${ms(rebuild.ms)}; median of ${rebuild.all.map((x: number) => fmt(x / 1000)).join(', ')}k)`,
      '>= 0.67 of plain',
      verdict(rebuild.perSecond / b.plainReadPerSecond >= 0.67),
      `${fmt(rebuild.perSecond / b.plainReadPerSecond, 2)} of ${fmt(b.plainReadPerSecond)} /s (read + JSON.parse)`,
    ],
    [
      'first start (read models built into their file)',
      `${ms(firstStart.startMs)} (${fmt(firstStart.applied)} events applied; peak ${mb(firstStart.peakRss)})`,
      '',
      '',
      '',
    ],
    [
      'start-up on the existing ledger (resumed)',
      `${ms(s.startMs)} (${s.resumed ? 'resumed' : 'NOT resumed'}, ${fmt(s.applied)} events applied)`,
      '< 10 s',
      verdict(s.startMs < 10_000 && s.resumed),
      '',
    ],
    [
      'start-up after a crash (SIGKILL mid-apply)',
      `${ms(afterCrash.startMs)} (resumed at ${afterCrash.resumedFrom ?? 'NOTHING'}, ${fmt(afterCrash.applied)} events applied; ` +
        `killed with ${fmt(Number(crash.applied) - Number(crash.written))} applied, unwritten)`,
      '< 10 s',
      verdict(afterCrash.startMs < 10_000 && afterCrash.resumedFrom !== null && afterCrash.caughtUp),
      '',
    ],
    [
      'decision with explanation',
      `p50 ${ms(s.decision.p50)}, p99 ${ms(s.decision.p99)} (${fmt(s.decision.samples)} samples)`,
      'p99 < 2 ms',
      verdict(s.decision.p99 < 2),
      '',
    ],
    [
      'as-of replay of one student',
      `p50 ${ms(s.asOf.p50)}, p99 ${ms(s.asOf.p99)}`,
      'p99 < 20 ms',
      verdict(s.asOf.p99 < 20),
      '',
    ],
    [
      'step-by-step replay (decision per event)',
      `p50 ${ms(s.replay.p50)}, p99 ${ms(s.replay.p99)}`,
      'p99 < 20 ms',
      verdict(s.replay.p99 < 20),
      '',
    ],
    [
      'HTTP GET /students/:id/decision',
      httpFigure(s.http.read),
      '',
      s.http.read.non2xx || s.http.read.errors ? 'ERRORS' : '',
      '',
    ],
    [
      'HTTP POST .../record-partner-school-visit',
      `${httpFigure(s.http.write)} over ${s.writeTargets} students`,
      '',
      s.http.write.non2xx || s.http.write.errors ? 'ERRORS' : '',
      '',
    ],
    [
      'HTTP GET /students, first page (100)',
      `${fmt(s.paging.firstBytes / 1024)} kB in ${ms(s.paging.firstMs)} (${fmt(s.paging.total)} students)`,
      '',
      '',
      '',
    ],
    [
      '/health while a page of 500 is worked out',
      `max ${ms(s.paging.healthMaxMs)} over ${fmt(s.paging.healthChecks)} checks (page: ${fmt(s.paging.bigBytes / 1024)} kB in ${ms(s.paging.bigMs)})`,
      '< 100 ms',
      verdict(s.paging.healthMaxMs < 100),
      '',
    ],
    [
      'peak memory (running ledger, RSS)',
      `${mb(s.peakRss)} under HTTP load (after start ${mb(s.rssAfterStart)})`,
      '< 1 GiB',
      verdict(s.peakRss < GiB),
      '',
    ],
  ];
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => row[i]!.length), 6));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `== ${fmt(b.events)} events: ${b.reused ? `the kept log (${fmt(b.storeEvents)} in the store after earlier runs' commands)` : `${fmt(b.students)} students`}, store ${mb(b.storeBytes)}; ${fmt(r.seconds)} s ==`,
    line(['measure', 'figure', 'target', 'result', 'vs the plain table']),
    ...rows.map(line),
    `   rebuild per event: ${spentPerEvent(rebuild)}; the plain read + JSON.parse ${fmt((1000 / b.plainReadPerSecond) * 1000, 2)} µs`,
    `   also: generation ${fmt(b.generatePerSecond)} events/s; store read alone ${fmt(b.storeReadPerSecond)} events/s; ` +
      `peak RSS of the other phases: import ${mb(b.peakRss)}, rebuild ${mb(rebuild.peakRss)}, ` +
      `first start ${mb(firstStart.peakRss)}, commands ${mb(c.peakRss)}, crash ${mb(crash.peakRss)}, after the crash ${mb(afterCrash.peakRss)}; ` +
      `read models ${mb(firstStart.readModelBytes)} on disk`,
  ].join('\n');
}

/** Where the median rebuild's time went, in µs an event (src/app/rebuild.ts, `spent`). */
function spentPerEvent(rebuild: Result): string {
  const { readingMs, foldingMs, encodingMs, writingMs, otherMs } = rebuild.spent;
  const us = (ms: number) => `${fmt((ms * 1000) / rebuild.applied, 2)} µs`;
  return `reading ${us(readingMs)}, folding ${us(foldingMs)}, encoding states ${us(encodingMs)}, writing them ${us(writingMs)}, the rest ${us(otherMs)}`;
}

function httpFigure(h: Result): string {
  return `${fmt(h.perSecond)} req/s, p50 ${fmt(h.p50)} ms, p99 ${fmt(h.p99)} ms${h.non2xx ? `, ${h.non2xx} non-2xx` : ''}${h.errors ? `, ${h.errors} errors` : ''}`;
}

function growth(results: SizeResult[]): string[] {
  const a = results[0]!;
  const z = results[results.length - 1]!;
  const scale = z.build.events / a.build.events;
  const rate = (name: string, f: (r: SizeResult) => number) =>
    `${name}: ${fmt(f(a))}/s -> ${fmt(f(z))}/s (cost per event x${fmt(f(a) / f(z), 2)})`;
  const time = (name: string, f: (r: SizeResult) => number) =>
    `${name}: ${ms(f(a))} -> ${ms(f(z))} (x${fmt(f(z) / f(a), 1)} for x${fmt(scale)} the events)`;
  return [
    `How cost grows from ${fmt(a.build.events)} to ${fmt(z.build.events)} events (x${fmt(scale)}):`,
    ...a.command.runs.map(
      (run: Result, i: number) =>
        `  ${rate(`one command per append, ${run.clients} client(s)`, (r) => r.command.runs[i].perSecond)}`,
    ),
    `  ${rate('batched import', (r) => r.build.importPerSecond)}`,
    `  ${rate('rebuild from zero', (r) => r.rebuild.perSecond)}` +
      ` (vs the plain read: ${fmt(a.rebuild.perSecond / a.build.plainReadPerSecond, 2)} -> ${fmt(z.rebuild.perSecond / z.build.plainReadPerSecond, 2)})`,
    `  ${time('first start (build the read models)', (r) => r.firstStart.startMs)}`,
    `  ${time('start-up on the existing ledger', (r) => r.serve.startMs)}`,
    `  ${time('start-up after a crash', (r) => r.afterCrash.startMs)}`,
    `  ${time('decision p99', (r) => r.serve.decision.p99)}`,
    `  ${time('as-of replay p99', (r) => r.serve.asOf.p99)}`,
    `  ${time('step-by-step replay p99', (r) => r.serve.replay.p99)}`,
    `  HTTP GET decision: ${fmt(a.serve.http.read.perSecond)} -> ${fmt(z.serve.http.read.perSecond)} req/s; ` +
      `POST visit: ${fmt(a.serve.http.write.perSecond)} -> ${fmt(z.serve.http.write.perSecond)} req/s`,
    `  peak memory under HTTP load: ${mb(a.serve.peakRss)} -> ${mb(z.serve.peakRss)} ` +
      `(${fmt((z.serve.peakRss - a.serve.peakRss) / (z.build.events - a.build.events), 0)} bytes per extra event); ` +
      `read models on disk ${mb(a.firstStart.readModelBytes)} -> ${mb(z.firstStart.readModelBytes)}`,
  ];
}

async function main() {
  console.log(
    `bench: sizes ${sizes.map((s) => fmt(s)).join(', ')} events; node ${process.version}, ${process.platform} ${process.arch}, ` +
      `${cpus().length} x ${cpus()[0]?.model.trim()}, ${fmt(totalmem() / GiB, 1)} GiB RAM; SQLite synchronous=FULL (the default)` +
      (nodeOptions.length ? `; node ${nodeOptions.join(' ')}` : ''),
  );
  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await runSize(size));
  console.log('');
  for (const r of results) console.log(`${table(r)}\n`);
  for (const r of results) {
    if (r.staffPages && 'failed' in r.staffPages) {
      console.log(`staff pages: FAILED (${r.staffPages.failed}; its own output is above)\n`);
      process.exitCode = 1;
    } else if (r.staffPages) console.log(`${staffPagesLines(r.staffPages).join('\n')}\n`);
  }
  if (results.length > 1) console.log(growth(results).join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
