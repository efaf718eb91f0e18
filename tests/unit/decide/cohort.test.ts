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
const board = { examBoardId: 'board-1', heldOn: '2024-07-12', externalExaminers: ['ext-1'] };

const given = (state: CohortView | undefined) => ({
  when: (command: CohortCommand) => ({
    thenEvents: (expected: DomainEvent[]) =>
      expect(decideCohort(state, command, reference)).toEqual(expected),
    thenRefused: (code: string, kind = 'refused') =>
      expect(refusal(() => decideCohort(state, command, reference))).toMatchObject({ kind, code }),
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

  it('records each exam board once', () => {
    given(cohort())
      .when({ name: 'recordExamBoard', data: board })
      .thenEvents([{ type: 'ExamBoardHeld', data: board }]);
    given(undefined)
      .when({ name: 'recordExamBoard', data: board })
      .thenRefused('unknown_cohort', 'not_found');
    given(cohort('blended', { examBoards: [{ examBoardId: 'board-1', heldOn: '2024-07-12' }] }))
      .when({ name: 'recordExamBoard', data: board })
      .thenRefused('exam_board_exists');
  });
});
