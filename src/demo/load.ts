import type { Ledger } from '../app/ledger.ts';
import {
  type Applicant,
  applyAndEnrol,
  type CohortPlan,
  createCohort,
  ratify,
  recordHeldBoard,
  staff,
  study,
} from './journeys.ts';
import { loadNpqDemo } from './npq.ts';

// A small demo cohort per programme, loaded on the first start of an empty ledger so there is something
// to look at: awarded students, one in progress, a resubmission, a no-QTS fallback, a withdrawal, a
// mark corrected after conferral (raising a registry review), a mitigating-circumstances claim awaiting
// the board, and students at risk of the 2027 deadline; a National Award started after 1 September 2024
// (awarded, but not the duty's qualification); and the same provider's NPQ for SENCOs cohorts with a
// participant at every stage (src/demo/npq.ts).

const person = (n: number, first: string, last: string, extra: Partial<Applicant> = {}): Applicant => ({
  fullName: `${first} ${last}`,
  email: `${first.toLowerCase()}.${last.toLowerCase()}@school${n}.example`,
  dateOfBirth: `198${n % 10}-0${1 + (n % 9)}-1${n % 10}`,
  qts: 'QTS',
  appointedOn: '2023-09-01',
  ...extra,
});

export async function loadDemo(ledger: Ledger): Promise<{ students: number; cohorts: number }> {
  const ref = ledger.reference;
  const plans: Record<string, CohortPlan> = {
    blended: {
      cohortId: 'blended-2024-spring-online',
      spec: ref.specification('blended-3module', 1),
      startsOn: '2024-01-08',
      examBoardId: 'board-2024-11',
      examBoardOn: '2024-11-15',
    },
    bpn: {
      cohortId: 'bpn-2024-spring-bristol',
      spec: ref.specification('bpn-bathspa', 1),
      startsOn: '2024-01-08',
      examBoardId: 'bsu-board-2024-07',
      examBoardOn: '2024-07-12',
    },
    sw: {
      cohortId: 'swc-2024-spring-exeter',
      spec: ref.specification('sw-consortium', 1),
      startsOn: '2024-01-15',
      examBoardId: 'plym-board-2024-07',
      examBoardOn: '2024-07-17',
    },
    experienced: {
      cohortId: 'exp-2024-spring-bath',
      spec: ref.specification('experienced-bathspa', 1),
      startsOn: '2024-01-10',
      examBoardId: 'bsu-board-2024-07',
      examBoardOn: '2024-07-12',
    },
  };
  for (const plan of Object.values(plans)) await createCohort(ledger, plan);
  let students = 0;
  const confer = async (id: string, plan: CohortPlan) => {
    await ledger.execute(
      id,
      'conferAward',
      { examBoardId: plan.examBoardId, conferredOn: plan.examBoardOn },
      { actor: staff.registry },
    );
  };
  const enrol = async (plan: CohortPlan, who: Applicant) => {
    students++;
    return applyAndEnrol(ledger, plan, who);
  };

  const b = plans.blended!;
  const amara = await enrol(b, person(1, 'Amara', 'Okafor'));
  await study(ledger, amara, b, { marks: { M1: 68, M2: 61, M3: 72 } });
  await confer(amara, b);
  const gwen = await enrol(b, person(2, 'Gwen', 'Pritchard'));
  await study(ledger, gwen, b, { marks: { M1: 58, M2: 55, M3: 63 }, missedWebex: ['M2'] });
  await confer(gwen, b);
  const tom = await enrol(b, person(3, 'Tom', 'Hughes'));
  await study(ledger, tom, b, { marks: { M1: 62, M2: 43, M3: 57 } });
  await ledger.execute(
    tom,
    'permitResubmission',
    // permitted at the exam board that ratified the fail, with a deadline after it
    { moduleCode: 'M2', deadline: '2025-02-28', permittedOn: b.examBoardOn },
    { actor: staff.registry },
  );
  const priya = await enrol(b, person(4, 'Priya', 'Shah', { qts: 'none', appointedOn: null }));
  await study(ledger, priya, b, { marks: { M1: 66, M2: 59, M3: 61 } });
  const leon = await enrol(b, person(5, 'Leon', 'Baptiste', { appointedOn: '2024-01-02' }));
  await study(ledger, leon, b, { marks: { M1: 57 }, ratify: false });
  // a mitigating-circumstances claim waiting for the board to decide it (M2 and M3 not yet taken)
  await ledger.execute(
    leon,
    'submitMitigatingCircumstances',
    {
      claimId: 'mc-leon-1',
      submittedOn: '2024-06-10',
      circumstances: 'Bereavement in the family during the M2 and M3 study period',
      evidence: [{ kind: 'letter', reference: 'mc/leon-baptiste/letter-from-gp.pdf' }],
      affects: [
        { kind: 'module', moduleCode: 'M2' },
        { kind: 'module', moduleCode: 'M3' },
      ],
      requested: 'deferral',
    },
    { actor: staff.tutor },
  );
  const nia = await enrol(b, person(6, 'Nia', 'Williams'));
  await ledger.execute(
    nia,
    'withdrawStudent',
    { on: '2024-03-01', reason: 'Left the SENCO post' },
    { actor: staff.registry },
  );

  const p = plans.bpn!;
  const ruth = await enrol(p, person(7, 'Ruth', 'Adeyemi'));
  await study(ledger, ruth, p, { marks: { RA1: 64, RA2: 59 } });
  await confer(ruth, p);
  const owen = await enrol(p, person(8, 'Owen', 'Clarke'));
  await study(ledger, owen, p, { marks: { RA1: 52, RA2: 60 } });
  await confer(owen, p);
  const owenMark = ledger.queries.record(owen).modules.RA1![0]!.markChain!;
  await ledger.execute(
    owen,
    'correctMark',
    {
      correctsEventId: owenMark,
      correctedMark: 47,
      reason: 'Moderation sample found a marking-grid arithmetic error',
    },
    { actor: staff.admin },
  );
  const hana = await enrol(p, person(9, 'Hana', 'Kowalski', { appointedOn: '2024-03-01' }));
  await ledger.execute(
    hana,
    'recordFacilitatedDay',
    { sessionId: 'day-1', attendedOn: '2024-01-08', mode: 'online' },
    { actor: staff.tutor },
  );

  const s = plans.sw!;
  const dev = await enrol(s, person(10, 'Dev', 'Patel'));
  await study(ledger, dev, s, { marks: { SW1: 55, SW2: 67 } });
  await confer(dev, s);
  const cara = await enrol(s, person(11, 'Cara', 'Murphy', { appointedOn: '2024-09-01' }));
  await study(ledger, cara, s, { marks: { SW1: 61 }, ratify: false });

  const e = plans.experienced!;
  const jo = await enrol(e, person(12, 'Jo', 'Evans', { appointedOn: '2006-09-01', priorSencoMonths: 200 }));
  await study(ledger, jo, e, { marks: { TASK60: 70 } });
  await confer(jo, e);
  const sam = await enrol(e, person(13, 'Sam', 'Reid', { appointedOn: '2012-01-09', priorSencoMonths: 30 }));
  await study(ledger, sam, e, { marks: { PORT: 58, PRES: 62 }, ratify: false });
  // Sam's PRES mark (October) came after the July board: a later board ratifies both marks
  const november = { ...e, examBoardId: 'bsu-board-2024-11', examBoardOn: '2024-11-13' };
  await recordHeldBoard(ledger, november);
  await ratify(ledger, sam, november);

  // A National Award course started after 1 September 2024: the university's award stands, and the
  // decision says it does not satisfy reg. 49(7); the at-risk list says the NPQ is what is missing.
  const late: CohortPlan = {
    cohortId: 'bpn-2024-autumn-bristol',
    spec: ref.specification('bpn-bathspa', 1),
    startsOn: '2024-09-16',
    examBoardId: 'bsu-board-2025-07',
    examBoardOn: '2025-07-11',
  };
  await createCohort(ledger, late);
  const grace = await enrol(late, person(14, 'Grace', 'Mensah', { appointedOn: '2024-09-02' }));
  await study(ledger, grace, late, { marks: { RA1: 61, RA2: 66 } });
  await confer(grace, late);

  const npq = await loadNpqDemo(ledger, enrol, confer);
  return { students: students + 1, cohorts: Object.keys(plans).length + 1 + npq.cohorts };
}
