import { beforeAll, describe, expect, it, vi } from 'vitest';
import { standingOf } from '../../projections/student-columns.ts';
import { staff } from '../../src/demo/journeys.ts';
import { auth, demoServer } from '../support/http.ts';
import { applyAs, sampleBodies } from '../support/samples.ts';

// The registry's Students page lists every student by name. The order is kept between searches
// (src/app/name-order.ts) rather than worked out by unsealing every student's details each time; here it
// is held, after each kind of change, to the order the records themselves give: each student's name as
// their record unseals it (none when erased), in en-GB collation, `~` and the id for a student with no
// name, ties by student id.

let server: Awaited<ReturnType<typeof demoServer>>;
let n = 200;

const apply = (fullName: string) => applyAs(server.ledger, n++, fullName);

const byName = new Intl.Collator('en-GB').compare;
const byId = new Intl.Collator().compare;

/** Every student's id in order of name, from the records (the test's own reading of the rule). */
function expectedOrder(only?: (studentId: string) => boolean): string[] {
  const keyed = [...server.ledger.queries.records()]
    .filter((r) => !only || only(r.studentId))
    .map((r) => {
      const name = server.ledger.queries.personalDetails(r)?.fullName ?? null;
      return { id: r.studentId, key: name ?? `~${r.studentId}` };
    });
  keyed.sort((a, b) => byName(a.key, b.key) || byId(a.id, b.id));
  return keyed.map((k) => k.id);
}

/** Every page of the search, as the Students page asks for them, joined. */
async function listed(query = ''): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const answer = await server.app.inject({
      method: 'GET',
      url: `/students/search?pageSize=7&page=${page}${query}`,
      headers: auth(server.tokens.registry),
    });
    expect(answer.statusCode).toBe(200);
    const body = answer.json() as { pages: number; students: { studentId: string }[] };
    ids.push(...body.students.map((s) => s.studentId));
    if (page >= body.pages) return ids;
  }
}

beforeAll(async () => {
  server = await demoServer();
  // names that collation, not code points, puts in order; two the same, told apart by student id
  for (const name of ['émile Zola', 'Emma Brown', 'Zoë Adams', "O'Brien Kay", 'de la Cruz Ana', 'Anna Bell'])
    await apply(name);
  await apply('Anna Bell');
}, 60_000);

describe('the registry students in order of name, kept between searches', () => {
  it('lists every student as the records order them, and after each kind of change', async () => {
    expect(await listed()).toEqual(expectedOrder());

    // new applicants take their places
    const ada = await apply('Ada Lovelace');
    await apply('Zachary Young');
    expect(await listed()).toEqual(expectedOrder());
    expect((await listed()).indexOf(ada)).toBeLessThan(3);

    // an erased student has no name to show: they move to `~` and their id
    await server.ledger.execute(
      ada,
      'erasePersonalData',
      { requestReference: 'DPA-2024-041', erasedOn: '2024-11-20' },
      { actor: staff.admin },
    );
    expect(await listed()).toEqual(expectedOrder());

    // an event that leaves the details as they were moves nobody
    for (const command of ['recordQtsEvidence', 'confirmSencoRole'] as const)
      await server.ledger.execute(await apply('Bea Quist'), command, sampleBodies[command], {
        actor: staff.registry,
      });
    expect(await listed()).toEqual(expectedOrder());

    // the reverse order, and the filters
    expect(await listed('&order=desc')).toEqual(expectedOrder().reverse());
    const applied = new Set(
      [...server.ledger.queries.records()].filter((r) => standingOf(r) === 'applied').map((r) => r.studentId),
    );
    expect(applied.size).toBeGreaterThan(5);
    expect(await listed('&status=applied')).toEqual(expectedOrder((id) => applied.has(id)));
  });

  it("does not unseal every student's details at each search: only those changed, and the page's", async () => {
    await listed();
    const unsealed = vi.spyOn(server.ledger.queries, 'unsealColumn');
    try {
      const students = expectedOrder().length;
      await server.ledger.execute(
        await apply('Cara Dune'),
        'recordQtsEvidence',
        sampleBodies.recordQtsEvidence,
        { actor: staff.registry },
      );
      const ids = await listed();
      expect(ids).toEqual(expectedOrder());
      // the new student, and the names a binary search compares theirs with (a handful), not every one
      expect(unsealed.mock.calls.length).toBeLessThan(students / 2);
      expect(unsealed.mock.calls.length).toBeGreaterThan(0);
    } finally {
      unsealed.mockRestore();
    }
  });
});
