import { Ledger } from '../app/ledger.ts';
import type { TokenStore } from '../auth/tokens.ts';
import { MemoryEventStore } from '../store/memory.ts';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
} from '../store/port.ts';
import { loadDemo } from './load.ts';

// The demo on a first start, all or nothing, and the demo token only for a ledger that holds the demo.
//
// The demo is some 550 events from ~90 commands. Written command by command, a full disk half-way left a
// half demo that the next start took for a used ledger. So it is decided in full on a staging ledger in
// memory (the real keys seal the personal data, as the commands would), then written to the store in one
// transaction where the store has them (SQLite): it is there whole or not at all. EventStoreDB has no
// transaction across streams; there it is written stream by stream.

/** The demo's cohorts (src/demo/load.ts): a ledger holding all of them holds the demo. */
export const DEMO_COHORTS = [
  'blended-2024-spring-online',
  'bpn-2024-spring-bristol',
  'swc-2024-spring-exeter',
  'exp-2024-spring-bath',
] as const;

type Append = { streamId: string; events: EventToAppend[]; expected: ExpectedRevision };
interface AppendsAtomically {
  appendAtomically(appends: Append[]): Promise<AppendResult[]>;
}

export async function loadDemoAtomically(ledger: Ledger): Promise<{ students: number; cohorts: number }> {
  if ((await ledger.store.headPosition()) !== 0n) throw new Error('the demo loads only into an empty ledger');
  const staging = new Ledger({
    store: new MemoryEventStore(ledger.clock),
    keys: ledger.keys,
    reference: ledger.reference,
    clock: ledger.clock,
  });
  await staging.start();
  let loaded: { students: number; cohorts: number };
  let events: RecordedEvent[];
  try {
    loaded = await loadDemo(staging);
    events = await staging.store.readAll();
  } finally {
    await staging.runner.stop();
    await staging.store.close();
  }
  const appends = runsOfOneStream(events);
  const store = ledger.store as EventStore & Partial<AppendsAtomically>;
  try {
    if (store.appendAtomically) await store.appendAtomically(appends);
    else for (const a of appends) await store.append(a.streamId, a.events, a.expected);
  } catch (error) {
    // Nothing of it is in the log: the student keys made for it go too (as far as the keys can be written).
    for (const e of events)
      if (e.type === 'ApplicationSubmitted') {
        try {
          ledger.keys.destroy(e.streamId.slice('student-'.length));
        } catch {
          // an unused key left behind unlocks nothing in the log
        }
      }
    throw error;
  }
  await ledger.runner.waitFor(await store.headPosition());
  return loaded;
}

/** The staged log as appends, one per run of one stream, each expecting the revision before it. */
function runsOfOneStream(events: RecordedEvent[]): Append[] {
  const appends: Append[] = [];
  for (const e of events) {
    const last = appends[appends.length - 1];
    const event = {
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
    };
    if (last && last.streamId === e.streamId) last.events.push(event);
    else
      appends.push({
        streamId: e.streamId,
        events: [event],
        expected: e.revision === 0n ? 'no_stream' : e.revision - 1n,
      });
  }
  return appends;
}

export function holdsDemo(ledger: Ledger): boolean {
  return DEMO_COHORTS.every((id) => ledger.queries.findCohort(id) !== undefined);
}

/**
 * The demo registry token, made anew at each start, only for a ledger that holds the demo; otherwise any
 * demo token left from earlier starts is revoked. It is shown on the terminal once, never logged.
 */
export function demoToken(ledger: Ledger, tokens: TokenStore, wanted: boolean): string | null {
  tokens.revoke('demo-registry');
  if (!wanted || !holdsDemo(ledger)) return null;
  return tokens.create({
    id: 'demo-registry',
    role: 'registry',
    label: 'demo token, replaced at each start',
  });
}
