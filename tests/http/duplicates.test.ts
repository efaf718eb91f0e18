import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/app/ledger.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { importCohortCsv } from '../../src/cli/import-cohort.ts';
import { staff } from '../../src/demo/journeys.ts';
import { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { MemoryEventStore } from '../../src/store/memory.ts';
import { auth, demoServer } from '../support/http.ts';
import { sampleBodies } from '../support/samples.ts';

// An applicant is registered once: their teacher reference number identifies them (else their email,
// case ignored). Sending an application again for the same programme, while the first record stands, is
// refused with 422 duplicate_applicant naming the student; the cohort's file imported again (by the
// command line or the upload) adds nobody twice. Issue 14: "Creating a student twice with the same body
// makes two records; the cohort import run twice adds every applicant twice."

const COHORT = 'blended-2024-spring-online'; // a cohort of the blended programme, as the sample applies for
const application = sampleBodies.submitApplication as {
  personal: { fullName: string; email: string; dateOfBirth: string; teacherReferenceNumber: string | null };
  programmeId: string;
} & Record<string, unknown>;
/** POST /students as the given registry token. */
const applicationsTo =
  (app: Awaited<ReturnType<typeof demoServer>>['app'], token: string) => (body: unknown) =>
    app.inject({ method: 'POST', url: '/students', headers: auth(token), payload: body as object });

const withPersonal = (personal: Partial<(typeof application)['personal']>, programmeId?: string) => ({
  ...application,
  personal: { ...application.personal, ...personal },
  ...(programmeId ? { programmeId } : {}),
});

describe('an application sent again', () => {
  it('is refused 422 duplicate_applicant, naming the student, and writes nothing', async () => {
    const { app, ledger, tokens } = await demoServer();
    const apply = applicationsTo(app, tokens.registry!);
    const first = await apply(application);
    expect(first.statusCode).toBe(201);
    const studentId = first.json().studentId;
    const head = await ledger.store.headPosition();
    const records = [...ledger.queries.records()].length;

    const cases: [unknown, string][] = [
      [application, 'teacher reference number'],
      // the same teacher under another name and email is the same teacher
      [withPersonal({ fullName: 'Ada King', email: 'ada.king@other.example' }), 'teacher reference number'],
    ];
    for (const [body, matchedBy] of cases) {
      const again = await apply(body);
      expect(again.statusCode).toBe(422);
      expect(again.json().error).toMatchObject({
        kind: 'refused',
        code: 'duplicate_applicant',
        details: { studentId, matchedBy },
      });
      expect(again.json().error.message).toContain(studentId);
    }
    expect(await ledger.store.headPosition()).toBe(head);
    expect([...ledger.queries.records()]).toHaveLength(records);
  });

  it('without a teacher reference number, the email identifies the applicant (case and spaces ignored)', async () => {
    const { app, tokens } = await demoServer();
    const apply = applicationsTo(app, tokens.registry!);
    const first = await apply(withPersonal({ teacherReferenceNumber: null, email: 'sam@school.example' }));
    expect(first.statusCode).toBe(201);
    const again = await apply(withPersonal({ teacherReferenceNumber: null, email: 'Sam@School.example' }));
    expect(again.statusCode).toBe(422);
    expect(again.json().error.details).toMatchObject({
      studentId: first.json().studentId,
      matchedBy: 'email',
    });
    // a different teacher reference number with that email is another teacher
    expect(
      (await apply(withPersonal({ teacherReferenceNumber: '7654321', email: 'x@y.example' }))).statusCode,
    ).toBe(201);
  });

  it('is a new application for another programme, after a withdrawal, or after an erasure', async () => {
    const { app, tokens } = await demoServer();
    const apply = applicationsTo(app, tokens.registry!);
    const first = (await apply(application)).json().studentId;
    expect((await apply(withPersonal({}, 'bpn-bathspa'))).statusCode).toBe(201);
    const withdrawn = await app.inject({
      method: 'POST',
      url: `/students/${first}/withdraw-student`,
      headers: auth(tokens.registry),
      payload: { on: '2024-06-02', reason: 'Moved to another provider' },
    });
    expect(withdrawn.statusCode).toBe(201);
    const second = await apply(application);
    expect(second.statusCode).toBe(201);
    const erased = await app.inject({
      method: 'POST',
      url: `/students/${second.json().studentId}/erase-personal-data`,
      headers: auth(tokens.admin),
      payload: { requestReference: 'SAR-2024-7', erasedOn: '2024-07-01' },
    });
    expect(erased.statusCode).toBe(201);
    expect((await apply(application)).statusCode).toBe(201);
  });

  it('two at once: one record, the other refused', async () => {
    const { app, ledger, tokens } = await demoServer();
    const records = [...ledger.queries.records()].length;
    const body = withPersonal({ teacherReferenceNumber: '5550001', email: 'twice@school.example' });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        app.inject({ method: 'POST', url: '/students', headers: auth(tokens.registry), payload: body }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 422, 422, 422]);
    expect([...ledger.queries.records()]).toHaveLength(records + 1);
  });
});

describe('applicants another writer registers on the same log', () => {
  // The register keeps the programme's standing applicants in memory once it has looked at them, and
  // learns of later changes from the events its read models apply, whoever wrote them.
  it('are found, withdrawn and found again as the log moves, without a restart', async () => {
    const store = new MemoryEventStore();
    const keys = new MemoryKeyStore();
    const open = async () => {
      const ledger = new Ledger({ store, keys, reference: loadReferenceData() });
      await ledger.start();
      return ledger;
    };
    const server = await open();
    const other = await open();
    const who = (teacherReferenceNumber: string) =>
      withPersonal({ teacherReferenceNumber, email: `${teacherReferenceNumber}@school.example` });
    const apply = (ledger: Ledger, body: unknown) =>
      ledger.execute(null, 'submitApplication', body, { actor: staff.registry });
    // the server's register has looked at the programme's applicants (nobody yet)
    expect(server.applicants.find(application.programmeId, who('7000001').personal)).toBeNull();
    const written = await apply(other, who('7000001'));
    await server.runner.waitFor(written.events.at(-1)!.position);
    const studentId = written.streamId.slice('student-'.length);
    expect(server.applicants.find(application.programmeId, who('7000001').personal)).toEqual({
      studentId,
      matchedBy: 'teacher reference number',
    });
    await expect(apply(server, who('7000001'))).rejects.toMatchObject({ code: 'duplicate_applicant' });
    const withdrawn = await other.execute(
      studentId,
      'withdrawStudent',
      { on: '2024-06-02', reason: 'Moved to another provider' },
      { actor: staff.registry },
    );
    await server.runner.waitFor(withdrawn.events.at(-1)!.position);
    expect(server.applicants.find(application.programmeId, who('7000001').personal)).toBeNull();
    await other.stop();
    await server.stop();
  });
});

const HEADER =
  'full_name,email,date_of_birth,teacher_reference_number,qts_status,appointed_senco_on,prior_senco_months,school_name,school_type';
const FILE = [
  HEADER,
  'Ada Ray,ada@oak.example,1990-01-01,2345670,QTS,2024-01-01,0,Oak School,academy',
  'Di Eze,di@elm.example,1993-03-03,,none,,0,Elm School,academy',
].join('\n');

describe("a cohort's file imported again", () => {
  it('by the command line: adds nobody twice', async () => {
    const { ledger } = await demoServer();
    const today = ledger.queries.today();
    const added = await importCohortCsv(ledger, COHORT, FILE, staff.registry, today);
    expect(added).toHaveLength(2);
    const members = ledger.queries.studentIds(COHORT).length;
    expect(await importCohortCsv(ledger, COHORT, FILE, staff.registry, today)).toEqual([]);
    expect(ledger.queries.studentIds(COHORT)).toHaveLength(members);
  });

  it('refuses a row for someone who applied for the programme outside the cohort, by the same rule', async () => {
    const { app, ledger, tokens } = await demoServer();
    const applied = await app.inject({
      method: 'POST',
      url: '/students',
      headers: auth(tokens.registry),
      payload: withPersonal({ teacherReferenceNumber: '2345670', email: 'ada.r@home.example' }),
    });
    const studentId = applied.json().studentId;
    const head = await ledger.store.headPosition();
    const upload = await app.inject({
      method: 'POST',
      url: `/cohorts/${COHORT}/applicants`,
      headers: { ...auth(tokens.registry), 'content-type': 'text/csv' },
      payload: FILE,
    });
    expect(upload.statusCode).toBe(400);
    expect(upload.json().error.issues).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'teacher_reference_number',
        reason: expect.stringContaining(studentId),
      }),
    ]);
    expect(await ledger.store.headPosition()).toBe(head);
  });

  it('uploaded again with its Idempotency-Key: the first answer, names read afresh, none kept', async () => {
    const { app, ledger, tokens } = await demoServer();
    const send = () =>
      app.inject({
        method: 'POST',
        url: `/cohorts/${COHORT}/applicants`,
        headers: { ...auth(tokens.registry), 'content-type': 'text/csv', 'idempotency-key': 'upload-1' },
        payload: FILE,
      });
    const first = await send();
    expect(first.statusCode).toBe(201);
    expect(first.json().added.map((a: { fullName: string }) => a.fullName)).toEqual(['Ada Ray', 'Di Eze']);
    const head = await ledger.store.headPosition();
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json()); // not "already in the cohort": the first answer
    expect(await ledger.store.headPosition()).toBe(head);
  });
});
