import { describe, expect, it } from 'vitest';
import { applyAndEnrol, createCohort, staff, study } from '../../src/demo/journeys.ts';
import { applicant, plans, testLedger } from '../support/ledger.ts';

describe('programme specifications are versioned data', () => {
  it('publishing a new version never changes a decision made on the old one', async () => {
    const { ledger } = await testLedger('2024-11-20');
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(41));
    await study(ledger, id, plan, { marks: { M1: 52, M2: 55, M3: 58 } });
    const before = ledger.queries.decision(id)!;
    expect(before.outcome).toBe('awarded');

    // Version 2 raises the pass mark to 60: students enrolled on version 1 are judged as before.
    const v2 = structuredClone(ledger.reference.specification('blended-3module', 1));
    v2.version = 2;
    v2.publishedOn = '2024-10-01';
    for (const m of v2.modules) m.assessment.passMark = 60;
    await ledger.execute(null, 'publishSpecification', { specification: v2 }, { actor: staff.admin });
    expect(ledger.reference.specification('blended-3module', 2).modules[0]!.assessment.passMark).toBe(60);
    const after = ledger.queries.decision(id)!;
    expect(after.digest).toBe(before.digest);
    expect(after.specification.version).toBe(1);

    // A published version cannot be published again with other content.
    const clash = await ledger
      .execute(
        null,
        'publishSpecification',
        { specification: { ...v2, title: 'changed' } },
        { actor: staff.admin },
      )
      .catch((e) => e);
    expect(clash).toMatchObject({ kind: 'conflict', code: 'specification_version_exists' });

    // A cohort on version 2 judges its students by the new pass mark.
    const plan2 = {
      ...plan,
      cohortId: 'blended-v2',
      spec: ledger.reference.specification('blended-3module', 2),
    };
    await createCohort(ledger, plan2);
    const other = await applyAndEnrol(ledger, plan2, applicant(42));
    await study(ledger, other, plan2, { marks: { M1: 52, M2: 55, M3: 58 } });
    const strict = ledger.queries.decision(other)!;
    expect(strict.specification.version).toBe(2);
    expect(strict.outcome).toBe('not-yet-eligible');
    expect(strict.credits.modules.map((m) => m.status)).toEqual([
      'resubmission-available',
      'resubmission-available',
      'resubmission-available',
    ]);
  });

  it('refuses a specification that fails its schema, naming the fields', async () => {
    const { ledger } = await testLedger();
    const error = await ledger
      .execute(
        null,
        'publishSpecification',
        { specification: { programmeId: 'new-provider', version: 1 } },
        { actor: staff.admin },
      )
      .catch((e) => e);
    expect(error.kind).toBe('invalid');
    expect(error.issues.map((i: { field: string }) => i.field)).toEqual(
      expect.arrayContaining(['specification.title', 'specification.modules']),
    );
  });
});

describe('optimistic concurrency', () => {
  it('two writers on one record at once: both land, the second retried on fresh state', async () => {
    const { ledger } = await testLedger('2024-11-20');
    const plan = plans(ledger.reference).blended;
    await createCohort(ledger, plan);
    const id = await applyAndEnrol(ledger, plan, applicant(43));
    const visit = (moduleCode: string) =>
      ledger.execute(
        id,
        'recordPartnerSchoolVisit',
        { school: { name: 'Oak' }, phase: 'primary', visitedOn: '2024-02-01', moduleCode, hours: 5 },
        { actor: staff.tutor },
      );
    const results = await Promise.all([visit('M1'), visit('M2'), visit('M3')]);
    expect(new Set(results.map((r) => r.revision)).size).toBe(3);
    expect(
      ledger.queries
        .record(id)
        .visits.map((v) => v.moduleCode)
        .sort(),
    ).toEqual(['M1', 'M2', 'M3']);
    // With If-Match the caller owns the conflict: no retry, a 409-kind error naming the current revision.
    const stale = await ledger
      .execute(
        id,
        'recordPartnerSchoolVisit',
        { school: { name: 'Oak' }, phase: 'primary', visitedOn: '2024-02-02', moduleCode: 'M1', hours: 5 },
        { actor: staff.tutor, expectedRevision: 2n },
      )
      .catch((e) => e);
    expect(stale).toMatchObject({
      kind: 'conflict',
      code: 'wrong_expected_revision',
      actual: ledger.queries.record(id).revision,
    });
  });
});

describe('a second writer on the same log', () => {
  it('a command on a state another writer has moved on is judged again on the log, never refused on stale state', async () => {
    const { ledger: a } = await testLedger('2024-11-20');
    const plan = plans(a.reference).blended;
    await createCohort(a, plan);
    const id = await applyAndEnrol(a, plan, applicant(44));
    const { ledger: b } = await testLedger('2024-11-20', a.store);
    const registry = { actor: staff.registry };
    await a.execute(
      id,
      'interruptStudy',
      { from: '2024-03-01', expectedReturn: null, reason: 'illness' },
      registry,
    );
    // Ledger b resumes the study: ledger a's remembered state still says interrupted.
    await b.execute(id, 'resumeStudy', { on: '2024-04-01' }, registry);
    const visit = await a.execute(
      id,
      'recordPartnerSchoolVisit',
      { school: { name: 'Oak' }, phase: 'primary', visitedOn: '2024-04-02', moduleCode: 'M1', hours: 5 },
      { actor: staff.tutor },
    );
    const log = await a.store.readStream(`student-${id}`);
    expect(visit.revision).toBe(log.at(-1)!.revision);
    expect(log.slice(-3).map((e) => e.type)).toEqual([
      'StudyInterrupted',
      'StudyResumed',
      'PartnerSchoolVisitRecorded',
    ]);
    // A command that both states allow lands after the other writer's event, not over it.
    await b.execute(
      id,
      'interruptStudy',
      { from: '2024-05-01', expectedReturn: null, reason: 'illness' },
      registry,
    );
    const refused = await a
      .execute(
        id,
        'recordPartnerSchoolVisit',
        { school: { name: 'Oak' }, phase: 'primary', visitedOn: '2024-05-02', moduleCode: 'M2', hours: 5 },
        { actor: staff.tutor },
      )
      .catch((e) => e);
    expect(refused).toMatchObject({ code: 'study_interrupted' });
    const resumed = await a.execute(id, 'resumeStudy', { on: '2024-06-01' }, registry);
    expect(resumed.revision).toBe((await a.store.readStream(`student-${id}`)).at(-1)!.revision);
    await b.stop();
  });
});
