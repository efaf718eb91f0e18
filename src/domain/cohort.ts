import { z } from 'zod';
import { CohortCreated, CohortStaffAssigned, ExamBoardHeld } from '../../events/cohort.ts';
import type { DomainEvent } from '../../events/index.ts';
import { notFound, refused } from '../errors.ts';
import type { Role } from '../store/port.ts';
import type { CohortView } from './decide.ts';
import type { ReferenceData } from './reference-data.ts';

// Commands on a cohort's own stream, and the publication of a programme specification.

export const cohortCommandDefinitions = {
  createCohort: {
    roles: ['registry'],
    summary: 'Create a cohort on a programme specification version, with its sessions',
    schema: CohortCreated.schema,
  },
  assignCohortStaff: {
    roles: ['registry'],
    summary: 'Assign a tutor/assessor or an external examiner to a cohort',
    schema: CohortStaffAssigned.schema,
  },
  recordExamBoard: {
    roles: ['registry'],
    summary: 'Record an exam board held for the cohort',
    schema: ExamBoardHeld.schema,
  },
} as const satisfies Record<string, { roles: readonly Role[]; summary: string; schema: z.ZodObject }>;

export type CohortCommandName = keyof typeof cohortCommandDefinitions;
export type CohortCommand = {
  [N in CohortCommandName]: { name: N; data: z.infer<(typeof cohortCommandDefinitions)[N]['schema']> };
}[CohortCommandName];

export const PublishSpecificationInput = z.object({ specification: z.record(z.string(), z.unknown()) });

export function decideCohort(
  cohort: (CohortView & { tutors?: Set<string>; examiners?: Set<string> }) | undefined,
  command: CohortCommand,
  reference: ReferenceData,
): DomainEvent[] {
  switch (command.name) {
    case 'createCohort': {
      const d = command.data;
      if (cohort) throw refused('cohort_exists', `cohort ${d.cohortId} already exists`);
      const spec = reference.findSpecification(d.programmeId, d.specVersion);
      if (!spec)
        throw refused(
          'unknown_specification',
          `no specification ${d.programmeId} version ${d.specVersion} is published`,
        );
      const seen = new Set<string>();
      for (const s of d.sessions) {
        if (seen.has(s.sessionId))
          throw refused('duplicate_session', `session ${s.sessionId} is listed twice`);
        seen.add(s.sessionId);
        if (s.moduleCode !== null && !spec.modules.some((m) => m.code === s.moduleCode))
          throw refused(
            'module_not_on_programme',
            `session ${s.sessionId} names module ${s.moduleCode}, which is not on ${spec.programmeId}`,
          );
      }
      return [{ type: 'CohortCreated', data: d }];
    }
    case 'assignCohortStaff':
      if (!cohort) throw notFound('unknown_cohort', 'there is no such cohort');
      return [{ type: 'CohortStaffAssigned', data: command.data }];
    case 'recordExamBoard':
      if (!cohort) throw notFound('unknown_cohort', 'there is no such cohort');
      if (cohort.examBoards.some((b) => b.examBoardId === command.data.examBoardId))
        throw refused('exam_board_exists', `exam board ${command.data.examBoardId} is already recorded`);
      return [{ type: 'ExamBoardHeld', data: command.data }];
  }
}
