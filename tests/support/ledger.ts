import { Ledger } from '../../src/app/ledger.ts';
import type { CohortPlan } from '../../src/demo/journeys.ts';
import { ReferenceData } from '../../src/domain/reference-data.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import type { EventStore } from '../../src/store/port.ts';

/** A ledger on the in-memory store with a clock the test moves. */
export async function testLedger(today = '2024-07-20', store?: EventStore) {
  const clock = { now: new Date(`${today}T10:00:00Z`) };
  const ledger = new Ledger({
    store: store ?? new MemoryEventStore(() => clock.now),
    keys: new MemoryKeyStore(),
    reference: ReferenceData.load(),
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
