import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../../src/domain/commands.ts';
import { admin, examiner, given, registry, tutor } from '../../support/given-when-then.ts';
import {
  cohort,
  enrolledStudent,
  marked,
  passed,
  ratified,
  submitted,
} from '../../support/student-events.ts';

// Submissions, marks and their chain (moderation, correction, ratification), portfolio and viva.

const submittedM1 = [...enrolledStudent(), submitted('M1')];
const failedM1 = [...submittedM1, marked('M1', 42, 'mark-M1')];
const aplApproved = [
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
const permitted = (attempt = 2) => ({
  type: 'ResubmissionPermitted' as const,
  data: { moduleCode: 'M1', attempt, capAt: 50, deadline: null, permittedBy: { id: 'registry-1' } },
});
const moderated = {
  eventId: 'moderation-M1',
  type: 'MarkModerated' as const,
  data: {
    markEventId: 'mark-M1',
    moduleCode: 'M1',
    attempt: 1,
    moderator: { id: 'tutor-2' },
    previousMark: 42,
    moderatedMark: 46,
    moderatedOn: '2024-03-25',
  },
};

describe('submissions: given / when / then', () => {
  it('records a final submission, and a plan for feedback where the module has one', () => {
    given(enrolledStudent())
      .when({ name: 'submitAssignment', data: submitted('M1').data })
      .thenEvents([submitted('M1')], '2024-03-01');
    given(enrolledStudent('bpn'))
      .when({ name: 'submitAssignment', data: submitted('RA1', '2024-02-01', 1, 'plan').data })
      .thenEvents([submitted('RA1', '2024-02-01', 1, 'plan')]);
  });

  it('refuses a submission for a module replaced by APL, already passed, without a plan stage or not permitted', () => {
    const m1 = (attempt = 1, kind: 'plan' | 'final' = 'final') =>
      ({ name: 'submitAssignment', data: submitted('M1', '2024-05-01', attempt, kind).data }) as const;
    given(aplApproved).when(m1()).thenRefused('module_replaced_by_apl');
    given([...enrolledStudent(), ...passed(['M1'])])
      .when(m1())
      .thenRefused('module_already_passed');
    given(enrolledStudent()).when(m1(1, 'plan')).thenRefused('no_plan_stage');
    given(failedM1).when(m1(2)).thenRefused('attempt_not_permitted');
    given([...failedM1, permitted()])
      .when(m1(2))
      .thenEvents([submitted('M1', '2024-05-01', 2)]);
    given(enrolledStudent())
      .when({ name: 'submitAssignment', data: submitted('RA1').data })
      .thenRefused('module_not_on_programme');
  });
});

describe('marks: given / when / then', () => {
  const mark = { moduleCode: 'M1', attempt: 1, mark: 64, markedOn: '2024-03-20' };

  it('records a first mark by the signed-in tutor, or by the marker named', () => {
    given(submittedM1)
      .when({ name: 'markAssignment', data: mark })
      .thenEvents([{ type: 'AssignmentMarked', data: { ...mark, marker: { id: 'tutor-1' } } }], '2024-03-20');
    given(submittedM1)
      .when({ name: 'markAssignment', data: { ...mark, marker: { id: 'tutor-9' } } })
      .thenEvents([{ type: 'AssignmentMarked', data: { ...mark, marker: { id: 'tutor-9' } } }]);
  });

  it('refuses a mark with no final submission, a second first mark, or a module off the programme', () => {
    given(enrolledStudent()).when({ name: 'markAssignment', data: mark }).thenRefused('not_submitted');
    given([...enrolledStudent('bpn'), submitted('RA1', '2024-02-01', 1, 'plan')])
      .when({ name: 'markAssignment', data: { ...mark, moduleCode: 'RA1' } })
      .thenRefused('not_submitted');
    given(failedM1)
      .when({ name: 'markAssignment', data: mark })
      .thenRefused('already_marked', { markEventId: 'mark-M1' });
    const e = given(submittedM1)
      .when({ name: 'markAssignment', data: { ...mark, moduleCode: 'Q1' } })
      .thenRefused('module_not_on_programme');
    expect(e.message).toMatch(/M1, M2, M3/);
  });

  it('refuses a mark dated before the submission it marks', () => {
    given(submittedM1)
      .when({ name: 'markAssignment', data: { ...mark, markedOn: '2024-02-28' } })
      .thenRefusedAt('mark_before_submission', 'markedOn', { submittedOn: '2024-03-01' });
    // on the day of the submission is possible
    given(submittedM1)
      .when({ name: 'markAssignment', data: { ...mark, markedOn: '2024-03-01' } })
      .thenEvents([
        { type: 'AssignmentMarked', data: { ...mark, markedOn: '2024-03-01', marker: { id: 'tutor-1' } } },
      ]);
  });

  it('refuses a mark outside 0-100 at the command schema, naming the field', () => {
    const parsed = commandDefinitions.markAssignment.schema.safeParse({ ...mark, mark: 101 });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['mark'], message: 'must be between 0 and 100' });
  });

  it('moderates a first mark, naming the mark it replaces', () => {
    const data = { markEventId: 'mark-M1', moderatedMark: 46, moderatedOn: '2024-03-25' };
    given(failedM1, { today: '2024-03-30' })
      .when({ name: 'moderateMark', data }, { id: 'tutor-2', role: 'tutor' })
      .thenEvents([moderated], '2024-03-25');
    given(failedM1)
      .when(
        { name: 'moderateMark', data: { ...data, note: 'Second marked' } },
        { id: 'tutor-2', role: 'tutor' },
      )
      .thenEvents([{ ...moderated, data: { ...moderated.data, note: 'Second marked' } }]);
  });

  it('refuses a moderation dated before the mark it moderates', () => {
    given(failedM1)
      .when({
        name: 'moderateMark',
        data: { markEventId: 'mark-M1', moderatedMark: 50, moderatedOn: '2024-03-19' },
      })
      .thenRefusedAt('moderation_before_mark', 'moderatedOn', { markedOn: '2024-03-20' });
  });

  it('refuses to moderate something that is not a first mark', () => {
    const data = (markEventId: string) => ({ markEventId, moderatedMark: 50, moderatedOn: '2024-03-25' });
    given(failedM1)
      .when({ name: 'moderateMark', data: data('nope') })
      .thenRefused('mark_not_found');
    const e = given(failedM1)
      .when({ name: 'moderateMark', data: data('enrolment') })
      .thenRefused('not_a_first_mark');
    expect(e.message).toContain('StudentEnrolled');
    given([...failedM1, moderated])
      .when({ name: 'moderateMark', data: data('moderation-M1') })
      .thenRefused('not_a_first_mark');
  });

  it('corrects the mark that stands, on the admin authority, today', () => {
    given([...failedM1, moderated], { today: '2024-04-02' })
      .when(
        {
          name: 'correctMark',
          data: { correctsEventId: 'moderation-M1', correctedMark: 52, reason: 'Added up wrongly' },
        },
        admin,
      )
      .thenEvents(
        [
          {
            type: 'MarkCorrected',
            data: {
              correctsEventId: 'moderation-M1',
              moduleCode: 'M1',
              attempt: 1,
              previousMark: 46,
              correctedMark: 52,
              reason: 'Added up wrongly',
              authorisedBy: { id: 'admin-1' },
            },
          },
        ],
        '2024-04-02',
      );
  });

  it('refuses a correction by anyone but an admin, of no event, of a non-mark, of a superseded mark, or to the same mark', () => {
    const correct = (correctsEventId: string, correctedMark = 55) =>
      ({
        name: 'correctMark',
        data: { correctsEventId, correctedMark, reason: 'Added up wrongly' },
      }) as const;
    given(failedM1).when(correct('mark-M1'), tutor).thenRefused('not_authorised_to_correct');
    given(failedM1).when(correct('mark-M1'), registry).thenRefused('not_authorised_to_correct');
    given(failedM1)
      .when(correct('nope'), admin)
      .thenRefused('correction_target_not_found', { correctsEventId: 'nope' });
    given(failedM1)
      .when(correct('enrolment'), admin)
      .thenRefused('correction_target_not_a_mark', { type: 'StudentEnrolled' });
    given([...failedM1, moderated])
      .when(correct('mark-M1'), admin)
      .thenRefused('correction_target_superseded', { currentEventId: 'moderation-M1' });
    given(failedM1).when(correct('mark-M1', 42), admin).thenRefused('correction_changes_nothing');
  });

  it('permits a resubmission of a failed module, capped at the pass mark, by the registry officer, today', () => {
    given([...failedM1, ratified([{ moduleCode: 'M1', mark: 42, head: 'mark-M1' }])], { today: '2024-07-20' })
      .when({ name: 'permitResubmission', data: { moduleCode: 'M1', deadline: '2024-09-30' } }, registry)
      .thenEvents(
        [
          {
            type: 'ResubmissionPermitted',
            data: {
              moduleCode: 'M1',
              attempt: 2,
              capAt: 50,
              deadline: '2024-09-30',
              permittedBy: { id: 'registry-1' },
            },
          },
        ],
        '2024-07-20',
      );
  });

  it('refuses a resubmission with no failed attempt or when the resubmissions allowed are used', () => {
    const permit = { name: 'permitResubmission' as const, data: { moduleCode: 'M1', deadline: null } };
    given(submittedM1).when(permit, registry).thenRefused('no_failed_attempt');
    given([...enrolledStudent(), ...passed(['M1'])])
      .when(permit, registry)
      .thenRefused('no_failed_attempt');
    given([...failedM1, permitted(), submitted('M1', '2024-05-01', 2), marked('M1', 30, 'mark-M1-2', 2)])
      .when(permit, registry)
      .thenRefused('resubmission_limit_reached');
    given(failedM1)
      .when({ ...permit, data: { moduleCode: 'Q1', deadline: null } }, registry)
      .thenRefused('module_not_on_programme');
    // provider default: never permitted after its own deadline (the demo once did)
    given(failedM1, { today: '2024-10-01' })
      .when({ ...permit, data: { moduleCode: 'M1', deadline: '2024-09-30' } }, registry)
      .thenRefused('resubmission_deadline_passed', { deadline: '2024-09-30', permittedOn: '2024-10-01' });
  });

  it('permits a resubmission on the date given (the exam board), and that date is when it happened', () => {
    given(failedM1, { today: '2024-10-01' })
      .when(
        {
          name: 'permitResubmission',
          data: { moduleCode: 'M1', deadline: '2024-09-30', permittedOn: '2024-07-12' },
        },
        registry,
      )
      .thenEvents(
        [
          {
            type: 'ResubmissionPermitted',
            data: {
              moduleCode: 'M1',
              attempt: 2,
              capAt: 50,
              deadline: '2024-09-30',
              permittedBy: { id: 'registry-1' },
            },
          },
        ],
        '2024-07-12',
      );
  });

  it('ratifies the provisional marks as they stand, or only the modules named', () => {
    const history = [...failedM1, moderated, submitted('M2'), marked('M2', 70, 'mark-M2')];
    given(history)
      .when({ name: 'ratifyMarks', data: { examBoardId: 'board-1', boardDate: '2024-07-12' } }, registry)
      .thenEvents(
        [
          ratified([
            { moduleCode: 'M1', mark: 46, head: 'moderation-M1' },
            { moduleCode: 'M2', mark: 70, head: 'mark-M2' },
          ]),
        ],
        '2024-07-12',
      );
    given(history)
      .when(
        { name: 'ratifyMarks', data: { examBoardId: 'board-1', boardDate: '2024-07-12', modules: ['M2'] } },
        registry,
      )
      .thenEvents([ratified([{ moduleCode: 'M2', mark: 70, head: 'mark-M2' }])]);
  });

  it('ratifies again a mark changed after its ratification', () => {
    const board1 = ratified([{ moduleCode: 'M1', mark: 42, head: 'mark-M1' }]);
    given([...failedM1, board1, moderated])
      .when({ name: 'ratifyMarks', data: { examBoardId: 'board-2', boardDate: '2024-11-15' } }, registry)
      .thenEvents([
        ratified([{ moduleCode: 'M1', mark: 46, head: 'moderation-M1' }], '2024-11-15', 'board-2'),
      ]);
  });

  it('ratifies at the date the board was held when no date is given', () => {
    given(failedM1)
      .when({ name: 'ratifyMarks', data: { examBoardId: 'board-1' } }, registry)
      .thenEvents([ratified([{ moduleCode: 'M1', mark: 42, head: 'mark-M1' }])], '2024-07-12');
  });

  it('refuses ratification at a board the cohort has not held, or on a date it was not held', () => {
    const ratify = (data: { examBoardId: string; boardDate?: string; modules?: string[] }) =>
      ({ name: 'ratifyMarks', data }) as const;
    given(failedM1)
      .when(ratify({ examBoardId: 'board-9', boardDate: '2024-07-12' }), registry)
      .thenRefusedAt('unknown_exam_board', 'examBoardId');
    // a cohort that has held no board ratifies nothing
    given(failedM1, { cohorts: [cohort()] })
      .when(ratify({ examBoardId: 'board-1' }), registry)
      .thenRefusedAt('unknown_exam_board', 'examBoardId');
    given(failedM1)
      .when(ratify({ examBoardId: 'board-1', boardDate: '2024-07-13' }), registry)
      .thenRefusedAt('board_date_mismatch', 'boardDate', { heldOn: '2024-07-12' });
  });

  it('names an unknown module in a ratification, rather than finding no provisional marks', () => {
    const e = given(failedM1)
      .when({ name: 'ratifyMarks', data: { examBoardId: 'board-1', modules: ['M1', 'M9'] } }, registry)
      .thenRefusedAt('module_not_on_programme', 'modules', { moduleCode: 'M9' });
    expect(e.message).toMatch(/module M9 is not on blended-3module/);
  });

  it('refuses a ratification with nothing provisional, or only marks made after the board', () => {
    const ratify = { name: 'ratifyMarks' as const, data: { examBoardId: 'board-1' } };
    given(submittedM1).when(ratify, registry).thenRefused('nothing_to_ratify');
    given([...enrolledStudent(), ...passed(['M1'])])
      .when(ratify, registry)
      .thenRefused('nothing_to_ratify');
    const late = {
      ...marked('M1', 42, 'mark-M1'),
      data: { ...marked('M1', 42, 'x').data, markedOn: '2024-08-01' },
    };
    const e = given([...submittedM1, late])
      .when(ratify, registry)
      .thenRefused('nothing_to_ratify');
    expect(e.message).toMatch(/made after exam board board-1 was held/);
    // the later board ratifies it
    given([...submittedM1, late])
      .when({ name: 'ratifyMarks', data: { examBoardId: 'board-2' } }, registry)
      .thenEvents([ratified([{ moduleCode: 'M1', mark: 42, head: 'mark-M1' }], '2024-11-15', 'board-2')]);
  });
});

describe('portfolio and viva: given / when / then', () => {
  it('records a portfolio of the specification once, assessed by the signed-in tutor', () => {
    const pdp = { portfolio: 'pdp', completedOn: '2024-06-30' };
    given(enrolledStudent())
      .when({ name: 'completePortfolio', data: pdp })
      .thenEvents(
        [{ type: 'PortfolioCompleted', data: { ...pdp, assessedBy: { id: 'tutor-1' } } }],
        '2024-06-30',
      );
    given(enrolledStudent())
      .when({ name: 'completePortfolio', data: { ...pdp, portfolio: 'e-portfolio' } })
      .thenRefused('portfolio_not_in_specification');
    given([
      ...enrolledStudent(),
      { type: 'PortfolioCompleted', data: { ...pdp, assessedBy: { id: 'tutor-1' } } },
    ])
      .when({ name: 'completePortfolio', data: pdp })
      .thenRefused('already_recorded');
  });

  it('records a viva on a route that has one, until it is passed', () => {
    const viva = (outcome: 'pass' | 'fail' | 'referred') => ({
      heldOn: '2024-06-10',
      outcome,
      examiners: [{ id: examiner.id }],
    });
    given(enrolledStudent('experienced'))
      .when({ name: 'recordViva', data: viva('referred') })
      .thenEvents([{ type: 'VivaHeld', data: viva('referred') }], '2024-06-10');
    given([...enrolledStudent('experienced'), { type: 'VivaHeld', data: viva('referred') }])
      .when({ name: 'recordViva', data: viva('pass') })
      .thenEvents([{ type: 'VivaHeld', data: viva('pass') }]);
    given([...enrolledStudent('experienced'), { type: 'VivaHeld', data: viva('pass') }])
      .when({ name: 'recordViva', data: viva('pass') })
      .thenRefused('viva_already_passed');
    given(enrolledStudent('blended'))
      .when({ name: 'recordViva', data: viva('pass') })
      .thenRefused('no_viva_on_route');
  });
});
