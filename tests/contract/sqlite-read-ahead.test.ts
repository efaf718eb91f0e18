import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyntheticLog } from '../../bench/generate.ts';
import { liveProjections } from '../../projections/index.ts';
import { LiveProjections } from '../../src/app/live-projections.ts';
import { ProjectionRunner } from '../../src/app/projection-runner.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import type { RecordedEvent } from '../../src/store/port.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { ev, streamName } from './store-contract.ts';

// The SQLite store's read-ahead (a worker thread fetching the log while the caller applies it) must give
// exactly what the ordinary read gives, end cleanly however its reader stops, and fail loudly on a bad row.

describe('sqlite: reading the log ahead on a worker thread', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-read-ahead-'));
    path = join(dir, 'ledger.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function collect(pages: AsyncIterable<RecordedEvent[]>): Promise<RecordedEvent[][]> {
    const out: RecordedEvent[][] = [];
    for await (const page of pages) out.push(page);
    return out;
  }

  it('gives the same events as the ordinary read, from the start or from any position', async () => {
    const store = new SqliteEventStore({ path });
    const long = streamName();
    await store.append(
      long,
      Array.from({ length: 1100 }, (_, i) => ev('Long', { i })),
      'no_stream',
    );
    for (let s = 0; s < 30; s++)
      await store.append(
        streamName(),
        [
          ev('Odd', { text: 'Ünïcödé "quoted" \\ back\nslash ✓', n: s }),
          ev('Big', { blob: 'x'.repeat(200_000 + s) }),
          ev('Empty', {}),
        ],
        'no_stream',
      );
    const all = await store.readAll();
    expect(all).toHaveLength(1190);
    for (const after of [0n, 1n, 700n, 1189n, 1190n]) {
      const pages = await collect(store.readAllAhead(after)!);
      expect(pages.every((p) => p.length > 0 && p.length <= 200)).toBe(true);
      expect(pages.flat()).toEqual(all.filter((e) => e.position > after));
    }
    await store.close();
  });

  it('a rebuild that reads ahead builds the same projections as one that does not', async () => {
    const store = new SqliteEventStore({ path });
    const reference = loadReferenceData();
    const log = new SyntheticLog(reference);
    for (const a of log.appends({ maxEvents: 4_000 }))
      await store.append(a.streamId, a.events, a.expectedRevision);
    const plain = new LiveProjections(loadReferenceData());
    const ahead = new LiveProjections(loadReferenceData());
    expect(await new ProjectionRunner(store, plain).rebuild()).toBe(log.eventCount);
    // Everything comes through the read-ahead: the ordinary read after it finds nothing left.
    const readAll = store.readAll.bind(store);
    let readByCaller = 0;
    store.readAll = async (options) => {
      const page = await readAll(options);
      readByCaller += page.length;
      return page;
    };
    expect(await new ProjectionRunner(store, ahead, { readAheadFrom: 1n }).rebuild()).toBe(log.eventCount);
    expect(readByCaller).toBe(0);
    expect(ahead.checkpoint).toBe(plain.checkpoint);
    for (const projection of liveProjections)
      expect(ahead.state(projection), projection.name).toEqual(plain.state(projection));
    await store.close();
  });

  it('stops its thread when the reader stops early', async () => {
    const store = new SqliteEventStore({ path });
    for (let i = 0; i < 20; i++)
      await store.append(
        streamName(),
        Array.from({ length: 50 }, () => ev()),
        'no_stream',
      );
    for await (const page of store.readAllAhead(0n)!) {
      expect(page[0]!.position).toBe(1n);
      break;
    }
    // The store is still usable, and a second read-ahead runs to the end.
    expect((await collect(store.readAllAhead(0n)!)).flat()).toHaveLength(1000);
    await store.close();
  });

  it('fails naming where, when a row altered behind the store holds data that is not JSON', async () => {
    const store = new SqliteEventStore({ path });
    for (let i = 0; i < 5; i++)
      await store.append(
        streamName(),
        Array.from({ length: 100 }, () => ev()),
        'no_stream',
      );
    await store.close();
    const db = new Database(path);
    db.exec('DROP TRIGGER events_are_immutable_update');
    db.prepare("UPDATE events SET data = '{not json' WHERE position = 321").run();
    db.close();
    const reopened = new SqliteEventStore({ path });
    await expect(collect(reopened.readAllAhead(0n)!)).rejects.toThrow(
      /after position 200 .*not JSON.*verify/,
    );
    await reopened.close();
  });

  it('is not offered for a database held only in memory', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    expect(store.readAllAhead(0n)).toBeNull();
    await store.close();
  });
});
