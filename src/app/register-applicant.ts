import type { z } from 'zod';
import type { SchoolType } from '../../events/common.ts';
import type { Actor } from '../../events/envelope.ts';
import type { PersonalDetails } from '../../events/personal.ts';
import type { Ledger } from './ledger.ts';

// An applicant from application to enrolment, through the ledger's own commands: the application (with
// sealed personal details), QTS evidence, role confirmation, SENCO appointment, eligibility, the offer and
// the enrolment. The cohort import (CLI) and the demo journeys both register applicants this way.

export interface Applicant {
  personal: PersonalDetails;
  programmeId: string;
  school: { name: string; type: z.infer<typeof SchoolType> };
  intake: 'autumn' | 'spring';
  qts: 'QTS' | 'QTLS' | 'none';
  qtsAwardedOn: string | null;
  /** null for an aspiring SENCO (headteacher support rather than a governing-body designation). */
  appointedOn: string | null;
  priorSencoMonths: number;
  cohortId: string;
  /** When the application and its evidence were checked. */
  appliedOn: string;
  offeredOn: string;
  enrolledOn: string;
}

export async function registerApplicant(ledger: Ledger, a: Applicant, actor: Actor): Promise<string> {
  const created = await ledger.execute(
    null,
    'submitApplication',
    {
      personal: a.personal,
      programmeId: a.programmeId,
      school: a.school,
      intake: a.intake,
      submittedOn: a.appliedOn,
    },
    { actor },
  );
  const id = created.streamId.slice('student-'.length);
  const run = (name: Parameters<Ledger['execute']>[1], data: unknown) =>
    ledger.execute(id, name, data, { actor });
  const qts = a.qts !== 'none';
  await run('recordQtsEvidence', {
    status: a.qts,
    trnChecked: qts && a.personal.teacherReferenceNumber !== null,
    awardedOn: qts ? a.qtsAwardedOn : null,
    inductionCompleted: qts ? true : null,
    checkedOn: a.appliedOn,
  });
  await run('confirmSencoRole', {
    basis: a.appointedOn ? 'governing-body-designation' : 'headteacher-support',
    confirmedByRole: a.appointedOn ? 'Chair of governors' : 'Headteacher',
    confirmedOn: a.appliedOn,
  });
  await run('recordSencoAppointment', {
    appointedOn: a.appointedOn,
    priorSencoMonths: a.priorSencoMonths,
    schoolType: a.school.type,
    recordedOn: a.appliedOn,
  });
  await run('assessEligibility', {
    eligible: true,
    route: qts ? 'qualification' : 'fallback-certificate',
    assessedOn: a.appliedOn,
  });
  await run('offerPlace', { cohortId: a.cohortId, offeredOn: a.offeredOn });
  await run('enrol', { cohortId: a.cohortId, enrolledOn: a.enrolledOn });
  return id;
}
