import { describe, expect, it } from 'vitest';
import type { DomainEvent, LedgerEvent } from '../../events/index.ts';
import { type Command, commandDefinitions } from '../../src/domain/commands.ts';
import { type DecideContext, decide } from '../../src/domain/decide.ts';
import { ReferenceData } from '../../src/domain/reference-data.ts';
import { foldRecord } from '../../src/domain/student-record.ts';
import { LedgerError } from '../../src/errors.ts';
import type { Actor } from '../../src/store/port.ts';

// The decider, given events / when a command / then events or a refusal. No store, no clock.

const reference = ReferenceData.load();
const tutor: Actor = { id: 'tutor-1', role: 'tutor' };
const registry: Actor = { id: 'registry-1', role: 'registry' };
const admin: Actor = { id: 'admin-1', role: 'admin' };
const sealed = { alg: 'A256GCM' as const, keyId: 's1', iv: 'aXY=', tag: 'dGFn', ct: 'Y3Q=' };

function given(events: DomainEvent[]) {
  let position = 0n;
  const ledgerEvents = events.map((e, i) => ({
    ...e,
    eventId: `e${i}`,
    streamId: 'student-s1',
    revision: BigInt(i),
    position: ++position,
    recordedAt: '2024-02-01T10:00:00.000Z',
    metadata: {
      actor: registry,
      occurredAt: '2024-02-01T10:00:00.000+00:00',
      correlationId: 'c',
      causationId: null,
    },
    schemaVersion: 1,
    hash: 'h',
  })) as LedgerEvent[];
  return foldRecord('student-s1', ledgerEvents);
}

const enrolled: DomainEvent[] = [
  {
    type: 'ApplicationSubmitted',
    data: {
      studentId: 's1',
      personal: sealed,
      programmeId: 'blended-3module',
      school: { type: 'academy' },
      intake: 'spring',
      submittedOn: '2023-11-01',
    },
  },
  { type: 'EligibilityAssessed', data: { eligible: true, route: 'national-award' } },
  { type: 'PlaceOffered', data: { cohortId: 'c1', offeredOn: '2023-12-01' } },
  {
    type: 'StudentEnrolled',
    data: {
      cohortId: 'c1',
      programmeId: 'blended-3module',
      specVersion: 1,
      frameworkId: 'nasenco-national',
      frameworkVersion: 1,
      enrolledOn: '2024-01-08',
    },
  },
];
const marked: DomainEvent[] = [
  ...enrolled,
  {
    type: 'AssignmentSubmitted',
    data: { moduleCode: 'M1', attempt: 1, kind: 'final', submittedOn: '2024-03-01' },
  },
  {
    type: 'AssignmentMarked',
    data: { moduleCode: 'M1', attempt: 1, marker: { id: 'tutor-1' }, mark: 48, markedOn: '2024-03-20' },
  },
];

function when(events: DomainEvent[], command: Command, actor: Actor = tutor) {
  const ctx: DecideContext = { actor, today: '2024-04-01', reference, cohort: () => undefined };
  return decide(events.length ? given(events) : null, command, ctx);
}

function refusal(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the decider', () => {
  it('then: a mark becomes an AssignmentMarked by the signed-in tutor', () => {
    const [decided] = when([...enrolled, marked[4]!], {
      name: 'markAssignment',
      data: { moduleCode: 'M1', attempt: 1, mark: 64, markedOn: '2024-03-20' },
    });
    expect(decided).toEqual({
      event: {
        type: 'AssignmentMarked',
        data: { moduleCode: 'M1', attempt: 1, mark: 64, markedOn: '2024-03-20', marker: { id: 'tutor-1' } },
      },
      occurredOn: '2024-03-20',
    });
  });

  it('refuses a mark outside 0-100 at the command schema, naming the field', () => {
    const parsed = commandDefinitions.markAssignment.schema.safeParse({
      moduleCode: 'M1',
      attempt: 1,
      mark: 101,
      markedOn: '2024-03-20',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['mark'], message: 'must be between 0 and 100' });
  });

  it('refuses marking a module that is not on the student programme', () => {
    const e = refusal(() =>
      when(enrolled, {
        name: 'markAssignment',
        data: { moduleCode: 'RA1', attempt: 1, mark: 60, markedOn: '2024-03-20' },
      }),
    );
    expect(e).toMatchObject({ kind: 'refused', code: 'module_not_on_programme' });
    expect(e.message).toMatch(/M1, M2, M3/);
  });

  it('refuses a second APL/RPL claim beyond the cap of one module (seed 003)', () => {
    const withClaim: DomainEvent[] = [
      ...enrolled,
      {
        type: 'AplClaimSubmitted',
        data: {
          claimId: 'a1',
          moduleCode: 'M1',
          route: 'APL',
          submittedOn: '2024-01-10',
          evidenceSummary: 'certificate',
        },
      },
    ];
    const e = refusal(() =>
      when(withClaim, {
        name: 'submitAplClaim',
        data: {
          claimId: 'a2',
          moduleCode: 'M2',
          route: 'RPL',
          submittedOn: '2024-01-11',
          evidenceSummary: 'portfolio',
        },
      }),
    );
    expect(e).toMatchObject({ code: 'apl_cap_reached', details: { cap: 1 } });
  });

  it('refuses signing off an outcome that is not in the framework', () => {
    const e = refusal(() =>
      when(enrolled, {
        name: 'signOffOutcome',
        data: { outcomeCode: 'Z9.9', evidenceEventIds: ['x'], signedOffOn: '2024-03-01' },
      }),
    );
    expect(e).toMatchObject({ code: 'outcome_not_in_framework' });
  });

  it('refuses a sign-off by someone who is not an assessor', () => {
    const e = refusal(() =>
      when(
        enrolled,
        {
          name: 'signOffOutcome',
          data: { outcomeCode: 'A1.1', evidenceEventIds: ['x'], signedOffOn: '2024-03-01' },
        },
        registry,
      ),
    );
    expect(e).toMatchObject({ code: 'not_an_assessor' });
  });

  it('refuses a correction naming an event that is not a mark, or does not exist', () => {
    const notAMark = refusal(() =>
      when(
        marked,
        { name: 'correctMark', data: { correctsEventId: 'e3', correctedMark: 55, reason: 'typo' } },
        admin,
      ),
    );
    expect(notAMark).toMatchObject({
      code: 'correction_target_not_a_mark',
      details: { type: 'StudentEnrolled' },
    });
    const missing = refusal(() =>
      when(
        marked,
        { name: 'correctMark', data: { correctsEventId: 'nope', correctedMark: 55, reason: 'typo' } },
        admin,
      ),
    );
    expect(missing).toMatchObject({ code: 'correction_target_not_found' });
  });

  it('then: a correction names the mark, the old and new marks, the reason and the admin', () => {
    const [decided] = when(
      marked,
      {
        name: 'correctMark',
        data: { correctsEventId: 'e5', correctedMark: 55, reason: 'Marks added up wrongly' },
      },
      admin,
    );
    expect(decided!.event).toEqual({
      type: 'MarkCorrected',
      data: {
        correctsEventId: 'e5',
        moduleCode: 'M1',
        attempt: 1,
        previousMark: 48,
        correctedMark: 55,
        reason: 'Marks added up wrongly',
        authorisedBy: { id: 'admin-1' },
      },
    });
  });

  it('refuses corrections by anyone but an admin', () => {
    expect(
      refusal(() =>
        when(
          marked,
          { name: 'correctMark', data: { correctsEventId: 'e5', correctedMark: 55, reason: 'x'.repeat(5) } },
          tutor,
        ),
      ).code,
    ).toBe('not_authorised_to_correct');
  });

  it('refuses to record anything for a withdrawn student', () => {
    const withdrawn: DomainEvent[] = [
      ...enrolled,
      { type: 'StudentWithdrawn', data: { on: '2024-02-01', reason: 'Left the post' } },
    ];
    const e = refusal(() =>
      when(withdrawn, {
        name: 'recordPartnerSchoolVisit',
        data: {
          school: { name: 'X' },
          phase: 'primary',
          visitedOn: '2024-03-01',
          moduleCode: 'M1',
          hours: 5,
        },
      }),
    );
    expect(e).toMatchObject({ code: 'student_withdrawn' });
  });

  it('refuses a command for a student who does not exist', () => {
    expect(
      refusal(() =>
        when([], {
          name: 'recordViva',
          data: { heldOn: '2024-01-01', outcome: 'pass', examiners: [{ id: 't' }] },
        }),
      ).code,
    ).toBe('unknown_student');
  });

  it('refuses conferral when the decision is not an award, listing what is outstanding', () => {
    const e = refusal(() =>
      when(marked, { name: 'conferAward', data: { examBoardId: 'b1', conferredOn: '2024-04-01' } }, registry),
    );
    expect(e.code).toBe('not_eligible');
    expect((e.details.outstanding as string[]).length).toBeGreaterThan(3);
  });

  it('permits one resubmission, capped at the pass mark, and no more', () => {
    const [permitted] = when(
      marked,
      { name: 'permitResubmission', data: { moduleCode: 'M1', deadline: null } },
      registry,
    );
    expect(permitted!.event.data).toMatchObject({ attempt: 2, capAt: 50 });
  });
});
