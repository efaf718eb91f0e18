import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, demoServer } from '../support/http.ts';

// The exam-board export as the board reads it: every attempt, the ratified fail beside the resubmission
// that follows it (with its due date), and the marks as the ledger knew them at a past instant.

let server: Awaited<ReturnType<typeof demoServer>>;
beforeAll(async () => {
  server = await demoServer();
});
afterAll(async () => {
  await server.app.close();
  await server.ledger.stop();
});

function studentNamed(name: string): string {
  const { ledger } = server;
  return ledger.queries
    .studentIds()
    .find((id) => ledger.queries.personalDetails(ledger.queries.record(id))?.fullName === name)!;
}

async function exportRows(cohortId: string, query = ''): Promise<Record<string, string>[]> {
  const response = await server.app.inject({
    url: `/cohorts/${cohortId}/exam-board.csv${query}`,
    headers: auth(server.tokens.registry),
  });
  expect(response.statusCode, response.body).toBe(200);
  return parse(response.body, { columns: true }) as Record<string, string>[];
}

describe('the exam-board export', () => {
  it('shows every attempt: the ratified failing 43 and the permitted resubmission with its due date', async () => {
    const tom = studentNamed('Tom Hughes');
    const rows = (await exportRows('blended-2024-spring-online')).filter(
      (r) => r.student_id === tom && r.module === 'M2',
    );
    expect(rows.map((r) => [r.attempt, r.mark, r.ratified, r.due_by, r.submitted_on])).toEqual([
      ['1', '43', 'ratified', '', rows[0]!.submitted_on],
      ['2', '', '', '2025-02-28', ''],
    ]);
    expect(rows[0]!.submitted_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Set(rows.map((r) => r.module_status))).toEqual(new Set(['resubmission-permitted']));
  });

  it('lists a module nobody has attempted once, with no attempt', async () => {
    const leon = studentNamed('Leon Baptiste'); // studied M1 only (57, not yet ratified)
    const rows = (await exportRows('blended-2024-spring-online')).filter((r) => r.student_id === leon);
    expect(rows.map((r) => [r.module, r.attempt, r.module_status])).toEqual([
      ['M1', '1', 'passed-provisional'],
      ['M2', '', 'not-started'],
      ['M3', '', 'not-started'],
    ]);
  });

  it('as known at an instant shows the marks as the board saw them, before a later correction', async () => {
    const owen = studentNamed('Owen Clarke');
    const events = await server.ledger.queries.streamEvents(owen);
    const correction = events.find((e) => e.type === 'MarkCorrected')!;
    const before = new Date(Date.parse(correction.recordedAt) - 1).toISOString();
    const ra1 = (rows: Record<string, string>[]) =>
      rows.find((r) => r.student_id === owen && r.module === 'RA1')!;
    const now = ra1(await exportRows('bpn-2024-spring-bristol'));
    expect([now.mark, now.ratified]).toEqual(['47', 'provisional']);
    const then = ra1(await exportRows('bpn-2024-spring-bristol', `?knownAt=${encodeURIComponent(before)}`));
    expect([then.mark, then.ratified, then.decision]).toEqual(['52', 'ratified', 'awarded']);
  });
});
