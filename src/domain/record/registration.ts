import type { Evolvers } from './evolver.ts';

// Application, entry evidence, place, enrolment, mentor and needs analysis; extensions, interruption,
// withdrawal and erasure (events/registration.ts).

export const registrationEvolvers = {
  ApplicationSubmitted(r, { data: d }, ref) {
    r.studentId = d.studentId;
    r.application = {
      programmeId: d.programmeId,
      intake: d.intake,
      submittedOn: d.submittedOn,
      school: d.school,
      legacySchool: d.schoolInClear ?? null,
      personal: d.personal,
      ref,
    };
  },
  QtsEvidenceRecorded(r, e, ref) {
    r.qts = { ...e.data, ref };
  },
  SencoRoleConfirmed(r, e, ref) {
    r.role = { ...e.data, ref };
  },
  SencoAppointmentRecorded(r, e, ref) {
    r.appointment = { ...e.data, ref };
  },
  EligibilityAssessed(r, e, ref) {
    r.eligibility = { ...e.data, ref };
  },
  PlaceOffered(r, e, ref) {
    r.offer = { ...e.data, ref };
  },
  StudentEnrolled(r, e, ref) {
    r.enrolment = { ...e.data, ref };
  },
  MentorAssigned(r, e, ref) {
    r.mentor = { ...e.data, ref };
  },
  NeedsAnalysisCompleted(r, e, ref) {
    r.needsAnalysis = { ...e.data, ref };
  },
  ExtensionGranted(r, { data: d }, ref) {
    const key = d.timeLimit === 'resubmission' ? `resubmission:${d.moduleCode}:${d.attempt}` : d.timeLimit;
    r.extensions[key] = { newDeadline: d.newDeadline, reason: d.reason, ref };
  },
  StudyInterrupted(r, { data: d }, ref) {
    r.interruption = { from: d.from, expectedReturn: d.expectedReturn, ref };
    r.interruptions.push({ from: d.from, resumedOn: null, ref, resumedRef: null });
  },
  StudyResumed(r, { data: d }, ref) {
    r.interruption = null;
    const last = r.interruptions[r.interruptions.length - 1];
    if (last && last.resumedOn === null) {
      last.resumedOn = d.on;
      last.resumedRef = ref;
    }
  },
  StudentWithdrawn(r, { data: d }, ref) {
    r.withdrawal = { on: d.on, reason: d.reason, ref };
  },
  PersonalDataErased(r, { data: d }, ref) {
    r.erasure = { erasedOn: d.erasedOn, ref };
  },
} satisfies Partial<Evolvers>;
