import { ANY, type EventStoreDBClient, FORWARDS, START, StreamNotFoundError } from '@eventstore/db-client';
import type { EsdbFailures } from './failures.ts';
import { LEADER_ONLY } from './reader.ts';

// The start-up check: the ledger's user must hold every right the ledger uses, or the ledger refuses to
// start, naming the right that is missing. Without it, a missing right would show only later, as a
// projection subscription that stops and commands that fail.
//
// Each right is tried with a request that changes nothing: reading one event of $all, reading a stream
// the ledger never writes, and appending NO events to that stream (EventStoreDB checks the right to
// write, then acknowledges an empty append without writing an event). The probe stream is an ordinary
// stream, so it is governed by the default ACL for user streams ($userStreamAcl), as the ledger's
// student-... and cohort-... streams are.

export const ACCESS_PROBE_STREAM = 'ledger-access-check';

export async function checkAccess(client: EventStoreDBClient, failures: EsdbFailures): Promise<void> {
  await failures.guard('read $all', () =>
    client.readAll({ fromPosition: START, direction: FORWARDS, maxCount: 1, ...LEADER_ONLY }).toArray(),
  );
  await failures.guard(`read the ledger's streams (tried on stream ${ACCESS_PROBE_STREAM})`, () =>
    client
      .readStream(ACCESS_PROBE_STREAM, { maxCount: 1, ...LEADER_ONLY })
      .toArray()
      .catch((error: unknown) => {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }),
  );
  await failures.guard(`write to the ledger's streams (tried on stream ${ACCESS_PROBE_STREAM})`, () =>
    client.appendToStream(ACCESS_PROBE_STREAM, [], { expectedRevision: ANY, ...LEADER_ONLY }),
  );
}
