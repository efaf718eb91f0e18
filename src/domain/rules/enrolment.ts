import { defineRule } from './define-rule.ts';

export const enrolmentRule = defineRule({
  id: 'enrolment',
  title: 'Enrolled on a programme specification',
  // an application is not a place; a student is judged against the version they enrolled on
  source: ({ record }) =>
    record.enrolment
      ? 'domain: evaluated against the specification version enrolled on'
      : 'domain: an application is not a place',
  area: 'entry',
  evaluate({ record, spec }) {
    const e = record.enrolment;
    if (!e)
      return {
        outcome: 'not-met',
        reason: 'The student is not enrolled on a cohort.',
        events: [record.application?.ref],
        outstanding: ['Enrol the student on a cohort'],
      };
    return {
      outcome: 'met',
      reason: `Enrolled on ${spec.programmeId} version ${spec.version} (cohort ${e.cohortId}) on ${e.enrolledOn}.`,
      figures: {
        cohortId: e.cohortId,
        programmeId: spec.programmeId,
        specVersion: spec.version,
        enrolledOn: e.enrolledOn,
      },
      events: [e.ref],
    };
  },
});
