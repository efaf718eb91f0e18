import type { DomainEvent } from '../../../events/index.ts';
import { notFound, refused } from '../../errors.ts';
import type { CohortCommand, CohortCommandName } from '../cohort.ts';
import type { ReferenceData } from '../reference-data.ts';
import type { CohortView } from './context.ts';

// The decider for a cohort's own stream: its creation with its sessions, its staff, its exam boards.

type CohortData<N extends CohortCommandName> = Extract<CohortCommand, { name: N }>['data'];
type CohortHandler<N extends CohortCommandName> = (
  cohort: CohortView | undefined,
  data: CohortData<N>,
  reference: ReferenceData,
) => DomainEvent[];

const handlers: { [N in CohortCommandName]: CohortHandler<N> } = {
  createCohort(cohort, d, reference) {
    if (cohort) throw refused('cohort_exists', `cohort ${d.cohortId} already exists`);
    const spec = reference.findSpecification(d.programmeId, d.specVersion);
    if (!spec)
      throw refused(
        'unknown_specification',
        `no specification ${d.programmeId} version ${d.specVersion} is published`,
      );
    const seen = new Set<string>();
    for (const s of d.sessions) {
      if (seen.has(s.sessionId)) throw refused('duplicate_session', `session ${s.sessionId} is listed twice`);
      seen.add(s.sessionId);
      if (s.moduleCode !== null && !spec.modules.some((m) => m.code === s.moduleCode))
        throw refused(
          'module_not_on_programme',
          `session ${s.sessionId} names module ${s.moduleCode}, which is not on ${spec.programmeId}`,
        );
    }
    return [{ type: 'CohortCreated', data: d }];
  },
  assignCohortStaff(cohort, d) {
    if (!cohort) throw notFound('unknown_cohort', 'there is no such cohort');
    return [{ type: 'CohortStaffAssigned', data: d }];
  },
  setAssessmentWindow(cohort, d, reference) {
    if (!cohort) throw notFound('unknown_cohort', 'there is no such cohort');
    if (cohort.assessmentWindows.some((w) => w.windowId === d.windowId))
      throw refused('window_exists', `window ${d.windowId} is already set`);
    if (d.closesOn < d.opensOn)
      throw refused(
        'window_closes_before_it_opens',
        `the window closes on ${d.closesOn}, before it opens on ${d.opensOn}`,
      );
    const spec = reference.specification(cohort.programmeId, cohort.specVersion);
    for (const code of d.moduleCodes)
      if (spec.modules.find((m) => m.code === code)?.assessment.taken !== 'cohort-window')
        throw refused(
          'module_not_sat_in_a_window',
          `${code} is not an assessment of ${spec.programmeId} sat in a cohort window`,
          { moduleCode: code },
        );
    return [{ type: 'AssessmentWindowSet', data: d }];
  },
  recordExamBoard(cohort, d) {
    if (!cohort) throw notFound('unknown_cohort', 'there is no such cohort');
    if (cohort.examBoards.some((b) => b.examBoardId === d.examBoardId))
      throw refused('exam_board_exists', `exam board ${d.examBoardId} is already recorded`);
    return [{ type: 'ExamBoardHeld', data: d }];
  },
};

function run<N extends CohortCommandName>(
  name: N,
  cohort: CohortView | undefined,
  data: CohortData<N>,
  reference: ReferenceData,
) {
  return handlers[name](cohort, data, reference);
}

export function decideCohort(
  cohort: CohortView | undefined,
  command: CohortCommand,
  reference: ReferenceData,
): DomainEvent[] {
  return run(command.name, cohort, command.data, reference);
}
