import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../src/errors.ts';
import type { EventStore, EventToAppend, RecordedEvent } from '../../src/store/port.ts';

// The one contract every event-store adapter must pass. Each adapter's test file calls
// describeStoreContract with a factory; the EventStoreDB adapter runs it too.

export interface StoreUnderTest {
  store: EventStore;
  cleanup: () => Promise<void>;
}

export type StoreFactory = (options: { clock?: () => Date }) => Promise<StoreUnderTest>;

export function ev(type = 'TestEventHappened', data: unknown = { n: 1 }): EventToAppend {
  return {
    eventId: uuidv7(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { id: 'tester', role: 'admin' },
      occurredAt: '2025-03-01T09:00:00.000+00:00',
      correlationId: uuidv7(),
      causationId: null,
    },
  };
}

/** A unique stream name, so the suite can also run against a shared server. */
export function streamName(prefix = 'student'): string {
  return `${prefix}-${uuidv7()}`;
}

export function describeStoreContract(adapter: string, factory: StoreFactory): void {
  describe(`event store contract: ${adapter}`, () => {
    let sut: StoreUnderTest;
    let store: EventStore;
    let now = Date.parse('2025-01-01T00:00:00Z');
    const clock = () => new Date(now);

    beforeEach(async () => {
      now = Date.parse('2025-01-01T00:00:00Z');
      sut = await factory({ clock });
      store = sut.store;
    });
    afterEach(async () => {
      await sut.cleanup();
    });

    describe('expected revisions', () => {
      it('no_stream creates a stream at revision 0 and refuses once it exists', async () => {
        const s = streamName();
        const r = await store.append(s, [ev()], 'no_stream');
        expect(r.nextExpectedRevision).toBe(0n);
        expect(r.position > 0n).toBe(true);
        const err = await store.append(s, [ev()], 'no_stream').catch((e) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err.actual).toBe(0n);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const s = streamName();
        const err = await store.append(s, [ev()], 'stream_exists').catch((e) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(err.actual).toBe('no_stream');
        expect(await store.readStream(s)).toEqual([]);
        await store.append(s, [ev()], 'no_stream');
        const r = await store.append(s, [ev()], 'stream_exists');
        expect(r.nextExpectedRevision).toBe(1n);
      });

      it('an exact revision must be the current one', async () => {
        const s = streamName();
        const missing = await store.append(s, [ev()], 0n).catch((e) => e);
        expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
        expect(missing.actual).toBe('no_stream');
        await store.append(s, [ev(), ev()], 'no_stream');
        const stale = await store.append(s, [ev()], 0n).catch((e) => e);
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale.actual).toBe(1n);
        const ahead = await store.append(s, [ev()], 5n).catch((e) => e);
        expect(ahead).toBeInstanceOf(WrongExpectedRevisionError);
        const r = await store.append(s, [ev()], 1n);
        expect(r.nextExpectedRevision).toBe(2n);
      });

      it('any appends whatever the state', async () => {
        const s = streamName();
        expect((await store.append(s, [ev()], 'any')).nextExpectedRevision).toBe(0n);
        expect((await store.append(s, [ev()], 'any')).nextExpectedRevision).toBe(1n);
      });

      it('two writers holding the same revision: the second gets a conflict', async () => {
        const s = streamName();
        await store.append(s, [ev()], 'no_stream');
        const results = await Promise.allSettled([store.append(s, [ev()], 0n), store.append(s, [ev()], 0n)]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('appends made together are each judged alone: a refused one undoes none of the others', async () => {
        const [a, b, c, d] = [streamName(), streamName(), streamName(), streamName()];
        const used = ev();
        await store.append(b, [ev()], 'no_stream');
        await store.append(c, [used], 'no_stream');
        const results = await Promise.allSettled([
          store.append(a, [ev(), ev()], 'no_stream'),
          store.append(b, [ev()], 5n),
          store.append(c, [ev(), used], 'any'),
          store.append(d, [ev()], 'no_stream'),
          store.append(b, [ev()], 0n),
        ]);
        expect(results.map((r) => r.status)).toEqual([
          'fulfilled',
          'rejected',
          'rejected',
          'fulfilled',
          'fulfilled',
        ]);
        expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(a)).toHaveLength(2);
        expect(await store.readStream(b)).toHaveLength(2);
        expect(await store.readStream(c)).toHaveLength(1);
        expect(await store.readStream(d)).toHaveLength(1);
        const positions = results.filter((r) => r.status === 'fulfilled').map((r) => r.value.position);
        expect(new Set(positions).size).toBe(3);
        expect((await store.verify()).ok).toBe(true);
      });
    });

    describe('atomic batches', () => {
      it('a batch takes consecutive revisions and is read back in order', async () => {
        const s = streamName();
        const batch = [ev('A', { i: 0 }), ev('B', { i: 1 }), ev('C', { i: 2 })];
        const r = await store.append(s, batch, 'no_stream');
        expect(r.nextExpectedRevision).toBe(2n);
        const read = await store.readStream(s);
        expect(read.map((e) => e.type)).toEqual(['A', 'B', 'C']);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(read[2]!.position).toBe(r.position);
        expect(read[1]!.position > read[0]!.position && read[2]!.position > read[1]!.position).toBe(true);
      });

      it('a refused batch writes nothing', async () => {
        const s = streamName();
        await store.append(s, [ev()], 'no_stream');
        const before = await store.headPosition();
        await expect(store.append(s, [ev(), ev(), ev()], 7n)).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await store.readStream(s)).toHaveLength(1);
        expect(await store.headPosition()).toBe(before);
      });

      it('a batch naming the same event id twice is refused whole', async () => {
        const s = streamName();
        const a = ev();
        await expect(store.append(s, [a, ev(), a], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(s)).toEqual([]);
      });
    });

    describe('idempotency', () => {
      it('re-appending the same events acknowledges the first write and adds nothing', async () => {
        const s = streamName();
        const batch = [ev(), ev()];
        const first = await store.append(s, batch, 'no_stream');
        const again = await store.append(s, batch, 'no_stream');
        expect(again).toEqual(first);
        const withAny = await store.append(s, batch, 'any');
        expect(withAny).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('a batch that mixes known and new event ids is refused', async () => {
        const s = streamName();
        const a = ev();
        await store.append(s, [a], 'no_stream');
        await expect(store.append(s, [a, ev()], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(s)).toHaveLength(1);
      });

      it('an event id already used in another stream is refused', async () => {
        const a = ev();
        await store.append(streamName(), [a], 'no_stream');
        const other = streamName();
        await expect(store.append(other, [a], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(other)).toEqual([]);
      });
    });

    describe('reading a stream', () => {
      it('forwards from a revision with a limit, and backwards from the end or a revision', async () => {
        const s = streamName();
        await store.append(
          s,
          Array.from({ length: 6 }, (_, i) => ev('N', { i })),
          'no_stream',
        );
        const fwd = await store.readStream(s, { fromRevision: 2n, maxCount: 3 });
        expect(fwd.map((e) => (e.data as { i: number }).i)).toEqual([2, 3, 4]);
        const back = await store.readStream(s, { direction: 'backwards', maxCount: 2 });
        expect(back.map((e) => e.revision)).toEqual([5n, 4n]);
        const backFrom = await store.readStream(s, { direction: 'backwards', fromRevision: 1n });
        expect(backFrom.map((e) => e.revision)).toEqual([1n, 0n]);
      });

      it('a stream that does not exist reads as empty', async () => {
        expect(await store.readStream(streamName())).toEqual([]);
      });

      it('round-trips metadata, type, version and hashes', async () => {
        const s = streamName();
        const e = { ...ev('Typed', { mark: 62 }), schemaVersion: 3 };
        e.metadata = {
          actor: { id: 'tutor-7', role: 'tutor' },
          occurredAt: '2025-07-12T14:30:00.000+01:00',
          correlationId: uuidv7(),
          causationId: uuidv7(),
        };
        await store.append(s, [e], 'no_stream');
        const [read] = await store.readStream(s);
        expect(read).toMatchObject({
          eventId: e.eventId,
          type: 'Typed',
          schemaVersion: 3,
          data: { mark: 62 },
          metadata: e.metadata,
          streamId: s,
          revision: 0n,
        });
        expect(read!.hash).toMatch(/^(v2:)?[0-9a-f]{64}$/);
        if (read!.prevHash !== undefined) expect(read!.prevHash).toBe('0'.repeat(64));
      });
    });

    describe('the global log', () => {
      it('orders every append across streams and reads from an exclusive checkpoint', async () => {
        const start = await store.headPosition();
        const a = streamName();
        const b = streamName();
        await store.append(a, [ev('A0')], 'no_stream');
        await store.append(b, [ev('B0'), ev('B1')], 'no_stream');
        await store.append(a, [ev('A1')], 0n);
        const all = await store.readAll({ after: start });
        expect(all.map((e) => e.type)).toEqual(['A0', 'B0', 'B1', 'A1']);
        for (let i = 1; i < all.length; i++) expect(all[i]!.position > all[i - 1]!.position).toBe(true);
        const rest = await store.readAll({ after: all[1]!.position });
        expect(rest.map((e) => e.type)).toEqual(['B1', 'A1']);
        const two = await store.readAll({ after: start, maxCount: 2 });
        expect(two.map((e) => e.type)).toEqual(['A0', 'B0']);
        expect(await store.headPosition()).toBe(all[3]!.position);
      });

      it('answers as known at a position or at a time', async () => {
        const start = await store.headPosition();
        const s = streamName();
        now = Date.parse('2025-07-01T10:00:00Z');
        await store.append(s, [ev('Before')], 'no_stream');
        now = Date.parse('2025-07-12T10:00:00Z');
        const board = await store.append(s, [ev('AtBoard')], 0n);
        now = Date.parse('2025-08-01T10:00:00Z');
        await store.append(s, [ev('After')], 1n);
        const byPosition = await store.readAll({ after: start, toPosition: board.position });
        expect(byPosition.map((e) => e.type)).toEqual(['Before', 'AtBoard']);
        const byTime = await store.readAll({ after: start, toRecordedAt: '2025-07-12T23:59:59.999Z' });
        expect(byTime.map((e) => e.type)).toEqual(['Before', 'AtBoard']);
        const early = await store.readAll({ after: start, toRecordedAt: '2025-06-30T00:00:00.000Z' });
        expect(early).toEqual([]);
      });

      it('recorded-at never goes backwards, even when the clock does', async () => {
        const s = streamName();
        now = Date.parse('2025-09-01T12:00:00Z');
        await store.append(s, [ev()], 'no_stream');
        now = Date.parse('2025-09-01T11:00:00Z');
        await store.append(s, [ev()], 0n);
        const [a, b] = await store.readStream(s);
        expect(b!.recordedAt >= a!.recordedAt).toBe(true);
      });
    });

    describe('catch-up subscription', () => {
      it('delivers the log from a checkpoint, reports caught up, then follows new appends', async () => {
        const start = await store.headPosition();
        const s = streamName();
        await store.append(s, [ev('E0'), ev('E1')], 'no_stream');
        const seen: RecordedEvent[] = [];
        let caughtUp = 0;
        const sub = store.subscribeToAll({
          after: start,
          onEvent: (e) => {
            if (e.streamId === s) seen.push(e);
          },
          onCaughtUp: () => {
            caughtUp++;
          },
        });
        await waitFor(() => seen.length === 2 && caughtUp >= 1);
        await store.append(s, [ev('E2')], 1n);
        await waitFor(() => seen.length === 3);
        expect(seen.map((e) => e.type)).toEqual(['E0', 'E1', 'E2']);
        expect(sub.checkpoint).toBe(seen[2]!.position);
        await sub.stop();
        await store.append(s, [ev('E3')], 2n);
        await sleep(50);
        expect(seen).toHaveLength(3);
      });

      it('resumes after its checkpoint without repeating anything', async () => {
        const s = streamName();
        await store.append(s, [ev('E0'), ev('E1'), ev('E2')], 'no_stream');
        const [, second] = await store.readStream(s);
        const seen: string[] = [];
        const sub = store.subscribeToAll({
          after: second!.position,
          onEvent: (e) => {
            if (e.streamId === s) seen.push(e.type);
          },
        });
        await waitFor(() => seen.length === 1);
        await sleep(30);
        await sub.stop();
        expect(seen).toEqual(['E2']);
      });
    });

    describe('payloads', () => {
      it('keeps large and unicode payloads exactly, and the chain verifies', async () => {
        const s = streamName();
        const big = 'x'.repeat(1_000_000);
        const unicode = {
          name: 'Siân Ní Bhriain 👩🏽‍🏫 — Ysgol Gymraeg',
          rtl: 'مدرسة',
          cjk: '特别教育需要',
          escapes: 'quote " backslash \\ newline \n tab \t nul-free',
        };
        await store.append(s, [ev('Big', { big }), ev('Unicode', unicode)], 'no_stream');
        const [a, b] = await store.readStream(s);
        expect((a!.data as { big: string }).big.length).toBe(1_000_000);
        expect(b!.data).toEqual(unicode);
        const report = await store.verify();
        expect(report.ok).toBe(true);
        expect(report.broken).toBeNull();
      });
    });

    describe('verify', () => {
      it('walks an untouched log without finding a broken link', async () => {
        const a = streamName();
        const b = streamName();
        await store.append(a, [ev(), ev()], 'no_stream');
        await store.append(b, [ev()], 'no_stream');
        await store.append(a, [ev()], 1n);
        const report = await store.verify();
        expect(report.ok).toBe(true);
        expect(report.eventsChecked).toBeGreaterThanOrEqual(4);
        expect(report.headDigest).toMatch(/^[0-9a-f]{64}$/);
      });
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(5);
  }
}
