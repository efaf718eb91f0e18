import { describe, expect, it } from 'vitest';
import { SyntheticLog } from '../../bench/generate.ts';
import { type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import { students } from '../../projections/students.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { foldRecord } from '../../src/domain/student-record.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { decodeState, encodeState } from '../../src/store/state-codec.ts';

// Every property name JSON.parse meets goes into V8's table of names, which lives as long as the process
// (until a full collection). A student's record kept event ids as the keys of plain objects, so each
// record read from disk added ~200 new names: at a million events that made every young-generation
// collection copy megabytes, the tail of a decision's latency. The tables keyed by event id are Maps,
// stored as lists of entries; a stored record has no event id as a property name.

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function idKeysIn(value: unknown, path: string, found: string[]): string[] {
  if (Array.isArray(value)) for (const [i, v] of value.entries()) idKeysIn(v, `${path}[${i}]`, found);
  else if (value !== null && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (EVENT_ID.test(key)) found.push(`${path}.${key}`);
      idKeysIn(v, `${path}.${key}`, found);
    }
  return found;
}

describe('a stored student record', () => {
  it('names no event id as a property, and reads back the same tables', async () => {
    const reference = loadReferenceData();
    const store = new MemoryEventStore(() => new Date('2024-09-01T12:00:00Z'));
    for (const a of new SyntheticLog(reference).appends({ maxStudents: 30 }))
      await store.append(a.streamId, a.events, a.expectedRevision);
    const streams = new Map<string, LedgerEvent[]>();
    for (const e of (await store.readAll()).map(toLedgerEvent))
      if (e.streamId.startsWith('student-')) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
    expect(streams.size).toBeGreaterThan(20);
    for (const [streamId, events] of streams) {
      const record = foldRecord(streamId, events);
      const stored = encodeState(record);
      // the text as JSON.parse meets it, before the tags are read back
      expect(idKeysIn(JSON.parse(stored.toString('utf8')), '', [])).toEqual([]);
      expect(record.eventTypes.size).toBe(events.length);
      const back = students.revive!(decodeState(stored) as typeof record);
      expect(back.eventTypes).toEqual(record.eventTypes);
      expect(back.markChains).toEqual(record.markChains);
      expect(back.signOffEvents).toEqual(record.signOffEvents);
    }
  });
});
