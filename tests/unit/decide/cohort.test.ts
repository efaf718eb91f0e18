import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../events/index.ts';
import type { CohortCommand } from '../../../src/domain/cohort.ts';
import { decideCohort } from '../../../src/domain/decide/cohort.ts';
import type { CohortView } from '../../../src/domain/decide/context.ts';
import { reference, refusal } from '../../support/given-when-then.ts';
import { cohort } from '../../support/student-events.ts';

// A cohort's own stream: given the cohort as it stands (or none) / when a command / then events.

const created = {
  cohortId: 'c1',
  name: 'Spring 2024 online',
  programmeId: 'blended-3module',
  specVersion: 1,
  intake: 'spring' as const,
  location: 'Online',
  mode: 'online' as const,
  startsOn: '2024-01-08',
  sessions: [
    { sessionId: 'webex-M1-1', kind: 'webex' as const, moduleCode: 'M1', date: '2024-02-05' },
    { sessionId: 'day-1', kind: 'facilitated-day' as const, moduleCode: null, date: '2024-01-10' },
  ],
};
const board = { examBoardId: 'board-1', heldOn: '2024-07-12', externalExaminers: ['examiner-1'] };
const today = '2024-08-01';

const given = (state: CohortView | undefined) => ({
  when: (command: CohortCommand) => ({
    thenEvents: (expected: DomainEvent[]) =>
      expect(decideCohort(state, command, { reference, today })).toEqual(expected),
    thenRefused: (code: string, kind = 'refused', field?: string) => {
      const error = refusal(() => decideCohort(state, command, { reference, today }));
      expect(error).toMatchObject({ kind, code });
      if (field) expect(error.issues).toEqual([{ field, reason: error.message }]);
    },
  }),
});

describe('cohorts: given / when / then', () => {
  it('creates a cohort on a published specification version, with its sessions', () => {
    given(undefined)
      .when({ name: 'createCohort', data: created })
      .thenEvents([{ type: 'CohortCreated', data: created }]);
  });

  it('refuses a cohort that exists, an unpublished version, a session twice or a module off the programme', () => {
    given(cohort()).when({ name: 'createCohort', data: created }).thenRefused('cohort_exists');
    given(undefined)
      .when({ name: 'createCohort', data: { ...created, specVersion: 7 } })
      .thenRefused('unknown_specification');
    const twice = [created.sessions[0]!, created.sessions[0]!];
    given(undefined)
      .when({ name: 'createCohort', data: { ...created, sessions: twice } })
      .thenRefused('duplicate_session');
    given(undefined)
      .when({ name: 'createCohort', data: { ...created, programmeId: 'sw-consortium' } })
      .thenRefused('module_not_on_programme');
  });

  it('assigns staff to a cohort that exists', () => {
    const staff = { staffId: 'tutor-1', role: 'tutor' as const };
    given(cohort())
      .when({ name: 'assignCohortStaff', data: staff })
      .thenEvents([{ type: 'CohortStaffAssigned', data: staff }]);
    given(undefined)
      .when({ name: 'assignCohortStaff', data: staff })
      .thenRefused('unknown_cohort', 'not_found');
  });

  it('refuses to assign the same tutor or examiner to a cohort twice', () => {
    const assigned = cohort('blended', { tutors: new Set(['tutor-1']), examiners: new Set(['examiner-1']) });
    given(assigned)
      .when({ name: 'assignCohortStaff', data: { staffId: 'tutor-1', role: 'tutor' } })
      .thenRefused('staff_already_assigned', 'refused', 'staffId');
    given(assigned)
      .when({ name: 'assignCohortStaff', data: { staffId: 'examiner-1', role: 'examiner' } })
      .thenRefused('staff_already_assigned', 'refused', 'staffId');
    // a tutor may also examine another cohort's work: the roles are separate lists
    given(assigned)
      .when({ name: 'assignCohortStaff', data: { staffId: 'examiner-1', role: 'tutor' } })
      .thenEvents([{ type: 'CohortStaffAssigned', data: { staffId: 'examiner-1', role: 'tutor' } }]);
  });

  it('refuses a board with no external examiner, with one not assigned to the cohort, or held after today', () => {
    given(cohort())
      .when({ name: 'recordExamBoard', data: { ...board, externalExaminers: [] } })
      .thenRefused('no_external_examiner', 'refused', 'externalExaminers');
    given(cohort())
      .when({ name: 'recordExamBoard', data: { ...board, externalExaminers: ['examiner-1', 'ext-9'] } })
      .thenRefused('examiner_not_assigned', 'refused', 'externalExaminers');
    given(cohort())
      .when({ name: 'recordExamBoard', data: { ...board, heldOn: '2024-08-02' } })
      .thenRefused('date_in_future', 'refused', 'heldOn');
    given(cohort())
      .when({ name: 'recordExamBoard', data: { ...board, heldOn: today } })
      .thenEvents([{ type: 'ExamBoardHeld', data: { ...board, heldOn: today } }]);
  });

  it('records each exam board once', () => {
    given(cohort())
      .when({ name: 'recordExamBoard', data: board })
      .thenEvents([{ type: 'ExamBoardHeld', data: board }]);
    given(undefined)
      .when({ name: 'recordExamBoard', data: board })
      .thenRefused('unknown_cohort', 'not_found');
    given(cohort('blended', { examBoards: [{ ...board }] }))
      .when({ name: 'recordExamBoard', data: board })
      .thenRefused('exam_board_exists');
  });
});
