import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, demoServer } from '../support/http.ts';

// The cohort-level exam-board routes over HTTP on the demo: registry only, a board the cohort held,
// previews that append nothing, answers in their declared shape, and refusals that name their field.

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => {
  server = await demoServer();
}, 60_000);
afterAll(async () => {
  await server.app.close();
  await server.ledger.stop();
});

const cohort = 'blended-2024-spring-online';
const post = (who: keyof typeof server.tokens, url: string, payload: unknown = {}) =>
  server.app.inject({ method: 'POST', url, headers: auth(server.tokens[who]), payload: payload as object });

describe('exam-board routes for a whole cohort', () => {
  it.each(['ratify', 'confer', 'outcomes'])('%s and its preview are for registry only', async (action) => {
    for (const suffix of ['', '/preview'])
      for (const who of ['tutor', 'examiner', 'admin', 'student'] as const) {
        const r = await post(who, `/cohorts/${cohort}/exam-boards/board-2024-11/${action}${suffix}`);
        expect(r.statusCode, `${who} ${action}${suffix}`).toBe(403);
      }
    const anonymous = await post('anonymous', `/cohorts/${cohort}/exam-boards/board-2024-11/${action}`);
    expect(anonymous.statusCode).toBe(401);
  });

  it("reads a board's workspace: standing, the claim waiting for it, the awards it conferred", async () => {
    const url = `/cohorts/${cohort}/exam-boards/board-2024-11`;
    const get = (who: keyof typeof server.tokens, path = url) =>
      server.app.inject({ method: 'GET', url: path, headers: auth(server.tokens[who]) });
    const r = await get('registry');
    expect(r.statusCode, r.body).toBe(200);
    const view = r.json();
    expect(view).toMatchObject({ examBoardId: 'board-2024-11', heldOn: '2024-11-15' });
    expect(view.externalExaminers).toEqual(['examiner-1']);
    expect(view.students).toHaveLength(6);
    // the demo: Leon's claim waits for a board; Amara and Gwen were conferred at this one
    const claims = view.students.flatMap((s: { claims: { claimId: string }[] }) => s.claims);
    expect(claims).toEqual([
      {
        claimId: 'mc-leon-1',
        submittedOn: '2024-06-10',
        requested: 'deferral',
        affects: ['M2', 'M3'],
        decision: null,
      },
    ]);
    expect(view.students.filter((s: { awardedAtBoard: boolean }) => s.awardedAtBoard)).toHaveLength(2);
    expect((await get('examiner')).statusCode).toBe(200);
    expect((await get('tutor')).statusCode).toBe(403);
    expect((await get('otherExaminer')).statusCode).toBe(403);
    const never = await get('registry', `/cohorts/${cohort}/exam-boards/board-1999`);
    expect(never.statusCode).toBe(422);
    expect(never.json().error.code).toBe('unknown_exam_board');
  });

  it('answers 404 for an unknown cohort and 422 naming the field for a board it never held', async () => {
    const head = await server.ledger.store.headPosition();
    const nope = await post('registry', '/cohorts/nope/exam-boards/board-2024-11/ratify');
    expect(nope.statusCode).toBe(404);
    expect(nope.json().error.code).toBe('unknown_cohort');
    const never = await post('registry', `/cohorts/${cohort}/exam-boards/board-1999/confer`);
    expect(never.statusCode).toBe(422);
    expect(never.json().error).toMatchObject({
      code: 'unknown_exam_board',
      issues: [
        { field: 'examBoardId', reason: expect.stringContaining('has held no exam board board-1999') },
      ],
    });
    expect(await server.ledger.store.headPosition()).toBe(head);
  });

  it('refuses a malformed outcome with 400 naming the field', async () => {
    const r = await post('registry', `/cohorts/${cohort}/exam-boards/board-2024-11/outcomes`, {
      outcomes: [{ studentId: server.studentId, moduleCode: 'M1', outcome: 'excellent' }],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.issues[0].field).toBe('outcomes.0.outcome');
  });

  it('previews a conferral (appending nothing), then confers and lists the others with their reasons', async () => {
    const head = await server.ledger.store.headPosition();
    const preview = await post('registry', `/cohorts/${cohort}/exam-boards/board-2024-11/confer/preview`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(await server.ledger.store.headPosition()).toBe(head);
    const body = preview.json();
    expect(body).toMatchObject({
      cohortId: cohort,
      examBoardId: 'board-2024-11',
      heldOn: '2024-11-15',
      preview: true,
    });
    const results = body.students.map((s: { result: string }) => s.result).sort();
    // the demo: two awards stand, Priya's certificate is due, the others are not eligible or withdrew
    expect(results.filter((r: string) => r === 'nothing-to-do')).toHaveLength(2);
    expect(results.filter((r: string) => r === 'would-apply')).toHaveLength(1);
    const refused = body.students.filter((s: { result: string }) => s.result === 'refused');
    expect(refused.map((s: { refusal: { code: string } }) => s.refusal.code).sort()).toEqual([
      'not_eligible',
      'not_eligible',
      'student_withdrawn',
    ]);
    const run = await post('registry', `/cohorts/${cohort}/exam-boards/board-2024-11/confer`);
    expect(run.statusCode).toBe(200);
    expect(run.json().counts).toEqual({ applied: 1, refused: 3, nothingToDo: 2 });
    expect(await server.ledger.store.headPosition()).toBeGreaterThan(head);
  });

  it('a student outside the cohort is refused in the outcomes, naming the field, and nothing is written for them', async () => {
    const outsider = server.ledger.queries.studentIds('bpn-2024-spring-bristol')[0]!;
    const r = await post('registry', `/cohorts/${cohort}/exam-boards/board-2024-11/outcomes/preview`, {
      outcomes: [{ studentId: outsider, moduleCode: 'M1', outcome: 'pass' }],
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().students[0]).toMatchObject({
      studentId: outsider,
      result: 'refused',
      refusal: { code: 'not_in_cohort', issues: [{ field: 'outcomes.0.studentId' }] },
    });
  });

  it('is in the OpenAPI document with its answer', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const path = doc.paths['/cohorts/{cohortId}/exam-boards/{examBoardId}/confer/preview'];
    expect(path.post.responses['200']).toBeDefined();
    expect(path.post.tags).toEqual(['exam boards']);
  });
});
