import { type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import type { CommandResult } from '../app/command-result.ts';
import { LedgerError } from '../errors.ts';
import type { EventStore } from '../store/port.ts';
import { RETRY_AFTER_SECONDS, storageFailure } from '../store/storage-errors.ts';
import type { KeyStore } from './keys.ts';

// An erasure on a lawful request is two writes in two databases: PersonalDataErased in the log, and the
// student key destroyed in the keys database. They cannot share a transaction, so they are ordered to
// leave either "erased and recorded" or "nothing changed":
// 1. the keys database is written first (the erasure is marked pending): if it cannot be written (a full
//    disk), the request fails with 503 and nothing changed;
// 2. the event is appended: if that fails, the mark is removed and nothing changed;
// 3. the key is destroyed. From the moment the event is in the log no process shows the data (reading
//    personal details checks the record's erasure first), so even if this last write fails the data is
//    hidden everywhere; the request answers 503 `erasure_incomplete`, and sending it again (or the next
//    start of the ledger) destroys the key instead of being refused as already erased.

export async function eraseWithKey(
  keys: KeyStore,
  store: EventStore,
  streamId: string,
  record: () => Promise<CommandResult>,
): Promise<CommandResult> {
  const subject = streamId.slice('student-'.length);
  keys.prepareErasure?.(subject);
  let result: CommandResult;
  try {
    result = await record();
  } catch (error) {
    const alreadyErased = error instanceof LedgerError && error.code === 'already_erased';
    if (!alreadyErased || keys.find(subject) === null) {
      cancel(keys, subject);
      throw error;
    }
    // Recorded by an earlier attempt whose key outlived it: this retry finishes the erasure.
    result = await recordedErasure(store, streamId);
  }
  try {
    keys.destroy(subject);
  } catch (error) {
    const cause = storageFailure(error, 'the student keys')?.message ?? (error as Error).message;
    throw new LedgerError(
      'unavailable',
      'erasure_incomplete',
      `the erasure is recorded and the personal data is no longer shown anywhere, but the student key could not be destroyed (${cause}): send the request again to finish it`,
      { retryAfterSeconds: RETRY_AFTER_SECONDS, eventId: result.events[0]?.eventId },
    );
  }
  return result;
}

/** Destroys the keys of erased students that outlived their erasure (run at start). */
export function finishErasures(keys: KeyStore, erased: Iterable<string>): string[] {
  const finished: string[] = [];
  for (const subject of erased)
    if (keys.find(subject) !== null && keys.destroy(subject)) finished.push(subject);
  return finished;
}

function cancel(keys: KeyStore, subject: string): void {
  try {
    keys.cancelErasure?.(subject);
  } catch {
    // A mark left behind changes nothing: the key still works and the log holds no erasure.
  }
}

async function recordedErasure(store: EventStore, streamId: string): Promise<CommandResult> {
  const events = (await store.readStream(streamId)).map(toLedgerEvent);
  const erased = events.filter((e): e is LedgerEvent => e.type === 'PersonalDataErased').pop()!;
  return {
    streamId,
    events: [erased],
    revision: events[events.length - 1]!.revision,
    position: erased.position,
  };
}
