import { describe, it } from 'vitest';
import type { Command } from '../../../src/domain/commands.ts';
import { BOARDS, given, registry, tutor } from '../../support/given-when-then.ts';
import {
  cohort,
  enrolledStudent,
  type Fact,
  marked,
  passed,
  ratified,
  submitted,
} from '../../support/student-events.ts';

// An exam board's outcomes per module (board-1 was held on 2024-07-12 with examiner-1), and the
// mitigating-circumstances claims it decides. Every fact is dated on the day the board was held.

const failed = [...enrolledStudent(), submitted('M1'), marked('M1', 42, 'mark-M1')];
const failedRatified = [...failed, ratified([{ moduleCode: 'M1', mark: 42, head: 'mark-M1' }])];
const outcome = (data: Omit<Extract<Command, { name: 'recordBoardOutcome' }>['data'], 'examBoardId'>) =>
  ({ name: 'recordBoardOutcome', data: { examBoardId: 'board-1', ...data } }) as const;

const recorded = (
  more: Partial<Fact<'BoardOutcomeRecorded'>['data']> & Pick<Fact<'BoardOutcomeRecorded'>['data'], 'outcome'>,
): Fact<'BoardOutcomeRecorded'> => ({
  type: 'BoardOutcomeRecorded',
  data: {
    examBoardId: 'board-1',
    boardDate: '2024-07-12',
    moduleCode: 'M1',
    attempt: 1,
    externalExaminers: ['examiner-1'],
    nextAttempt: null,
    mitigatingClaimId: null,
    ...more,
  },
});

const permitted2: Fact<'ResubmissionPermitted'> = {
  type: 'ResubmissionPermitted',
  data: {
    moduleCode: 'M1',
    attempt: 2,
    capAt: 50,
    deadline: '2024-09-30',
    permittedBy: { id: 'registry-1' },
  },
};

describe('exam-board outcomes: given / when / then', () => {
  it('records a referral: the next attempt is a capped resubmission with its deadline', () => {
    given(failedRatified)
      .when(outcome({ moduleCode: 'M1', outcome: 'refer', deadline: '2024-09-30' }), registry)
      .thenEvents(
        [recorded({ outcome: 'refer', nextAttempt: { attempt: 2, capAt: 50, deadline: '2024-09-30' } })],
        '2024-07-12',
      );
  });

  it('records a deferral: the attempt again, uncapped (a first sit)', () => {
    given(failedRatified)
      .when(outcome({ moduleCode: 'M1', outcome: 'defer', deadline: null }), registry)
      .thenEvents([recorded({ outcome: 'defer', nextAttempt: { attempt: 2, capAt: null, deadline: null } })]);
    // a non-submission can be deferred too: attempt 1 had nothing
    given(enrolledStudent())
      .when(outcome({ moduleCode: 'M2', outcome: 'defer' }), registry)
      .thenEvents([
        recorded({
          moduleCode: 'M2',
          outcome: 'defer',
          nextAttempt: { attempt: 2, capAt: null, deadline: null },
        }),
      ]);
  });

  it('records a pass on a ratified pass, and a fail with no further attempt', () => {
    given([...enrolledStudent(), ...passed(['M1'])])
      .when(outcome({ moduleCode: 'M1', outcome: 'pass' }), registry)
      .thenEvents([recorded({ outcome: 'pass' })]);
    given(failedRatified)
      .when(outcome({ moduleCode: 'M1', outcome: 'fail', note: 'Academic misconduct panel' }), registry)
      .thenEvents([recorded({ outcome: 'fail', note: 'Academic misconduct panel' })]);
  });

  it('records a withdrawal required by the board, and withdraws the student on the board day', () => {
    given(failedRatified)
      .when(outcome({ moduleCode: 'M1', outcome: 'withdraw' }), registry)
      .thenEvents(
        [
          recorded({ outcome: 'withdraw' }),
          {
            type: 'StudentWithdrawn',
            data: { on: '2024-07-12', reason: 'Required to withdraw by exam board board-1' },
          },
        ],
        '2024-07-12',
      );
  });

  it('refuses an outcome at a board never held, for a module off the programme or replaced by APL', () => {
    given(failedRatified)
      .when(
        {
          ...outcome({ moduleCode: 'M1', outcome: 'fail' }),
          data: { examBoardId: 'board-9', moduleCode: 'M1', outcome: 'fail' },
        },
        registry,
      )
      .thenRefusedAt('unknown_exam_board', 'examBoardId');
    given(failedRatified)
      .when(outcome({ moduleCode: 'M9', outcome: 'fail' }), registry)
      .thenRefusedAt('module_not_on_programme', 'moduleCode');
    const apl = [
      ...enrolledStudent(),
      {
        type: 'AplClaimSubmitted' as const,
        data: {
          claimId: 'a1',
          moduleCode: 'M1',
          route: 'APL' as const,
          submittedOn: '2024-01-10',
          evidenceSummary: 'PGCert',
        },
      },
      {
        type: 'AplClaimDecided' as const,
        data: {
          claimId: 'a1',
          moduleCode: 'M1',
          decision: 'approved' as const,
          decidedOn: '2024-01-20',
          decidedBy: { id: 'registry-1' },
          reason: 'Equivalent credits',
        },
      },
    ];
    given(apl)
      .when(outcome({ moduleCode: 'M1', outcome: 'pass' }), registry)
      .thenRefusedAt('module_replaced_by_apl', 'moduleCode');
  });

  it('refuses an outcome for an earlier attempt, or a second outcome for one attempt', () => {
    given([...failedRatified, permitted2])
      .when(outcome({ moduleCode: 'M1', attempt: 1, outcome: 'fail' }), registry)
      .thenRefusedAt('not_the_latest_attempt', 'attempt', { latest: 2 });
    given([...failedRatified, recorded({ outcome: 'fail' })])
      .when(outcome({ moduleCode: 'M1', outcome: 'refer' }), registry)
      .thenRefusedAt('board_outcome_exists', 'moduleCode', { outcome: 'fail', examBoardId: 'board-1' });
  });

  it('refuses an outcome the mark contradicts, or on a mark not yet ratified', () => {
    given(failed)
      .when(outcome({ moduleCode: 'M1', outcome: 'refer' }), registry)
      .thenRefusedAt('mark_not_ratified', 'outcome');
    given(failedRatified)
      .when(outcome({ moduleCode: 'M1', outcome: 'pass' }), registry)
      .thenRefusedAt('outcome_contradicts_mark', 'outcome');
    given([...enrolledStudent(), ...passed(['M1'])])
      .when(outcome({ moduleCode: 'M1', outcome: 'refer' }), registry)
      .thenRefusedAt('outcome_contradicts_mark', 'outcome');
  });

  it('refuses a referral when the resubmissions allowed are used', () => {
    const second = [
      ...failedRatified,
      permitted2,
      submitted('M1', '2024-09-01', 2),
      marked('M1', 30, 'mark-M1-2', 2),
      ratified([{ moduleCode: 'M1', mark: 30, head: 'mark-M1-2', attempt: 2 }], '2024-11-15', 'board-2'),
    ];
    given(second)
      .when(
        { name: 'recordBoardOutcome', data: { examBoardId: 'board-2', moduleCode: 'M1', outcome: 'refer' } },
        registry,
      )
      .thenRefusedAt('resubmission_limit_reached', 'outcome');
  });

  it('refuses a deadline on an outcome that gives no attempt, or one before the board', () => {
    given(failedRatified)
      .when(outcome({ moduleCode: 'M1', outcome: 'fail', deadline: '2024-09-30' }), registry)
      .thenRefusedAt('deadline_not_applicable', 'deadline');
    given(failedRatified)
      .when(outcome({ moduleCode: 'M1', outcome: 'refer', deadline: '2024-07-11' }), registry)
      .thenRefusedAt('deadline_before_board', 'deadline', { heldOn: '2024-07-12' });
  });

  it('never dates an outcome after today, even at a board the log says is later', () => {
    const future = cohort('blended', {
      examBoards: [{ examBoardId: 'board-1', heldOn: '2025-07-01', externalExaminers: ['examiner-1'] }],
    });
    given(failedRatified, { cohorts: [future] })
      .when(outcome({ moduleCode: 'M1', outcome: 'fail' }), registry)
      .thenRefusedAt('date_in_future', 'occurredOn');
  });
});

const claim = {
  claimId: 'mc-1',
  submittedOn: '2024-06-20',
  circumstances: 'Hospital admission in the week the assignment was due',
  evidence: [{ kind: 'medical-note' as const, reference: 'mc/discharge-letter.pdf' }],
  affects: [
    { kind: 'module' as const, moduleCode: 'M1' },
    { kind: 'time-limit' as const, timeLimit: 'outcomes' as const },
  ],
  requested: 'deferral' as const,
};
const submittedClaim: Fact<'MitigatingCircumstancesSubmitted'> = {
  type: 'MitigatingCircumstancesSubmitted',
  data: { ...claim, submittedBy: { id: 'tutor-1' } },
};
type DecideData = Extract<Command, { name: 'decideMitigatingCircumstances' }>['data'];
const decide = (more: Partial<DecideData>) =>
  ({
    name: 'decideMitigatingCircumstances',
    data: {
      claimId: 'mc-1',
      examBoardId: 'board-1',
      decision: 'accepted',
      reason: 'Evidence accepted',
      ...more,
    },
  }) as const;
const decided = (
  remedy: Fact<'MitigatingCircumstancesDecided'>['data']['remedy'],
  decision: 'accepted' | 'rejected' = 'accepted',
) =>
  ({
    type: 'MitigatingCircumstancesDecided',
    data: {
      claimId: 'mc-1',
      examBoardId: 'board-1',
      decidedOn: '2024-07-12',
      decision,
      remedy,
      reason: 'Evidence accepted',
      decidedBy: { id: 'registry-1' },
    },
  }) as const;

describe('mitigating circumstances: given / when / then', () => {
  it('a tutor submits a claim with its evidence; the submitter is recorded', () => {
    given(failed)
      .when({ name: 'submitMitigatingCircumstances', data: claim }, tutor)
      .thenEvents([submittedClaim], '2024-06-20');
  });

  it('refuses a claim twice, or one about a module off the programme', () => {
    given([...failed, submittedClaim])
      .when({ name: 'submitMitigatingCircumstances', data: claim }, tutor)
      .thenRefusedAt('mitigation_claim_exists', 'claimId');
    given(failed)
      .when(
        {
          name: 'submitMitigatingCircumstances',
          data: { ...claim, affects: [{ kind: 'module', moduleCode: 'M9' }] },
        },
        tutor,
      )
      .thenRefusedAt('module_not_on_programme', 'affects');
  });

  it('the board accepts a claim with a deferral: the decision, and the deferral that cites it', () => {
    given([...failed, submittedClaim])
      .when(decide({ remedy: { kind: 'deferral', moduleCode: 'M1', deadline: '2024-10-31' } }), registry)
      .thenEvents(
        [
          decided({ kind: 'deferral', moduleCode: 'M1', attempt: 1, deadline: '2024-10-31' }),
          recorded({
            outcome: 'defer',
            nextAttempt: { attempt: 2, capAt: null, deadline: '2024-10-31' },
            mitigatingClaimId: 'mc-1',
          }),
        ],
        '2024-07-12',
      );
  });

  it('the board accepts a claim with an extension of a named limit or of a resubmission deadline', () => {
    given([...failed, submittedClaim])
      .when(
        decide({ remedy: { kind: 'extension', timeLimit: 'outcomes', newDeadline: '2025-03-31' } }),
        registry,
      )
      .thenEvents([decided({ kind: 'extension', timeLimit: 'outcomes', newDeadline: '2025-03-31' })]);
    given([...failedRatified, permitted2, submittedClaim])
      .when(
        decide({ remedy: { kind: 'resubmission-extension', moduleCode: 'M1', newDeadline: '2024-10-31' } }),
        registry,
      )
      .thenEvents([
        decided({ kind: 'resubmission-extension', moduleCode: 'M1', attempt: 2, newDeadline: '2024-10-31' }),
      ]);
  });

  it('the board rejects a claim: nothing else changes', () => {
    given([...failed, submittedClaim])
      .when(decide({ decision: 'rejected' }), registry)
      .thenEvents([decided(null, 'rejected')]);
  });

  it('refuses a decision on no claim, a claim decided already, or at a board held before the claim', () => {
    given(failed)
      .when(decide({ decision: 'rejected' }), registry)
      .thenRefusedAt('unknown_mitigation_claim', 'claimId');
    given([...failed, submittedClaim, decided(null, 'rejected')])
      .when(decide({ decision: 'rejected' }), registry)
      .thenRefusedAt('mitigation_already_decided', 'claimId');
    const late = { ...submittedClaim, data: { ...submittedClaim.data, submittedOn: '2024-08-01' } };
    given([...failed, late])
      .when(decide({ decision: 'rejected' }), registry)
      .thenRefusedAt('decision_before_claim', 'examBoardId');
    given([...failed, late])
      .when(decide({ decision: 'rejected', examBoardId: 'board-2' }), registry)
      .thenEvents([
        {
          ...decided(null, 'rejected'),
          data: { ...decided(null, 'rejected').data, examBoardId: 'board-2', decidedOn: BOARDS[1]!.heldOn },
        },
      ]);
  });

  it('refuses an accepted claim without a remedy, a rejected one with one, or a remedy the claim does not concern', () => {
    const history = [...failed, submittedClaim];
    given(history).when(decide({}), registry).thenRefusedAt('remedy_required', 'remedy');
    given(history)
      .when(decide({ decision: 'rejected', remedy: { kind: 'deferral', moduleCode: 'M1' } }), registry)
      .thenRefusedAt('remedy_not_applicable', 'remedy');
    given(history)
      .when(decide({ remedy: { kind: 'deferral', moduleCode: 'M2' } }), registry)
      .thenRefusedAt('remedy_outside_claim', 'remedy');
    given(history)
      .when(
        decide({ remedy: { kind: 'extension', timeLimit: 'assignments', newDeadline: '2025-01-31' } }),
        registry,
      )
      .thenRefusedAt('remedy_outside_claim', 'remedy');
  });

  it('refuses a resubmission extension with no permitted attempt, or to a date not later', () => {
    given([...failed, submittedClaim])
      .when(
        decide({ remedy: { kind: 'resubmission-extension', moduleCode: 'M1', newDeadline: '2024-10-31' } }),
        registry,
      )
      .thenRefusedAt('no_permitted_attempt', 'remedy.attempt');
    given([...failedRatified, permitted2, submittedClaim])
      .when(
        decide({ remedy: { kind: 'resubmission-extension', moduleCode: 'M1', newDeadline: '2024-09-30' } }),
        registry,
      )
      .thenRefusedAt('extension_not_later', 'remedy.newDeadline');
  });

  it("refuses a deferral the board could not give, naming the remedy's field", () => {
    given([...enrolledStudent(), ...passed(['M1']), submittedClaim])
      .when(decide({ remedy: { kind: 'deferral', moduleCode: 'M1' } }), registry)
      .thenRefusedAt('outcome_contradicts_mark', 'remedy');
  });
});
