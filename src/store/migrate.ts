import { LedgerError } from '../errors.ts';
import type { ImportsRecordedEvents } from './eventstoredb.ts';
import type { EventStore, RecordedEvent, VerifyReport } from './port.ts';
import { readAllPages } from './port.ts';

// Moving a ledger from the embedded store to EventStoreDB: every event in global order, keeping its id,
// metadata, recorded-at and hashes, so the chain (and the digest recorded in exam-board minutes) is the
// same on both sides. Stop the ledger first: events appended to the source during the copy make the
// final comparison fail (nothing is lost, run it again).
//
// An interrupted migration can be run again: events already in the target are recognised by id and
// skipped, provided the target holds exactly the start of the source log.

export interface MigrationResult {
  /** Events in both logs at the end. */
  events: number;
  streams: number;
  /** Events written by this run, and events found already copied by an earlier run. */
  copied: number;
  skipped: number;
  /** The digest of every stream head: identical on both sides. */
  headDigest: string;
}

/** Copies the log, then proves the copy: both verify, same counts, same head digest, same order. */
export async function migrateToEventStore(
  source: EventStore,
  target: EventStore & ImportsRecordedEvents,
  onProgress?: (eventsDone: number) => void,
): Promise<MigrationResult> {
  const before = await source.verify();
  if (!before.ok) throw mismatch('the source log fails verification: nothing was copied', before, null);

  let copied = 0;
  let skipped = 0;
  for await (const page of readAllPages(source)) {
    const { written, skipped: already } = await target.importRecorded(page);
    copied += written;
    skipped += already;
    onProgress?.(copied + skipped);
  }

  const [sourceReport, targetReport] = await Promise.all([source.verify(), target.verify()]);
  const problems: string[] = [];
  if (!targetReport.ok) problems.push(`the copy fails verification: ${targetReport.broken?.reason}`);
  if (sourceReport.eventsChecked !== targetReport.eventsChecked)
    problems.push(
      `the source has ${sourceReport.eventsChecked} events, the copy ${targetReport.eventsChecked}`,
    );
  if (sourceReport.streamsChecked !== targetReport.streamsChecked)
    problems.push(
      `the source has ${sourceReport.streamsChecked} streams, the copy ${targetReport.streamsChecked}`,
    );
  if (sourceReport.headDigest !== targetReport.headDigest) problems.push('the head digests differ');
  if (problems.length === 0) {
    const order = await firstDifference(source, target);
    if (order) problems.push(order);
  }
  if (problems.length > 0) throw mismatch(problems.join('; '), sourceReport, targetReport);
  return {
    events: targetReport.eventsChecked,
    streams: targetReport.streamsChecked,
    copied,
    skipped,
    headDigest: targetReport.headDigest,
  };
}

/** Walks both logs side by side: the same events (id, stream, revision, recorded-at, hash) in the same order. */
async function firstDifference(source: EventStore, target: EventStore): Promise<string | null> {
  const left = events(source);
  const right = events(target);
  for (let i = 0; ; i++) {
    const [a, b] = await Promise.all([left.next(), right.next()]);
    if (a.done && b.done) return null;
    if (a.done || b.done) return `the logs differ in length after ${i} events`;
    const x = a.value;
    const y = b.value;
    if (
      x.eventId !== y.eventId ||
      x.streamId !== y.streamId ||
      x.revision !== y.revision ||
      x.recordedAt !== y.recordedAt ||
      x.hash !== y.hash
    )
      return `event ${i + 1} of the source (${x.eventId}) is not event ${i + 1} of the copy (${y.eventId})`;
  }
}

async function* events(store: EventStore): AsyncGenerator<RecordedEvent> {
  for await (const page of readAllPages(store)) yield* page;
}

function mismatch(reason: string, source: VerifyReport, target: VerifyReport | null): LedgerError {
  const summary = (r: VerifyReport) => ({
    ok: r.ok,
    events: r.eventsChecked,
    streams: r.streamsChecked,
    headDigest: r.headDigest,
    broken: r.broken && {
      ...r.broken,
      revision: String(r.broken.revision),
      position: String(r.broken.position),
    },
  });
  return new LedgerError('integrity', 'migration_not_verified', `migration: ${reason}`, {
    source: summary(source),
    target: target && summary(target),
  });
}
