import { describe, expect, it } from 'vitest';
import { admin, given, registry, tutor } from '../../support/given-when-then.ts';
import {
  applied,
  assessed,
  cohort,
  enrolled,
  enrolledStudent,
  offered,
  roleConfirmed,
  sealed,
} from '../../support/student-events.ts';

// Application, entry evidence, place, enrolment, mentor, needs analysis, and the changes of status.

const application = {
  studentId: 's1',
  personal: sealed,
  programmeId: 'blended-3module',
  school: { type: 'academy' as const },
  intake: 'spring' as const,
  submittedOn: '2023-11-01',
};
const interrupted = {
  type: 'StudyInterrupted' as const,
  data: { from: '2024-03-01', expectedReturn: null, reason: 'Maternity leave' },
};
const withdrawn = {
  type: 'StudentWithdrawn' as const,
  data: { on: '2024-03-01', reason: 'Left the post' },
};

describe('registration: given / when / then', () => {
  it('an application creates the record', () => {
    given([])
      .when({ name: 'submitApplication', data: application }, registry)
      .thenEvents([{ type: 'ApplicationSubmitted', data: application }], '2023-11-01');
  });

  it('refuses a second application for the same student, and one for a programme not published', () => {
    given([applied()])
      .when({ name: 'submitApplication', data: application }, registry)
      .thenRefused('student_exists');
    given([])
      .when({ name: 'submitApplication', data: { ...application, programmeId: 'nowhere' } }, registry)
      .thenRefused('unknown_programme', { programmeId: 'nowhere' });
  });

  it('records entry evidence on the day it was checked, or today when the day is not given', () => {
    const qts = {
      status: 'QTS' as const,
      trnChecked: true,
      awardedOn: '2010-07-01',
      inductionCompleted: true,
    };
    given([applied()], { today: '2024-01-02' })
      .when({ name: 'recordQtsEvidence', data: qts }, registry)
      .thenEvents([{ type: 'QtsEvidenceRecorded', data: qts }], '2024-01-02');
    given([applied()])
      .when({ name: 'recordQtsEvidence', data: { ...qts, checkedOn: '2023-11-20' } }, registry)
      .thenEvents([{ type: 'QtsEvidenceRecorded', data: { ...qts, checkedOn: '2023-11-20' } }], '2023-11-20');
    given([applied()])
      .when({ name: 'confirmSencoRole', data: roleConfirmed.data }, registry)
      .thenEvents([roleConfirmed], '2023-11-02');
    const appointment = { appointedOn: '2023-09-01', priorSencoMonths: 0, schoolType: 'academy' as const };
    given([applied()], { today: '2024-01-03' })
      .when({ name: 'recordSencoAppointment', data: appointment }, registry)
      .thenEvents([{ type: 'SencoAppointmentRecorded', data: appointment }], '2024-01-03');
    given([applied()], { today: '2024-01-04' })
      .when({ name: 'assessEligibility', data: { eligible: true, route: 'national-award' } }, registry)
      .thenEvents(
        [{ type: 'EligibilityAssessed', data: { eligible: true, route: 'national-award' } }],
        '2024-01-04',
      );
  });

  it('offers a place on a cohort of the programme applied for, once assessed eligible', () => {
    given([applied(), assessed()], { cohorts: [cohort()] })
      .when({ name: 'offerPlace', data: { cohortId: 'c1', offeredOn: '2023-12-01' } }, registry)
      .thenEvents([offered()], '2023-12-01');
  });

  it('refuses an offer on an unknown cohort, before eligibility, on another programme, or when enrolled', () => {
    const offer = { name: 'offerPlace' as const, data: { cohortId: 'c1', offeredOn: '2023-12-01' } };
    given([applied(), assessed()], { cohorts: [] })
      .when(offer, registry)
      .thenRefused('unknown_cohort', { cohortId: 'c1' });
    given([applied()], { cohorts: [cohort()] })
      .when(offer, registry)
      .thenRefused('not_assessed_eligible');
    given([applied(), assessed(false)], { cohorts: [cohort()] })
      .when(offer, registry)
      .thenRefused('not_assessed_eligible');
    given([applied('bpn'), assessed()], { cohorts: [cohort()] })
      .when(offer, registry)
      .thenRefused('cohort_programme_mismatch');
    given(enrolledStudent(), { cohorts: [cohort()] })
      .when(offer, registry)
      .thenRefused('already_enrolled');
  });

  it('enrols on the offered cohort and the specification and framework versions it runs, with its dates', () => {
    const sessions = [
      { sessionId: 'day-2', kind: 'facilitated-day' as const, moduleCode: null, date: '2024-02-12' },
      { sessionId: 'day-1', kind: 'facilitated-day' as const, moduleCode: null, date: '2024-01-10' },
      { sessionId: 's-1', kind: 'session' as const, moduleCode: null, date: '2024-01-15' },
      { sessionId: 's-2', kind: 'session' as const, moduleCode: null, date: '2024-02-15' },
      { sessionId: 'a-1', kind: 'activity' as const, moduleCode: null, date: '2024-03-01' },
    ];
    given([applied(), assessed(), offered()], { cohorts: [cohort('blended', { sessions })] })
      .when({ name: 'enrol', data: { cohortId: 'c1', enrolledOn: '2024-01-08' } }, registry)
      .thenEvents(
        [
          {
            type: 'StudentEnrolled',
            data: {
              ...enrolled().data,
              // the cohort's first facilitated day (seed 000) and what a participation threshold counts
              cohort: {
                startsOn: '2024-01-08',
                firstFacilitatedDay: '2024-01-10',
                participationSessions: { session: 2, activity: 1 },
              },
            },
          },
        ],
        '2024-01-08',
      );
    given([applied(), assessed(), offered()], { cohorts: [cohort()] })
      .when({ name: 'enrol', data: { cohortId: 'c1', enrolledOn: '2024-01-08' } }, registry)
      .thenEvents([
        {
          type: 'StudentEnrolled',
          data: { ...enrolled().data, cohort: { ...enrolled().data.cohort!, firstFacilitatedDay: null } },
        },
      ]);
  });

  it('refuses an enrolment twice, without an offer, on an unknown cohort, or on an unpublished version', () => {
    const enrol = { name: 'enrol' as const, data: { cohortId: 'c1', enrolledOn: '2024-01-08' } };
    given(enrolledStudent(), { cohorts: [cohort()] })
      .when(enrol, registry)
      .thenRefused('already_enrolled');
    given([applied(), assessed()], { cohorts: [cohort()] })
      .when(enrol, registry)
      .thenRefused('no_place_offered');
    given([applied(), assessed(), offered('c2')], { cohorts: [cohort()] })
      .when(enrol, registry)
      .thenRefused('no_place_offered');
    given([applied(), assessed(), offered()], { cohorts: [] })
      .when(enrol, registry)
      .thenRefused('unknown_cohort');
    given([applied(), assessed(), offered()], { cohorts: [cohort('blended', { specVersion: 99 })] })
      .when(enrol, registry)
      .thenError('not_found', 'unknown_specification');
  });

  it('assigns a mentor and records the needs analysis', () => {
    const mentor = { mentorRole: 'headteacher' as const, sameSchool: true, assignedOn: '2024-01-10' };
    given(enrolledStudent())
      .when({ name: 'assignMentor', data: mentor }, registry)
      .thenEvents([{ type: 'MentorAssigned', data: mentor }], '2024-01-10');
    const needs = { completedOn: '2024-01-20', focusAreas: ['A1', 'B6'] };
    given(enrolledStudent())
      .when({ name: 'completeNeedsAnalysis', data: needs })
      .thenEvents([{ type: 'NeedsAnalysisCompleted', data: needs }], '2024-01-20');
  });

  it('grants an extension authorised by the registry officer, today; refused before enrolment', () => {
    const extension = {
      timeLimit: 'outcomes' as const,
      newDeadline: '2025-12-31',
      reason: 'Long-term illness',
    };
    given(enrolledStudent(), { today: '2024-05-01' })
      .when({ name: 'grantExtension', data: extension }, registry)
      .thenEvents(
        [{ type: 'ExtensionGranted', data: { ...extension, authorisedBy: { id: 'registry-1' } } }],
        '2024-05-01',
      );
    given([applied()])
      .when({ name: 'grantExtension', data: extension }, registry)
      .thenRefused('not_enrolled');
  });

  it('extends a permitted resubmission, named by module and attempt; refused for one not permitted', () => {
    const resubmission = {
      timeLimit: 'resubmission' as const,
      moduleCode: 'M2',
      attempt: 2,
      newDeadline: '2025-04-30',
      reason: 'Bereavement',
    };
    const permitted = {
      type: 'ResubmissionPermitted' as const,
      data: { moduleCode: 'M2', attempt: 2, capAt: 50, deadline: '2025-02-28', permittedBy: { id: 'r' } },
    };
    given([...enrolledStudent(), permitted], { today: '2025-02-01' })
      .when({ name: 'grantExtension', data: resubmission }, registry)
      .thenEvents([
        { type: 'ExtensionGranted', data: { ...resubmission, authorisedBy: { id: 'registry-1' } } },
      ]);
    given(enrolledStudent())
      .when({ name: 'grantExtension', data: resubmission }, registry)
      .thenRefused('resubmission_not_permitted', { moduleCode: 'M2', attempt: 2 });
    const unnamed = given([...enrolledStudent(), permitted])
      .when({ name: 'grantExtension', data: { ...resubmission, moduleCode: undefined } }, registry)
      .thenError('invalid', 'resubmission_not_named');
    expect(unnamed.issues).toEqual([
      { field: 'data.moduleCode', reason: 'an extension of a resubmission names it' },
    ]);
  });

  it('interrupts and resumes study, each once', () => {
    given(enrolledStudent())
      .when({ name: 'interruptStudy', data: interrupted.data }, registry)
      .thenEvents([interrupted], '2024-03-01');
    // the status guard answers first: the handler's own already_interrupted cannot be reached
    given([...enrolledStudent(), interrupted])
      .when({ name: 'interruptStudy', data: interrupted.data }, registry)
      .thenRefused('study_interrupted');
    given([...enrolledStudent(), interrupted])
      .when({ name: 'resumeStudy', data: { on: '2024-09-01' } }, registry)
      .thenEvents([{ type: 'StudyResumed', data: { on: '2024-09-01' } }], '2024-09-01');
    given(enrolledStudent())
      .when({ name: 'resumeStudy', data: { on: '2024-09-01' } }, registry)
      .thenRefused('not_interrupted');
  });

  it('withdraws a student, even while interrupted', () => {
    given([...enrolledStudent(), interrupted])
      .when({ name: 'withdrawStudent', data: withdrawn.data }, registry)
      .thenEvents([withdrawn], '2024-03-01');
  });
});

describe('what a record accepts', () => {
  const visit = {
    name: 'recordPartnerSchoolVisit' as const,
    data: {
      school: { name: 'X' },
      phase: 'primary' as const,
      visitedOn: '2024-03-01',
      moduleCode: 'M1',
      hours: 5,
    },
  };

  it('refuses any command but an application for a student with no record', () => {
    given([]).when(visit).thenRefused('unknown_student');
  });

  it('refuses new facts for a withdrawn student, naming the day; award and erasure commands still pass', () => {
    given([...enrolledStudent(), withdrawn])
      .when(visit)
      .thenRefused('student_withdrawn', { withdrawnOn: '2024-03-01' });
    given([...enrolledStudent(), withdrawn])
      .when({ name: 'resumeStudy', data: { on: '2024-09-01' } }, registry)
      .thenRefused('student_withdrawn');
    given([...enrolledStudent(), withdrawn])
      .when({ name: 'erasePersonalData', data: { requestReference: 'r-1', erasedOn: '2024-04-01' } }, admin)
      .thenEvents([
        { type: 'PersonalDataErased', data: { requestReference: 'r-1', erasedOn: '2024-04-01' } },
      ]);
  });

  it('refuses new facts while study is interrupted, but lets the registry extend, ratify and resume', () => {
    const e = given([...enrolledStudent(), interrupted])
      .when(visit)
      .thenRefused('study_interrupted');
    expect(e.message).toContain('2024-03-01');
    given([...enrolledStudent(), interrupted])
      .when({ name: 'recordViva', data: { heldOn: '2024-05-01', outcome: 'pass', examiners: [tutor] } })
      .thenRefused('study_interrupted');
    given([...enrolledStudent(), interrupted])
      .when(
        {
          name: 'grantExtension',
          data: { timeLimit: 'outcomes', newDeadline: '2025-12-31', reason: 'Illness' },
        },
        registry,
      )
      .thenEvents([
        {
          type: 'ExtensionGranted',
          data: {
            timeLimit: 'outcomes',
            newDeadline: '2025-12-31',
            reason: 'Illness',
            authorisedBy: { id: 'registry-1' },
          },
        },
      ]);
  });
});
