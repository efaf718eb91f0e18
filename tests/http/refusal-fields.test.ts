import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, demoServer } from '../support/http.ts';

// A refusal names its field the way a malformed body does: the same `issues: [{ field, reason }]`, with
// the body's own field name, so a page puts either beside the same input. Nothing is written.

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => {
  server = await demoServer();
}, 60_000);
afterAll(async () => {
  await server.app.close();
  await server.ledger.stop();
});

const visit = (visitedOn: string) => ({
  school: { name: 'Oak Primary' },
  phase: 'primary',
  visitedOn,
  moduleCode: 'M1',
  hours: 3,
});

describe('refusals name their field as schema errors do', () => {
  it.each([
    ['not a date (400)', '2024-02-31', 400, 'invalid_request'],
    ['after today (422)', '2098-01-01', 422, 'date_in_future'],
    ['before the application (422)', '2020-01-01', 422, 'visit_before_application'],
  ])('a visit dated %s', async (_what, visitedOn, status, code) => {
    const head = await server.ledger.store.headPosition();
    const r = await server.app.inject({
      method: 'POST',
      url: `/students/${server.studentId}/record-partner-school-visit`,
      headers: auth(server.tokens.tutor),
      payload: visit(visitedOn),
    });
    expect(r.statusCode, r.body).toBe(status);
    expect(r.json().error).toMatchObject({ code, issues: [{ field: 'visitedOn' }] });
    expect(await server.ledger.store.headPosition()).toBe(head);
  });
});
