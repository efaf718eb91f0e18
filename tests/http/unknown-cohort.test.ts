import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, demoServer } from '../support/http.ts';

// The README's statuses: an unknown cohort is a 404, whether it is read or written to.

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => {
  server = await demoServer();
});
afterAll(async () => {
  await server.app.close();
  await server.ledger.stop();
});

describe('an unknown cohort', () => {
  it.each([
    ['POST', '/cohorts/nope/staff', { staffId: 'tutor-2', role: 'tutor' }],
    [
      'POST',
      '/cohorts/nope/exam-boards',
      { examBoardId: 'b-1', heldOn: '2024-11-15', externalExaminers: ['examiner-1'] },
    ],
    [
      'POST',
      '/cohorts/nope/assessment-windows',
      { windowId: 'w-1', moduleCodes: ['CS'], opensOn: '2025-01-10', closesOn: '2025-01-17' },
    ],
    ['GET', '/cohorts/nope', undefined],
    ['GET', '/cohorts/nope/exam-board.csv', undefined],
  ] as const)('%s %s answers 404 unknown_cohort and writes nothing', async (method, url, body) => {
    const head = await server.ledger.store.headPosition();
    const response = await server.app.inject({
      method,
      url,
      headers: auth(server.tokens.registry),
      ...(body ? { payload: body } : {}),
    });
    expect(response.statusCode, response.body).toBe(404);
    expect(response.json().error).toMatchObject({ kind: 'not_found', code: 'unknown_cohort' });
    expect(await server.ledger.store.headPosition()).toBe(head);
  });
});
