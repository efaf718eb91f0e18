import type { DomainEvent } from '../../events/index.ts';
import type { CohortView } from '../../src/domain/decide/context.ts';
import type { Given } from './given-when-then.ts';

// Facts for given histories, with defaults a test overrides where it matters. A student enrolled before
// 1 September 2024 (the National Award's transition) with QTS checked, their role confirmed and their
// application assessed as eligible.

/** One event of the given type, as a history holds it. */
export type Fact<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;
/** A fact a later one refers to by its id. */
export type Named<T extends DomainEvent['type']> = Fact<T> & { eventId: string };

export type Programme = 'blended' | 'bpn' | 'sw' | 'experienced' | 'npq';

export const PROGRAMME_ID: Record<Programme, string> = {
  blended: 'blended-3module',
  bpn: 'bpn-bathspa',
  sw: 'sw-consortium',
  experienced: 'experienced-bathspa',
  npq: 'npq-senco-bpn',
};
const FRAMEWORK_ID: Record<Programme, string> = {
  blended: 'nasenco-national',
  bpn: 'nasenco-national',
  sw: 'nasenco-national',
  experienced: 'nasenco-experienced',
  npq: 'npq-senco',
};

export const sealed = { alg: 'A256GCM' as const, keyId: 's1', iv: 'aXY=', tag: 'dGFn', ct: 'Y3Q=' };

export const applied = (
  programme: Programme = 'blended',
  submittedOn = '2023-11-01',
): Fact<'ApplicationSubmitted'> => ({
  type: 'ApplicationSubmitted',
  data: {
    studentId: 's1',
    personal: sealed,
    programmeId: PROGRAMME_ID[programme],
    school: { type: 'academy' },
    intake: 'spring',
    submittedOn,
  },
});

export const qtsHeld = (
  status: 'QTS' | 'QTLS' | 'none' = 'QTS',
  more: Partial<Fact<'QtsEvidenceRecorded'>['data']> = {},
): Fact<'QtsEvidenceRecorded'> => ({
  type: 'QtsEvidenceRecorded',
  data: {
    status,
    trnChecked: status !== 'none',
    awardedOn: status === 'none' ? null : '2010-07-01',
    inductionCompleted: status === 'none' ? null : true,
    ...more,
  },
});

export const roleConfirmed: Fact<'SencoRoleConfirmed'> = {
  type: 'SencoRoleConfirmed',
  data: {
    basis: 'governing-body-designation',
    confirmedByRole: 'Chair of governors',
    confirmedOn: '2023-11-02',
  },
};

export const assessed = (eligible = true): Fact<'EligibilityAssessed'> => ({
  type: 'EligibilityAssessed',
  data: { eligible, route: 'national-award', assessedOn: '2023-11-10' },
});

export const offered = (cohortId = 'c1'): Fact<'PlaceOffered'> => ({
  type: 'PlaceOffered',
  data: { cohortId, offeredOn: '2023-12-01' },
});

export const enrolled = (
  programme: Programme = 'blended',
  enrolledOn = '2024-01-08',
  cohortId = 'c1',
): Named<'StudentEnrolled'> => ({
  eventId: 'enrolment',
  type: 'StudentEnrolled',
  data: {
    cohortId,
    programmeId: PROGRAMME_ID[programme],
    specVersion: 1,
    frameworkId: FRAMEWORK_ID[programme],
    frameworkVersion: 1,
    enrolledOn,
    cohort: {
      startsOn: enrolledOn,
      firstFacilitatedDay: enrolledOn,
      participationSessions: { session: 0, activity: 0 },
    },
  },
});

/** Applied, QTS checked, role confirmed, assessed eligible, offered a place and enrolled. */
export const enrolledStudent = (
  programme: Programme = 'blended',
  options: { enrolledOn?: string; qts?: DomainEvent } = {},
): Given[] => [
  applied(programme),
  options.qts ?? qtsHeld(),
  roleConfirmed,
  assessed(),
  offered(),
  enrolled(programme, options.enrolledOn),
];

export const submitted = (
  moduleCode: string,
  submittedOn = '2024-03-01',
  attempt = 1,
  kind: 'plan' | 'final' = 'final',
): Fact<'AssignmentSubmitted'> => ({
  type: 'AssignmentSubmitted',
  data: { moduleCode, attempt, kind, submittedOn },
});

export const marked = (
  moduleCode: string,
  mark: number,
  eventId: string,
  attempt = 1,
): Named<'AssignmentMarked'> => ({
  eventId,
  type: 'AssignmentMarked',
  data: { moduleCode, attempt, marker: { id: 'tutor-1' }, mark, markedOn: '2024-03-20' },
});

export const ratified = (
  marks: { moduleCode: string; mark: number; head: string; attempt?: number }[],
  boardDate = '2024-07-12',
  examBoardId = 'board-1',
): Fact<'MarksRatified'> => ({
  type: 'MarksRatified',
  data: {
    examBoardId,
    boardDate,
    marks: marks.map((m) => ({
      moduleCode: m.moduleCode,
      attempt: m.attempt ?? 1,
      mark: m.mark,
      chainHeadEventId: m.head,
    })),
  },
});

/** Submitted, marked and ratified passes (60 on each module named). */
export const passed = (modules: string[], mark = 60): Given[] => [
  ...modules.map((m) => submitted(m)),
  ...modules.map((m) => marked(m, mark, `mark-${m}`)),
  ratified(modules.map((m) => ({ moduleCode: m, mark, head: `mark-${m}` }))),
];

export const evidence = (
  outcomeCode: string,
  eventId = `evidence-${outcomeCode}`,
): Named<'OutcomeEvidenceSubmitted'> => ({
  eventId,
  type: 'OutcomeEvidenceSubmitted',
  data: {
    outcomeCode,
    frameworkId: outcomeCode.startsWith('E') ? 'nasenco-experienced' : 'nasenco-national',
    frameworkVersion: 1,
    evidence: { kind: 'document', reference: `doc-${outcomeCode}` },
    submittedOn: '2024-05-01',
  },
});

export const signedOff = (outcomeCode: string, signedOffOn = '2024-06-01'): Named<'OutcomeSignedOff'> => ({
  eventId: `sign-off-${outcomeCode}`,
  type: 'OutcomeSignedOff',
  data: {
    outcomeCode,
    frameworkId: outcomeCode.startsWith('E') ? 'nasenco-experienced' : 'nasenco-national',
    frameworkVersion: 1,
    evidenceEventIds: [`evidence-${outcomeCode}`],
    assessor: { id: 'tutor-1' },
    signedOffOn,
  },
});

/** Evidence for and a sign-off of each outcome named. */
export const outcomesSignedOff = (codes: readonly string[], signedOffOn?: string): Given[] =>
  codes.flatMap((c) => [evidence(c), signedOff(c, signedOffOn)]);

export const facilitatedDays = (count: number, from = 1): Fact<'FacilitatedDayAttended'>[] =>
  Array.from({ length: count }, (_, i) => ({
    type: 'FacilitatedDayAttended' as const,
    data: {
      sessionId: `day-${from + i}`,
      attendedOn: `2024-0${Math.min(from + i, 9)}-10`,
      mode: 'face-to-face' as const,
    },
  }));

export const visit = (moduleCode: string, visitedOn = '2024-03-05'): Fact<'PartnerSchoolVisitRecorded'> => ({
  type: 'PartnerSchoolVisitRecorded',
  data: { school: { name: 'Oak Primary' }, phase: 'primary', visitedOn, moduleCode, hours: 6 },
});

export const webexAttended = (
  moduleCode: string,
  sessionId = `webex-${moduleCode}-1`,
): Fact<'WebexSessionAttended'> => ({
  type: 'WebexSessionAttended',
  data: { sessionId, moduleCode, attendedOn: '2024-02-05' },
});

export const cohort = (programme: Programme = 'blended', more: Partial<CohortView> = {}): CohortView => ({
  cohortId: 'c1',
  programmeId: PROGRAMME_ID[programme],
  specVersion: 1,
  startsOn: '2024-01-08',
  sessions: [],
  examBoards: [],
  tutors: new Set(),
  examiners: new Set(['examiner-1']),
  assessmentWindows: [],
  ...more,
});

export const portfolioDone = (portfolio: string, completedOn = '2024-06-30'): Fact<'PortfolioCompleted'> => ({
  type: 'PortfolioCompleted',
  data: { portfolio, completedOn, assessedBy: { id: 'tutor-1' } },
});

export const vivaHeld = (
  outcome: 'pass' | 'fail' | 'referred',
  heldOn = '2024-06-20',
): Named<'VivaHeld'> => ({
  eventId: `viva-${outcome}`,
  type: 'VivaHeld',
  data: { heldOn, outcome, examiners: [{ id: 'examiner-1' }] },
});

const NATIONAL = [
  'A1.1',
  'A1.2',
  'A2.1',
  'A3.1',
  'A3.2',
  'A4.1',
  'B5.1',
  'B6.1',
  'B6.2',
  'B7.1',
  'B8.1',
  'B9.1',
];
/** The outcome codes of the frameworks in src/domain/outcomes/frameworks (reference data). */
export const OUTCOMES = {
  national: [...NATIONAL, 'C10.1', 'C10.2'],
  experienced: ['E1.1', 'E2.1', 'E3.1', 'E4.1', 'E5.1'],
} as const;

/** Enrolled on a cohort that planned these sessions and activities (what a participation threshold counts). */
export function withPlannedSessions(history: Given[], session: number, activity: number): Given[] {
  return history.map((e) =>
    e.type === 'StudentEnrolled' && e.data.cohort
      ? ({
          ...e,
          data: { ...e.data, cohort: { ...e.data.cohort, participationSessions: { session, activity } } },
        } as Given)
      : e,
  );
}

export const tookPart = (
  sessionId: string,
  kind: 'session' | 'activity' = 'session',
  on = '2024-03-01',
): Given => ({
  type: 'SessionParticipationRecorded',
  data: { sessionId, kind, participatedOn: on },
});

export const sat = (moduleCode = 'CS', attempt = 1, submittedOn = '2025-07-10'): Named<'AssessmentSat'> => ({
  eventId: `sat-${moduleCode}-${attempt}`,
  type: 'AssessmentSat',
  data: {
    moduleCode,
    attempt,
    windowId: `window-${attempt}`,
    window: { opensOn: '2025-07-07', closesOn: '2025-07-14' },
    submittedOn,
    participation: { counted: 10, of: 10, thresholdPercent: 90 },
  },
});

export const resultOf = (
  result: 'pass' | 'fail',
  moduleCode = 'CS',
  attempt = 1,
): Named<'AssessmentResultRecorded'> => ({
  eventId: `result-${moduleCode}-${attempt}`,
  type: 'AssessmentResultRecorded',
  data: { moduleCode, attempt, result, assessor: { id: 'tutor-1' }, assessedOn: '2025-07-28' },
});

export const confirmed = (results: Named<'AssessmentResultRecorded'>[], boardDate = '2025-08-20'): Given => ({
  eventId: `confirmed-${boardDate}`,
  type: 'AssessmentResultsConfirmed',
  data: {
    examBoardId: 'npq-board-1',
    boardDate,
    results: results.map((r) => ({
      moduleCode: r.data.moduleCode,
      attempt: r.data.attempt,
      result: r.data.result,
      resultEventId: r.eventId,
    })),
  },
});

/** Everything each programme asks for, done in time: the decision is the award. */
export function eligibleStudent(programme: Programme): Given[] {
  const start = enrolledStudent(programme);
  switch (programme) {
    case 'npq': {
      const passed = resultOf('pass');
      // reg. 49(7)(b): a course started on or after 1 September 2024
      return [
        ...withPlannedSessions(enrolledStudent('npq', { enrolledOn: '2024-10-07' }), 5, 5),
        ...['s1', 's2', 's3', 's4', 's5'].map((s) => tookPart(s)),
        ...['a1', 'a2', 'a3', 'a4'].map((a) => tookPart(a, 'activity')),
        sat(),
        passed,
        confirmed([passed]),
      ];
    }
    case 'sw':
      return [
        ...start,
        ...facilitatedDays(6),
        ...passed(['SW1', 'SW2']),
        ...outcomesSignedOff(OUTCOMES.national),
      ];
    case 'bpn':
      return [
        ...start,
        ...facilitatedDays(6),
        ...passed(['RA1', 'RA2']),
        ...outcomesSignedOff(OUTCOMES.national),
        portfolioDone('e-portfolio'),
      ];
    case 'experienced':
      return [
        ...start,
        ...passed(['TASK60']),
        ...outcomesSignedOff(OUTCOMES.experienced),
        portfolioDone('pdp'),
        vivaHeld('pass'),
      ];
    case 'blended':
      return [
        ...start,
        ...['M1', 'M2', 'M3'].map((m) => webexAttended(m)),
        visit('M1'),
        visit('M1', '2024-03-06'),
        visit('M2'),
        visit('M3'),
        visit('M3', '2024-03-07'),
        ...passed(['M1', 'M2', 'M3']),
        ...outcomesSignedOff(OUTCOMES.national),
        portfolioDone('pdp'),
        portfolioDone('learning-log'),
      ];
  }
}
