import { invalid, refused } from '../../errors.ts';
import { type Handlers, one } from './context.ts';
import { specOf } from './guards.ts';

// Application, entry evidence, place, enrolment, mentor and needs analysis; then the changes of status
// over a student's time on the programme (extension, interruption, withdrawal), as events/registration.ts.

export const registrationHandlers = {
  submitApplication(record, d, ctx) {
    if (record) throw refused('student_exists', 'this student already has a record');
    if (!ctx.reference.latestSpecification(d.programmeId))
      throw refused('unknown_programme', `no programme ${d.programmeId} is published`, {
        programmeId: d.programmeId,
      });
    return one({ type: 'ApplicationSubmitted', data: { ...d } }, d.submittedOn);
  },
  recordQtsEvidence: (_r, d, ctx) => one({ type: 'QtsEvidenceRecorded', data: d }, d.checkedOn ?? ctx.today),
  confirmSencoRole: (_r, d) => one({ type: 'SencoRoleConfirmed', data: d }, d.confirmedOn),
  recordSencoAppointment: (_r, d, ctx) =>
    one({ type: 'SencoAppointmentRecorded', data: d }, d.recordedOn ?? ctx.today),
  assessEligibility: (_r, d, ctx) => one({ type: 'EligibilityAssessed', data: d }, d.assessedOn ?? ctx.today),
  offerPlace(r, d, ctx) {
    const { cohortId, offeredOn } = d;
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
    if (r.enrolment) throw refused('already_enrolled', `already enrolled on cohort ${r.enrolment.cohortId}`);
    return one({ type: 'PlaceOffered', data: { cohortId, offeredOn } }, offeredOn);
  },
  enrol(r, d, ctx) {
    const { cohortId, enrolledOn } = d;
    if (r.enrolment) throw refused('already_enrolled', `already enrolled on cohort ${r.enrolment.cohortId}`);
    if (r.offer?.cohortId !== cohortId)
      throw refused('no_place_offered', `no place on cohort ${cohortId} has been offered to this student`);
    const cohort = ctx.cohort(cohortId);
    if (!cohort) throw refused('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
    // the student is judged against this specification version from now on, whatever is published later
    const spec = ctx.reference.specification(cohort.programmeId, cohort.specVersion);
    const days = cohort.sessions.filter((s) => s.kind === 'facilitated-day').map((s) => s.date);
    const count = (kind: string) => cohort.sessions.filter((s) => s.kind === kind).length;
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
          // the cohort's dates the time limits and the participation threshold are counted from
          cohort: {
            startsOn: cohort.startsOn,
            firstFacilitatedDay: days.sort()[0] ?? null,
            participationSessions: { session: count('session'), activity: count('activity') },
          },
        },
      },
      enrolledOn,
    );
  },
  assignMentor: (_r, d) => one({ type: 'MentorAssigned', data: d }, d.assignedOn),
  completeNeedsAnalysis: (_r, d) => one({ type: 'NeedsAnalysisCompleted', data: d }, d.completedOn),
  grantExtension(r, d, ctx) {
    specOf(r, ctx.reference);
    if (d.timeLimit === 'resubmission') {
      const missing = (['moduleCode', 'attempt'] as const).filter((f) => d[f] === undefined);
      if (missing.length)
        throw invalid(
          'resubmission_not_named',
          missing.map((f) => ({ field: `data.${f}`, reason: 'an extension of a resubmission names it' })),
        );
      const attempt = r.modules[d.moduleCode!]?.find((a) => a.attempt === d.attempt);
      if (!attempt?.permitted)
        throw refused(
          'resubmission_not_permitted',
          `no resubmission of ${d.moduleCode} (attempt ${d.attempt}) has been permitted`,
          { moduleCode: d.moduleCode, attempt: d.attempt },
        );
    }
    return one({ type: 'ExtensionGranted', data: { ...d, authorisedBy: { id: ctx.actor.id } } }, ctx.today);
  },
  interruptStudy(r, d) {
    if (r.interruption)
      throw refused('already_interrupted', `study is already interrupted from ${r.interruption.from}`);
    return one({ type: 'StudyInterrupted', data: d }, d.from);
  },
  resumeStudy(r, d) {
    if (!r.interruption) throw refused('not_interrupted', 'study is not interrupted');
    return one({ type: 'StudyResumed', data: d }, d.on);
  },
  withdrawStudent: (_r, d) => one({ type: 'StudentWithdrawn', data: d }, d.on),
} satisfies Partial<Handlers>;
