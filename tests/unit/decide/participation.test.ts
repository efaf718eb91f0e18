import { describe, expect, it } from 'vitest';
import type { CohortCommand } from '../../../src/domain/cohort.ts';
import { decideCohort } from '../../../src/domain/decide/cohort.ts';
import { given, reference, refusal, registry } from '../../support/given-when-then.ts';
import {
  cohort,
  confirmed,
  enrolledStudent,
  resultOf,
  sat,
  submitted,
  tookPart,
  withPlannedSessions,
} from '../../support/student-events.ts';

// An assessment sat in a cohort window, gated by participation, with a pass/fail result the board
// confirms (the NPQ for SENCOs: specification npq-senco-bpn). The decider reads the specification only.

const npq = withPlannedSessions(enrolledStudent('npq', { enrolledOn: '2024-10-07' }), 5, 5);
const sessions = [
  ...[1, 2, 3, 4, 5].map((k) => ({
    sessionId: `s${k}`,
    kind: 'session' as const,
    moduleCode: null,
    date: '2024-11-01',
  })),
  ...[1, 2, 3, 4, 5].map((k) => ({
    sessionId: `a${k}`,
    kind: 'activity' as const,
    moduleCode: null,
    date: '2024-12-01',
  })),
];
const windows = [
  { windowId: 'window-1', moduleCodes: ['CS'], opensOn: '2025-07-07', closesOn: '2025-07-14' },
  { windowId: 'window-2', moduleCodes: ['CS'], opensOn: '2025-10-06', closesOn: '2025-10-13' },
];
const theCohort = cohort('npq', {
  sessions,
  assessmentWindows: windows,
  examBoards: [{ examBoardId: 'npq-board-1', heldOn: '2025-08-20', externalExaminers: ['examiner-1'] }],
});
// today after every date below: a fact is never recorded before it happens
const setting = { cohorts: [theCohort], today: '2025-12-01' };
const nine = [
  ...['s1', 's2', 's3', 's4', 's5'].map((s) => tookPart(s)),
  ...['a1', 'a2', 'a3', 'a4'].map((a) => tookPart(a, 'activity')),
];
const sit = { moduleCode: 'CS', attempt: 1, windowId: 'window-1', submittedOn: '2025-07-10' };

describe('participation, window assessments and pass/fail results: given / when / then', () => {
  it("records participation in one of the cohort's sessions or activities, once", () => {
    given(npq, setting)
      .when({ name: 'recordParticipation', data: { sessionId: 'a1', participatedOn: '2024-12-01' } })
      .thenEvents([tookPart('a1', 'activity', '2024-12-01')], '2024-12-01');
    given(npq, setting)
      .when({ name: 'recordParticipation', data: { sessionId: 'nope', participatedOn: '2024-12-01' } })
      .thenRefused('unknown_session', { sessionId: 'nope' });
    given([...npq, tookPart('s1')], setting)
      .when({ name: 'recordParticipation', data: { sessionId: 's1', participatedOn: '2024-11-01' } })
      .thenRefused('already_recorded');
  });

  it('sits the assessment in its window, recording the window and the participation counted', () => {
    given([...npq, ...nine], setting)
      .when({ name: 'sitAssessment', data: sit })
      .thenEvents(
        [
          {
            type: 'AssessmentSat',
            data: {
              ...sit,
              window: { opensOn: '2025-07-07', closesOn: '2025-07-14' },
              participation: { counted: 9, of: 10, thresholdPercent: 90 },
            },
          },
        ],
        '2025-07-10',
      );
  });

  it('refuses a sitting below the participation threshold (90% of sessions and activities)', () => {
    given([...npq, ...nine.slice(1)], setting)
      .when({ name: 'sitAssessment', data: sit })
      .thenRefused('participation_below_threshold', { counted: 8, of: 10, thresholdPercent: 90 });
  });

  it('refuses a sitting outside the window, in an unknown window or one for another assessment', () => {
    const history = [...npq, ...nine];
    given(history, setting)
      .when({ name: 'sitAssessment', data: { ...sit, submittedOn: '2025-07-15' } })
      .thenRefused('outside_assessment_window', { opensOn: '2025-07-07', closesOn: '2025-07-14' });
    given(history, setting)
      .when({ name: 'sitAssessment', data: { ...sit, windowId: 'window-9' } })
      .thenRefused('unknown_assessment_window', { windowId: 'window-9' });
    const other = cohort('npq', { sessions, assessmentWindows: [{ ...windows[0]!, moduleCodes: ['XX'] }] });
    given(history, { cohorts: [other], today: setting.today })
      .when({ name: 'sitAssessment', data: sit })
      .thenRefused('window_not_for_module');
  });

  it('refuses a second sitting, a resit not permitted, a module passed, and a module not sat in a window', () => {
    const history = [...npq, ...nine, sat()];
    given(history, setting).when({ name: 'sitAssessment', data: sit }).thenRefused('already_sat');
    given(history, setting)
      .when({
        name: 'sitAssessment',
        data: { ...sit, attempt: 2, windowId: 'window-2', submittedOn: '2025-10-08' },
      })
      .thenRefused('attempt_not_permitted');
    const passed = resultOf('pass');
    given([...history, passed, confirmed([passed])], setting)
      .when({
        name: 'sitAssessment',
        data: { ...sit, attempt: 2, windowId: 'window-2', submittedOn: '2025-10-08' },
      })
      .thenRefused('attempt_not_permitted');
    const permitted = {
      type: 'ResubmissionPermitted' as const,
      data: { moduleCode: 'CS', attempt: 2, capAt: null, deadline: '2025-10-13', permittedBy: { id: 'r' } },
    };
    given([...history, passed, confirmed([passed]), permitted], setting)
      .when({
        name: 'sitAssessment',
        data: { ...sit, attempt: 2, windowId: 'window-2', submittedOn: '2025-10-08' },
      })
      .thenRefused('module_already_passed');
    given(enrolledStudent('blended'), {
      cohorts: [cohort('blended', { assessmentWindows: windows })],
      today: setting.today,
    })
      .when({ name: 'sitAssessment', data: { ...sit, moduleCode: 'M1' } })
      .thenRefused('module_not_sat_in_a_window', { moduleCode: 'M1' });
  });

  it('an assessment sat in a window is not submitted, and a pass/fail one is not marked', () => {
    given(npq, setting)
      .when({
        name: 'submitAssignment',
        data: { moduleCode: 'CS', attempt: 1, kind: 'final', submittedOn: '2025-07-10' },
      })
      .thenRefused('assessment_sat_in_a_window', { moduleCode: 'CS' });
    given([...npq, ...nine, sat()], setting)
      .when({
        name: 'markAssignment',
        data: { moduleCode: 'CS', attempt: 1, mark: 70, markedOn: '2025-07-28' },
      })
      .thenRefused('assessment_is_pass_fail', { moduleCode: 'CS' });
  });

  it('records a pass/fail result for a sitting, once, by the signed-in assessor', () => {
    const result = { moduleCode: 'CS', attempt: 1, result: 'fail' as const, assessedOn: '2025-07-28' };
    given([...npq, ...nine, sat()], setting)
      .when({ name: 'recordAssessmentResult', data: result })
      .thenEvents(
        [{ type: 'AssessmentResultRecorded', data: { ...result, assessor: { id: 'tutor-1' } } }],
        '2025-07-28',
      );
    given(npq, setting).when({ name: 'recordAssessmentResult', data: result }).thenRefused('not_submitted');
    given([...npq, ...nine, sat(), resultOf('pass')], setting)
      .when({ name: 'recordAssessmentResult', data: result })
      .thenRefused('already_assessed', { resultEventId: 'result-CS-1' });
    given([...enrolledStudent('blended'), submitted('M1')], { today: '2025-12-01' })
      .when({ name: 'recordAssessmentResult', data: { ...result, moduleCode: 'M1' } })
      .thenRefused('assessment_is_marked');
    // a result cannot predate the sitting it judges (handed in on 2025-07-10)
    given([...npq, ...nine, sat()], setting)
      .when({ name: 'recordAssessmentResult', data: { ...result, assessedOn: '2025-07-09' } })
      .thenRefusedAt('result_before_submission', 'assessedOn', { submittedOn: '2025-07-10' });
  });

  it("the awarding body's board confirms the results waiting for it, at a board the cohort held", () => {
    const failed = resultOf('fail');
    given([...npq, ...nine, sat(), failed], setting)
      .when(
        { name: 'confirmResults', data: { examBoardId: 'npq-board-1', boardDate: '2025-08-20' } },
        registry,
      )
      .thenEvents([confirmed([failed])], '2025-08-20');
    given([...npq, ...nine, sat(), failed, confirmed([failed])], setting)
      .when(
        { name: 'confirmResults', data: { examBoardId: 'npq-board-1', boardDate: '2025-08-20' } },
        registry,
      )
      .thenRefused('nothing_to_confirm');
    given([...npq, ...nine, sat(), failed], setting)
      .when(
        { name: 'confirmResults', data: { examBoardId: 'no-such-board', boardDate: '2025-08-20' } },
        registry,
      )
      .thenRefusedAt('unknown_exam_board', 'examBoardId');
    given([...npq, ...nine, sat(), failed], setting)
      .when(
        { name: 'confirmResults', data: { examBoardId: 'npq-board-1', boardDate: '2025-08-21' } },
        registry,
      )
      .thenRefusedAt('board_date_mismatch', 'boardDate', { heldOn: '2025-08-20' });
  });
});

describe('assessment windows on the cohort: given / when / then', () => {
  const command = (data: CohortCommand['data']) => ({ name: 'setAssessmentWindow', data }) as CohortCommand;
  const view = cohort('npq', { assessmentWindows: [windows[0]!] });
  it('sets a window for assessments the specification says are sat in one', () => {
    expect(decideCohort(view, command(windows[1]!), { reference, today: '2025-08-01' })).toEqual([
      { type: 'AssessmentWindowSet', data: windows[1] },
    ]);
  });
  it('refuses a window twice, one that closes before it opens, one for another kind of assessment, on no cohort', () => {
    const code = (c: CohortCommand, on = view) =>
      refusal(() => decideCohort(on, c, { reference, today: '2025-08-01' })).code;
    expect(code(command(windows[0]!))).toBe('window_exists');
    expect(code(command({ ...windows[1]!, closesOn: '2025-10-01' }))).toBe('window_closes_before_it_opens');
    expect(code(command({ ...windows[1]!, moduleCodes: ['M1'] }), cohort('blended'))).toBe(
      'module_not_sat_in_a_window',
    );
    expect(
      refusal(() => decideCohort(undefined, command(windows[1]!), { reference, today: '2025-08-01' })),
    ).toMatchObject({
      kind: 'not_found',
      code: 'unknown_cohort',
    });
  });
});
