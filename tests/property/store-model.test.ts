import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../src/errors.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import type { EventStore, ExpectedRevision } from '../../src/store/port.ts';
import { SqliteEventStore } from '../../src/store/sqlite.ts';
import { ev } from '../contract/store-contract.ts';

// Model-based tests: random appends with random expected revisions over a few streams, replays of
// earlier batches, and reads, checked against a reference model that is a list per stream.

interface Model {
  streams: Map<string, string[]>; // stream -> event ids in order
  log: string[]; // event ids in global order
  batches: { stream: string; ids: string[]; events: ReturnType<typeof ev>[] }[];
}
interface Real {
  store: EventStore;
}

const STREAMS = ['student-a', 'student-b', 'student-c'];
type ExpectedKind = 'any' | 'no_stream' | 'stream_exists' | 'exact' | 'exact-wrong';

class AppendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly stream: string,
    readonly size: number,
    readonly kind: ExpectedKind,
  ) {}
  check() {
    return true;
  }
  async run(m: Model, r: Real) {
    const current = m.streams.get(this.stream);
    const revision = current ? BigInt(current.length - 1) : null;
    let expected: ExpectedRevision;
    if (this.kind === 'exact') expected = revision ?? 0n;
    else if (this.kind === 'exact-wrong') expected = (revision ?? 0n) + 3n;
    else expected = this.kind;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && !current) ||
      (expected === 'stream_exists' && !!current) ||
      (typeof expected === 'bigint' && revision !== null && expected === revision);
    const events = Array.from({ length: this.size }, () => ev('ModelEvent', { s: this.stream }));
    const result = await r.store.append(this.stream, events, expected).catch((e) => e);
    if (!ok) {
      expect(result).toBeInstanceOf(WrongExpectedRevisionError);
      return;
    }
    expect(result).not.toBeInstanceOf(Error);
    const list = current ?? [];
    list.push(...events.map((e) => e.eventId));
    m.streams.set(this.stream, list);
    m.log.push(...events.map((e) => e.eventId));
    m.batches.push({ stream: this.stream, ids: events.map((e) => e.eventId), events });
    expect(result.nextExpectedRevision).toBe(BigInt(list.length - 1));
  }
  toString() {
    return `append(${this.stream}, ${this.size}, ${this.kind})`;
  }
}

class ReplayCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly elsewhere: boolean,
  ) {}
  check(m: Readonly<Model>) {
    return m.batches.length > 0;
  }
  async run(m: Model, r: Real) {
    const batch = m.batches[this.pick % m.batches.length]!;
    const target = this.elsewhere ? `${batch.stream}-other` : batch.stream;
    const before = m.log.length;
    const result = await r.store.append(target, batch.events, 'any').catch((e) => e);
    if (this.elsewhere) expect(result).toBeInstanceOf(DuplicateEventIdError);
    else {
      const ids = m.streams.get(batch.stream)!;
      expect(result.nextExpectedRevision).toBe(BigInt(ids.indexOf(batch.ids[batch.ids.length - 1]!)));
    }
    expect(await r.store.headPosition()).toBe(BigInt(before));
  }
  toString() {
    return `replay(${this.pick}, elsewhere=${this.elsewhere})`;
  }
}

class ReadCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly stream: string) {}
  check() {
    return true;
  }
  async run(m: Model, r: Real) {
    const read = await r.store.readStream(this.stream);
    expect(read.map((e) => e.eventId)).toEqual(m.streams.get(this.stream) ?? []);
    const all = await r.store.readAll();
    expect(all.map((e) => e.eventId)).toEqual(m.log);
  }
  toString() {
    return `read(${this.stream})`;
  }
}

const commands = [
  fc
    .tuple(
      fc.constantFrom(...STREAMS),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom<ExpectedKind>('any', 'no_stream', 'stream_exists', 'exact', 'exact-wrong'),
    )
    .map(([s, n, k]) => new AppendCommand(s, n, k)),
  fc.tuple(fc.nat(), fc.boolean()).map(([p, e]) => new ReplayCommand(p, e)),
  fc.constantFrom(...STREAMS).map((s) => new ReadCommand(s)),
];

for (const [name, make] of [
  ['memory', () => new MemoryEventStore()],
  ['sqlite', () => new SqliteEventStore({ path: ':memory:' })],
] as const) {
  describe(`the ${name} store agrees with a reference model`, () => {
    it('over random appends, replays and reads', async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (cmds) => {
          const store = make();
          const model: Model = { streams: new Map(), log: [], batches: [] };
          await fc.asyncModelRun(() => ({ model, real: { store } }), cmds);
          expect((await store.verify()).ok).toBe(true);
          await store.close();
        }),
        { numRuns: 60 },
      );
    });
  });
}
