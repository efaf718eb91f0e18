import type { ModuleSpec, ProgrammeSpecification } from '../events/programme-specification.ts';
import { addMonths, endOfNthTerm } from '../src/domain/calendar.ts';
import type { CommandName } from '../src/domain/commands.ts';
import { outcomeCodes } from '../src/domain/outcomes/schema.ts';
import type { ReferenceData } from '../src/domain/reference-data.ts';
import { type StudentRecord, standingAward } from '../src/domain/student-record.ts';
import type { Actor } from '../src/store/port.ts';
import { ADMIN, type BenchCohort, boardOnOrAfter, DATA_AS_OF } from './cohorts.ts';
import { dayNumber, isoOfDay, plusDays } from './days.ts';
import { Prng } from './prng.ts';

// A plausible history for one synthetic student, as the commands staff would issue: registration,
// attendance and absences, partner-school visits, submissions, marks with some moderation, corrections
// and resubmissions, APL/RPL claims, outcome evidence and sign-offs, portfolios, vivas, exam boards and
// the award, with the ways real students differ: withdrawals, interruptions, late sign-offs, fails.
// A field that names an earlier event (a mark to moderate, the evidence a sign-off rests on) is a
// function of the record, resolved just before the command runs, so the same history drives both the
// pure generator and the real command path.

export interface Step {
  /** The date the command is made: the decider's "today". */
  on: string;
  actor: Actor;
  name: CommandName;
  /** The command's input; a function of the record where it names earlier events (null: skip the step). */
  data: unknown | ((record: StudentRecord) => unknown);
  /** A refusal with this code means the step does not apply (e.g. conferAward while not eligible). */
  unlessRefused?: string;
}

export type Profile =
  | 'not-eligible'
  | 'withdrawn'
  | 'interrupted'
  | 'no-qts'
  | 'slow'
  | 'incomplete'
  | 'resubmits'
  | 'typical';

export interface StudentHistory {
  index: number;
  cohort: BenchCohort;
  /** What the generator set out to give this student (the rules decide what it amounts to). */
  profile: Profile;
  steps: Step[];
}

const FIRST = ['Amara', 'Ben', 'Chloe', 'Dev', 'Ellie', 'Farah', 'George', 'Hana', 'Isaac', 'Jess'];
const LAST = ['Adams', 'Begum', 'Clarke', 'Davies', 'Evans', 'Fraser', 'Green', 'Hughes', 'Iqbal', 'Jones'];
const SCHOOLS = ['Riverside Primary', 'Hillside Academy', 'St Mary C of E', 'Oakfield School', 'Moor Park'];
const SCHOOL_TYPES = [
  ...Array(9).fill('maintained-mainstream'),
  ...Array(7).fill('academy'),
  'free-school',
  'special',
  'independent',
  'fe-college',
] as const;
const EVIDENCE_KINDS = ['document', 'observation', 'reflection', 'testimony', 'presentation'] as const;
const ABSENCE_REASONS = ['Ofsted inspection', 'Pupil safeguarding meeting', 'Illness', 'Annual review'];

const codesBySpec = new Map<string, readonly string[]>();
function outcomeCodesOf(reference: ReferenceData, spec: ProgrammeSpecification): readonly string[] {
  let codes = codesBySpec.get(spec.programmeId);
  if (!codes) {
    codes = outcomeCodes(reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion));
    codesBySpec.set(spec.programmeId, codes);
  }
  return codes;
}

/** Where on the programme each module sits (days from the start) and when its final is due. */
function modulePlan(
  spec: ProgrammeSpecification,
  rng: Prng,
): { module: ModuleSpec; start: number; due: number }[] {
  const m = (code: string) => spec.modules.find((x) => x.code === code)!;
  switch (spec.programmeId) {
    case 'experienced-bathspa':
      // seed 002: one task for 60 credits, or two of the three 30-credit tasks
      if (rng.chance(0.5)) return [{ module: m('TASK60'), start: 90, due: 240 }];
      return (
        [
          ['PORT', 'PRES'],
          ['PORT', 'AER'],
          ['PRES', 'AER'],
        ] as const
      )[rng.int(0, 2)]!.map((code, k) => ({ module: m(code), start: 90 + 90 * k, due: 180 + 90 * k }));
    case 'bpn-bathspa':
      return [
        { module: m('RA1'), start: 0, due: 150 },
        { module: m('RA2'), start: 180, due: 330 },
      ];
    case 'sw-consortium':
      return [
        { module: m('SW1'), start: 0, due: 120 },
        { module: m('SW2'), start: 150, due: 270 },
      ];
    default:
      return spec.modules.map((module, k) => ({ module, start: 91 * k, due: 91 * k + 60 }));
  }
}

/** Collects steps on a student's own timeline; an interruption opens a gap in it. */
class Timeline {
  readonly steps: Step[] = [];
  private readonly startDay: number;
  private gapAt = Number.POSITIVE_INFINITY;
  private gapDays = 0;
  private ratifiedAt = new Set<string>();

  constructor(
    readonly cohort: BenchCohort,
    readonly rng: Prng,
  ) {
    this.startDay = dayNumber(cohort.startsOn);
  }

  /** The calendar date of programme day t (days after the cohort starts); days on or after an
   *  interruption fall after the day study resumes. */
  date(t: number): string {
    return isoOfDay(this.startDay + t + (t >= this.gapAt ? this.gapDays + 1 : 0));
  }

  /** The programme day of a calendar date (a date inside the interruption counts as its start). */
  dayOf(iso: string): number {
    const raw = dayNumber(iso) - this.startDay;
    if (raw < this.gapAt) return raw;
    return Math.max(this.gapAt, raw - this.gapDays - 1);
  }

  /** An interruption of `days` from programme day `at`: study resumes after it, then the plan goes on. */
  interrupt(at: number, days: number) {
    this.gapAt = at;
    this.gapDays = days;
    return { from: isoOfDay(this.startDay + at), resumeOn: isoOfDay(this.startDay + at + days), days };
  }

  add(on: string, actor: Actor, name: CommandName, data: Step['data'], unlessRefused?: string): void {
    this.steps.push({ on, actor, name, data, ...(unlessRefused ? { unlessRefused } : {}) });
  }

  /** The exam board that ratifies a mark made on programme day t; null if it sits after DATA_AS_OF. */
  ratify(t: number): { examBoardId: string; heldOn: string } | null {
    const board = boardOnOrAfter(this.cohort, this.date(t + 21));
    if (!board) return null;
    if (!this.ratifiedAt.has(board.examBoardId)) {
      this.ratifiedAt.add(board.examBoardId);
      this.add(
        board.heldOn,
        this.cohort.registry,
        'ratifyMarks',
        { examBoardId: board.examBoardId, boardDate: board.heldOn },
        'nothing_to_ratify',
      );
    }
    return board;
  }
}

const attemptOf = (r: StudentRecord, code: string, attempt: number) =>
  r.modules[code]?.find((a) => a.attempt === attempt);
const chainOf = (r: StudentRecord, code: string, attempt: number) =>
  r.markChains.get(attemptOf(r, code, attempt)!.markChain!)!;

/** The history of student `index` in `cohort`. Deterministic in (seed, index). */
/**
 * One teacher, one reference number (the ledger refuses a second application with the same one for a
 * programme): the number is the student index's own. The random draw it replaces is still made, so the
 * rest of every history is drawn as before.
 */
function referenceNumberOf(index: number, _drawn: number): string {
  return String(1_000_000 + index);
}

export function studentHistory(
  reference: ReferenceData,
  cohort: BenchCohort,
  index: number,
  seed: number,
): StudentHistory {
  const rng = new Prng(seed, index, 1);
  const spec = cohort.spec;
  const blended = spec.programmeId === 'blended-3module';
  const tl = new Timeline(cohort, rng);
  const registry = cohort.registry;
  const tutor = cohort.tutor;

  const roll = rng.next();
  let profile: Profile = 'typical';
  if (roll < 0.02) profile = 'not-eligible';
  else if (roll < 0.06) profile = 'withdrawn';
  else if (roll < 0.1) profile = 'interrupted';
  else if (roll < 0.16) profile = 'slow';
  else if (roll < 0.2) profile = 'incomplete';
  else if (blended && roll < 0.28) profile = 'no-qts';

  // ---- application, entry evidence, place, enrolment ----
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const qts = profile === 'no-qts' ? 'none' : rng.chance(0.9) ? 'QTS' : 'QTLS';
  const schoolType = rng.pick(SCHOOL_TYPES);
  const applied = tl.date(-rng.int(60, 100));
  tl.add(applied, registry, 'submitApplication', {
    personal: {
      fullName: `${first} ${last}`,
      email: `${first.toLowerCase()}.${last.toLowerCase()}${index}@school.example`,
      dateOfBirth: isoOfDay(dayNumber('1970-01-01') + rng.int(0, 9000)),
      teacherReferenceNumber: qts === 'none' ? null : referenceNumberOf(index, rng.int(1_000_000, 9_999_999)),
    },
    programmeId: spec.programmeId,
    school: {
      name: `${rng.pick(SCHOOLS)} ${index % 97}`,
      type: schoolType,
      ...(rng.chance(0.5) ? { urn: String(rng.int(100_000, 149_999)) } : {}),
    },
    intake: cohort.intake,
    submittedOn: applied,
  });
  const checked = tl.date(-rng.int(40, 55));
  tl.add(checked, registry, 'recordQtsEvidence', {
    status: qts,
    trnChecked: qts !== 'none',
    awardedOn: qts === 'none' ? null : isoOfDay(dayNumber('2000-07-01') + rng.int(0, 6500)),
    inductionCompleted: qts === 'none' ? null : rng.chance(0.99),
  });
  const experienced = spec.programmeId === 'experienced-bathspa';
  const aspiring = !experienced && rng.chance(0.1);
  tl.add(checked, registry, 'confirmSencoRole', {
    basis: aspiring ? 'headteacher-support' : 'governing-body-designation',
    confirmedByRole: aspiring ? 'Headteacher' : 'Chair of governors',
    confirmedOn: checked,
  });
  // an appointment is recorded once it has happened: never dated after the day it is recorded
  const appointed = (iso: string) => (iso > checked ? checked : iso);
  tl.add(checked, registry, 'recordSencoAppointment', {
    appointedOn: aspiring
      ? null
      : experienced
        ? isoOfDay(dayNumber('2004-09-01') + rng.int(0, 3000))
        : appointed(tl.date(-rng.int(30, 900))),
    priorSencoMonths: experienced ? rng.int(0, 60) : rng.chance(0.8) ? 0 : rng.int(1, 24),
    schoolType,
  });
  tl.add(tl.date(-rng.int(30, 39)), registry, 'assessEligibility', {
    eligible: profile !== 'not-eligible',
    route: qts === 'none' ? 'fallback-certificate' : 'national-award',
    ...(profile === 'not-eligible' ? { notes: 'No confirmation of the SENCO role could be obtained' } : {}),
  });
  if (profile === 'not-eligible') return { index, cohort, profile, steps: tl.steps };
  // each fact is recorded on the day it happens (a record made before the fact cannot be true)
  const offeredOn = tl.date(-rng.int(14, 21));
  tl.add(offeredOn, registry, 'offerPlace', { cohortId: cohort.cohortId, offeredOn });
  tl.add(tl.date(0), registry, 'enrol', { cohortId: cohort.cohortId, enrolledOn: cohort.startsOn });
  const assignedOn = tl.date(rng.int(0, 7));
  tl.add(assignedOn, registry, 'assignMentor', {
    mentorRole: rng.pick(['headteacher', 'senior-leader', 'senior-senco', 'local-authority'] as const),
    sameSchool: rng.chance(0.7),
    assignedOn,
  });
  const analysedOn = tl.date(rng.int(8, 14));
  tl.add(analysedOn, tutor, 'completeNeedsAnalysis', {
    completedOn: analysedOn,
    focusAreas: Array.from({ length: rng.int(1, 4) }, () => rng.pick(['A1', 'A3', 'B6', 'B9', 'C10'])),
  });

  // ---- the modules: attendance, visits, submissions, marks, boards, resubmissions ----
  const plan = modulePlan(spec, rng);
  const end = Math.max(...plan.map((p) => p.due)) + 30;
  // An interruption after one of the modules: everything planned after it moves on by its length
  const after = rng.int(0, plan.length - 1);
  const gap =
    profile === 'interrupted' ? { after, ...tl.interrupt(plan[after]!.due + 40, rng.int(90, 180)) } : null;
  // Facilitated days: one every two months from the start (seeds 000, 001); a 'incomplete' student misses one.
  const missedDay =
    profile === 'incomplete' && spec.attendance.facilitatedDaysRequired > 0 ? rng.int(1, 5) : -1;
  for (let d = 0; d < spec.attendance.facilitatedDaysRequired; d++) {
    if (d === missedDay) continue;
    const on = tl.date(d * 61);
    tl.add(on, tutor, 'recordFacilitatedDay', {
      sessionId: `day-${d + 1}`,
      attendedOn: on,
      mode: rng.chance(0.8) ? 'face-to-face' : 'online',
    });
  }
  // seed 003: APL/RPL may replace one module
  let aplModule: string | null = null;
  if (blended && profile !== 'no-qts' && rng.chance(0.12)) {
    const moduleCode = rng.pick(spec.modules).code;
    const claimId = `apl-${index}`;
    const approved = rng.chance(0.8);
    tl.add(tl.date(20), tutor, 'submitAplClaim', {
      claimId,
      moduleCode,
      route: rng.chance(0.5) ? 'APL' : 'RPL',
      submittedOn: tl.date(20),
      evidenceSummary: 'Portfolio of evidence against the module outcomes from an earlier Master’s module',
    });
    tl.add(tl.date(45), registry, 'decideAplClaim', {
      claimId,
      decision: approved ? 'approved' : 'rejected',
      decidedOn: tl.date(45),
      reason: approved ? 'Evidence maps onto every module outcome' : 'Evidence does not reach level 7',
    });
    if (approved) aplModule = moduleCode;
  }
  let lastActivity = end;
  let failedForGood = false;
  for (const [k, { module, start, due }] of plan.entries()) {
    if (module.code === aplModule) continue;
    for (let s = 0; s < module.webexSessions; s++) {
      const sessionId = `webex-${module.code}-${s + 1}`;
      if (rng.chance(0.88)) {
        tl.add(tl.date(start), tutor, 'recordWebexAttendance', {
          sessionId,
          moduleCode: module.code,
          attendedOn: tl.date(start),
        });
        continue;
      }
      // seed 004 Q5: an absence must be reported; the catch-up completes the session
      tl.add(tl.date(start), tutor, 'reportWebexAbsence', {
        sessionId,
        moduleCode: module.code,
        reason: rng.pick(ABSENCE_REASONS),
        reportedOn: tl.date(start),
      });
      // where only an authorised absence may be caught up, registry authorises it first
      if (spec.attendance.catchUpFor === 'authorised-absence')
        tl.add(tl.date(start + 7), registry, 'decideWebexAbsence', {
          sessionId,
          moduleCode: module.code,
          decision: 'authorised',
          decidedOn: tl.date(start + 7),
          reason: 'Unforeseen circumstances, reported on the day',
        });
      if (profile !== 'incomplete' || k > 0)
        tl.add(tl.date(start + 21), tutor, 'completeWebexCatchUp', {
          sessionId,
          moduleCode: module.code,
          completedOn: tl.date(start + 21),
          how: 'Watched the recording and discussed it with the tutor',
        });
    }
    for (let v = 0; v < module.partnerSchoolDays; v++) {
      const halves = rng.chance(0.15) ? 2 : 1;
      for (let h = 0; h < halves; h++) {
        const on = tl.date(start + 14 + v * 12 + h * 4);
        tl.add(on, tutor, 'recordPartnerSchoolVisit', {
          school: { name: `${rng.pick(SCHOOLS)} ${rng.int(1, 60)}` },
          phase: rng.pick(['primary', 'secondary', 'special', 'all-through'] as const),
          visitedOn: on,
          moduleCode: module.code,
          hours: halves === 2 ? 2.5 : 5,
        });
      }
    }
    const first = markModule(tl, module, 1, due, rng.around(64, 22));
    let markDay = first.markDay;
    // A fail is ratified, then resubmitted once (capped at the pass mark)
    const passMark = module.assessment.passMark ?? 50;
    const board = first.mark < passMark ? tl.ratify(markDay) : null;
    if (board) {
      const permitted = tl.dayOf(board.heldOn) + 10;
      // dated when it was permitted, whatever day the command path runs on (its deadline is after it)
      tl.add(tl.date(permitted), registry, 'permitResubmission', {
        moduleCode: module.code,
        deadline: tl.date(permitted + 90),
        // said outright: the command path replays these through the ledger, whose today is not this day
        permittedOn: tl.date(permitted),
      });
      const second = markModule(tl, module, 2, permitted + 60, rng.chance(0.8) ? 58 : 41);
      markDay = second.markDay;
      if (second.mark < passMark) failedForGood = true;
    }
    tl.ratify(markDay);
    lastActivity = Math.max(lastActivity, markDay);
    if (gap && k === gap.after) {
      tl.add(gap.from, registry, 'interruptStudy', {
        from: gap.from,
        expectedReturn: gap.resumeOn,
        reason: 'Maternity leave',
      });
      if (rng.chance(0.15)) return { index, cohort, profile, steps: finish(tl, null) };
      tl.add(gap.resumeOn, registry, 'resumeStudy', { on: gap.resumeOn });
      extendForGap(tl, spec, gap.days, gap.resumeOn);
    }
  }

  // ---- learning outcomes: evidence through the programme, sign-off at the end ----
  const codes = outcomeCodesOf(reference, spec);
  const perOutcome = experienced ? [12, 20] : [3, 6];
  let signDay = end + rng.int(0, 20);
  if (profile === 'slow') {
    // Late sign-offs: after the specification's outcomes limit where it has one
    signDay = experienced ? 400 : spec.programmeId === 'bpn-bathspa' ? 580 : end + 120;
    if (spec.timeLimits.outcomes && rng.chance(0.4)) {
      const base = dayNumber(
        spec.timeLimits.outcomes.from === 'enrolment'
          ? addMonths(cohort.startsOn, spec.timeLimits.outcomes.months ?? 12)
          : addMonths(tl.date(0), spec.timeLimits.outcomes.months ?? 18),
      );
      tl.add(tl.date(200), registry, 'grantExtension', {
        timeLimit: 'outcomes',
        newDeadline: isoOfDay(base + 180),
        reason: 'Extended for a long-term absence of the school’s headteacher',
      });
    }
  }
  for (const code of codes) {
    const n = rng.int(perOutcome[0]!, perOutcome[1]!);
    for (let e = 0; e < n; e++) {
      const on = tl.date(Math.floor(30 + ((signDay - 45) * (e + rng.next())) / n));
      tl.add(on, tutor, 'submitOutcomeEvidence', {
        outcomeCode: code,
        evidence: {
          kind: rng.pick(EVIDENCE_KINDS),
          reference: `portfolio/${code}/${e + 1}.pdf`,
          ...(rng.chance(0.3)
            ? { summary: 'Notes from a provision-mapping meeting with class teachers' }
            : {}),
        },
        submittedOn: on,
      });
    }
    const signedOn = tl.date(signDay + rng.int(0, 10));
    tl.add(signedOn, tutor, 'signOffOutcome', {
      outcomeCode: code,
      evidenceEventIds: (r: StudentRecord) => r.outcomes[code]!.evidence.map((x) => x.eventId),
      signedOffOn: signedOn,
    });
  }
  if (rng.chance(0.03)) {
    // A sign-off revoked on review, then re-evidenced and signed off again
    const code = rng.pick(codes);
    const revoked = signDay + 25;
    tl.add(tl.date(revoked), registry, 'revokeSignOff', {
      signOffEventId: (r: StudentRecord) => r.outcomes[code]!.signOff!.ref.eventId,
      reason: 'The evidence named does not show the outcome at level 7',
      revokedOn: tl.date(revoked),
    });
    tl.add(tl.date(revoked + 20), tutor, 'submitOutcomeEvidence', {
      outcomeCode: code,
      evidence: { kind: 'reflection', reference: `portfolio/${code}/resubmitted.pdf` },
      submittedOn: tl.date(revoked + 20),
    });
    tl.add(tl.date(revoked + 30), tutor, 'signOffOutcome', (r: StudentRecord) => ({
      outcomeCode: code,
      evidenceEventIds: r.outcomes[code]!.evidence.slice(-1).map((x) => x.eventId),
      signedOffOn: tl.date(revoked + 30),
    }));
    signDay = revoked + 30;
  }
  const portfolioDay = signDay + 5;
  for (const p of spec.portfolios.filter((x) => x.required)) {
    if (profile === 'incomplete' && rng.chance(0.5)) continue;
    tl.add(tl.date(portfolioDay), tutor, 'completePortfolio', {
      portfolio: p.code,
      completedOn: tl.date(portfolioDay),
    });
  }
  lastActivity = Math.max(lastActivity, portfolioDay);
  if (spec.viva.required) {
    // seed 002: the viva voce on the Professional Development Portfolio
    const heldOn = tl.date(portfolioDay + 14);
    const outcome = rng.chance(0.88) ? 'pass' : rng.chance(0.5) ? 'referred' : 'fail';
    tl.add(heldOn, tutor, 'recordViva', {
      heldOn,
      outcome,
      examiners: [{ id: tutor.id }, { id: cohort.examinerId }],
    });
    if (outcome === 'referred') {
      const again = tl.date(portfolioDay + 75);
      tl.add(again, tutor, 'recordViva', { heldOn: again, outcome: 'pass', examiners: [{ id: tutor.id }] });
    }
    lastActivity = Math.max(lastActivity, portfolioDay + 75);
  }

  // ---- the award, and what can happen to it afterwards ----
  const awardBoard = boardOnOrAfter(cohort, tl.date(lastActivity + 14));
  if (awardBoard && !failedForGood) {
    tl.add(
      awardBoard.heldOn,
      registry,
      'conferAward',
      { examBoardId: awardBoard.examBoardId, conferredOn: awardBoard.heldOn },
      'not_eligible',
    );
    const after = tl.dayOf(awardBoard.heldOn);
    const corrected = plan.find((p) => p.module.code !== aplModule);
    if (corrected && rng.chance(0.03)) {
      // An admin corrects a ratified mark after the conferral: the eligibility projection flags it for review
      const code = corrected.module.code;
      const on = tl.date(after + 30);
      tl.add(on, ADMIN, 'correctMark', (r: StudentRecord) => {
        if (!standingAward(r)) return null; // the board did not confer it after all
        const chain = chainOf(r, code, r.modules[code]!.length);
        return {
          correctsEventId: chain.headEventId,
          correctedMark: chain.mark > 60 ? chain.mark - 3 : chain.mark + 3,
          reason: 'Transcription error found when the exam-board minutes were checked',
        };
      });
      const next = boardOnOrAfter(cohort, tl.date(after + 45));
      if (next) {
        tl.add(
          next.heldOn,
          registry,
          'ratifyMarks',
          { examBoardId: next.examBoardId, boardDate: next.heldOn },
          'nothing_to_ratify',
        );
        tl.add(next.heldOn, registry, 'resolveAwardReview', (r: StudentRecord) => {
          const award = standingAward(r);
          if (!award) return null;
          return {
            awardEventId: award.ref.eventId,
            note: 'The corrected mark is still a pass: the award stands',
            resolvedOn: next.heldOn,
          };
        });
      }
    }
  }
  if (profile === 'withdrawn') {
    const on = tl.date(rng.int(30, end));
    tl.add(on, registry, 'withdrawStudent', {
      on,
      reason: rng.pick(['Left the SENCO role', 'Moved abroad', 'Workload']),
    });
    const steps = finish(tl, 'withdrawStudent');
    const erasedOn = plusDays(on, 90);
    if (rng.chance(0.25) && erasedOn <= DATA_AS_OF && steps[steps.length - 1]?.name === 'withdrawStudent')
      steps.push({
        on: erasedOn,
        actor: ADMIN,
        name: 'erasePersonalData',
        data: { requestReference: `DSR-${index}`, erasedOn },
      });
    return { index, cohort, profile, steps };
  }
  if (rng.chance(0.01))
    tl.add(tl.date(lastActivity + 200), ADMIN, 'erasePersonalData', {
      requestReference: `DSR-${index}`,
      erasedOn: tl.date(lastActivity + 200),
    });
  return { index, cohort, profile, steps: finish(tl, null) };
}

/** Records a submission (and a plan where the module has one), the mark, and sometimes its moderation and correction. */
function markModule(
  tl: Timeline,
  module: ModuleSpec,
  attempt: number,
  due: number,
  mark: number,
): { mark: number; markDay: number } {
  const { rng, cohort } = tl;
  const code = module.code;
  if (module.assessment.planForFeedback && attempt === 1)
    tl.add(tl.date(due - 60), cohort.tutor, 'submitAssignment', {
      moduleCode: code,
      attempt,
      kind: 'plan',
      submittedOn: tl.date(due - 60),
    });
  const submitted = due - rng.int(0, 10);
  tl.add(tl.date(submitted), cohort.tutor, 'submitAssignment', {
    moduleCode: code,
    attempt,
    kind: 'final',
    submittedOn: tl.date(submitted),
    ...(module.assessment.words ? { wordCount: module.assessment.words - rng.int(0, 300) } : {}),
  });
  let current = Math.max(15, Math.min(92, Math.round(mark)));
  const marked = submitted + rng.int(18, 30);
  tl.add(tl.date(marked), cohort.tutor, 'markAssignment', {
    moduleCode: code,
    attempt,
    mark: current,
    markedOn: tl.date(marked),
  });
  if (rng.chance(0.3)) {
    // Second marking moves the mark a little (never onto the same value, which would record nothing new)
    const moderated = Math.max(0, Math.min(100, current + (rng.chance(0.5) ? 1 : -1) * rng.int(1, 5)));
    const on = tl.date(marked + rng.int(4, 10));
    tl.add(on, cohort.tutor, 'moderateMark', {
      markEventId: (r: StudentRecord) => attemptOf(r, code, attempt)!.markChain!,
      moderatedMark: moderated,
      moderatedOn: on,
      ...(rng.chance(0.5) ? { note: 'Agreed with the first marker after discussion' } : {}),
    });
    current = moderated;
  }
  if (rng.chance(0.04)) {
    // An admin corrects a transcription error before the board
    const corrected = current >= 95 ? current - 2 : current + 2;
    tl.add(tl.date(marked + 14), ADMIN, 'correctMark', {
      correctsEventId: (r: StudentRecord) => chainOf(r, code, attempt).headEventId,
      correctedMark: corrected,
      reason: 'Mark transposed when entered from the mark sheet',
    });
    current = corrected;
  }
  return { mark: current, markDay: marked + 14 };
}

/** An interruption moves the time limits of the specification on by its length. */
function extendForGap(tl: Timeline, spec: ProgrammeSpecification, days: number, on: string): void {
  const start = tl.cohort.startsOn;
  const limits = spec.timeLimits;
  if (limits.outcomes) {
    const base =
      limits.outcomes.from === 'enrolment'
        ? addMonths(start, limits.outcomes.months ?? 12)
        : addMonths(start, limits.outcomes.months ?? 18);
    tl.add(on, tl.cohort.registry, 'grantExtension', {
      timeLimit: 'outcomes',
      newDeadline: plusDays(base, days + 60),
      reason: 'Time limit moved on by the length of the interruption',
    });
  }
  if (limits.assignments) {
    const base = limits.assignments.months
      ? addMonths(start, limits.assignments.months)
      : endOfNthTerm(start, limits.assignments.terms ?? 4);
    tl.add(on, tl.cohort.registry, 'grantExtension', {
      timeLimit: 'assignments',
      newDeadline: plusDays(base, days + 60),
      reason: 'Time limit moved on by the length of the interruption',
    });
  }
}

/** A data object whose fields may be functions of the record becomes one function of the record. */
function resolveNested(data: Step['data']): Step['data'] {
  if (typeof data === 'function' || typeof data !== 'object' || data === null) return data;
  const entries = Object.entries(data as Record<string, unknown>);
  if (!entries.some(([, v]) => typeof v === 'function')) return data;
  return (r: StudentRecord) =>
    Object.fromEntries(
      entries.map(([k, v]) => [k, typeof v === 'function' ? (v as (r: StudentRecord) => unknown)(r) : v]),
    );
}

/** Orders the steps by date (stably: same-day steps keep the order they were planned in), then cuts the
 *  history at DATA_AS_OF and, for a withdrawal, at the withdrawal. */
function finish(tl: Timeline, terminal: CommandName | null): Step[] {
  const ordered = tl.steps
    .map((s) => ({ ...s, data: resolveNested(s.data) }))
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const out: Step[] = [];
  for (const step of ordered) {
    if (step.on > DATA_AS_OF) break;
    out.push(step);
    if (terminal && step.name === terminal) break;
    if (step.name === 'interruptStudy' && !ordered.some((s) => s.name === 'resumeStudy')) break;
  }
  return out;
}
