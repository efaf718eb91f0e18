import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { MemoryTokenStore } from '../../src/auth/tokens.ts';
import { applyAndEnrol, createCohort, study } from '../../src/demo/journeys.ts';
import { participationSessions } from '../../src/demo/participation.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { buildServer } from '../../src/server.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { auth } from '../support/http.ts';
import { applicant, planFor, TEST_SPECIFICATIONS, testLedger } from '../support/ledger.ts';

// Qualifications as data. One provider holds the National Award and the NPQ for SENCOs in one ledger; an
// NPQ participant runs from application to award through the API; and a deliberately odd specification
// (two assessments in one window, a 75% threshold on activities alone) runs with no code of its own.

describe('an NPQ participant from application to award, through the API, beside a National Award cohort', () => {
  let app: FastifyInstance;
  let ledger: Ledger;
  const tokens: Record<'registry' | 'tutor' | 'admin', string> = { registry: '', tutor: '', admin: '' };

  beforeAll(async () => {
    const now = new Date('2026-12-01T10:00:00Z');
    ledger = new Ledger({
      store: new MemoryEventStore(() => now),
      keys: new MemoryKeyStore(),
      reference: loadReferenceData(),
      clock: () => now,
    });
    await ledger.start();
    const store = new MemoryTokenStore();
    tokens.registry = store.create({ id: 'registry-officer-1', role: 'registry', label: 'test' });
    tokens.tutor = store.create({ id: 'tutor-1', role: 'tutor', label: 'test' });
    tokens.admin = store.create({ id: 'admin-1', role: 'admin', label: 'test' });
    store.create({ id: 'examiner-1', role: 'examiner', label: 'test' });
    app = await buildServer({ ledger, tokens: store, logLevel: 'silent' });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await ledger.stop();
  });

  const call = async (who: keyof typeof tokens, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const r = await app.inject({ method, url, headers: auth(tokens[who]), ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: r.json() };
  };
  const ok = async (who: keyof typeof tokens, url: string, payload: unknown) => {
    const r = await call(who, 'POST', url, payload);
    expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBe(201);
    return r.body;
  };

  it('runs from application to the NPQ, and the duty is satisfied by it', async () => {
    const npq = ledger.reference.specification('npq-senco-bpn', 1);
    const sessions = participationSessions(npq, '2024-10-07');
    await ok('registry', '/cohorts', {
      cohortId: 'npq-api',
      name: 'NPQ for SENCOs, autumn 2024',
      programmeId: npq.programmeId,
      specVersion: 1,
      intake: 'autumn',
      location: 'Online',
      mode: 'blended',
      startsOn: '2024-10-07',
      sessions,
    });
    await ok('registry', '/cohorts/npq-api/staff', { staffId: 'tutor-1', role: 'tutor' });
    // a board sits with an external examiner of the cohort
    await ok('registry', '/cohorts/npq-api/staff', { staffId: 'examiner-1', role: 'examiner' });
    await ok('registry', '/cohorts/npq-api/assessment-windows', {
      windowId: 'spring-2026',
      moduleCodes: ['CS'],
      opensOn: '2026-04-07',
      closesOn: '2026-04-14',
    });
    await ok('registry', '/cohorts/npq-api/exam-boards', {
      examBoardId: 'bpn-npq-board',
      heldOn: '2026-05-20',
      externalExaminers: ['examiner-1'],
    });
    // the same provider's National Award cohort, in the same ledger
    await createCohort(ledger, planFor(ledger.reference.specification('bpn-bathspa', 1)));

    const created = await ok('registry', '/students', {
      personal: {
        fullName: 'Asha Begum',
        email: 'asha@school.example',
        dateOfBirth: '1986-02-11',
        teacherReferenceNumber: '7654321',
      },
      programmeId: npq.programmeId,
      school: { name: 'Hill Primary', type: 'maintained-mainstream' },
      intake: 'autumn',
      submittedOn: '2024-08-20',
    });
    const s = (command: string) => `/students/${created.studentId}/${command}`;
    await ok('registry', s('record-qts-evidence'), {
      status: 'QTS',
      trnChecked: true,
      awardedOn: '2012-07-20',
      inductionCompleted: true,
    });
    await ok('registry', s('confirm-senco-role'), {
      basis: 'governing-body-designation',
      confirmedByRole: 'Chair of governors',
      confirmedOn: '2024-09-02',
    });
    await ok('registry', s('record-senco-appointment'), {
      appointedOn: '2024-09-02',
      priorSencoMonths: 0,
      schoolType: 'maintained-mainstream',
    });
    await ok('registry', s('assess-eligibility'), { eligible: true, route: 'qualification' });
    await ok('registry', s('offer-place'), { cohortId: 'npq-api', offeredOn: '2024-09-16' });
    await ok('registry', s('enrol'), { cohortId: 'npq-api', enrolledOn: '2024-10-07' });

    // 14 of 16 sessions and activities is below 90%: the case study cannot be sat
    for (const session of sessions.slice(0, 14))
      await ok('tutor', s('record-participation'), {
        sessionId: session.sessionId,
        participatedOn: session.date,
      });
    const sit = { moduleCode: 'CS', attempt: 1, windowId: 'spring-2026', submittedOn: '2026-04-12' };
    const below = await call('tutor', 'POST', s('sit-assessment'), sit);
    expect(below.status).toBe(422);
    expect(below.body.error).toMatchObject({
      code: 'participation_below_threshold',
      details: { counted: 14, of: 16 },
    });
    await ok('tutor', s('record-participation'), {
      sessionId: sessions[14]!.sessionId,
      participatedOn: sessions[14]!.date,
    });
    const late = await call('tutor', 'POST', s('sit-assessment'), { ...sit, submittedOn: '2026-04-15' });
    expect(late.body.error.code).toBe('outside_assessment_window');
    await ok('tutor', s('sit-assessment'), sit);
    // a pass/fail assessment is not marked
    const marked = await call('tutor', 'POST', s('mark-assignment'), {
      moduleCode: 'CS',
      attempt: 1,
      mark: 70,
      markedOn: '2026-04-28',
    });
    expect(marked.body.error.code).toBe('assessment_is_pass_fail');
    await ok('tutor', s('record-assessment-result'), {
      moduleCode: 'CS',
      attempt: 1,
      result: 'pass',
      assessedOn: '2026-04-28',
    });
    expect((await call('registry', 'GET', s('decision'))).body.decision.outcome).toBe('not-yet-eligible');
    await ok('registry', s('confirm-results'), { examBoardId: 'bpn-npq-board', boardDate: '2026-05-20' });

    const { decision } = (await call('registry', 'GET', s('decision'))).body;
    expect(decision).toMatchObject({
      outcome: 'awarded',
      award: 'qualification',
      title: 'National Professional Qualification for Special Educational Needs Co-ordinators',
      duty: { satisfies: 'yes', startedOn: '2024-10-07', completedOn: '2026-05-20' },
    });
    expect(decision.rules.map((r: { rule: string }) => r.rule)).toContain('participation');
    const conferred = await ok('registry', s('confer-award'), {
      examBoardId: 'bpn-npq-board',
      conferredOn: '2026-05-20',
    });
    expect(conferred.events[0].data).toMatchObject({
      award: 'qualification',
      awards: ['National Professional Qualification for Special Educational Needs Co-ordinators'],
      duty: { satisfies: 'yes', completedOn: '2026-05-20' },
    });
    expect((await call('registry', 'GET', s('reproduce'))).body.reproductions[0].reproduced).toBe(true);
    const { statutory } = (await call('registry', 'GET', s('deadlines'))).body;
    expect(statutory).toMatchObject({
      requirement: 'required',
      threeYearDeadline: '2027-09-02',
      threeYearRisk: 'met',
      qualificationNeeded: { kind: 'npq-senco' },
      qualificationMissing: null,
    });
    // one ledger, both qualifications
    const specs = (await call('registry', 'GET', '/specifications')).body.specifications.map(
      (x: { qualification: { kind: string } }) => x.qualification.kind,
    );
    expect(new Set(specs)).toEqual(new Set(['national-award', 'npq-senco']));
  });
});

describe('a deliberately odd specification, carried by the schema without code', () => {
  it('two assessments in one window, one marked and one pass/fail, behind a 75% threshold on activities', async () => {
    const { ledger } = await testLedger(
      '2027-12-01', // after the last fact of the plan (it starts in January 2025)
      undefined,
      loadReferenceData({ specs: TEST_SPECIFICATIONS }),
    );
    const spec = ledger.reference.specification('odd-two-in-one-window', 1);
    // the board sits after the window (January 2027): a board ratifies only marks made by its day
    const plan = { ...planFor(spec, '2025-01-06'), examBoardOn: '2027-03-05' };
    await createCohort(ledger, plan);
    const windows = ledger.queries.findCohort(plan.cohortId)!.assessmentWindows;
    expect(windows[0]!.moduleCodes).toEqual(['WA', 'WB']);
    // 5 of the 8 activities (sessions do not count here): below 75%
    const few = await applyAndEnrol(ledger, plan, applicant(71));
    await study(ledger, few, plan, { marks: { WA: 55 }, results: { WB: 'pass' }, participation: 5 }).catch(
      (e) => e,
    );
    expect(ledger.queries.decision(few)!.rules.find((r) => r.rule === 'participation')).toMatchObject({
      outcome: 'not-met',
      figures: { counted: 5, of: 8, thresholdPercent: 75 },
    });
    const id = await applyAndEnrol(ledger, plan, applicant(72));
    // the window opens on the day the two-year limit ends, and completion is the board's day after it
    await ledger.execute(
      id,
      'grantExtension',
      {
        timeLimit: 'programme',
        newDeadline: '2027-03-31',
        reason: 'The assessment window falls at the limit',
      },
      { actor: { id: 'registry-officer-1', role: 'registry' } },
    );
    await study(ledger, id, plan, { marks: { WA: 45 }, results: { WB: 'pass' } });
    const d = ledger.queries.decision(id)!;
    expect(d).toMatchObject({
      outcome: 'awarded',
      title: 'Certificate in Odd Programmes',
      awards: ['Certificate in Odd Programmes'],
    });
    expect(d.credits).toMatchObject({ earned: 20, required: 20 });
    expect(d.rules.find((r) => r.rule === 'credits')!.title).toBe('20 credits at level 6');
    // a qualification the regulations do not name satisfies no duty, and says so
    expect(d.duty).toMatchObject({ satisfies: 'no', qualification: { kind: 'odd-professional-award' } });
    await ledger.stop();
  });
});
