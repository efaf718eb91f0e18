import { binaryEvent, StreamDeletedError, StreamNotFoundError } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../../src/errors.ts';
import { buildBatch } from '../../src/store/append-rules.ts';
import { toEventData } from '../../src/store/eventstoredb/mapping.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { esdbHarness, types } from '../support/esdb-protocol-double/harness.ts';
import { EsdbProtocolDouble } from '../support/esdb-protocol-double/server.ts';
import { ev, streamName, waitFor } from './store-contract.ts';

// Streams deleted behind the ledger's back, against the PROTOCOL TEST DOUBLE (not EventStoreDB). The
// ledger never deletes; an operator (or an attacker) with EventStoreDB's admin rights can. A soft delete
// hides the stream, and an append afterwards recreates it with its revisions CONTINUING where they
// were; a tombstone refuses the stream for good. The adapter must neither start a new hash chain at
// revision 0 where EventStoreDB continues the revisions, nor read a truncated stream as a whole one,
// and verify must report the deletion.

const { openStore, client, follow, defer } = esdbHarness();

async function start(options: { batchAppend?: boolean } = {}) {
  const node = await EsdbProtocolDouble.start(options);
  defer(() => node.stop());
  return { node, store: openStore(node.connectionString), raw: client(node.connectionString) };
}

const foreign = () => binaryEvent({ type: 'WrittenElsewhere', data: Buffer.from('{}') });

async function deleted(promise: Promise<unknown>, how: string): Promise<LedgerError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof LedgerError)) throw new Error(`expected a LedgerError, got ${String(error)}`);
  expect(error).toMatchObject({ kind: 'integrity', code: 'stream_deleted', details: { how } });
  return error;
}

describe('the double deletes as EventStoreDB does', () => {
  for (const batchAppend of [true, false]) {
    it(`soft delete: not found, then recreated with its revisions continuing (${batchAppend ? 'BatchAppend' : 'Append'})`, async () => {
      const { raw } = await start({ batchAppend });
      const s = streamName();
      await raw.appendToStream(s, [foreign(), foreign()]);
      await raw.deleteStream(s);
      await expect(raw.readStream(s).toArray()).rejects.toBeInstanceOf(StreamNotFoundError);
      const recreated = await raw.appendToStream(s, foreign(), { expectedRevision: 'no_stream' });
      expect(recreated.nextExpectedRevision).toBe(2n);
      expect((await raw.readStream(s).toArray()).map((r) => r.event?.revision)).toEqual([2n]);
      expect((await raw.getStreamMetadata(s)).metadata?.truncateBefore).toBe(2);
    });

    it(`tombstone: every later read and write is refused with StreamDeleted (${batchAppend ? 'BatchAppend' : 'Append'})`, async () => {
      const { raw } = await start({ batchAppend });
      const s = streamName();
      await raw.appendToStream(s, foreign());
      await raw.tombstoneStream(s);
      await expect(raw.readStream(s).toArray()).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(raw.appendToStream(s, foreign())).rejects.toBeInstanceOf(StreamDeletedError);
    });
  }
});

describe('the adapter and a soft-deleted stream', () => {
  it('refuses to append, rather than chain from revision 0 where EventStoreDB would continue', async () => {
    const { node, store, raw } = await start();
    const s = streamName();
    await store.append(s, [ev('A'), ev('B')], 'no_stream');
    await raw.deleteStream(s);
    const before = node.log.records.length;

    for (const expected of ['no_stream', 'any'] as const)
      await deleted(store.append(s, [ev('C')], expected), 'soft-deleted');
    await deleted(store.readStream(s), 'soft-deleted');
    expect(node.log.records.length).toBe(before);
  });

  it('a stream recreated by another writer reads as truncated, not as a whole stream', async () => {
    const { store, raw } = await start();
    const s = streamName();
    await store.append(s, [ev('A'), ev('B')], 'no_stream');
    await raw.deleteStream(s);
    // What the adapter used to do: a new chain from revision 0, which EventStoreDB stores at revision 2.
    const restarted = buildBatch(s, [ev('C')], null, new Date().toISOString()).map(toEventData);
    await raw.appendToStream(s, restarted, { expectedRevision: 'no_stream' });

    const error = await deleted(store.readStream(s), 'truncated');
    expect(error.message).toMatch(/revisions before 2 are hidden|starts at revision 2/);
    await deleted(store.append(s, [ev('C')], 2n), 'truncated');
  });

  it('verify reports the deletion as the broken link, where it happened', async () => {
    const { store, raw } = await start();
    const s = streamName();
    const other = streamName();
    await store.append(s, [ev('A'), ev('B')], 'no_stream');
    await store.append(other, [ev('X')], 'no_stream');
    const deletedAt = await raw.deleteStream(s);
    await store.append(other, [ev('Y')], 0n);

    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.broken).toMatchObject({ streamId: s, revision: 1n, position: deletedAt.position!.commit });
    expect(report.broken!.reason).toMatch(/soft-deleted/);
    expect(report.eventsChecked).toBe(3);
  });

  it('an import into it is refused', async () => {
    const { store, raw } = await start();
    const source = new MemoryEventStore();
    const s = streamName();
    await source.append(s, [ev('A')], 'no_stream');
    await store.importRecorded(await source.readAll());
    await raw.deleteStream(s);
    await source.append(s, [ev('B')], 0n);
    await deleted(store.importRecorded((await source.readAll()).slice(1)), 'soft-deleted');
  });
});

describe('the adapter and a tombstoned stream', () => {
  it('reads and appends fail with a ledger error; other streams and the subscription carry on', async () => {
    const { store, raw } = await start();
    const s = streamName();
    const other = streamName();
    await store.append(s, [ev('A')], 'no_stream');
    const { seen, errors } = follow(store);
    await raw.tombstoneStream(s);

    await deleted(store.readStream(s), 'tombstoned');
    await deleted(store.append(s, [ev('B')], 0n), 'tombstoned');
    await store.append(other, [ev('C')], 'no_stream');
    await waitFor(() => seen.length === 2);
    expect(types(seen)).toEqual(['A', 'C']);
    expect(errors).toEqual([]);

    const report = await store.verify();
    expect(report.broken).toMatchObject({ streamId: s, revision: 0n });
    expect(report.broken!.reason).toMatch(/tombstoned/);
  });
});
