import { createHash } from 'node:crypto';
import { addMonths, endOfNthTerm } from './calendar.ts';
import { type CreditLedger, creditLedger, type ModuleStanding } from './credits.ts';
import type { OutcomeFramework } from './outcomes/schema.ts';
import { outcomeCodes } from './outcomes/schema.ts';
import type { ProgrammeSpecification } from './programmes/schema.ts';
import type { EventRef, StudentRecord } from './student-record.ts';

// The award rules. Each rule is a small named function that returns its outcome together with the
// figures and the events it used; the decision is assembled from those results and nothing else, so
// the explanation a registry officer reads is the computation itself.

export type RuleOutcome = 'met' | 'not-met' | 'failed' | 'lapsed' | 'fallback' | 'not-applicable';
export type DecisionOutcome =
  | 'national-award'
  | 'fallback-certificate'
  | 'not-yet-eligible'
  | 'failed'
  | 'withdrawn'
  | 'lapsed';

export type Figure = string | number | boolean | null;

export interface RuleResult {
  rule: string;
  title: string;
  source: string;
  outcome: RuleOutcome;
  reason: string;
  figures: Record<string, Figure>;
  outstanding: string[];
  events: EventRef[];
}

export interface Decision {
  studentId: string;
  outcome: DecisionOutcome;
  award: 'national-award' | 'fallback-certificate' | null;
  title: string | null;
  summary: string;
  specification: { programmeId: string; version: number; title: string };
  framework: { frameworkId: string; version: number };
  evaluatedOn: string;
  asOf: { position: bigint; streamRevision: bigint };
  rules: RuleResult[];
  outstanding: string[];
  credits: CreditLedger;
  digest: string;
}

export interface RuleContext {
  record: StudentRecord;
  spec: ProgrammeSpecification;
  framework: OutcomeFramework;
  /** The London date the decision is evaluated on (time limits are judged against it). */
  on: string;
  credits: CreditLedger;
}

// SI 2024/535: the National Award counts only for courses started before 1 September 2024 and
// completed before 1 September 2027 (learning-outcomes.md).
export const TRANSITION_START_BEFORE = '2024-09-01';
export const TRANSITION_COMPLETE_BEFORE = '2027-09-01';

function result(
  rule: string,
  title: string,
  source: string,
  outcome: RuleOutcome,
  reason: string,
  figures: Record<string, Figure> = {},
  events: (EventRef | null | undefined)[] = [],
  outstanding: string[] = [],
): RuleResult {
  return {
    rule,
    title,
    source,
    outcome,
    reason,
    figures,
    outstanding,
    events: events.filter((e): e is EventRef => !!e),
  };
}

export function enrolmentRule({ record, spec }: RuleContext): RuleResult {
  const e = record.enrolment;
  const title = 'Enrolled on a programme specification';
  if (!e)
    return result(
      'enrolment',
      title,
      'domain: an application is not a place',
      'not-met',
      'The student is not enrolled on a cohort.',
      {},
      [record.application?.ref],
      ['Enrol the student on a cohort'],
    );
  return result(
    'enrolment',
    title,
    'domain: evaluated against the specification version enrolled on',
    'met',
    `Enrolled on ${spec.programmeId} version ${spec.version} (cohort ${e.cohortId}) on ${e.enrolledOn}.`,
    {
      cohortId: e.cohortId,
      programmeId: spec.programmeId,
      specVersion: spec.version,
      enrolledOn: e.enrolledOn,
    },
    [e.ref],
  );
}

export function entryEvidenceRule({ record }: RuleContext): RuleResult {
  const title = 'Entry evidence: role confirmation, eligibility and induction';
  const source = 'seed 000 entry requirements; seed 004 Q1, Q4';
  const outstanding: string[] = [];
  if (!record.role)
    outstanding.push('Record the governing body confirmation of the SENCO role or the headteacher support');
  if (!record.eligibility) outstanding.push('Record the eligibility assessment');
  else if (!record.eligibility.eligible)
    outstanding.push('The eligibility assessment found the applicant not eligible');
  // seed 000: statutory induction must be complete where QTS was gained from July 1999 on
  const inductionNeeded =
    !!record.qts?.awardedOn && record.qts.awardedOn >= '1999-07-01' && record.qts.status === 'QTS';
  if (inductionNeeded && record.qts!.inductionCompleted !== true)
    outstanding.push('Evidence completion of statutory induction (QTS gained from July 1999)');
  const figures = {
    roleBasis: record.role?.basis ?? null,
    eligible: record.eligibility?.eligible ?? null,
    inductionNeeded,
    inductionCompleted: record.qts?.inductionCompleted ?? null,
  };
  const events = [record.role?.ref, record.eligibility?.ref, record.qts?.ref];
  if (outstanding.length)
    return result(
      'entry-evidence',
      title,
      source,
      'not-met',
      outstanding.join('; ') + '.',
      figures,
      events,
      outstanding,
    );
  return result(
    'entry-evidence',
    title,
    source,
    'met',
    'Role confirmation and eligibility are recorded; induction is satisfied or not needed.',
    figures,
    events,
  );
}

export function qtsRule({ record, spec }: RuleContext): RuleResult {
  const title = 'Qualified teacher status';
  const source = 'seed 004 Q9; seed 001: QTS or QTLS needed for the Award';
  const q = record.qts;
  if (!q)
    return result(
      'qualified-teacher-status',
      title,
      source,
      'not-met',
      'No QTS evidence is recorded.',
      {},
      [],
      ['Record the QTS evidence (QTS, QTLS or none) with the teacher reference number'],
    );
  const figures = { status: q.status, trnChecked: q.trnChecked, fallbackTitle: spec.awards.withoutQts };
  if (q.status !== 'none') {
    if (!q.trnChecked)
      return result(
        'qualified-teacher-status',
        title,
        source,
        'not-met',
        `${q.status} is claimed but the teacher reference number has not been checked.`,
        figures,
        [q.ref],
        ['Check the 7-digit teacher reference number'],
      );
    return result(
      'qualified-teacher-status',
      title,
      source,
      'met',
      `${q.status} held and the teacher reference number was checked.`,
      figures,
      [q.ref],
    );
  }
  if (spec.awards.withoutQts)
    return result(
      'qualified-teacher-status',
      title,
      source,
      'fallback',
      `No QTS: on completion the student receives the ${spec.awards.withoutQts}, not the National Award.`,
      figures,
      [q.ref],
    );
  return result(
    'qualified-teacher-status',
    title,
    source,
    'failed',
    'No QTS, and this programme offers no award without it.',
    figures,
    [q.ref],
  );
}

export function creditsRule({ spec, credits }: RuleContext): RuleResult {
  const title = `${spec.totalCredits} Master's-level credits`;
  const source = 'seeds 000, 001, 003: 60 credits at level 7; ratified marks only';
  const events = credits.modules.flatMap((m) => m.events);
  const figures: Record<string, Figure> = {
    earned: credits.earned,
    required: credits.required,
    earnedIncludingProvisional: credits.earnedIncludingProvisional,
  };
  for (const m of credits.modules) {
    const last = m.attempts[m.attempts.length - 1];
    figures[`${m.moduleCode}.status`] = m.status;
    figures[`${m.moduleCode}.mark`] = last?.effectiveMark ?? null;
  }
  const failed = credits.modules.filter((m) => m.required && m.status === 'failed');
  if (failed.length)
    return result(
      'credits',
      title,
      source,
      'failed',
      `Failed on the last attempt allowed: ${failed.map((m) => `${m.moduleCode} (${m.attempts[m.attempts.length - 1]?.effectiveMark})`).join(', ')}.`,
      figures,
      events,
    );
  const missingRequired = credits.modules.filter(
    (m) => m.required && m.status !== 'passed' && m.status !== 'apl-approved',
  );
  if (credits.earned >= credits.required && missingRequired.length === 0)
    return result(
      'credits',
      title,
      source,
      'met',
      `${credits.earned} of ${credits.required} credits earned from ratified passes and approved APL/RPL.`,
      figures,
      events,
    );
  const outstanding = (
    missingRequired.length
      ? missingRequired
      : credits.modules.filter((m) => m.status !== 'passed' && m.status !== 'apl-approved')
  ).map(describeModuleNeed);
  return result(
    'credits',
    title,
    source,
    'not-met',
    `${credits.earned} of ${credits.required} credits ratified (${credits.earnedIncludingProvisional} counting provisional passes).`,
    figures,
    events,
    outstanding,
  );
}

function describeModuleNeed({ moduleCode: code, status, attempts }: ModuleStanding): string {
  const due = attempts[attempts.length - 1]?.dueBy;
  switch (status) {
    case 'passed-provisional':
      return `${code}: pass awaiting exam-board ratification`;
    case 'marked-provisional':
      return `${code}: fail awaiting exam-board ratification`;
    case 'resubmission-available':
      return `${code}: resubmission available`;
    case 'resubmission-permitted':
      return `${code}: resubmission permitted${due ? `, due by ${due}` : ''}, not yet submitted`;
    case 'submitted':
      return `${code}: submitted, awaiting a mark`;
    default:
      return `${code}: not yet submitted`;
  }
}

export function aplCapRule({ record, spec, credits }: RuleContext): RuleResult {
  const claims = Object.values(record.aplClaims);
  const approved = claims.filter((c) => c.decision?.decision === 'approved');
  const figures = {
    approved: approved.length,
    counted: credits.aplModulesCounted,
    cap: spec.priorLearning.maxModules,
  };
  const events = claims.flatMap((c) => [c.submitted, c.decision?.ref]);
  const title = 'APL/RPL within the cap';
  if (claims.length === 0)
    return result(
      'apl-cap',
      title,
      spec.priorLearning.source,
      'not-applicable',
      'No APL/RPL claim was made.',
      figures,
    );
  if (approved.length > spec.priorLearning.maxModules)
    return result(
      'apl-cap',
      title,
      spec.priorLearning.source,
      'met',
      `${approved.length} claims approved; only ${spec.priorLearning.maxModules} counted, the cap.`,
      figures,
      events,
    );
  return result(
    'apl-cap',
    title,
    spec.priorLearning.source,
    'met',
    `${approved.length} of at most ${spec.priorLearning.maxModules} modules replaced by APL/RPL.`,
    figures,
    events,
  );
}

export function webexRule({ record, spec, credits }: RuleContext): RuleResult {
  const title = 'WebEx attendance';
  const a = spec.attendance;
  if (a.webexRule === 'none')
    return result(
      'webex-attendance',
      title,
      a.source,
      'not-applicable',
      'This programme has no WebEx attendance rule.',
    );
  const aplModules = new Set(
    credits.modules.filter((m) => m.status === 'apl-approved').map((m) => m.moduleCode),
  );
  const outstanding: string[] = [];
  const events: (EventRef | null)[] = [];
  let required = 0;
  let satisfied = 0;
  let caughtUp = 0;
  for (const module of spec.modules) {
    if (module.webexSessions === 0 || aplModules.has(module.code)) continue;
    required += module.webexSessions;
    const sessions = Object.values(record.webex).filter((s) => s.moduleCode === module.code);
    let ok = 0;
    let awaitingCatchUp = 0;
    for (const s of sessions) {
      events.push(s.attended, s.absence?.ref ?? null, s.catchUp);
      if (s.attended) ok++;
      // seed 004 Q5: an absence must be reported; the catch-up that follows completes the session
      else if (s.absence && s.catchUp && a.catchUpAfterReportedAbsence) {
        ok++;
        caughtUp++;
      } else if (s.absence) awaitingCatchUp++;
    }
    satisfied += Math.min(ok, module.webexSessions);
    if (ok < module.webexSessions)
      outstanding.push(
        awaitingCatchUp > 0 && a.catchUpAfterReportedAbsence
          ? `${module.code}: complete the catch-up for the reported WebEx absence`
          : `${module.code}: attend the WebEx session (or report the absence and complete the catch-up)`,
      );
  }
  const figures = { required, satisfied, byCatchUp: caughtUp, modulesReplacedByApl: aplModules.size };
  if (satisfied >= required)
    return result(
      'webex-attendance',
      title,
      a.source,
      'met',
      `${satisfied} of ${required} WebEx sessions attended or caught up after a reported absence.`,
      figures,
      events,
    );
  return result(
    'webex-attendance',
    title,
    a.source,
    'not-met',
    `${satisfied} of ${required} WebEx sessions satisfied: 100% attendance is required.`,
    figures,
    events,
    outstanding,
  );
}

export function facilitatedDaysRule({ record, spec }: RuleContext): RuleResult {
  const a = spec.attendance;
  const title = 'Facilitated (taught) days';
  if (a.facilitatedDaysRequired === 0)
    return result('facilitated-days', title, a.source, 'not-applicable', 'No facilitated days are required.');
  const days = Object.values(record.facilitatedDays);
  const figures = {
    attended: days.length,
    required: a.facilitatedDaysRequired,
    recommendedStudyDays: a.recommendedStudyDays,
  };
  const events = days.map((d) => d.ref);
  if (days.length >= a.facilitatedDaysRequired)
    return result(
      'facilitated-days',
      title,
      a.source,
      'met',
      `${days.length} of ${a.facilitatedDaysRequired} facilitated days attended.`,
      figures,
      events,
    );
  return result(
    'facilitated-days',
    title,
    a.source,
    'not-met',
    `${days.length} of ${a.facilitatedDaysRequired} facilitated days attended.`,
    figures,
    events,
    [`Attend ${a.facilitatedDaysRequired - days.length} more facilitated day(s)`],
  );
}

export function partnerSchoolRule({ record, spec, credits }: RuleContext): RuleResult {
  const title = 'Partner-school days';
  const source = spec.partnerSchool.source;
  if (spec.partnerSchool.totalDays === 0)
    return result('partner-school', title, source, 'not-applicable', 'No partner-school days are required.');
  const aplModules = new Set(
    credits.modules.filter((m) => m.status === 'apl-approved').map((m) => m.moduleCode),
  );
  const outstanding: string[] = [];
  const figures: Record<string, Figure> = {};
  let required = 0;
  for (const module of spec.modules) {
    if (aplModules.has(module.code)) continue;
    const count = record.visits.filter((v) => v.moduleCode === module.code).length;
    figures[`${module.code}.days`] = count;
    figures[`${module.code}.required`] = module.partnerSchoolDays;
    required += module.partnerSchoolDays;
    if (count < module.partnerSchoolDays)
      outstanding.push(`${module.code}: ${module.partnerSchoolDays - count} more partner-school day(s)`);
  }
  const counted = record.visits.filter((v) => !aplModules.has(v.moduleCode)).length;
  figures.total = counted;
  figures.totalRequired = required;
  const events = record.visits.map((v) => v.ref);
  if (outstanding.length === 0)
    return result(
      'partner-school',
      title,
      source,
      'met',
      `${counted} partner-school days recorded; each module's requirement is met.`,
      figures,
      events,
    );
  return result(
    'partner-school',
    title,
    source,
    'not-met',
    `${counted} of ${required} partner-school days recorded.`,
    figures,
    events,
    outstanding,
  );
}

/** The outcomes deadline, or null while its starting point is not yet known. */
export interface Deadline {
  deadline: string;
  from: string;
  extended: boolean;
}

/** A time limit of the specification for this student, extended if registry granted it; null until it starts. */
export function timeLimitDeadline(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  which: 'outcomes' | 'assignments',
): Deadline | null {
  const limit = spec.timeLimits[which];
  if (!limit) return null;
  const start = limitStart(record, limit.from);
  if (!start) return null;
  const base = limit.months ? addMonths(start, limit.months) : endOfNthTerm(start, limit.terms ?? 1);
  const ext = record.extensions[which]?.newDeadline;
  return ext && ext > base
    ? { deadline: ext, from: start, extended: true }
    : { deadline: base, from: start, extended: false };
}

export const outcomesDeadline = (record: StudentRecord, spec: ProgrammeSpecification) =>
  timeLimitDeadline(record, spec, 'outcomes');
export const assignmentsDeadline = (record: StudentRecord, spec: ProgrammeSpecification) =>
  timeLimitDeadline(record, spec, 'assignments');

function limitStart(
  record: StudentRecord,
  from: 'first-facilitated-day' | 'enrolment' | 'registration-term',
): string | null {
  if (from === 'first-facilitated-day') {
    const days = Object.values(record.facilitatedDays)
      .map((d) => d.attendedOn)
      .sort();
    return days[0] ?? null;
  }
  return record.enrolment?.enrolledOn ?? null;
}

export function outcomesRule({ record, spec, framework, on }: RuleContext): RuleResult {
  const title = 'Every learning outcome signed off';
  const source = `framework ${framework.frameworkId} v${framework.version}; ${spec.timeLimits.outcomes?.source ?? 'no time limit in this specification'}`;
  const codes = outcomeCodes(framework);
  const limit = outcomesDeadline(record, spec);
  const events: EventRef[] = [];
  const missing: string[] = [];
  const late: string[] = [];
  for (const code of codes) {
    const o = record.outcomes[code];
    const signOff = o?.signOff;
    if (o) for (const r of o.revocations) events.push(r.ref);
    if (!signOff || signOff.frameworkVersion !== framework.version) {
      missing.push(code);
      continue;
    }
    events.push(signOff.ref);
    if (limit && signOff.signedOffOn > limit.deadline) late.push(`${code} (${signOff.signedOffOn})`);
  }
  const figures: Record<string, Figure> = {
    signedOff: codes.length - missing.length,
    required: codes.length,
    deadline: limit?.deadline ?? null,
    deadlineExtended: limit?.extended ?? false,
    evaluatedOn: on,
  };
  if (limit?.extended) events.push(record.extensions.outcomes!.ref);
  if (late.length)
    return result(
      'learning-outcomes',
      title,
      source,
      'lapsed',
      `Signed off after the time limit of ${limit!.deadline}: ${late.join(', ')}.`,
      figures,
      events,
    );
  if (missing.length === 0)
    return result(
      'learning-outcomes',
      title,
      source,
      'met',
      `All ${codes.length} outcomes signed off by an assessor${limit ? ` within the limit of ${limit.deadline}` : ''}.`,
      figures,
      events,
    );
  if (limit && on > limit.deadline)
    return result(
      'learning-outcomes',
      title,
      source,
      'lapsed',
      `The time limit of ${limit.deadline} has passed with ${missing.length} outcome(s) not signed off: ${missing.join(', ')}.`,
      figures,
      events,
    );
  return result(
    'learning-outcomes',
    title,
    source,
    'not-met',
    `${codes.length - missing.length} of ${codes.length} outcomes signed off.`,
    figures,
    events,
    missing.map((c) => `Sign off outcome ${c}`),
  );
}

export function portfolioRule({ record, spec }: RuleContext): RuleResult {
  const required = spec.portfolios.filter((p) => p.required);
  const title = 'Portfolio complete';
  if (required.length === 0)
    return result('portfolio', title, 'specification', 'not-applicable', 'No portfolio is required.');
  const missing = required.filter((p) => !record.portfolios[p.code]);
  const events = required.map((p) => record.portfolios[p.code]?.ref);
  const figures = Object.fromEntries(
    required.map((p) => [p.code, record.portfolios[p.code]?.completedOn ?? null]),
  );
  if (missing.length === 0)
    return result(
      'portfolio',
      title,
      spec.sources.join(', '),
      'met',
      `Completed: ${required.map((p) => p.title).join('; ')}.`,
      figures,
      events,
    );
  return result(
    'portfolio',
    title,
    spec.sources.join(', '),
    'not-met',
    `Not yet completed: ${missing.map((p) => p.title).join('; ')}.`,
    figures,
    events,
    missing.map((p) => `Complete the ${p.title}`),
  );
}

export function vivaRule({ record, spec }: RuleContext): RuleResult {
  const title = 'Viva voce passed';
  if (!spec.viva.required)
    return result('viva', title, spec.viva.source, 'not-applicable', 'This route has no viva.');
  const v = record.viva;
  if (!v)
    return result(
      'viva',
      title,
      spec.viva.source,
      'not-met',
      'No viva has been held.',
      {},
      [],
      ['Hold the viva on the Professional Development Portfolio'],
    );
  const figures = { heldOn: v.heldOn, outcome: v.outcome };
  if (v.outcome === 'pass')
    return result('viva', title, spec.viva.source, 'met', `Viva passed on ${v.heldOn}.`, figures, [v.ref]);
  if (v.outcome === 'fail')
    return result('viva', title, spec.viva.source, 'failed', `Viva failed on ${v.heldOn}.`, figures, [v.ref]);
  return result(
    'viva',
    title,
    spec.viva.source,
    'not-met',
    `Viva on ${v.heldOn} referred the student for further evidence.`,
    figures,
    [v.ref],
    ['Hold the referred viva again'],
  );
}

export function assignmentsTimeLimitRule({ record, spec, credits, on }: RuleContext): RuleResult {
  const title = 'Assignments within the time limit';
  const limit = assignmentsDeadline(record, spec);
  const source = spec.timeLimits.assignments?.source ?? 'no time limit in this specification';
  if (!spec.timeLimits.assignments)
    return result(
      'assignments-time-limit',
      title,
      source,
      'not-applicable',
      'This specification sets no time limit for assignments.',
    );
  if (!limit)
    return result(
      'assignments-time-limit',
      title,
      source,
      'not-met',
      'The time limit starts at enrolment, which is not recorded.',
      {},
      [],
      ['Enrol the student'],
    );
  const late: string[] = [];
  const events: EventRef[] = [];
  for (const m of credits.modules) {
    for (const attempt of record.modules[m.moduleCode] ?? []) {
      for (const s of attempt.submissions) {
        if (s.kind !== 'final') continue;
        events.push(s.ref);
        if (s.submittedOn > limit.deadline)
          late.push(`${m.moduleCode} attempt ${attempt.attempt} (${s.submittedOn})`);
      }
    }
  }
  if (limit.extended) events.push(record.extensions.assignments!.ref);
  const figures = { deadline: limit.deadline, from: limit.from, extended: limit.extended, evaluatedOn: on };
  if (late.length)
    return result(
      'assignments-time-limit',
      title,
      source,
      'lapsed',
      `Submitted after the limit of ${limit.deadline}: ${late.join(', ')}.`,
      figures,
      events,
    );
  const complete = credits.earnedIncludingProvisional >= credits.required;
  if (!complete && on > limit.deadline)
    return result(
      'assignments-time-limit',
      title,
      source,
      'lapsed',
      `The limit of ${limit.deadline} passed before the assignments were complete.`,
      figures,
      events,
    );
  return result(
    'assignments-time-limit',
    title,
    source,
    'met',
    `Every final submission so far is within the limit of ${limit.deadline}.`,
    figures,
    events,
  );
}

export function transitionRule({ record, on }: RuleContext, qts: RuleResult): RuleResult {
  const title = 'National Award transition (SI 2024/535)';
  const source = 'SI 2024/535: course started before 1 September 2024 and completed before 1 September 2027';
  if (qts.outcome === 'fallback')
    return result(
      'national-award-transition',
      title,
      source,
      'not-applicable',
      'The fallback certificate is not the statutory award.',
    );
  const started = record.enrolment?.enrolledOn ?? null;
  const figures = {
    startedOn: started,
    startBefore: TRANSITION_START_BEFORE,
    completeBefore: TRANSITION_COMPLETE_BEFORE,
    evaluatedOn: on,
  };
  if (!started)
    return result(
      'national-award-transition',
      title,
      source,
      'not-met',
      'The course has not started.',
      figures,
      [],
      ['Enrol the student before 1 September 2024'],
    );
  if (started >= TRANSITION_START_BEFORE)
    return result(
      'national-award-transition',
      title,
      source,
      'failed',
      `The course started on ${started}, on or after 1 September 2024: the NPQ for SENCOs replaced the National Award.`,
      figures,
      [record.enrolment!.ref],
    );
  if (on >= TRANSITION_COMPLETE_BEFORE)
    return result(
      'national-award-transition',
      title,
      source,
      'lapsed',
      `Not completed before 1 September 2027 (evaluated on ${on}).`,
      figures,
      [record.enrolment!.ref],
    );
  return result(
    'national-award-transition',
    title,
    source,
    'met',
    `Started on ${started}; must be completed before 1 September 2027.`,
    figures,
    [record.enrolment!.ref],
  );
}

export function statusRule({ record }: RuleContext): RuleResult {
  const title = 'Studying (not interrupted or withdrawn)';
  if (record.withdrawal)
    return result(
      'status',
      title,
      'domain',
      'failed',
      `Withdrew on ${record.withdrawal.on}: ${record.withdrawal.reason}`,
      { withdrawnOn: record.withdrawal.on },
      [record.withdrawal.ref],
    );
  if (record.interruption)
    return result(
      'status',
      title,
      'domain',
      'not-met',
      `Study interrupted from ${record.interruption.from}.`,
      { interruptedFrom: record.interruption.from },
      [record.interruption.ref],
      ['Resume study after the interruption'],
    );
  return result('status', title, 'domain', 'met', 'The student is studying.');
}

/** Evaluates every rule and assembles the decision from their results. */
export function decideAward(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  framework: OutcomeFramework,
  on: string,
): Decision {
  const credits = creditLedger(record, spec);
  const ctx: RuleContext = { record, spec, framework, on, credits };
  const qts = qtsRule(ctx);
  const rules = [
    statusRule(ctx),
    enrolmentRule(ctx),
    entryEvidenceRule(ctx),
    qts,
    transitionRule(ctx, qts),
    creditsRule(ctx),
    aplCapRule(ctx),
    assignmentsTimeLimitRule(ctx),
    webexRule(ctx),
    facilitatedDaysRule(ctx),
    partnerSchoolRule(ctx),
    outcomesRule(ctx),
    portfolioRule(ctx),
    vivaRule(ctx),
  ];
  let outcome: DecisionOutcome;
  if (record.withdrawal) outcome = 'withdrawn';
  else if (rules.some((r) => r.outcome === 'failed')) outcome = 'failed';
  else if (rules.some((r) => r.outcome === 'lapsed')) outcome = 'lapsed';
  else if (rules.some((r) => r.outcome === 'not-met')) outcome = 'not-yet-eligible';
  else outcome = qts.outcome === 'fallback' ? 'fallback-certificate' : 'national-award';
  const award = outcome === 'national-award' || outcome === 'fallback-certificate' ? outcome : null;
  const title =
    outcome === 'national-award'
      ? spec.awards.nationalAward
      : outcome === 'fallback-certificate'
        ? spec.awards.withoutQts
        : null;
  const outstanding = rules.flatMap((r) => r.outstanding);
  const decided = rules.filter((r) => r.outcome === 'failed' || r.outcome === 'lapsed').map((r) => r.reason);
  const summary =
    award !== null
      ? `Eligible for the ${title}.`
      : outcome === 'not-yet-eligible'
        ? `Not yet eligible: ${outstanding.length} thing(s) outstanding.`
        : `${outcome[0]!.toUpperCase()}${outcome.slice(1)}: ${decided.join(' ')}`;
  const partial = {
    studentId: record.studentId,
    outcome,
    award,
    title,
    summary,
    specification: { programmeId: spec.programmeId, version: spec.version, title: spec.title },
    framework: { frameworkId: framework.frameworkId, version: framework.version },
    evaluatedOn: on,
    asOf: { position: record.lastPosition, streamRevision: record.revision },
    rules,
    outstanding,
    credits,
  };
  return { ...partial, digest: decisionDigest(partial) };
}

/** A digest of what was decided and why: the outcome, each rule's outcome and figures, and its events. */
export function decisionDigest(d: Omit<Decision, 'digest' | 'asOf' | 'credits' | 'summary'>): string {
  const canonical = JSON.stringify({
    outcome: d.outcome,
    title: d.title,
    specification: [d.specification.programmeId, d.specification.version],
    framework: [d.framework.frameworkId, d.framework.version],
    evaluatedOn: d.evaluatedOn,
    rules: d.rules.map((r) => [r.rule, r.outcome, r.figures, r.events.map((e) => e.eventId)]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
