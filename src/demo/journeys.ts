import type { Actor } from '../../events/envelope.ts';
import type { ProgrammeSpecification } from '../../events/programme-specification.ts';
import type { Ledger } from '../app/ledger.ts';
import { registerApplicant } from '../app/register-applicant.ts';
import { addMonths } from '../domain/calendar.ts';
import { outcomeCodes } from '../domain/outcomes/schema.ts';
import { participationSessions, plannedWindows, sitInWindow, takePart } from './participation.ts';
import { studyTaughtModule } from './taught-module.ts';

// Scripted journeys through the ledger's own commands: the demo cohort on first start, the scenario
// tests and the benchmark's command-path phase all take students through these same steps.

export const staff = {
  registry: { id: 'registry-officer-1', role: 'registry' },
  tutor: { id: 'tutor-1', role: 'tutor' },
  admin: { id: 'admin-1', role: 'admin' },
  examiner: { id: 'examiner-1', role: 'examiner' },
} as const satisfies Record<string, Actor>;

export interface CohortPlan {
  cohortId: string;
  spec: ProgrammeSpecification;
  startsOn: string;
  examBoardId: string;
  examBoardOn: string;
}

/**
 * A cohort's sessions: each module's WebEx sessions at the module's start (modules a term apart), the
 * facilitated days every `monthsBetweenDays` months from the start, and the sessions and activities a
 * participation threshold counts.
 */
export function plannedSessions(spec: ProgrammeSpecification, startsOn: string, monthsBetweenDays = 1) {
  return [
    ...spec.modules.flatMap((m, i) =>
      Array.from({ length: m.webexSessions }, (_, k) => ({
        sessionId: `webex-${m.code}-${k + 1}`,
        kind: 'webex' as const,
        moduleCode: m.code,
        date: addMonths(startsOn, i * 3),
      })),
    ),
    ...Array.from({ length: spec.attendance.facilitatedDaysRequired }, (_, d) => ({
      sessionId: `day-${d + 1}`,
      kind: 'facilitated-day' as const,
      moduleCode: null,
      date: addMonths(startsOn, d * monthsBetweenDays),
    })),
    ...participationSessions(spec, startsOn),
  ];
}

/** Creates a cohort with its sessions, staff, exam board (unless not held yet) and assessment windows. */
export async function createCohort(
  ledger: Ledger,
  plan: CohortPlan,
  { holdBoard = true } = {},
): Promise<void> {
  const { spec, cohortId, startsOn } = plan;
  const sessions = plannedSessions(spec, startsOn);
  await ledger.execute(
    cohortId,
    'createCohort',
    {
      cohortId,
      name: `${spec.provider}: ${cohortId}`,
      programmeId: spec.programmeId,
      specVersion: spec.version,
      intake: Number(startsOn.slice(5, 7)) >= 9 ? 'autumn' : 'spring',
      location: spec.attendance.facilitatedDaysRequired > 0 ? 'Bristol' : 'Online',
      mode: spec.attendance.facilitatedDaysRequired > 0 ? 'face-to-face' : 'blended',
      startsOn,
      sessions,
    },
    { actor: staff.registry },
  );
  await ledger.execute(
    cohortId,
    'assignCohortStaff',
    { staffId: staff.tutor.id, role: 'tutor' },
    { actor: staff.registry },
  );
  await ledger.execute(
    cohortId,
    'assignCohortStaff',
    { staffId: staff.examiner.id, role: 'examiner' },
    { actor: staff.registry },
  );
  // a board is recorded once it has been held: one still to come waits for recordHeldBoard
  if (holdBoard && plan.examBoardOn <= ledger.queries.today()) await recordHeldBoard(ledger, plan);
  for (const window of plannedWindows(spec, startsOn))
    await ledger.execute(cohortId, 'setAssessmentWindow', window, { actor: staff.registry });
}

/** Records the cohort's exam board as held on its day, with the cohort's examiner present. */
export async function recordHeldBoard(ledger: Ledger, plan: CohortPlan): Promise<void> {
  await ledger.execute(
    plan.cohortId,
    'recordExamBoard',
    { examBoardId: plan.examBoardId, heldOn: plan.examBoardOn, externalExaminers: [staff.examiner.id] },
    { actor: staff.registry },
  );
}

export interface Applicant {
  fullName: string;
  email: string;
  dateOfBirth: string;
  qts: 'QTS' | 'QTLS' | 'none';
  appointedOn: string | null;
  priorSencoMonths?: number;
  schoolType?: 'maintained-mainstream' | 'academy' | 'independent';
}

/** Application, entry evidence, eligibility, offer and enrolment. Returns the new student id. */
export async function applyAndEnrol(ledger: Ledger, plan: CohortPlan, who: Applicant): Promise<string> {
  const { cohortId, spec, startsOn } = plan;
  const r = staff.registry;
  const studentId = await registerApplicant(
    ledger,
    {
      personal: {
        fullName: who.fullName,
        email: who.email,
        dateOfBirth: who.dateOfBirth,
        teacherReferenceNumber: who.qts === 'none' ? null : String(1000000 + (hash(who.email) % 8999999)),
      },
      programmeId: spec.programmeId,
      school: { name: 'Riverside Primary School', type: who.schoolType ?? 'maintained-mainstream' },
      intake: Number(startsOn.slice(5, 7)) >= 9 ? 'autumn' : 'spring',
      qts: who.qts,
      qtsAwardedOn: '2012-07-20',
      appointedOn: who.appointedOn,
      priorSencoMonths: who.priorSencoMonths ?? 0,
      cohortId,
      appliedOn: addMonths(startsOn, -2),
      offeredOn: addMonths(startsOn, -1),
      enrolledOn: startsOn,
    },
    r,
  );
  await ledger.execute(
    studentId,
    'assignMentor',
    { mentorRole: 'headteacher', sameSchool: true, assignedOn: startsOn },
    { actor: r },
  );
  await ledger.execute(
    studentId,
    'completeNeedsAnalysis',
    { completedOn: startsOn, focusAreas: ['A1', 'B9'] },
    { actor: staff.tutor },
  );
  return studentId;
}

export interface StudyOptions {
  /** The first mark for each marked module taken; modules left out are not studied. */
  marks: Record<string, number>;
  /** The first result of each pass/fail assessment taken. */
  results?: Record<string, 'pass' | 'fail'>;
  /** Sessions and activities taken part in, where a threshold counts them (default: all). */
  participation?: number;
  /** Modules to skip WebEx sessions for (absence reported, catch-up completed). */
  missedWebex?: string[];
  /** Sign-offs happen this many months after the start (default 6). */
  signOffAfterMonths?: number;
  ratify?: boolean;
}

/** Attendance, visits, submissions, marks, outcomes, portfolios and viva for a whole programme. */
export async function study(
  ledger: Ledger,
  studentId: string,
  plan: CohortPlan,
  options: StudyOptions,
): Promise<void> {
  const { spec, startsOn } = plan;
  const t = staff.tutor;
  for (let d = 0; d < spec.attendance.facilitatedDaysRequired; d++) {
    await ledger.execute(
      studentId,
      'recordFacilitatedDay',
      {
        sessionId: `day-${d + 1}`,
        attendedOn: addMonths(startsOn, d),
        mode: 'face-to-face',
      },
      { actor: t },
    );
  }
  if (spec.participation) await takePart(ledger, studentId, spec, startsOn, t, options.participation);
  for (const [i, module] of spec.modules.entries()) {
    if (!(module.code in options.marks) && !(module.code in (options.results ?? {}))) continue;
    if (module.assessment.taken === 'cohort-window') {
      const outcome = { result: options.results?.[module.code], mark: options.marks[module.code] };
      await sitInWindow(ledger, studentId, spec, startsOn, module.code, outcome, t);
      continue;
    }
    const moduleStart = addMonths(startsOn, i * 3);
    const missed = options.missedWebex?.includes(module.code) ?? false;
    await studyTaughtModule(
      ledger,
      studentId,
      spec,
      module,
      moduleStart,
      options.marks[module.code]!,
      missed,
      {
        tutor: t,
        registry: staff.registry,
      },
    );
  }
  const record = ledger.queries.record(studentId);
  const framework = ledger.reference.framework(
    record.enrolment!.frameworkId,
    record.enrolment!.frameworkVersion,
  );
  const signOn = addMonths(startsOn, options.signOffAfterMonths ?? 6);
  for (const code of spec.outcomes.signOff === 'none' ? [] : outcomeCodes(framework)) {
    const evidence = await ledger.execute(
      studentId,
      'submitOutcomeEvidence',
      {
        outcomeCode: code,
        evidence: { kind: 'document', reference: `portfolio/${code}.pdf` },
        submittedOn: signOn,
      },
      { actor: t },
    );
    await ledger.execute(
      studentId,
      'signOffOutcome',
      { outcomeCode: code, evidenceEventIds: [evidence.events[0]!.eventId], signedOffOn: signOn },
      { actor: t },
    );
  }
  for (const p of spec.portfolios.filter((p) => p.required))
    await ledger.execute(
      studentId,
      'completePortfolio',
      { portfolio: p.code, completedOn: signOn },
      { actor: t },
    );
  if (spec.viva.required)
    await ledger.execute(
      studentId,
      'recordViva',
      { heldOn: signOn, outcome: 'pass', examiners: [{ id: t.id }] },
      { actor: t },
    );
  if (options.ratify !== false) await ratify(ledger, studentId, plan);
}

/** The board ratifies the provisional marks and confirms the pass/fail results, whichever there are. */
export async function ratify(ledger: Ledger, studentId: string, plan: CohortPlan): Promise<void> {
  const record = ledger.queries.record(studentId);
  const board = { examBoardId: plan.examBoardId, boardDate: plan.examBoardOn };
  if ([...record.markChains.values()].some((c) => c.ratified?.headEventId !== c.headEventId))
    await ledger.execute(studentId, 'ratifyMarks', board, { actor: staff.registry });
  if (Object.values(record.modules).some((attempts) => attempts.some((a) => a.result && !a.result.confirmed)))
    await ledger.execute(studentId, 'confirmResults', board, { actor: staff.registry });
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
