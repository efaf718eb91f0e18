import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ledger } from '../../src/app/ledger.ts';
import { applyAndEnrol } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { applicant, plans, testLedger } from '../support/ledger.ts';

// Lists paged in the read-model database (src/app/queries/lists.ts): a page is the rows after the last key
// of the page before, in key order, with a LIMIT in SQL and a count of all that match. Walking the pages
// gives every row once, a row added between pages is neither repeated nor skipped, and no query hands
// back more rows than a page and the one that says more follow.

let ledger: Ledger;
let rowsPerSelect: number[];
beforeEach(async () => {
  ({ ledger } = await testLedger('2026-12-01'));
  await loadDemo(ledger);
  rowsPerSelect = [];
  const select = ledger.projections.db.select.bind(ledger.projections.db);
  vi.spyOn(ledger.projections.db, 'select').mockImplementation((...args) => {
    const rows = select(...args);
    rowsPerSelect.push(rows.length);
    return rows;
  });
});
afterEach(() => ledger.stop());

describe('lists paged in the read-model database', () => {
  it('walks every student once, a page at a time, and a student added meanwhile appears once', async () => {
    const all = ledger.queries.studentIds();
    expect(all.length).toBeGreaterThan(10);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    let added: string | null = null;
    do {
      const page = ledger.queries.studentsPage({}, { limit: 3, after });
      expect(page.items.length).toBeLessThanOrEqual(3);
      expect(page.total).toBe(all.length + (added ? 1 : 0));
      seen.push(...page.items.map((r) => r.studentId));
      after = page.next ?? undefined;
      if (++pages === 2) added = await applyAndEnrol(ledger, plans(ledger.reference).blended, applicant(99));
    } while (after !== undefined);
    expect(seen).toEqual([...all, added!].sort());
    expect(new Set(seen).size).toBe(seen.length);
    // the database handed back at most a page and one more row each time
    expect(Math.max(...rowsPerSelect)).toBeLessThanOrEqual(4);
  });

  it('filters in the database: a cohort, a status; and pages the cohorts', () => {
    const cohortId = ledger.queries.cohorts()[0]!.cohortId;
    const members = ledger.queries.studentIds(cohortId);
    const page = ledger.queries.studentsPage({ cohortId }, { limit: 100 });
    expect(page.items.map((r) => r.studentId)).toEqual(members);
    expect(page).toMatchObject({ total: members.length, next: null });
    const awarded = ledger.queries.studentsPage({ status: 'awarded' }, { limit: 100 });
    expect(awarded.items.length).toBeGreaterThan(0);
    for (const r of awarded.items) expect(r.awards.some((a) => !a.withdrawn)).toBe(true);
    const none = ledger.queries.studentsPage({ withinCohorts: [] }, { limit: 100 });
    expect(none).toEqual({ items: [], next: null, total: 0 });

    const all = ledger.queries.cohorts();
    const cohortIds = all.map((c) => c.cohortId);
    const first = ledger.queries.cohortsPage({ limit: 2 }, {});
    expect(first.items.map((c) => c.cohortId)).toEqual(cohortIds.slice(0, 2));
    expect(first).toMatchObject({ total: cohortIds.length, next: cohortIds[1] });
    const second = ledger.queries.cohortsPage({ limit: 2, after: first.next! }, {});
    expect(second.items.map((c) => c.cohortId)).toEqual(cohortIds.slice(2, 4));
    const named = ledger.queries.cohortsPage({ limit: 10 }, { cohortIds: [cohortIds[3]!] });
    expect(named.items.map((c) => c.cohortId)).toEqual([cohortIds[3]]);
    const npq = all.filter((c) => c.programmeId === 'npq-senco-bpn').map((c) => c.cohortId);
    expect(npq.length).toBeGreaterThan(0);
    const ofProgramme = ledger.queries.cohortsPage({ limit: 10 }, { programmeId: 'npq-senco-bpn' });
    expect(ofProgramme.items.map((c) => c.cohortId)).toEqual(npq);
  });
});
