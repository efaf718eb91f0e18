import type { DomainEvent } from '../../events/index.ts';
import { refused } from '../errors.ts';
import type { Actor } from '../store/port.ts';
import { AFTER_WITHDRAWAL, type Command, DURING_INTERRUPTION } from './commands.ts';
import { creditLedger } from './credits.ts';
import { outcomeCodes } from './outcomes/schema.ts';
import type { ProgrammeSpecification } from './programmes/schema.ts';
import type { ReferenceData } from './reference-data.ts';
import { decideAward } from './rules.ts';
import { type StudentRecord, standingAward } from './student-record.ts';

// The decider: given a student's record and a command, the events to append, or a refusal with a
// stable code and a reason. Pure: the clock (today), the actor and the reference data come in as
// arguments, and nothing here reads the store.

export interface CohortView {
  cohortId: string;
  programmeId: string;
  specVersion: number;
  sessions: {
    sessionId: string;
    kind: 'webex' | 'facilitated-day';
    moduleCode: string | null;
    date: string;
  }[];
  examBoards: { examBoardId: string; heldOn: string }[];
}

export interface DecideContext {
  actor: Actor;
  /** Today's London date: the date the decision is made on. */
  today: string;
  reference: ReferenceData;
  cohort: (cohortId: string) => CohortView | undefined;
}

export interface Decided {
  event: DomainEvent;
  /** The London date the fact happened on (becomes the occurred-at of its metadata). */
  occurredOn: string;
}

const one = (event: DomainEvent, occurredOn: string): Decided[] => [{ event, occurredOn }];

export function specOf(record: StudentRecord, reference: ReferenceData): ProgrammeSpecification {
  const e = record.enrolment;
  if (!e) throw refused('not_enrolled', 'the student is not enrolled on a cohort yet');
  return reference.specification(e.programmeId, e.specVersion);
}

function requireModule(spec: ProgrammeSpecification, moduleCode: string) {
  const module = spec.modules.find((m) => m.code === moduleCode);
  if (!module)
    throw refused(
      'module_not_on_programme',
      `module ${moduleCode} is not on ${spec.programmeId} version ${spec.version} (its modules: ${spec.modules.map((m) => m.code).join(', ')})`,
      { moduleCode },
    );
  return module;
}

function requireSession(
  record: StudentRecord,
  ctx: DecideContext,
  sessionId: string,
  kind: 'webex' | 'facilitated-day',
  moduleCode: string | null,
) {
  const cohort = record.enrolment ? ctx.cohort(record.enrolment.cohortId) : undefined;
  if (!cohort || cohort.sessions.length === 0) return; // a cohort that lists no sessions accepts any
  const session = cohort.sessions.find((s) => s.sessionId === sessionId);
  if (!session || session.kind !== kind)
    throw refused('unknown_session', `cohort ${cohort.cohortId} has no ${kind} session ${sessionId}`, {
      sessionId,
    });
  if (moduleCode !== null && session.moduleCode !== null && session.moduleCode !== moduleCode)
    throw refused(
      'session_module_mismatch',
      `session ${sessionId} belongs to module ${session.moduleCode}, not ${moduleCode}`,
    );
}

function guardStatus(record: StudentRecord | null, command: Command): asserts record is StudentRecord {
  if (!record) throw refused('unknown_student', 'there is no such student: submit an application first');
  if (record.withdrawal && !AFTER_WITHDRAWAL.has(command.name))
    throw refused(
      'student_withdrawn',
      `the student withdrew on ${record.withdrawal.on}: nothing more can be recorded`,
      {
        withdrawnOn: record.withdrawal.on,
      },
    );
  if (record.interruption && !DURING_INTERRUPTION.has(command.name))
    throw refused(
      'study_interrupted',
      `study is interrupted from ${record.interruption.from}: resume it first`,
    );
}

export function decide(record: StudentRecord | null, command: Command, ctx: DecideContext): Decided[] {
  if (command.name === 'submitApplication') {
    if (record) throw refused('student_exists', 'this student already has a record');
    const d = command.data;
    if (!ctx.reference.latestSpecification(d.programmeId))
      throw refused('unknown_programme', `no programme ${d.programmeId} is published`, {
        programmeId: d.programmeId,
      });
    return one({ type: 'ApplicationSubmitted', data: { ...d } }, d.submittedOn);
  }
  guardStatus(record, command);
  const r = record;
  switch (command.name) {
    case 'recordQtsEvidence':
      return one({ type: 'QtsEvidenceRecorded', data: command.data }, command.data.checkedOn ?? ctx.today);
    case 'confirmSencoRole':
      return one({ type: 'SencoRoleConfirmed', data: command.data }, command.data.confirmedOn);
    case 'recordSencoAppointment':
      return one(
        { type: 'SencoAppointmentRecorded', data: command.data },
        command.data.recordedOn ?? ctx.today,
      );
    case 'assessEligibility':
      return one({ type: 'EligibilityAssessed', data: command.data }, command.data.assessedOn ?? ctx.today);
    case 'offerPlace': {
      const { cohortId, offeredOn } = command.data;
      const cohort = ctx.cohort(cohortId);
      if (!cohort) throw refused('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
      if (!r.eligibility?.eligible)
        throw refused(
          'not_assessed_eligible',
          'a place is offered only after the application is assessed as eligible (seed 004 Q4)',
        );
      if (cohort.programmeId !== r.application?.programmeId)
        throw refused(
          'cohort_programme_mismatch',
          `cohort ${cohortId} runs ${cohort.programmeId}, but the application is for ${r.application?.programmeId}`,
        );
      if (r.enrolment)
        throw refused('already_enrolled', `already enrolled on cohort ${r.enrolment.cohortId}`);
      return one({ type: 'PlaceOffered', data: { cohortId, offeredOn } }, offeredOn);
    }
    case 'enrol': {
      const { cohortId, enrolledOn } = command.data;
      if (r.enrolment)
        throw refused('already_enrolled', `already enrolled on cohort ${r.enrolment.cohortId}`);
      if (r.offer?.cohortId !== cohortId)
        throw refused('no_place_offered', `no place on cohort ${cohortId} has been offered to this student`);
      const cohort = ctx.cohort(cohortId);
      if (!cohort) throw refused('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
      const spec = ctx.reference.specification(cohort.programmeId, cohort.specVersion);
      return one(
        {
          type: 'StudentEnrolled',
          data: {
            cohortId,
            programmeId: spec.programmeId,
            specVersion: spec.version,
            frameworkId: spec.outcomes.frameworkId,
            frameworkVersion: spec.outcomes.frameworkVersion,
            enrolledOn,
          },
        },
        enrolledOn,
      );
    }
    case 'assignMentor':
      return one({ type: 'MentorAssigned', data: command.data }, command.data.assignedOn);
    case 'completeNeedsAnalysis':
      return one({ type: 'NeedsAnalysisCompleted', data: command.data }, command.data.completedOn);
    case 'recordWebexAttendance': {
      const spec = specOf(r, ctx.reference);
      requireModule(spec, command.data.moduleCode);
      requireSession(r, ctx, command.data.sessionId, 'webex', command.data.moduleCode);
      const session = r.webex[command.data.sessionId];
      if (session?.attended)
        throw refused('already_recorded', `attendance at ${command.data.sessionId} is already recorded`);
      if (session?.absence)
        throw refused(
          'absence_reported',
          `an absence from ${command.data.sessionId} was reported: record the catch-up instead`,
        );
      return one({ type: 'WebexSessionAttended', data: command.data }, command.data.attendedOn);
    }
    case 'reportWebexAbsence': {
      const spec = specOf(r, ctx.reference);
      requireModule(spec, command.data.moduleCode);
      requireSession(r, ctx, command.data.sessionId, 'webex', command.data.moduleCode);
      if (r.webex[command.data.sessionId]?.attended)
        throw refused(
          'already_attended',
          `the student attended ${command.data.sessionId}; there is no absence to report`,
        );
      return one({ type: 'WebexAbsenceReported', data: command.data }, command.data.reportedOn);
    }
    case 'completeWebexCatchUp': {
      const spec = specOf(r, ctx.reference);
      requireModule(spec, command.data.moduleCode);
      if (!r.webex[command.data.sessionId]?.absence)
        throw refused(
          'no_reported_absence',
          `no absence from ${command.data.sessionId} was reported, so there is nothing to catch up`,
        );
      return one({ type: 'WebexCatchUpCompleted', data: command.data }, command.data.completedOn);
    }
    case 'recordFacilitatedDay': {
      specOf(r, ctx.reference);
      requireSession(r, ctx, command.data.sessionId, 'facilitated-day', null);
      if (r.facilitatedDays[command.data.sessionId])
        throw refused('already_recorded', `attendance at ${command.data.sessionId} is already recorded`);
      return one({ type: 'FacilitatedDayAttended', data: command.data }, command.data.attendedOn);
    }
    case 'recordPartnerSchoolVisit': {
      requireModule(specOf(r, ctx.reference), command.data.moduleCode);
      return one({ type: 'PartnerSchoolVisitRecorded', data: command.data }, command.data.visitedOn);
    }
    case 'submitAssignment': {
      const d = command.data;
      const spec = specOf(r, ctx.reference);
      const module = requireModule(spec, d.moduleCode);
      const standing = creditLedger(r, spec).modules.find((m) => m.moduleCode === d.moduleCode)!;
      if (standing.status === 'apl-approved')
        throw refused('module_replaced_by_apl', `${d.moduleCode} was replaced by an approved APL/RPL claim`);
      if (standing.status === 'passed')
        throw refused('module_already_passed', `${d.moduleCode} is already passed and ratified`);
      if (d.kind === 'plan' && !module.assessment.planForFeedback)
        throw refused('no_plan_stage', `${d.moduleCode} has no initial plan for feedback`);
      if (d.attempt > 1 && !r.modules[d.moduleCode]?.find((a) => a.attempt === d.attempt)?.permitted)
        throw refused(
          'attempt_not_permitted',
          `attempt ${d.attempt} at ${d.moduleCode} has not been permitted`,
        );
      return one({ type: 'AssignmentSubmitted', data: d }, d.submittedOn);
    }
    case 'markAssignment': {
      const d = command.data;
      const spec = specOf(r, ctx.reference);
      requireModule(spec, d.moduleCode);
      const attempt = r.modules[d.moduleCode]?.find((a) => a.attempt === d.attempt);
      if (!attempt?.submissions.some((s) => s.kind === 'final'))
        throw refused(
          'not_submitted',
          `attempt ${d.attempt} at ${d.moduleCode} has no final submission to mark`,
        );
      if (attempt.markChain)
        throw refused(
          'already_marked',
          `attempt ${d.attempt} at ${d.moduleCode} is already marked: moderate or correct that mark instead`,
          {
            markEventId: attempt.markChain,
          },
        );
      return one(
        { type: 'AssignmentMarked', data: { ...d, marker: d.marker ?? { id: ctx.actor.id } } },
        d.markedOn,
      );
    }
    case 'moderateMark': {
      const d = command.data;
      const chain = r.markChains[d.markEventId];
      if (!chain)
        throw refused(
          r.eventTypes[d.markEventId] ? 'not_a_first_mark' : 'mark_not_found',
          r.eventTypes[d.markEventId]
            ? `event ${d.markEventId} is a ${r.eventTypes[d.markEventId]}, not a first mark`
            : `there is no mark ${d.markEventId} in this student's record`,
        );
      return one(
        {
          type: 'MarkModerated',
          data: {
            markEventId: d.markEventId,
            moduleCode: chain.moduleCode,
            attempt: chain.attempt,
            moderator: { id: ctx.actor.id },
            previousMark: chain.mark,
            moderatedMark: d.moderatedMark,
            moderatedOn: d.moderatedOn,
            ...(d.note ? { note: d.note } : {}),
          },
        },
        d.moderatedOn,
      );
    }
    case 'correctMark': {
      const d = command.data;
      if (ctx.actor.role !== 'admin')
        throw refused('not_authorised_to_correct', 'only an admin may correct a mark');
      const type = r.eventTypes[d.correctsEventId];
      if (!type)
        throw refused(
          'correction_target_not_found',
          `there is no event ${d.correctsEventId} in this student's record`,
          {
            correctsEventId: d.correctsEventId,
          },
        );
      const root = r.markEventChain[d.correctsEventId];
      const chain = root ? r.markChains[root] : undefined;
      if (!chain)
        throw refused(
          'correction_target_not_a_mark',
          `event ${d.correctsEventId} is a ${type}, not a mark: only marks can be corrected`,
          {
            correctsEventId: d.correctsEventId,
            type,
          },
        );
      if (chain.headEventId !== d.correctsEventId)
        throw refused(
          'correction_target_superseded',
          `event ${d.correctsEventId} is no longer the mark that stands; correct ${chain.headEventId} instead`,
          { currentEventId: chain.headEventId },
        );
      if (chain.mark === d.correctedMark)
        throw refused('correction_changes_nothing', `the mark already stands at ${d.correctedMark}`);
      return one(
        {
          type: 'MarkCorrected',
          data: {
            correctsEventId: d.correctsEventId,
            moduleCode: chain.moduleCode,
            attempt: chain.attempt,
            previousMark: chain.mark,
            correctedMark: d.correctedMark,
            reason: d.reason,
            authorisedBy: { id: ctx.actor.id },
          },
        },
        ctx.today,
      );
    }
    case 'permitResubmission': {
      const d = command.data;
      const spec = specOf(r, ctx.reference);
      const module = requireModule(spec, d.moduleCode);
      const standing = creditLedger(r, spec).modules.find((m) => m.moduleCode === d.moduleCode)!;
      const latest = standing.attempts[standing.attempts.length - 1];
      if (latest?.passed !== false)
        throw refused('no_failed_attempt', `${d.moduleCode} has no failed attempt to resubmit`);
      if (latest.attempt >= standing.attemptsAllowed)
        throw refused(
          'resubmission_limit_reached',
          `${d.moduleCode} allows ${module.resubmission.maxResubmissions} resubmission(s) and all have been used`,
        );
      const permittedOn = d.permittedOn ?? ctx.today;
      // provider default: a resubmission is permitted with time to make it, never after its own deadline
      if (d.deadline !== null && d.deadline < permittedOn)
        throw refused(
          'resubmission_deadline_passed',
          `the deadline ${d.deadline} is before the resubmission is permitted (${permittedOn})`,
          { deadline: d.deadline, permittedOn },
        );
      return one(
        {
          type: 'ResubmissionPermitted',
          data: {
            moduleCode: d.moduleCode,
            attempt: latest.attempt + 1,
            // UK HE practice: a resubmission is capped at the pass mark where the programme says so
            capAt: module.resubmission.capAtPassMark ? module.assessment.passMark : null,
            deadline: d.deadline,
            permittedBy: { id: ctx.actor.id },
          },
        },
        permittedOn,
      );
    }
    case 'ratifyMarks': {
      const d = command.data;
      const cohort = r.enrolment ? ctx.cohort(r.enrolment.cohortId) : undefined;
      if (
        cohort &&
        cohort.examBoards.length > 0 &&
        !cohort.examBoards.some((b) => b.examBoardId === d.examBoardId)
      )
        throw refused(
          'unknown_exam_board',
          `cohort ${cohort.cohortId} has held no exam board ${d.examBoardId}`,
        );
      const marks = Object.values(r.markChains)
        .filter(
          (c) =>
            (!d.modules || d.modules.includes(c.moduleCode)) && c.ratified?.headEventId !== c.headEventId,
        )
        .map((c) => ({
          moduleCode: c.moduleCode,
          attempt: c.attempt,
          mark: c.mark,
          chainHeadEventId: c.headEventId,
        }));
      if (marks.length === 0) throw refused('nothing_to_ratify', 'there are no provisional marks to ratify');
      return one(
        { type: 'MarksRatified', data: { examBoardId: d.examBoardId, boardDate: d.boardDate, marks } },
        d.boardDate,
      );
    }
    case 'submitAplClaim': {
      const d = command.data;
      const spec = specOf(r, ctx.reference);
      const module = requireModule(spec, d.moduleCode);
      if (r.aplClaims[d.claimId]) throw refused('claim_exists', `claim ${d.claimId} already exists`);
      if (!module.aplEligible)
        throw refused(
          'module_not_apl_eligible',
          `${d.moduleCode} cannot be replaced by APL/RPL on this programme`,
        );
      const live = Object.values(r.aplClaims).filter((c) => c.decision?.decision !== 'rejected');
      // seed 003: APL/RPL may replace at most one of the three modules
      if (live.length >= spec.priorLearning.maxModules)
        throw refused(
          'apl_cap_reached',
          `APL/RPL may replace at most ${spec.priorLearning.maxModules} module(s) on this programme (${spec.priorLearning.source}); claim ${live[0]?.claimId ?? '-'} already stands`,
          { cap: spec.priorLearning.maxModules },
        );
      return one({ type: 'AplClaimSubmitted', data: d }, d.submittedOn);
    }
    case 'decideAplClaim': {
      const d = command.data;
      const spec = specOf(r, ctx.reference);
      const claim = r.aplClaims[d.claimId];
      if (!claim) throw refused('unknown_claim', `there is no APL/RPL claim ${d.claimId}`);
      if (claim.decision)
        throw refused('claim_already_decided', `claim ${d.claimId} was already ${claim.decision.decision}`);
      const approved = Object.values(r.aplClaims).filter((c) => c.decision?.decision === 'approved').length;
      if (d.decision === 'approved' && approved >= spec.priorLearning.maxModules)
        throw refused(
          'apl_cap_reached',
          `approving would exceed the cap of ${spec.priorLearning.maxModules} module(s)`,
        );
      return one(
        {
          type: 'AplClaimDecided',
          data: { ...d, moduleCode: claim.moduleCode, decidedBy: { id: ctx.actor.id } },
        },
        d.decidedOn,
      );
    }
    case 'submitOutcomeEvidence': {
      const d = command.data;
      const e = requireOutcome(r, ctx, d.outcomeCode);
      return one(
        {
          type: 'OutcomeEvidenceSubmitted',
          data: { ...d, frameworkId: e.frameworkId, frameworkVersion: e.frameworkVersion },
        },
        d.submittedOn,
      );
    }
    case 'signOffOutcome': {
      const d = command.data;
      if (ctx.actor.role !== 'tutor')
        throw refused(
          'not_an_assessor',
          `only an assessor (tutor) may sign off an outcome; ${ctx.actor.id} is ${ctx.actor.role}`,
        );
      const e = requireOutcome(r, ctx, d.outcomeCode);
      for (const id of d.evidenceEventIds)
        if (r.evidenceEvents[id] !== d.outcomeCode)
          throw refused(
            'evidence_not_found',
            `event ${id} is not evidence for ${d.outcomeCode} in this record`,
            { eventId: id },
          );
      if (r.outcomes[d.outcomeCode]?.signOff)
        throw refused('already_signed_off', `${d.outcomeCode} is already signed off`);
      return one(
        {
          type: 'OutcomeSignedOff',
          data: {
            outcomeCode: d.outcomeCode,
            frameworkId: e.frameworkId,
            frameworkVersion: e.frameworkVersion,
            evidenceEventIds: d.evidenceEventIds,
            assessor: { id: ctx.actor.id },
            signedOffOn: d.signedOffOn,
          },
        },
        d.signedOffOn,
      );
    }
    case 'revokeSignOff': {
      const d = command.data;
      const code = r.signOffEvents[d.signOffEventId];
      if (!code || r.outcomes[code]?.signOff?.ref.eventId !== d.signOffEventId)
        throw refused(
          'sign_off_not_found',
          `event ${d.signOffEventId} is not a sign-off that stands in this record`,
        );
      return one({ type: 'OutcomeSignOffRevoked', data: { ...d, outcomeCode: code } }, d.revokedOn);
    }
    case 'completePortfolio': {
      const spec = specOf(r, ctx.reference);
      if (!spec.portfolios.some((p) => p.code === command.data.portfolio))
        throw refused(
          'portfolio_not_in_specification',
          `${spec.programmeId} v${spec.version} has no portfolio ${command.data.portfolio} (it has: ${spec.portfolios.map((p) => p.code).join(', ') || 'none'})`,
        );
      if (r.portfolios[command.data.portfolio])
        throw refused('already_recorded', `${command.data.portfolio} is already complete`);
      return one(
        { type: 'PortfolioCompleted', data: { ...command.data, assessedBy: { id: ctx.actor.id } } },
        command.data.completedOn,
      );
    }
    case 'recordViva': {
      const spec = specOf(r, ctx.reference);
      if (!spec.viva.required) throw refused('no_viva_on_route', `${spec.programmeId} has no viva`);
      if (r.viva?.outcome === 'pass') throw refused('viva_already_passed', 'the viva is already passed');
      return one({ type: 'VivaHeld', data: command.data }, command.data.heldOn);
    }
    case 'grantExtension':
      specOf(r, ctx.reference);
      return one(
        { type: 'ExtensionGranted', data: { ...command.data, authorisedBy: { id: ctx.actor.id } } },
        ctx.today,
      );
    case 'interruptStudy':
      if (r.interruption)
        throw refused('already_interrupted', `study is already interrupted from ${r.interruption.from}`);
      return one({ type: 'StudyInterrupted', data: command.data }, command.data.from);
    case 'resumeStudy':
      if (!r.interruption) throw refused('not_interrupted', 'study is not interrupted');
      return one({ type: 'StudyResumed', data: command.data }, command.data.on);
    case 'withdrawStudent':
      return one({ type: 'StudentWithdrawn', data: command.data }, command.data.on);
    case 'conferAward': {
      const d = command.data;
      const spec = specOf(r, ctx.reference);
      if (standingAward(r))
        throw refused('award_already_conferred', 'an award already stands for this student');
      const framework = ctx.reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion);
      const decision = decideAward(r, spec, framework, d.conferredOn);
      if (!decision.award)
        throw refused(
          'not_eligible',
          `the decision on ${d.conferredOn} is ${decision.outcome}: ${decision.summary}`,
          {
            outcome: decision.outcome,
            outstanding: decision.outstanding,
          },
        );
      return one(
        {
          type: 'AwardConferred',
          data: {
            award: decision.award,
            title: decision.title!,
            examBoardId: d.examBoardId,
            conferredOn: d.conferredOn,
            decidedAt: {
              position: r.lastPosition.toString(),
              streamRevision: r.revision.toString(),
              evaluatedOn: d.conferredOn,
            },
            specification: { programmeId: spec.programmeId, version: spec.version },
            decisionDigest: decision.digest,
          },
        },
        d.conferredOn,
      );
    }
    case 'withdrawAward': {
      const d = command.data;
      const award = r.awards.find((a) => a.ref.eventId === d.awardEventId);
      if (!award || award.withdrawn) throw refused('award_not_found', `no standing award ${d.awardEventId}`);
      return one(
        { type: 'AwardDecisionWithdrawn', data: { ...d, authorisedBy: { id: ctx.actor.id } } },
        d.withdrawnOn,
      );
    }
    case 'resolveAwardReview': {
      const d = command.data;
      const award = r.awards.find((a) => a.ref.eventId === d.awardEventId);
      if (!award || award.withdrawn) throw refused('award_not_found', `no standing award ${d.awardEventId}`);
      return one(
        {
          type: 'AwardReviewResolved',
          data: {
            awardEventId: d.awardEventId,
            resolution: 'award-stands',
            note: d.note,
            resolvedOn: d.resolvedOn,
          },
        },
        d.resolvedOn,
      );
    }
    case 'erasePersonalData':
      if (r.erasure) throw refused('already_erased', `personal data was erased on ${r.erasure.erasedOn}`);
      return one({ type: 'PersonalDataErased', data: command.data }, command.data.erasedOn);
  }
}

function requireOutcome(r: StudentRecord, ctx: DecideContext, code: string) {
  const e = r.enrolment;
  if (!e) throw refused('not_enrolled', 'the student is not enrolled on a cohort yet');
  const framework = ctx.reference.framework(e.frameworkId, e.frameworkVersion);
  if (!outcomeCodes(framework).includes(code))
    throw refused(
      'outcome_not_in_framework',
      `${code} is not an outcome of framework ${framework.frameworkId} version ${framework.version}`,
      { outcomeCode: code },
    );
  return e;
}
