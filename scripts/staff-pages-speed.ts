// How quickly a 200-student cohort's register, mark grid and exam-board workspace answer and render on
// the benchmark's store (issue 15: under a second at 1M events), alone: it builds the benchmark's
// synthetic log through the ledger's import path (bench/generate.ts) into --dir, unless a store is
// already there, then measures as `npm run bench` does on its largest size (bench/staff-pages.ts).
//
//   npx tsx scripts/staff-pages-speed.ts                      # 1M events in /tmp/nasenco-staff-pages
//   npx tsx scripts/staff-pages-speed.ts --events 100000 --dir /tmp/small
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SyntheticLog } from '../bench/generate.ts';
import { measureStaffPages, staffPagesLines } from '../bench/staff-pages.ts';
import { type EventType, validateEvent } from '../events/index.ts';
import { configureImmer } from '../src/app/immer.ts';
import { loadReferenceData } from '../src/app/reference-files.ts';
import { SqliteEventStore } from '../src/store/sqlite.ts';

configureImmer();
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    dir: { type: 'string', default: '/tmp/nasenco-staff-pages' },
    cohort: { type: 'string', default: 'speed-200' },
  },
});
const path = join(values.dir, 'ledger.db');
const ms = (x: number) => `${Math.round(x)} ms`;

async function build() {
  mkdirSync(values.dir, { recursive: true });
  const store = new SqliteEventStore({ path });
  const log = new SyntheticLog(loadReferenceData());
  const source = log.appends({ maxEvents: Number(values.events) });
  const started = performance.now();
  for (let done = false; !done; ) {
    const chunk = [];
    for (let size = 0; size < 20_000; ) {
      const next = source.next();
      if (next.done) {
        done = true;
        break;
      }
      chunk.push(next.value);
      size += next.value.events.length;
    }
    await Promise.all(
      chunk.map((a) =>
        store.append(
          a.streamId,
          a.events.map((e) => ({ ...e, data: validateEvent(e.type as EventType, e.data) })),
          a.expectedRevision,
        ),
      ),
    );
  }
  console.log(`built ${log.eventCount} events in ${ms(performance.now() - started)}`);
  await store.close();
}

if (!existsSync(path)) await build();
const result = await measureStaffPages(path, { cohortId: values.cohort });
for (const line of staffPagesLines(result)) console.log(line);
