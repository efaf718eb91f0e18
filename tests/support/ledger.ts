import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProgrammeSpecification } from '../../events/programme-specification.ts';
import { Ledger } from '../../src/app/ledger.ts';
import { BUILT_IN_SPECS, loadReferenceData } from '../../src/app/reference-files.ts';
import type { CohortPlan } from '../../src/demo/journeys.ts';
import { addMonths } from '../../src/domain/calendar.ts';
import type { ReferenceData } from '../../src/domain/reference-data.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import type { EventStore } from '../../src/store/port.ts';

/** A ledger on the in-memory store with a clock the test moves (and, if given, its own reference data). */
export async function testLedger(today = '2024-07-20', store?: EventStore, reference = loadReferenceData()) {
  const clock = { now: new Date(`${today}T10:00:00Z`) };
  const ledger = new Ledger({
    store: store ?? new MemoryEventStore(() => clock.now),
    keys: new MemoryKeyStore(),
    reference,
    clock: () => clock.now,
  });
  await ledger.start();
  return {
    ledger,
    setToday(date: string) {
      clock.now = new Date(`${date}T10:00:00Z`);
    },
  };
}

export function plans(
  reference: ReferenceData,
): Record<'bpn' | 'sw' | 'experienced' | 'blended', CohortPlan> {
  const spec = (id: string) => reference.specification(id, 1);
  return {
    bpn: {
      cohortId: 'bpn-2024-spring-bristol',
      spec: spec('bpn-bathspa'),
      startsOn: '2024-01-08',
      examBoardId: 'bsu-board-2024-07',
      examBoardOn: '2024-07-12',
    },
    sw: {
      cohortId: 'swc-2024-spring-exeter',
      spec: spec('sw-consortium'),
      startsOn: '2024-01-15',
      examBoardId: 'plym-board-2024-07',
      examBoardOn: '2024-07-17',
    },
    experienced: {
      cohortId: 'exp-2024-spring-bath',
      spec: spec('experienced-bathspa'),
      startsOn: '2024-01-10',
      examBoardId: 'bsu-board-2024-07',
      examBoardOn: '2024-07-12',
    },
    blended: {
      cohortId: 'blended-2024-spring-online',
      spec: spec('blended-3module'),
      startsOn: '2024-01-08',
      examBoardId: 'board-2024-11',
      examBoardOn: '2024-11-15',
    },
  };
}

export const applicant = (
  n: number,
  overrides: Partial<import('../../src/demo/journeys.ts').Applicant> = {},
) => ({
  fullName: `Student ${n} Jones`,
  email: `student${n}@school.example`,
  dateOfBirth: '1985-04-12',
  qts: 'QTS' as const,
  appointedOn: '2023-09-01',
  ...overrides,
});

/** Specifications written for the tests alone (a deliberately odd one), loaded beside the built-in ones. */
export const TEST_SPECIFICATIONS = fileURLToPath(new URL('../fixtures/specifications/', import.meta.url));

/**
 * Every specification file found, built-in and test-only: a property over them runs on a new provider's
 * file the day it is added, with nothing to list.
 */
export function discoveredSpecifications(): { file: string; programmeId: string; version: number }[] {
  return [BUILT_IN_SPECS, TEST_SPECIFICATIONS].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
          programmeId: string;
          version: number;
        };
        return { file: f, programmeId: doc.programmeId, version: doc.version };
      }),
  );
}

/** A cohort for any specification: started on one day, its board ten months later. */
export function planFor(spec: ProgrammeSpecification, startsOn = '2024-01-08'): CohortPlan {
  return {
    cohortId: `${spec.programmeId}-v${spec.version}`.slice(0, 60),
    spec,
    startsOn,
    examBoardId: `${spec.programmeId}-board`.slice(0, 60),
    examBoardOn: addMonths(startsOn, 10),
  };
}
