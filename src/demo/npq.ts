import type { Ledger } from '../app/ledger.ts';
import { addDays } from '../domain/calendar.ts';
import { type Applicant, type CohortPlan, createCohort, staff, study } from './journeys.ts';
import { plannedWindows, sitInWindow, takePart } from './participation.ts';

// The NPQ for SENCOs beside the National Award in one provider's ledger: a cohort that has finished
// (awarded, a failed first sitting with its resit pending, one below the participation threshold, a
// withdrawal) and one in progress (taking part; an application not yet a place). Everything the steps
// do is read from the specification (src/domain/programmes/specs/npq-senco-bpn.v1.json).

const person = (n: number, first: string, last: string, appointedOn: string | null): Applicant => ({
  fullName: `${first} ${last}`,
  email: `${first.toLowerCase()}.${last.toLowerCase()}@npq${n}.example`,
  dateOfBirth: `198${n % 10}-0${1 + (n % 9)}-2${n % 8}`,
  qts: 'QTS',
  appointedOn,
});

export async function loadNpqDemo(
  ledger: Ledger,
  enrol: (plan: CohortPlan, who: Applicant) => Promise<string>,
  confer: (id: string, plan: CohortPlan) => Promise<void>,
): Promise<{ cohorts: number }> {
  const spec = ledger.reference.specification('npq-senco-bpn', 1);
  const t = staff.tutor;
  const first: CohortPlan = {
    cohortId: 'npq-2024-autumn-online',
    spec,
    startsOn: '2024-10-07',
    examBoardId: 'bpn-npq-board-2026-05',
    examBoardOn: '2026-05-20',
  };
  const second: CohortPlan = {
    cohortId: 'npq-2025-autumn-online',
    spec,
    startsOn: '2025-10-06',
    examBoardId: 'bpn-npq-board-2027-05',
    examBoardOn: '2027-05-19',
  };
  await createCohort(ledger, first);
  await createCohort(ledger, second, { holdBoard: false }); // its board is a year away

  // passed in the first window, confirmed by the lead provider's assessment board, awarded
  const asha = await enrol(first, person(21, 'Asha', 'Begum', '2024-09-09'));
  await study(ledger, asha, first, { marks: {}, results: { CS: 'pass' } });
  await confer(asha, first);

  // failed the first sitting; the board confirms it; a resit in the second window, its result to come
  const ben = await enrol(first, person(22, 'Ben', 'Okoro', '2025-01-06'));
  await study(ledger, ben, first, { marks: {}, results: { CS: 'fail' } });
  const resit = plannedWindows(spec, first.startsOn)[1]!;
  await ledger.execute(
    ben,
    'permitResubmission',
    { moduleCode: 'CS', deadline: resit.closesOn, permittedOn: first.examBoardOn },
    { actor: staff.registry },
  );
  await sitInWindow(ledger, ben, spec, first.startsOn, 'CS', { attempt: 2, windowId: 'window-2' }, t);

  // took part in 10 of 16 sessions and activities: below the 90% threshold, so the case study cannot be sat
  const chloe = await enrol(first, person(23, 'Chloe', 'Nash', '2024-11-04'));
  await takePart(ledger, chloe, spec, first.startsOn, t, 10);

  const dan = await enrol(first, person(24, 'Dan', 'Fuller', '2024-09-02'));
  await takePart(ledger, dan, spec, first.startsOn, t, 3);
  await ledger.execute(
    dan,
    'withdrawStudent',
    { on: addDays(first.startsOn, 120), reason: 'Left the SENCO post' },
    { actor: staff.registry },
  );

  // the second cohort, in progress: one taking part, one who has applied and has no place yet
  const isla = await enrol(second, person(25, 'Isla', 'Lindqvist', '2025-09-01'));
  await takePart(ledger, isla, spec, second.startsOn, t, 6);
  await ledger.execute(
    null,
    'submitApplication',
    {
      personal: {
        fullName: 'Farah Iqbal',
        email: 'farah.iqbal@npq26.example',
        dateOfBirth: '1990-03-14',
        teacherReferenceNumber: '2345678',
      },
      programmeId: spec.programmeId,
      school: { name: 'Brookside Nursery School', type: 'maintained-nursery' },
      intake: 'autumn',
      submittedOn: '2026-11-20',
    },
    { actor: staff.registry },
  );
  return { cohorts: 2 };
}
