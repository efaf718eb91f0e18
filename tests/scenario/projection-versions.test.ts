import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SyntheticLog } from '../../bench/generate.ts';
import { currentVersion } from '../../events/index.ts';
import { liveProjections } from '../../projections/index.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { type StudentRecord, standingAward } from '../../src/domain/student-record.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { encodeState } from '../../src/store/state-codec.ts';
import { rebuiltFromZero } from '../support/read-models.ts';

// The read models on disk are resumed only by the same projections, names and versions
// (src/app/read-models.ts): so a projection whose state changes must change its version, or a restart
// would resume from states folded another way. This pins, for each projection at each version, a digest
// of the rows it keeps (each key's state and columns) after a fixed log
// (200 generated students, a mark corrected after a conferral, a published specification). A state that changes while its version stays
// fails here: bump the version in the projection's file, then GOLDEN_UPDATE=1 adds the new pin. An
// existing pin is never overwritten.

const PINS = new URL('../golden/projection-states.json', import.meta.url);

const admin = { id: 'admin-1', role: 'admin' as const };
const metadata = (occurredAt: string) => ({
  actor: admin,
  occurredAt,
  correlationId: 'c',
  causationId: null,
});

/** 200 generated students, a specification published, and a mark corrected after a conferral. */
async function fixedLog() {
  const store = new MemoryEventStore(() => new Date('2024-09-01T12:00:00Z'));
  const reference = loadReferenceData();
  for (const a of new SyntheticLog(reference).appends({ maxStudents: 200 }))
    await store.append(a.streamId, a.events, a.expectedRevision);
  const before = await rebuiltFromZero(store, reference);
  const awarded = Object.values(before.contents.students!)
    .map((row) => row.state as StudentRecord)
    .find((r) => standingAward(r) !== null)!;
  const chain = [...awarded.markChains.values()].find((c) => c.ratified !== null)!;
  await store.append(
    awarded.streamId,
    [
      {
        eventId: '00000000-0000-7000-8000-000000000001',
        type: 'MarkCorrected',
        schemaVersion: currentVersion('MarkCorrected'),
        data: {
          correctsEventId: chain.headEventId,
          moduleCode: chain.moduleCode,
          attempt: chain.attempt,
          previousMark: chain.mark,
          correctedMark: 5,
          reason: 'A transcription error found at audit',
          authorisedBy: { id: 'admin-1' },
        },
        metadata: metadata('2024-08-30T12:00:00.000+01:00'),
      },
    ],
    awarded.revision,
  );
  const specification = { ...reference.specification('blended-3module', 1), version: 7 };
  await store.append(
    'programme-blended-3module',
    [
      {
        eventId: '00000000-0000-7000-8000-000000000007',
        type: 'ProgrammeSpecificationPublished',
        schemaVersion: currentVersion('ProgrammeSpecificationPublished'),
        data: { specification },
        metadata: metadata('2024-08-01T12:00:00.000+01:00'),
      },
    ],
    'no_stream',
  );
  return (await rebuiltFromZero(store, loadReferenceData())).contents;
}

describe('projection versions', () => {
  it('a projection whose state changes has a new version', async () => {
    const contents = await fixedLog();
    const now: Record<string, string> = {};
    for (const p of liveProjections) {
      const rows = Object.entries(contents[p.name]!).sort(([a], [b]) => (a < b ? -1 : 1));
      // the states as the read-model database writes them (JSON: the same whatever objects they share)
      now[`${p.name}@${p.version}`] = createHash('sha256').update(encodeState(rows)).digest('hex');
    }
    const pinned: Record<string, string> = existsSync(PINS) ? JSON.parse(readFileSync(PINS, 'utf8')) : {};
    const changed = Object.keys(now).filter((k) => pinned[k] !== undefined && pinned[k] !== now[k]);
    expect(
      changed,
      `state changed without a new version (bump it in the projection's file): ${changed}`,
    ).toEqual([]);
    const unpinned = Object.keys(now).filter((k) => pinned[k] === undefined);
    if (unpinned.length && process.env.GOLDEN_UPDATE === '1')
      writeFileSync(PINS, `${JSON.stringify({ ...pinned, ...now }, null, 1)}\n`);
    else expect(unpinned, 'new projection versions: pin them with GOLDEN_UPDATE=1').toEqual([]);
    // the fixture reaches every projection: none is pinned with no rows at all
    for (const p of liveProjections) expect(Object.keys(contents[p.name]!), p.name).not.toEqual([]);
  });
});
