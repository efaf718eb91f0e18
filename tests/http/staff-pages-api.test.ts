import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions, commandNames } from '../../src/domain/commands.ts';
import { kebab } from '../../src/http/commands.ts';
import { auth, demoServer, type Who } from '../support/http.ts';
import { sampleBodies } from '../support/samples.ts';

// The API behind the staff pages: per-cohort reads (register, visits, mark grid), the sign-off
// workbook, student search, the applicants' CSV upload, the staff who may be assigned, and the preview
// that decides a command without appending it.

const COHORT = 'blended-2024-spring-online';
const HEADER =
  'full_name,email,date_of_birth,teacher_reference_number,qts_status,appointed_senco_on,prior_senco_months,school_name,school_type';

describe('the API behind the staff pages', () => {
  let server: Awaited<ReturnType<typeof demoServer>>;
  const idOf = (name: string) => {
    for (const r of server.ledger.queries.records())
      if (server.ledger.queries.personalDetails(r)?.fullName === name) return r.studentId;
    throw new Error(`no ${name}`);
  };
  const get = async (url: string, who: Who = 'tutor') => {
    const r = await server.app.inject({ method: 'GET', url, headers: auth(server.tokens[who]) });
    return { status: r.statusCode, body: r.json() };
  };
  const post = async (url: string, payload: unknown, who: Who, contentType = 'application/json') => {
    const r = await server.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(server.tokens[who]), 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    return { status: r.statusCode, body: r.json() };
  };

  beforeAll(async () => {
    server = await demoServer();
  });

  it('the register shows each session by student, and the reported absences still to catch up', async () => {
    const leon = idOf('Leon Baptiste');
    // Leon studied M1 only: the M2 session is not recorded; report his absence
    expect(
      (
        await post(
          `/students/${leon}/report-webex-absence`,
          {
            sessionId: 'webex-M2-1',
            moduleCode: 'M2',
            reason: 'Ofsted inspection',
            reportedOn: '2024-04-08',
          },
          'tutor',
        )
      ).status,
    ).toBe(201);
    const { status, body } = await get(`/cohorts/${COHORT}/register`);
    expect(status).toBe(200);
    expect(body.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([
      'webex-M1-1',
      'webex-M2-1',
      'webex-M3-1',
    ]);
    const row = (name: string) => body.students.find((s: { name: string }) => s.name === name);
    expect(row('Gwen Pritchard').attendance['webex-M2-1']).toMatchObject({
      state: 'caught-up',
      reportedOn: '2024-04-08',
      on: '2024-05-08',
    });
    expect(row('Leon Baptiste').attendance['webex-M1-1']).toMatchObject({
      state: 'attended',
      on: '2024-01-08',
    });
    expect(row('Leon Baptiste').attendance['webex-M2-1']).toMatchObject({ state: 'absence-reported' });
    expect(row('Nia Williams').status).toBe('withdrawn');
    expect(body.catchUps).toEqual([
      expect.objectContaining({ studentId: leon, sessionId: 'webex-M2-1', reason: 'Ofsted inspection' }),
    ]);

    // an examiner reads the same register by student id, without names
    const asExaminer = await get(`/cohorts/${COHORT}/register`, 'examiner');
    expect(asExaminer.body.students.every((s: { name: string | null }) => s.name === null)).toBe(true);
    expect((await get(`/cohorts/${COHORT}/register`, 'otherTutor')).status).toBe(403);
  });

  it('the mark grid shows the pass mark, the resubmission cap, the marker and each moderation', async () => {
    const tom = idOf('Tom Hughes');
    const attempt2 = await get(`/cohorts/${COHORT}/marks?moduleCode=M2&attempt=2`);
    expect(attempt2.body.module).toMatchObject({
      code: 'M2',
      passMark: 50,
      resubmissionCap: 50,
      attemptsAllowed: 2,
    });
    const tomRow = () => attempt2.body.rows.find((r: { studentId: string }) => r.studentId === tom);
    expect(tomRow()).toMatchObject({
      open: true,
      permitted: { capAt: 50, dueBy: '2025-02-28' },
      submission: null,
      mark: null,
    });
    expect(
      attempt2.body.rows
        .filter((r: { open: boolean }) => r.open)
        .map((r: { studentId: string }) => r.studentId),
    ).toEqual([tom]);

    // the resubmission is marked by a named university marker, then moderated by the tutor
    await post(
      `/students/${tom}/submit-assignment`,
      { moduleCode: 'M2', attempt: 2, kind: 'final', submittedOn: '2025-02-20' },
      'tutor',
    );
    const marked = await post(
      `/students/${tom}/mark-assignment`,
      { moduleCode: 'M2', attempt: 2, mark: 66, markedOn: '2025-03-01', marker: { id: 'uni-marker-4' } },
      'tutor',
    );
    expect(marked.status).toBe(201);
    await post(
      `/students/${tom}/moderate-mark`,
      { markEventId: marked.body.events[0].eventId, moderatedMark: 62, moderatedOn: '2025-03-05' },
      'tutor',
    );
    const grid = await get(`/cohorts/${COHORT}/marks?moduleCode=M2&attempt=2`);
    const row = grid.body.rows.find((r: { studentId: string }) => r.studentId === tom);
    expect(row.submission.on).toBe('2025-02-20');
    expect(row.mark).toMatchObject({
      firstMark: 66,
      marker: 'uni-marker-4',
      markedOn: '2025-03-01',
      mark: 62,
      cappedAt: 50,
      effectiveMark: 50,
      passed: true,
      ratified: false,
      later: [expect.objectContaining({ kind: 'moderated', mark: 62, by: 'tutor-1', on: '2025-03-05' })],
    });
    expect((await get(`/cohorts/${COHORT}/marks?moduleCode=M9`)).body.error.code).toBe(
      'module_not_on_programme',
    );
    expect((await get(`/cohorts/${COHORT}/marks?moduleCode=M2&attempt=3`)).status).toBe(422);
  });

  it('the visits read counts each module against its requirement', async () => {
    const { body } = await get(`/cohorts/${COHORT}/visits`);
    expect(body.requirement.modules).toEqual([
      { moduleCode: 'M1', title: expect.any(String), days: 2 },
      { moduleCode: 'M2', title: expect.any(String), days: 1 },
      { moduleCode: 'M3', title: expect.any(String), days: 2 },
    ]);
    const leon = body.students.find((s: { name: string }) => s.name === 'Leon Baptiste');
    expect(leon.modules.map((m: { days: number; required: number }) => [m.days, m.required])).toEqual([
      [2, 2],
      [0, 1],
      [0, 2],
    ]);
  });

  it("the workbook lists the framework's outcomes with evidence, and which are due or overdue", async () => {
    const hana = idOf('Hana Kowalski'); // BPN: outcomes within 18 months of her first facilitated day (2024-01-08)
    const due = await get(`/students/${hana}/outcomes?on=2024-06-01`, 'registry');
    expect(due.body.deadline).toMatchObject({ deadline: '2025-07-08', from: '2024-01-08' });
    expect(due.body.counts).toMatchObject({ due: 14, overdue: 0, 'signed-off': 0 });
    const overdue = await get(`/students/${hana}/outcomes?on=2025-07-09`, 'registry');
    expect(overdue.body.counts).toMatchObject({ due: 0, overdue: 14 });
    const ruth = await get(`/students/${idOf('Ruth Adeyemi')}/outcomes`, 'registry');
    const a11 = ruth.body.parts[0].areas[0].outcomes[0];
    expect(a11).toMatchObject({
      code: 'A1.1',
      status: 'signed-off',
      signOff: { assessor: 'tutor-1' },
      evidence: [expect.objectContaining({ kind: 'document', reference: 'portfolio/A1.1.pdf' })],
    });
    expect(a11.evidence[0].usedBySignOffs).toEqual([a11.signOff.eventId]);
  });

  it('registry and admins search by name, email, teacher reference number or student number, sorted and paged', async () => {
    const amara = idOf('Amara Okafor');
    const trn = server.ledger.queries.personalDetails(server.ledger.queries.record(amara))!
      .teacherReferenceNumber!;
    const find = async (q: string) =>
      (await get(`/students/search?q=${encodeURIComponent(q)}`, 'registry')).body;
    expect((await find('okaf')).students.map((s: { studentId: string }) => s.studentId)).toEqual([amara]);
    expect((await find('amara.okafor@')).students[0].matchedBy).toEqual(['email']);
    expect((await find(trn)).students[0]).toMatchObject({
      studentId: amara,
      matchedBy: ['teacher reference number'],
    });
    expect((await find(amara.slice(-8))).students[0]).toMatchObject({
      studentId: amara,
      matchedBy: ['student number'],
    });
    const page = (await get('/students/search?sort=name&pageSize=5&page=2', 'admin')).body;
    expect(page).toMatchObject({ page: 2, pageSize: 5, pages: Math.ceil(page.total / 5) });
    expect(page.students).toHaveLength(5);
    const names = (
      await get('/students/search?sort=name&order=desc&pageSize=200', 'admin')
    ).body.students.map((s: { name: string }) => s.name);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a, 'en-GB')));
    expect((await get('/students/search?q=okaf', 'tutor')).status).toBe(403);
    // the role is checked before the query is: a tutor learns nothing from a malformed search
    expect((await get('/students/search?pageSize=500', 'tutor')).status).toBe(403);
    expect((await get('/staff?role=nobody', 'anonymous')).status).toBe(401);
    expect((await get(`/cohorts/${COHORT}/marks?attempt=0`, 'otherTutor')).status).toBe(403);
    expect((await get('/students/search?pageSize=500', 'registry')).body.error.issues[0].field).toBe(
      'querystring.pageSize',
    );
  });

  it('a preview decides a correction without appending it, and says the conferred award would go to review', async () => {
    const ruth = idOf('Ruth Adeyemi');
    const mark = server.ledger.queries.record(ruth).modules.RA1![0]!.markChain!;
    const body = { correctsEventId: mark, correctedMark: 30, reason: 'Second marking found an error' };
    const head = await server.ledger.store.headPosition();
    const preview = await post(`/students/${ruth}/preview/correct-mark`, body, 'admin');
    expect(preview.status).toBe(200);
    expect(await server.ledger.store.headPosition()).toBe(head); // nothing appended
    expect(preview.body.after.outcome).not.toBe('awarded');
    expect(preview.body).toMatchObject({
      appended: false,
      events: [{ type: 'MarkCorrected', data: { previousMark: 64, correctedMark: 30 } }],
      before: { outcome: 'awarded', creditsEarned: 60 },
      after: { creditsEarned: 30 },
      decisionChanges: true,
      review: {
        state: 'would-go-to-review',
        award: 'qualification',
        decisionOnAwardDate: 'not-yet-eligible',
      },
    });
    // the same body sent for real does what the preview said
    expect((await post(`/students/${ruth}/correct-mark`, body, 'admin')).status).toBe(201);
    const decision = (await get(`/students/${ruth}/decision`, 'registry')).body;
    expect(decision.decision.outcome).toBe(preview.body.after.outcome);
    expect(decision.reviewFlag).toMatchObject({ decisionNow: 'not-yet-eligible' });
    // a refusal is the same 422 the command gives
    const refusedPreview = await post(`/students/${ruth}/preview/correct-mark`, body, 'admin');
    expect(refusedPreview.body.error.code).toBe('correction_target_superseded');
    expect((await post(`/students/${ruth}/preview/correct-mark`, body, 'registry')).status).toBe(403);
  });

  it("the applicants' CSV reports every bad row at once, writes nothing, and a re-upload adds nobody twice", async () => {
    const url = `/cohorts/${COHORT}/applicants`;
    const head = await server.ledger.store.headPosition();
    const bad = [
      HEADER,
      'Ada Ray,ada@oak.example,1990-01-01,2345678,QTS,2024-01-01,0,Oak School,academy',
      'Bo Chen,not-an-email,1991-02-02,3456789,QTS,,0,Elm School,academy',
      'Cy Dunn,cy@elm.example,1992-13-01,,QTS,,0,Elm School,palace',
      'Ada Again,ada@oak.example,1990-01-01,2345678,QTS,2024-01-01,0,Oak School,academy',
    ].join('\n');
    const refused = await post(url, bad, 'registry', 'text/csv');
    expect(refused.status).toBe(400);
    expect(
      refused.body.error.issues.map((i: { row: number; column: string }) => `${i.row}:${i.column}`),
    ).toEqual([
      '3:email',
      '4:date_of_birth',
      '4:school_type',
      '4:teacher_reference_number',
      '5:teacher_reference_number',
      '5:email',
    ]);
    expect(await server.ledger.store.headPosition()).toBe(head);

    const good = [
      bad.split('\n')[0],
      bad.split('\n')[1],
      'Di Eze,di@elm.example,1993-03-03,,none,,0,Elm School,academy',
    ].join('\n');
    const first = await post(url, good, 'registry', 'text/csv');
    expect(first.status).toBe(201);
    expect(first.body.added.map((a: { fullName: string }) => a.fullName)).toEqual(['Ada Ray', 'Di Eze']);
    const members = server.ledger.queries.studentIds(COHORT).length;
    const again = await post(
      url,
      `${good}\nEd Fox,ed@elm.example,1994-04-04,4567890,QTS,,0,Elm School,academy`,
      'registry',
      'text/csv',
    );
    expect(again.body.added.map((a: { fullName: string }) => a.fullName)).toEqual(['Ed Fox']);
    expect(
      again.body.alreadyInCohort.map((a: { fullName: string; matchedBy: string }) => [
        a.fullName,
        a.matchedBy,
      ]),
    ).toEqual([
      ['Ada Ray', 'teacher reference number'],
      ['Di Eze', 'email'],
    ]);
    expect(server.ledger.queries.studentIds(COHORT).length).toBe(members + 1);
    const missing = await post(url, 'full_name,email\nA,a@b.example', 'registry', 'text/csv');
    expect(missing.body.error.issues[0]).toMatchObject({ row: 1, column: 'date_of_birth' });
  });

  it('staff may be assigned to a cohort only if they have a token of that role', async () => {
    const url = `/cohorts/${COHORT}/staff`;
    const staff = (await get('/staff?role=tutor', 'registry')).body.staff.map((s: { id: string }) => s.id);
    expect(staff).toEqual(['tutor-1', 'tutor-99']);
    const refused = await post(url, { staffId: 'tutor-nobody', role: 'tutor' }, 'registry');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'staff_without_token',
      details: { staffId: 'tutor-nobody' },
    });
    expect((await post(url, { staffId: 'examiner-99', role: 'tutor' }, 'registry')).status).toBe(422);
    expect((await post(url, { staffId: 'tutor-99', role: 'tutor' }, 'registry')).status).toBe(201);
    expect((await get(`/cohorts/${COHORT}/register`, 'otherTutor')).status).toBe(200);
  });

  it('previews and uploads never answer 500 and never write a refused request', async () => {
    const student = server.ledger.queries.studentIds(COHORT)[4]!;
    const routes = [
      ...commandNames
        .filter((n) => n !== 'submitApplication')
        .map((name) => ({
          url: `/students/${student}/preview/${kebab(name)}`,
          who: (commandDefinitions[name].roles[0] === 'tutor'
            ? 'tutor'
            : commandDefinitions[name].roles[0]) as Who,
          sample: sampleBodies[name] as unknown,
          csv: false,
        })),
      {
        url: `/cohorts/${COHORT}/applicants`,
        who: 'registry' as Who,
        sample: `${HEADER}\nA B,ab@c.example,1990-01-01,,none,,0,S,academy`,
        csv: true,
      },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.string({ maxLength: 30 }),
        fc.nat(60),
        async (route, noise, at) => {
          const head = await server.ledger.store.headPosition();
          const text = typeof route.sample === 'string' ? route.sample : JSON.stringify(route.sample);
          const payload = `${text.slice(0, at)}${noise}${text.slice(at)}`;
          const r = await post(route.url, payload, route.who, route.csv ? 'text/csv' : 'application/json');
          expect([200, 201, 400, 404, 409, 415, 422], `${route.url}: ${r.status}`).toContain(r.status);
          if (r.status !== 201) expect(await server.ledger.store.headPosition()).toBe(head);
        },
      ),
      { numRuns: 200 },
    );
  });
});
