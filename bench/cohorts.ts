import type { ProgrammeSpecification } from '../events/programme-specification.ts';
import { plannedSessions } from '../src/demo/journeys.ts';
import { addMonths } from '../src/domain/calendar.ts';
import type { CohortCommandName } from '../src/domain/cohort.ts';
import type { CohortView } from '../src/domain/decide/context.ts';
import type { ReferenceData } from '../src/domain/reference-data.ts';
import type { Actor } from '../src/store/port.ts';

// The benchmark's national set of cohorts: every programme in the seeds, ten intakes (autumn and
// spring, 2019 to 2024, all before the SI 2024/535 cut-off) and six locations. Student n joins cohort
// n mod 240, so any prefix of the students mixes programmes and intakes.

/** The synthetic log stops here: later cohorts are in progress, and decisions are evaluated on it. */
export const DATA_AS_OF = '2024-08-31';

export const PROGRAMMES = ['blended-3module', 'bpn-bathspa', 'sw-consortium', 'experienced-bathspa'] as const;
const PREFIX: Record<(typeof PROGRAMMES)[number], string> = {
  'blended-3module': 'blended',
  'bpn-bathspa': 'bpn',
  'sw-consortium': 'swc',
  'experienced-bathspa': 'exp',
};
export const INTAKES = [
  '2019-09-09',
  '2020-01-13',
  '2020-09-07',
  '2021-01-11',
  '2021-09-06',
  '2022-01-10',
  '2022-09-05',
  '2023-01-09',
  '2023-09-04',
  '2024-01-08',
] as const;
const LOCATIONS = ['Bristol', 'Exeter', 'Bath', 'Plymouth', 'Online', 'Taunton'] as const;
export const COHORT_COUNT = PROGRAMMES.length * INTAKES.length * LOCATIONS.length;

/** Exam boards sit 7, 13, 19, 25 and 31 months after a cohort starts. */
const BOARD_MONTHS = [7, 13, 19, 25, 31];

export interface BenchCohort {
  index: number;
  cohortId: string;
  spec: ProgrammeSpecification;
  startsOn: string;
  intake: 'autumn' | 'spring';
  location: string;
  sessions: CohortView['sessions'];
  tutor: Actor;
  registry: Actor;
  examinerId: string;
  /** The boards held by DATA_AS_OF (later ones are not in the log yet). */
  boards: { examBoardId: string; heldOn: string }[];
}

export interface CohortStep {
  on: string;
  actor: Actor;
  name: CohortCommandName;
  data: unknown;
}

export const ADMIN: Actor = { id: 'admin-1', role: 'admin' };

export function benchCohort(reference: ReferenceData, index: number): BenchCohort {
  const programmeId = PROGRAMMES[index % PROGRAMMES.length]!;
  const startsOn = INTAKES[Math.floor(index / PROGRAMMES.length) % INTAKES.length]!;
  const location = LOCATIONS[Math.floor(index / (PROGRAMMES.length * INTAKES.length)) % LOCATIONS.length]!;
  const spec = reference.specification(programmeId, 1);
  const intake = Number(startsOn.slice(5, 7)) >= 9 ? 'autumn' : 'spring';
  const cohortId = `${PREFIX[programmeId]}-${startsOn.slice(0, 4)}-${intake}-${location.toLowerCase()}`;
  const sessions: CohortView['sessions'] = plannedSessions(spec, startsOn, 2);
  const boards = BOARD_MONTHS.map((m, k) => ({
    examBoardId: `${cohortId}-board-${k + 1}`,
    heldOn: addMonths(startsOn, m),
  })).filter((b) => b.heldOn <= DATA_AS_OF);
  return {
    index,
    cohortId,
    spec,
    startsOn,
    intake,
    location,
    sessions,
    // Twelve tutors share the cohorts: tutor-0 teaches every 12th cohort, all of them blended ones.
    tutor: { id: `tutor-${index % 12}`, role: 'tutor' },
    registry: { id: `registry-${index % 3}`, role: 'registry' },
    examinerId: `examiner-${index % 5}`,
    boards,
  };
}

/** What registry does to set a cohort up: create it, assign its tutor and examiner, record its boards. */
export function cohortSteps(c: BenchCohort): CohortStep[] {
  const on = addMonths(c.startsOn, -4);
  const steps: CohortStep[] = [
    {
      on,
      actor: c.registry,
      name: 'createCohort',
      data: {
        cohortId: c.cohortId,
        name: `${c.spec.provider}: ${c.location} ${c.intake} ${c.startsOn.slice(0, 4)}`,
        programmeId: c.spec.programmeId,
        specVersion: c.spec.version,
        intake: c.intake,
        location: c.location,
        mode:
          c.location === 'Online'
            ? 'online'
            : c.spec.programmeId === 'blended-3module'
              ? 'blended'
              : 'face-to-face',
        startsOn: c.startsOn,
        sessions: c.sessions,
      },
    },
    { on, actor: c.registry, name: 'assignCohortStaff', data: { staffId: c.tutor.id, role: 'tutor' } },
    { on, actor: c.registry, name: 'assignCohortStaff', data: { staffId: c.examinerId, role: 'examiner' } },
  ];
  for (const b of c.boards)
    steps.push({
      on: b.heldOn,
      actor: c.registry,
      name: 'recordExamBoard',
      data: { examBoardId: b.examBoardId, heldOn: b.heldOn, externalExaminers: [c.examinerId] },
    });
  return steps;
}

/** The first board of the cohort on or after a date, or null if none is held by DATA_AS_OF. */
export function boardOnOrAfter(c: BenchCohort, date: string): { examBoardId: string; heldOn: string } | null {
  return c.boards.find((b) => b.heldOn >= date) ?? null;
}
