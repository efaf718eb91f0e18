import { describe, expect, it } from 'vitest';
import {
  applyAndEnrol,
  createCohort,
  ratify,
  recordHeldBoard,
  staff,
  study,
} from '../../src/demo/journeys.ts';
import {
  assignmentsTimeLimitRule,
  facilitatedDaysRule,
  outcomesRule,
  partnerSchoolRule,
  qtsRule,
  vivaRule,
  webexRule,
} from '../../src/domain/rules/index.ts';
import { LedgerError } from '../../src/errors.ts';
import { applicant, plans, testLedger } from '../support/ledger.ts';

describe('a student on each seed programme goes from application to award', () => {
  it('Best Practice Network / Bath Spa (seed 000): two reflective accounts, six days, all outcomes', async () => {
    const { ledger } = await testLedger('2024-07-20');
    const plan = plans(ledger.reference).bpn;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(1));
    expect(ledger.queries.decision(id)!.outcome).toBe('not-yet-eligible');
    await study(ledger, id, plan, { marks: { RA1: 64, RA2: 58 } });
    const decision = ledger.queries.decision(id)!;
    expect(decision.outcome).toBe('awarded');
    expect(decision.title).toBe('National Award for SEN Coordination');
    expect(decision.credits.earned).toBe(60);
    expect(decision.rules.find((r) => r.rule === facilitatedDaysRule.id)).toMatchObject({
      outcome: 'met',
      figures: { attended: 6, required: 6 },
    });
    expect(decision.rules.find((r) => r.rule === outcomesRule.id)).toMatchObject({
      outcome: 'met',
      figures: { deadline: '2025-07-08' },
    });
    expect(decision.rules.find((r) => r.rule === assignmentsTimeLimitRule.id)).toMatchObject({
      outcome: 'met',
      figures: { deadline: '2025-03-31' },
    });
    const conferred = await ledger.execute(
      id,
      'conferAward',
      { examBoardId: plan.examBoardId, conferredOn: '2024-07-20' },
      { actor: staff.registry },
    );
    expect(conferred.events[0]).toMatchObject({
      type: 'AwardConferred',
      data: { award: 'qualification', decisionDigest: decision.digest },
    });
    const [reproduction] = await ledger.queries.reproduce(id);
    expect(reproduction!.reproduced).toBe(true);
  });

  it('South West Consortium (seed 001): six taught days and two Masters assignments', async () => {
    const { ledger } = await testLedger('2024-07-20');
    const plan = plans(ledger.reference).sw;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(2));
    await study(ledger, id, plan, { marks: { SW1: 55, SW2: 71 } });
    const decision = ledger.queries.decision(id)!;
    expect(decision.outcome).toBe('awarded');
    expect(decision.rules.find((r) => r.rule === facilitatedDaysRule.id)!.figures).toMatchObject({
      recommendedStudyDays: 4,
    });
    await ledger.execute(
      id,
      'conferAward',
      { examBoardId: plan.examBoardId, conferredOn: '2024-07-20' },
      { actor: staff.registry },
    );
    expect(ledger.queries.record(id).awards).toHaveLength(1);
  });

  it('experienced SENCOs (seed 002): one 60-credit task, the five-area framework and a viva', async () => {
    const { ledger } = await testLedger('2024-07-20');
    const plan = plans(ledger.reference).experienced;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(
      ledger,
      plan,
      applicant(3, { appointedOn: '2015-09-01', priorSencoMonths: 100 }),
    );
    await study(ledger, id, plan, { marks: { TASK60: 62 } });
    const decision = ledger.queries.decision(id)!;
    expect(decision.outcome).toBe('awarded');
    expect(decision.framework).toEqual({ frameworkId: 'nasenco-experienced', version: 1 });
    expect(decision.rules.find((r) => r.rule === vivaRule.id)!.outcome).toBe('met');
    expect(ledger.queries.deadlines(id).statutory.requirement).toBe('exempt-prior-service');
  });

  it('the three-module blended programme (seeds 003/004): WebEx, partner schools, three 20-credit modules', async () => {
    const { ledger } = await testLedger('2024-11-20');
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(4));
    await study(ledger, id, plan, { marks: { M1: 66, M2: 52, M3: 70 } });
    const decision = ledger.queries.decision(id)!;
    expect(decision.outcome).toBe('awarded');
    expect(decision.rules.find((r) => r.rule === partnerSchoolRule.id)!.figures).toMatchObject({
      total: 5,
      'M2.days': 1,
    });
    expect(decision.rules.find((r) => r.rule === webexRule.id)!.figures).toMatchObject({
      required: 3,
      satisfied: 3,
    });
  });
});

describe('edge cases', () => {
  it('no QTS on the blended programme gives the fallback certificate, not the National Award', async () => {
    const { ledger } = await testLedger('2024-11-20');
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(5, { qts: 'none', appointedOn: null }));
    await study(ledger, id, plan, { marks: { M1: 60, M2: 60, M3: 60 } });
    const decision = ledger.queries.decision(id)!;
    expect(decision.outcome).toBe('fallback-certificate');
    expect(decision.title).toBe('Postgraduate Certificate in Education (Special Needs and Inclusion)');
    // the certificate is not the statutory qualification: the decision says so beside the award
    expect(decision.duty).toMatchObject({ satisfies: 'no', qualification: { kind: 'national-award' } });
    const conferred = await ledger.execute(
      id,
      'conferAward',
      { examBoardId: plan.examBoardId, conferredOn: '2024-11-20' },
      { actor: staff.registry },
    );
    expect(conferred.events[0]!.data).toMatchObject({ award: 'fallback-certificate' });
  });

  it('no QTS on a programme without a fallback award fails, and says why', async () => {
    const { ledger } = await testLedger('2024-07-20');
    const plan = plans(ledger.reference).bpn;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(6, { qts: 'none', appointedOn: null }));
    const decision = ledger.queries.decision(id)!;
    expect(decision.outcome).toBe('failed');
    expect(decision.rules.find((r) => r.rule === qtsRule.id)!.reason).toMatch(/no award without it/);
  });

  it('a second APL/RPL claim over the cap is refused and writes nothing', async () => {
    const { ledger } = await testLedger('2024-11-20');
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(7));
    const claim = (claimId: string, moduleCode: string) =>
      ledger.execute(
        id,
        'submitAplClaim',
        {
          claimId,
          moduleCode,
          route: 'RPL',
          submittedOn: '2024-01-20',
          evidenceSummary: 'Led SEN policy review for three years',
        },
        { actor: staff.tutor },
      );
    await claim('apl-1', 'M1');
    await ledger.execute(
      id,
      'decideAplClaim',
      {
        claimId: 'apl-1',
        decision: 'approved',
        decidedOn: '2024-02-01',
        reason: 'Portfolio meets all M1 outcomes',
      },
      { actor: staff.registry },
    );
    const before = ledger.queries.record(id).revision;
    const error = await claim('apl-2', 'M2').catch((e) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ kind: 'refused', code: 'apl_cap_reached' });
    expect(error.message).toMatch(/at most 1 module/);
    expect(ledger.queries.record(id).revision).toBe(before);
    await study(ledger, id, plan, { marks: { M2: 61, M3: 59 } });
    const decision = ledger.queries.decision(id)!;
    expect(decision.outcome).toBe('awarded');
    expect(decision.credits.modules.find((m) => m.moduleCode === 'M1')!.status).toBe('apl-approved');
    // The APL-replaced module needs no WebEx session or partner-school days.
    expect(decision.rules.find((r) => r.rule === webexRule.id)!.figures).toMatchObject({
      required: 2,
      modulesReplacedByApl: 1,
    });
  });

  it('a resubmission is capped at the pass mark', async () => {
    const { ledger, setToday } = await testLedger('2024-11-20');
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(8));
    await study(ledger, id, plan, { marks: { M1: 64, M2: 41, M3: 58 } });
    expect(ledger.queries.credits(id)!.modules.find((m) => m.moduleCode === 'M2')!.status).toBe(
      'resubmission-available',
    );
    expect(ledger.queries.decision(id)!.outcome).toBe('not-yet-eligible');
    const permitted = await ledger.execute(
      id,
      'permitResubmission',
      { moduleCode: 'M2', deadline: '2025-01-31' },
      { actor: staff.registry },
    );
    expect(permitted.events[0]!.data).toMatchObject({ attempt: 2, capAt: 50 });
    setToday('2025-02-14');
    await ledger.execute(
      id,
      'submitAssignment',
      { moduleCode: 'M2', attempt: 2, kind: 'final', submittedOn: '2025-01-20' },
      { actor: staff.tutor },
    );
    await ledger.execute(
      id,
      'markAssignment',
      { moduleCode: 'M2', attempt: 2, mark: 72, markedOn: '2025-01-28' },
      { actor: staff.tutor },
    );
    // the November board cannot ratify a January mark: the February board does
    const february = { ...plan, examBoardId: 'board-2025-02', examBoardOn: '2025-02-14' };
    const early = await ratify(ledger, id, plan).catch((e) => e);
    expect(early.code).toBe('nothing_to_ratify');
    await recordHeldBoard(ledger, february);
    await ratify(ledger, id, february);
    const m2 = ledger.queries.credits(id)!.modules.find((m) => m.moduleCode === 'M2')!;
    expect(m2.status).toBe('passed');
    expect(m2.attempts[1]).toMatchObject({ mark: 72, cappedAt: 50, effectiveMark: 50, ratified: true });
    expect(ledger.queries.decision(id)!.outcome).toBe('awarded');
    // A second resubmission is beyond the limit of one.
    const again = await ledger
      .execute(id, 'permitResubmission', { moduleCode: 'M2', deadline: null }, { actor: staff.registry })
      .catch((e) => e);
    expect(again.code).toBe('no_failed_attempt');
  });

  it('a missed WebEx with a reported absence, authorised by registry, and a catch-up still meets the 100% rule', async () => {
    const { ledger } = await testLedger('2024-11-20');
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(9));
    await ledger.execute(
      id,
      'reportWebexAbsence',
      {
        sessionId: 'webex-M1-1',
        moduleCode: 'M1',
        reason: 'Ofsted inspection day',
        reportedOn: '2024-01-08',
      },
      { actor: staff.tutor },
    );
    const pending = ledger.queries.decision(id)!.rules.find((r) => r.rule === webexRule.id)!;
    expect(pending.outcome).toBe('not-met');
    expect(pending.outstanding).toContain(
      'M1: registry to decide whether the reported WebEx absence is authorised',
    );
    // seed 004 Q5, strict 100%: a catch-up counts only for an absence registry authorised
    await ledger.execute(
      id,
      'decideWebexAbsence',
      {
        sessionId: 'webex-M1-1',
        moduleCode: 'M1',
        decision: 'authorised',
        decidedOn: '2024-01-09',
        reason: 'An Ofsted inspection, unforeseen',
      },
      { actor: staff.registry },
    );
    expect(ledger.queries.decision(id)!.rules.find((r) => r.rule === webexRule.id)!.outstanding).toContain(
      'M1: complete the catch-up for the reported WebEx absence',
    );
    const attendedAfter = await ledger
      .execute(
        id,
        'recordWebexAttendance',
        { sessionId: 'webex-M1-1', moduleCode: 'M1', attendedOn: '2024-01-08' },
        { actor: staff.tutor },
      )
      .catch((e) => e);
    expect(attendedAfter.code).toBe('absence_reported');

    const other = await applyAndEnrol(ledger, plan, applicant(19));
    await study(ledger, other, plan, { marks: { M1: 60, M2: 60, M3: 60 }, missedWebex: ['M1'] });
    const rule = ledger.queries.decision(other)!.rules.find((r) => r.rule === webexRule.id)!;
    expect(rule).toMatchObject({ outcome: 'met', figures: { byCatchUp: 1, satisfied: 3 } });
    expect(ledger.queries.decision(other)!.outcome).toBe('awarded');
  });

  it('an outcome signed off after the 18-month limit lapses the National Award: the exit award is the PG Certificate (seed 000)', async () => {
    const { ledger } = await testLedger('2025-09-01');
    const plan = plans(ledger.reference).bpn;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(10));
    await study(ledger, id, plan, { marks: { RA1: 60, RA2: 60 }, signOffAfterMonths: 19 });
    const decision = ledger.queries.decision(id)!;
    expect(decision).toMatchObject({
      outcome: 'exit-award',
      awards: ['Postgraduate Certificate in SEN Coordination'],
    });
    const rule = decision.rules.find((r) => r.rule === outcomesRule.id)!;
    expect(rule.outcome).toBe('lapsed');
    expect(rule.reason).toMatch(/after the time limit of 2025-07-08/);
    // An extension granted by registry brings it back within the limit.
    await ledger.execute(
      id,
      'grantExtension',
      { timeLimit: 'outcomes', newDeadline: '2025-09-30', reason: 'Long-term illness, evidence on file' },
      { actor: staff.registry },
    );
    expect(ledger.queries.decision(id)!.outcome).toBe('awarded');
  });

  it('a mark correction that flips the decision after conferral raises a review flag, never a silent change', async () => {
    const { ledger, setToday } = await testLedger('2024-07-20');
    const plan = plans(ledger.reference).bpn;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(11));
    await study(ledger, id, plan, { marks: { RA1: 52, RA2: 60 } });
    const conferred = await ledger.execute(
      id,
      'conferAward',
      { examBoardId: plan.examBoardId, conferredOn: '2024-07-20' },
      { actor: staff.registry },
    );
    // A fact that can only add (a visit) is no reason for review.
    await ledger.execute(
      id,
      'recordPartnerSchoolVisit',
      { school: { name: 'Oak' }, phase: 'primary', visitedOn: '2024-07-15', moduleCode: 'RA1', hours: 3 },
      { actor: staff.tutor },
    );
    expect(ledger.queries.reviews()).toEqual([]);
    const markEvent = ledger.queries.record(id).modules.RA1![0]!.markChain!;
    const correction = await ledger.execute(
      id,
      'correctMark',
      { correctsEventId: markEvent, correctedMark: 45, reason: 'Arithmetic error in the marking grid' },
      { actor: staff.admin },
    );
    expect(correction.events[0]!.data).toMatchObject({
      correctsEventId: markEvent,
      previousMark: 52,
      correctedMark: 45,
    });
    const flags = ledger.queries.reviews();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      studentId: id,
      awardEventId: conferred.events[0]!.eventId,
      conferred: 'qualification',
      raisedBy: { eventId: correction.events[0]!.eventId },
    });
    // The award still stands, and the original decision is still reproduced from the log at its position.
    expect(ledger.queries.record(id).awards[0]!.withdrawn).toBeNull();
    const [reproduction] = await ledger.queries.reproduce(id);
    expect(reproduction!.reproduced).toBe(true);
    expect(ledger.queries.decision(id)!.outcome).toBe('not-yet-eligible');
    // The audit trail links the correction to the mark it corrects.
    const trail = await ledger.queries.auditTrail(id);
    expect(trail.byId.get(markEvent)!.correctedBy).toContain(correction.events[0]!.eventId);
    // Registry resolves the review by withdrawing the award, days later.
    setToday('2024-07-25');
    await ledger.execute(
      id,
      'withdrawAward',
      {
        awardEventId: conferred.events[0]!.eventId,
        reason: 'RA1 corrected below the pass mark',
        withdrawnOn: '2024-07-25',
      },
      { actor: staff.registry },
    );
    expect(ledger.queries.reviews()).toHaveLength(0);
  });

  it('a withdrawn student: the decision says so and nothing more can be recorded', async () => {
    const { ledger } = await testLedger('2024-07-20');
    const plan = plans(ledger.reference).sw;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(12));
    await ledger.execute(
      id,
      'withdrawStudent',
      { on: '2024-03-01', reason: 'Moved to a post outside teaching' },
      { actor: staff.registry },
    );
    expect(ledger.queries.decision(id)!.outcome).toBe('withdrawn');
    const before = ledger.queries.record(id).revision;
    const error = await ledger
      .execute(
        id,
        'recordFacilitatedDay',
        { sessionId: 'day-2', attendedOn: '2024-03-15', mode: 'online' },
        { actor: staff.tutor },
      )
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'refused', code: 'student_withdrawn' });
    expect(ledger.queries.record(id).revision).toBe(before);
  });
});
