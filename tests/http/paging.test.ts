import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { writeCheckpoint } from '../../src/app/checkpoints.ts';
import { staff } from '../../src/demo/journeys.ts';
import type { MemoryKeyStore } from '../../src/privacy/keys.ts';
import { buildServer } from '../../src/server.ts';
import { CheckpointBook } from '../../src/store/checkpoints.ts';
import { auth, demoServer } from '../support/http.ts';
import { anApplication } from '../support/samples.ts';

// Long lists come a page at a time (issue 14: one GET /students answered 1.7 MB for 9,655 students and
// held /health up for 1.8 s): `limit` (default 100, at most 500) and `cursor`, answered with the page and
// `nextCursor`; filters by cohort and status; a page's decisions are worked out a few at a time, so a
// health check is answered in between.

const EXTRA = 240; // applicants beside the demo's 20 students: more than two default pages
let server: Awaited<ReturnType<typeof demoServer>>;

beforeAll(async () => {
  server = await demoServer();
  for (let i = 0; i < EXTRA; i++)
    await server.ledger.execute(null, 'submitApplication', anApplication(i), { actor: staff.registry });
}, 60_000);

const get = async (url: string, who: keyof typeof server.tokens = 'registry') => {
  const answer = await server.app.inject({ method: 'GET', url, headers: auth(server.tokens[who]) });
  return { status: answer.statusCode, body: answer.json(), bytes: answer.rawPayload.length };
};

/** Every page of a list, following nextCursor. */
async function allPages(
  path: string,
  list: string,
  who: keyof typeof server.tokens = 'registry',
  from: string | null = null,
) {
  const items: { studentId?: string; cohortId?: string }[] = [];
  const sizes: number[] = [];
  let cursor = from;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(`${path}${cursor ? `${sep}cursor=${cursor}` : ''}`, who);
    expect(page.status).toBe(200);
    items.push(...page.body[list]);
    sizes.push(page.body[list].length);
    cursor = page.body.nextCursor;
  } while (cursor);
  return { items, sizes };
}

describe('GET /students, a page at a time', () => {
  it('gives 100 by default with a cursor to the next page, and every student once across the pages', async () => {
    const everyone = [...server.ledger.queries.records()].map((r) => r.studentId).sort();
    expect(everyone).toHaveLength(20 + EXTRA);
    const first = await get('/students');
    expect(first.body.students).toHaveLength(100);
    expect(typeof first.body.nextCursor).toBe('string');
    expect(first.body.total).toBe(everyone.length);
    const { items, sizes } = await allPages('/students', 'students');
    expect(sizes).toEqual([100, 100, 60]);
    expect(items.map((s) => s.studentId)).toEqual(everyone);
    const small = await allPages('/students?limit=7', 'students');
    expect(small.sizes.length).toBe(Math.ceil(everyone.length / 7));
    expect(small.items.map((s) => s.studentId)).toEqual(everyone);
  });

  it('a cursor stays good while students are added: nothing given twice, nothing before it skipped', async () => {
    const first = await get('/students?limit=50');
    const seen = first.body.students.map((s: { studentId: string }) => s.studentId);
    await server.ledger.execute(null, 'submitApplication', anApplication(9_000), { actor: staff.registry });
    const rest = await allPages('/students?limit=50', 'students', 'registry', first.body.nextCursor);
    const ids = [...seen, ...rest.items.map((s) => s.studentId)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...server.ledger.queries.records()].map((r) => r.studentId).sort());
  });

  it('filters by cohort and by status', async () => {
    const cohort = 'blended-2024-spring-online';
    const inCohort = await allPages(`/students?cohortId=${cohort}`, 'students');
    expect(inCohort.items.map((s) => s.studentId).sort()).toEqual(
      server.ledger.queries.studentIds(cohort).sort(),
    );
    expect(inCohort.items.every((s) => s.cohortId === cohort)).toBe(true);
    const statuses = ['applied', 'enrolled', 'interrupted', 'withdrawn', 'awarded'];
    const byStatus = await Promise.all(statuses.map((s) => allPages(`/students?status=${s}`, 'students')));
    const counted = byStatus.flatMap((p) => p.items.map((s) => s.studentId));
    expect(new Set(counted).size).toBe(counted.length); // each student in one status
    expect(counted.length).toBe([...server.ledger.queries.records()].length);
    expect(byStatus[0]!.items.length).toBeGreaterThanOrEqual(EXTRA); // the new applicants are "applied"
    expect(byStatus[4]!.items.length).toBeGreaterThan(0); // the demo holds awards
    const enrolled = await get(`/students?status=enrolled&cohortId=${cohort}&limit=1`);
    const everyEnrolled = await allPages(`/students?status=enrolled&cohortId=${cohort}`, 'students');
    expect(everyEnrolled.items.length).toBeGreaterThan(1);
    expect(enrolled.body.total).toBe(everyEnrolled.items.length);
  });

  it('finds by name, email or student number (q), and an examiner by student number only', async () => {
    const record = server.ledger.queries.findRecord(server.studentId)!;
    const personal = server.ledger.queries.personalDetails(record)!;
    const surname = personal.fullName.split(' ').at(-1)!;
    const byName = await allPages(`/students?q=${encodeURIComponent(surname.toUpperCase())}`, 'students');
    expect(byName.items.map((s) => s.studentId)).toContain(server.studentId);
    for (const s of byName.items)
      expect(
        server.ledger.queries.personalDetails(server.ledger.queries.findRecord(s.studentId!)!)?.fullName,
      ).toMatch(new RegExp(surname, 'i'));
    const byEmail = await get(`/students?q=${encodeURIComponent(personal.email)}`);
    expect(byEmail.body.students.map((s: { studentId: string }) => s.studentId)).toEqual([server.studentId]);
    expect(byEmail.body.total).toBe(1);
    const byNumber = await get(`/students?q=${server.studentId.slice(-8)}`);
    expect(byNumber.body.students.map((s: { studentId: string }) => s.studentId)).toEqual([server.studentId]);
    // an examiner sees no names: their student's email finds nobody, the student number finds them
    const theirs = (await get('/students?limit=1', 'examiner')).body.students[0] as { studentId: string };
    const theirEmail = server.ledger.queries.personalDetails(
      server.ledger.queries.findRecord(theirs.studentId)!,
    )!.email;
    const examinerByEmail = await get(`/students?q=${encodeURIComponent(theirEmail)}`, 'examiner');
    expect(examinerByEmail.body).toMatchObject({ students: [], total: 0, nextCursor: null });
    const examinerByNumber = await get(`/students?q=${theirs.studentId}`, 'examiner');
    expect(examinerByNumber.body.students.map((s: { studentId: string }) => s.studentId)).toEqual([
      theirs.studentId,
    ]);
  });

  it('a tutor pages through their cohorts only; a student sees their own record', async () => {
    const tutor = await allPages('/students?limit=5', 'students', 'tutor');
    const cohorts = new Set(tutor.items.map((s) => s.cohortId));
    expect(tutor.items.length).toBeGreaterThan(0);
    for (const c of cohorts) expect(server.ledger.queries.findCohort(c!)?.tutors.has('tutor-1')).toBe(true);
    const own = await get('/students', 'student');
    expect(own.body.students.map((s: { studentId: string }) => s.studentId)).toEqual([server.studentId]);
    expect(own.body.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not give, and a limit out of range, naming the field', async () => {
    for (const [query, field] of [
      ['cursor=not-ours', 'querystring.cursor'],
      [`cursor=${Buffer.from('{"cohorts":"x"}').toString('base64url')}`, 'querystring.cursor'],
      ['limit=ten', 'querystring.limit'],
      ['q=', 'querystring.q'],
      ['limit=0', 'querystring.limit'],
      ['limit=501', 'querystring.limit'],
      ['status=graduated', 'querystring.status'],
    ]) {
      const answer = await get(`/students?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.issues[0].field, query).toBe(field);
    }
  });

  it('/health reads no student, nor any list', async () => {
    const queries = server.ledger.queries;
    const spies = (['records', 'findRecord', 'studentSummary', 'decision', 'cohorts'] as const).map((name) =>
      vi.spyOn(queries, name),
    );
    try {
      const health = await server.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('reads each record of a page as its summary is worked out, not the whole page first', async () => {
    // a page of 500 records read in one go held the server (and /health) for ~250 ms at 1M events
    const queries = server.ledger.queries;
    const findRecord = queries.findRecord.bind(queries);
    const studentSummary = queries.studentSummary.bind(queries);
    const steps: string[] = [];
    const read = vi.spyOn(queries, 'findRecord').mockImplementation((id) => {
      steps.push('read');
      return findRecord(id);
    });
    const summary = vi.spyOn(queries, 'studentSummary').mockImplementation((r, showPersonal) => {
      steps.push('summary');
      return studentSummary(r, showPersonal);
    });
    try {
      const page = await get('/students?limit=40');
      expect(page.status).toBe(200);
      expect(page.body.students).toHaveLength(40);
      expect(steps).toEqual(Array.from({ length: 40 }, () => ['read', 'summary']).flat());
    } finally {
      read.mockRestore();
      summary.mockRestore();
    }
  });

  it('works out the decisions of its own page only, and lets /health be answered meanwhile', async () => {
    const summary = vi.spyOn(server.ledger.queries, 'studentSummary');
    const page = await get('/students?limit=30');
    expect(page.body.students).toHaveLength(30);
    expect(summary).toHaveBeenCalledTimes(30);
    summary.mockRestore();
    // A page of every student: /health, sent once the first decision is being worked out, is answered
    // before the page is done (a page worked out in one go would hold it until the last decision).
    const queries = server.ledger.queries;
    const original = queries.studentSummary.bind(queries);
    let calls = 0;
    let health: Promise<number> | null = null;
    let callsWhenHealthAnswered = -1;
    queries.studentSummary = (record, showPersonal) => {
      calls++;
      health ??= server.app.inject({ method: 'GET', url: '/health' }).then((answer) => {
        callsWhenHealthAnswered = calls;
        return answer.statusCode;
      });
      return original(record, showPersonal);
    };
    try {
      const all = await get('/students?limit=500');
      expect(all.body.students.length).toBe(calls);
      expect(calls).toBeGreaterThan(EXTRA);
      expect(await health).toBe(200);
      expect(callsWhenHealthAnswered).toBeGreaterThan(0);
      expect(callsWhenHealthAnswered).toBeLessThan(calls);
    } finally {
      Reflect.deleteProperty(queries, 'studentSummary');
    }
  });
});

describe('a search through every record', () => {
  it('lets /health be answered while it unseals the details', async () => {
    // The registry's Students page sorts the whole ledger by name, so every student's sealed details are
    // unsealed (from the read model's column): at 10M events that held the server for about a minute.
    // /health, sent once the search has unsealed its first details, is answered before it has its last.
    const queries = server.ledger.queries;
    const original = queries.unsealColumn.bind(queries);
    let read = 0;
    let health: Promise<number> | null = null;
    let readWhenHealthAnswered = -1;
    queries.unsealColumn = (sealed) => {
      read++;
      health ??= server.app.inject({ method: 'GET', url: '/health' }).then((answer) => {
        readWhenHealthAnswered = read;
        return answer.statusCode;
      });
      return original(sealed);
    };
    try {
      const found = await get('/students/search?pageSize=5');
      expect(found.status).toBe(200);
      expect(found.body.total).toBeGreaterThanOrEqual(20 + EXTRA);
      expect(read).toBeGreaterThanOrEqual(found.body.total);
      expect(await health).toBe(200);
      expect(readWhenHealthAnswered).toBeGreaterThan(0);
      expect(readWhenHealthAnswered).toBeLessThan(found.body.total);
    } finally {
      Reflect.deleteProperty(queries, 'unsealColumn');
    }
  });
});

describe('the other long lists page the same way', () => {
  it('cohorts (filtered by programme), reviews, and both at-risk lists with one cursor', async () => {
    const cohorts = await allPages('/cohorts?limit=2', 'cohorts');
    const ids = cohorts.items.map((c) => c.cohortId);
    expect(ids).toEqual(
      server.ledger.queries
        .cohorts()
        .map((c) => c.cohortId)
        .sort(),
    );
    expect(Math.max(...cohorts.sizes)).toBe(2);
    const npq = await allPages('/cohorts?programmeId=npq-senco-bpn', 'cohorts');
    expect(npq.items.length).toBeGreaterThan(0);
    expect(npq.items.length).toBeLessThan(ids.length);

    const reviews = await allPages('/reviews?limit=1', 'reviews');
    expect(reviews.items.map((r) => r.studentId)).toEqual(
      server.ledger.queries
        .reviews()
        .map((r) => r.studentId)
        .sort(),
    );

    const whole = server.ledger.queries.atRisk();
    const lists: Record<'atRisk' | 'notStudying', string[]> = { atRisk: [], notStudying: [] };
    let cursor: string | null = null;
    do {
      const page = await get(`/deadlines/at-risk?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.atRisk.length).toBeLessThanOrEqual(1);
      expect(page.body.notStudying.length).toBeLessThanOrEqual(1);
      for (const list of ['atRisk', 'notStudying'] as const)
        lists[list].push(...page.body[list].map((d: { studentId: string }) => d.studentId));
      cursor = page.body.nextCursor;
    } while (cursor);
    // nearest deadline first, as the whole list is ordered
    expect(lists.atRisk).toEqual(whole.atRisk.map((d) => d.studentId));
    expect(lists.notStudying).toEqual(whole.notStudying.map((d) => d.studentId));
    expect(lists.atRisk.length + lists.notStudying.length).toBeGreaterThan(1);
  });

  it('checkpoints, newest first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-paging-'));
    try {
      const book = new CheckpointBook(dir, server.ledger.keys as MemoryKeyStore, server.ledger.store.name);
      for (let i = 0; i < 5; i++) {
        await server.ledger.execute(null, 'submitApplication', anApplication(8_000 + i), {
          actor: staff.registry,
        });
        expect((await writeCheckpoint(server.ledger, book, `test ${i}`)).ok).toBe(true);
      }
      const app = await buildServer({
        ledger: server.ledger,
        tokens: server.tokenStore,
        checkpoints: book,
        logLevel: 'silent',
      });
      const reasons: string[] = [];
      let cursor: string | null = null;
      do {
        const answer: { json(): { checkpoints: { reason: string }[]; nextCursor: string | null } } =
          await app.inject({
            method: 'GET',
            url: `/checkpoints?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
            headers: auth(server.tokens.registry),
          });
        expect(answer.json().checkpoints.length).toBeLessThanOrEqual(2);
        reasons.push(...answer.json().checkpoints.map((c: { reason: string }) => c.reason));
        cursor = answer.json().nextCursor;
      } while (cursor);
      expect(reasons).toEqual(['test 4', 'test 3', 'test 2', 'test 1', 'test 0']);
      await app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
