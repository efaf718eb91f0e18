import { beforeAll, describe, expect, it, vi } from 'vitest';
import { staff } from '../../src/demo/journeys.ts';
import { auth, demoServer } from '../support/http.ts';
import { applyAs, sampleBodies } from '../support/samples.ts';

// The registry's student search (GET /students/search, the Students page staff land on) over the demo's
// 20 students, 30 applicants, one applicant offered a place and not enrolled, and one whose personal data
// is erased (issue 19: it read and decoded every record in the ledger for each page it showed).

const EXTRA = 30;
const COHORT = 'blended-2024-spring-online';
let server: Awaited<ReturnType<typeof demoServer>>;
let offered: string;
let erased: string;

const apply = (n: number, fullName: string) => applyAs(server.ledger, n, fullName);

beforeAll(async () => {
  server = await demoServer();
  for (let i = 0; i < EXTRA; i++) await apply(i, `Applicant ${String(i).padStart(2, '0')} Quill`);
  offered = await apply(100, 'Olive Offered');
  for (const name of [
    'recordQtsEvidence',
    'confirmSencoRole',
    'recordSencoAppointment',
    'assessEligibility',
    'offerPlace',
  ] as const)
    await server.ledger.execute(offered, name, sampleBodies[name], { actor: staff.registry });
  erased = await apply(101, 'Erin Erased');
  await server.ledger.execute(
    erased,
    'erasePersonalData',
    { requestReference: 'DPA-2024-040', erasedOn: '2024-11-20' },
    { actor: staff.admin },
  );
}, 60_000);

type Row = { studentId: string; name: string | null; cohortId: string | null; status: string };
const search = async (query: string) => {
  const answer = await server.app.inject({
    method: 'GET',
    url: `/students/search${query}`,
    headers: auth(server.tokens.registry),
  });
  expect(answer.statusCode).toBe(200);
  return answer.json() as {
    total: number;
    page: number;
    pages: number;
    students: (Row & Record<string, unknown>)[];
  };
};

/** [value, how many in a row] down the list: the order of the groups, and each group's size. */
const runs = (values: (string | null)[]) =>
  values.reduce<[string | null, number][]>((out, v) => {
    const last = out.at(-1);
    if (last && last[0] === v) last[1]++;
    else out.push([v, 1]);
    return out;
  }, []);

describe('the registry search reads the records of the page it shows, no other, once each', () => {
  it('with no text, with a text, with a cohort, and sorted by cohort', async () => {
    const db = server.ledger.projections.db;
    const select = vi.spyOn(db, 'select');
    const read = vi.spyOn(db, 'read');
    // a record is read from the read models' cache when it is there (as the demo's are): every read, cached or not
    const get = vi.spyOn(server.ledger.projections, 'get');
    try {
      for (const query of ['', '?q=quill', `?cohortId=${COHORT}&pageSize=3`, '?sort=cohort&page=2']) {
        select.mockClear();
        read.mockClear();
        get.mockClear();
        const answer = await search(query);
        expect(answer.total).toBeGreaterThan(answer.students.length); // more than a page
        const statesRead = new Set<string>();
        select.mock.calls.forEach(([, table], i) => {
          if (table !== 'students') return;
          for (const row of select.mock.results[i]!.value as { key: string }[]) statesRead.add(row.key);
        });
        for (const [, table, key] of read.mock.calls) if (table === 'students') statesRead.add(key);
        const reads = new Map<string, number>();
        for (const [projection, key] of get.mock.calls)
          if (projection.name === 'students') reads.set(key, (reads.get(key) ?? 0) + 1);
        const shown = new Set(answer.students.map((s) => `student-${s.studentId}`));
        expect(
          [...statesRead].filter((key) => !shown.has(key)),
          query,
        ).toEqual([]);
        // and each of those once: its fields and its decision come from the one record read
        expect(
          [...reads].filter(([, n]) => n > 1),
          query,
        ).toEqual([]);
      }
    } finally {
      select.mockRestore();
      read.mockRestore();
      get.mockRestore();
    }
  });

  it("unseals the page's details alone when neither a text nor the name orders it", async () => {
    const queries = server.ledger.queries;
    const fromColumn = vi.spyOn(queries, 'unsealColumn');
    const fromRecord = vi.spyOn(queries, 'personalDetails');
    try {
      const answer = await search('?sort=status&pageSize=4');
      expect(fromColumn).not.toHaveBeenCalled();
      expect(fromRecord).toHaveBeenCalledTimes(4);
      fromRecord.mockClear();
      // a text is matched against every student's details, the erased one's excepted (none to unseal)
      expect((await search('?q=quill&sort=cohort')).total).toBe(EXTRA);
      expect(fromColumn).toHaveBeenCalledTimes(answer.total - 1);
    } finally {
      fromColumn.mockRestore();
      fromRecord.mockRestore();
    }
  });
});

describe('what the search answers', () => {
  it('sorts by cohort: nobody placed first, then the cohorts in order; desc reverses it all', async () => {
    const asc = await search('?sort=cohort&pageSize=200');
    const expected: [string | null, number][] = [
      [null, EXTRA + 2], // the applicants, the demo's Farah Iqbal, and Erin
      [COHORT, 7], // six enrolled, and Olive, offered a place
      ['bpn-2024-autumn-bristol', 1],
      ['bpn-2024-spring-bristol', 3],
      ['exp-2024-spring-bath', 2],
      ['npq-2024-autumn-online', 4],
      ['npq-2025-autumn-online', 1],
      ['swc-2024-spring-exeter', 2],
    ];
    expect(runs(asc.students.map((s) => s.cohortId))).toEqual(expected);
    // ties in student id order, which desc reverses too
    const ids = asc.students.filter((s) => s.cohortId === COHORT).map((s) => s.studentId);
    expect(ids).toEqual([...ids].sort());
    const desc = await search('?sort=cohort&order=desc&pageSize=200');
    expect(desc.students.map((s) => s.studentId)).toEqual(asc.students.map((s) => s.studentId).reverse());
  });

  it('sorts by status, and filters by it', async () => {
    const asc = await search('?sort=status&pageSize=200');
    expect(runs(asc.students.map((s) => s.status))).toEqual([
      ['applied', EXTRA + 3],
      ['awarded', 8],
      ['enrolled', 9],
      ['withdrawn', 2],
    ]);
    const desc = await search('?sort=status&order=desc&pageSize=200');
    expect(desc.students.map((s) => s.studentId)).toEqual(asc.students.map((s) => s.studentId).reverse());
    const withdrawn = await search('?status=withdrawn');
    expect(withdrawn.students.map((s) => s.name)).toEqual(['Dan Fuller', 'Nia Williams']);
  });

  it('a page beyond the last gives the last', async () => {
    const total = 20 + EXTRA + 2;
    const beyond = await search('?sort=studentId&pageSize=10&page=99');
    expect(beyond).toMatchObject({ total, page: 6, pages: 6 });
    expect(beyond.students).toHaveLength(total - 50);
    expect(beyond.students).toEqual((await search('?sort=studentId&pageSize=10&page=6')).students);
  });

  it('finds an erased student by student number alone, and sorts them (no name) first', async () => {
    const found = await search(`?q=${erased.slice(-8)}`);
    expect(found.total).toBe(1);
    expect(found.students[0]).toMatchObject({
      studentId: erased,
      name: null,
      email: null,
      erased: true,
      status: 'applied',
      matchedBy: ['student number'],
    });
    expect((await search('?q=erin')).total).toBe(0);
    expect((await search('')).students[0]).toMatchObject({ studentId: erased, name: null });
  });

  it('finds a student offered a place, not enrolled, by the cohort filter', async () => {
    const cohort = await search(`?cohortId=${COHORT}`);
    expect(cohort.students.map((s) => s.name)).toEqual([
      'Amara Okafor',
      'Gwen Pritchard',
      'Leon Baptiste',
      'Nia Williams',
      'Olive Offered',
      'Priya Shah',
      'Tom Hughes',
    ]);
    expect(cohort.students[4]).toMatchObject({
      studentId: offered,
      cohortId: COHORT,
      status: 'applied',
      programme: 'blended-3module',
    });
    const applied = await search(`?cohortId=${COHORT}&status=applied`);
    expect(applied.students.map((s) => s.studentId)).toEqual([offered]);
  });
});
