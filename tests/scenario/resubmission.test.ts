import { describe, expect, it } from 'vitest';
import { applyAndEnrol, createCohort, staff, study } from '../../src/demo/journeys.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { londonDate } from '../../src/domain/calendar.ts';
import { plans, testLedger } from '../support/ledger.ts';

// A failed module, a resubmission permitted by registry, and the time before anything is handed in for
// it: the module stands on the failed attempt, with the resubmission (and its deadline) still to come.

const applicant = {
  fullName: 'Rae Lind',
  email: 'rae.lind@school.example',
  dateOfBirth: '1985-03-03',
  qts: 'QTS' as const,
  appointedOn: '2023-09-01',
};

async function failedM2() {
  const t = await testLedger('2024-11-15');
  const plan = plans(t.ledger.reference).blended;
  await createCohort(t.ledger, plan);
  const id = await applyAndEnrol(t.ledger, plan, applicant);
  await study(t.ledger, id, plan, { marks: { M1: 62, M2: 43, M3: 57 } });
  return { ...t, id };
}

describe('a permitted resubmission', () => {
  it('with nothing yet submitted is not "submitted, awaiting a mark"', async () => {
    const { ledger, id } = await failedM2();
    await ledger.execute(
      id,
      'permitResubmission',
      { moduleCode: 'M2', deadline: '2025-02-28' },
      { actor: staff.registry },
    );
    const m2 = ledger.queries.credits(id)!.modules.find((m) => m.moduleCode === 'M2')!;
    expect(m2.status).toBe('resubmission-permitted');
    expect(m2.attempts).toHaveLength(2);
    expect(m2.attempts[0]).toMatchObject({ attempt: 1, mark: 43, ratified: true, permitted: false });
    expect(m2.attempts[1]).toMatchObject({
      attempt: 2,
      permitted: true,
      dueBy: '2025-02-28',
      submittedOn: null,
      mark: null,
    });
    const outstanding = ledger.queries.decision(id)!.outstanding;
    expect(outstanding).toContain('M2: resubmission permitted, due by 2025-02-28, not yet submitted');
    expect(outstanding.join('\n')).not.toMatch(/awaiting a mark/);
  });

  it('once handed in, awaits its mark', async () => {
    const { ledger, id, setToday } = await failedM2();
    await ledger.execute(
      id,
      'permitResubmission',
      { moduleCode: 'M2', deadline: '2025-02-28' },
      { actor: staff.registry },
    );
    setToday('2025-02-20'); // handed in on the day it is recorded
    await ledger.execute(
      id,
      'submitAssignment',
      { moduleCode: 'M2', attempt: 2, kind: 'final', submittedOn: '2025-02-20' },
      { actor: staff.tutor },
    );
    const m2 = ledger.queries.credits(id)!.modules.find((m) => m.moduleCode === 'M2')!;
    expect(m2.status).toBe('submitted');
    expect(m2.attempts[1]).toMatchObject({ submittedOn: '2025-02-20', dueBy: '2025-02-28' });
    expect(ledger.queries.decision(id)!.outstanding).toContain('M2: submitted, awaiting a mark');
  });
});

describe('permitting a resubmission', () => {
  it('is dated when it was permitted and refused after its own deadline', async () => {
    const { ledger, id, setToday } = await failedM2();
    setToday('2026-12-01');
    const late = await ledger
      .execute(
        id,
        'permitResubmission',
        { moduleCode: 'M2', deadline: '2025-02-28' },
        { actor: staff.registry },
      )
      .catch((e) => e);
    expect(late.code).toBe('resubmission_deadline_passed');
    expect(late.message).toMatch(/2025-02-28 is before the resubmission is permitted \(2026-12-01\)/);
    const atBoard = await ledger.execute(
      id,
      'permitResubmission',
      { moduleCode: 'M2', deadline: '2025-02-28', permittedOn: '2024-11-15' },
      { actor: staff.registry },
    );
    expect(londonDate(atBoard.events[0]!.metadata.occurredAt)).toBe('2024-11-15');
    expect(ledger.queries.deadlines(id, '2025-01-10').resubmissions).toEqual([
      { moduleCode: 'M2', attempt: 2, deadline: '2025-02-28', submittedOn: null, overdue: false },
    ]);
    expect(ledger.queries.deadlines(id, '2025-03-01').resubmissions[0]!.overdue).toBe(true);
  });
});

describe('the demo follows the rules it demonstrates', () => {
  it("permits Tom Hughes's M2 resubmission at the exam board, within its deadline, and shows that deadline", async () => {
    const { ledger } = await testLedger('2026-12-01');
    await loadDemo(ledger);
    const tom = ledger.queries
      .studentIds()
      .find((id) => ledger.queries.personalDetails(ledger.queries.record(id))?.fullName === 'Tom Hughes')!;
    const events = await ledger.queries.streamEvents(tom);
    const permits = events.filter((e) => e.type === 'ResubmissionPermitted');
    expect(permits).toHaveLength(1);
    const permit = permits[0]!;
    const deadline = (permit.data as { deadline: string }).deadline;
    expect(londonDate(permit.metadata.occurredAt)).toBe('2024-11-15');
    expect(londonDate(permit.metadata.occurredAt) <= deadline).toBe(true);
    const m2 = ledger.queries.credits(tom)!.modules.find((m) => m.moduleCode === 'M2')!;
    expect(m2.status).toBe('resubmission-permitted');
    expect(ledger.queries.deadlines(tom).resubmissions).toEqual([
      { moduleCode: 'M2', attempt: 2, deadline: '2025-02-28', submittedOn: null, overdue: true },
    ]);
  });
});
