import type { DomainEvent } from '../../../events/index.ts';
import { notFound, refused } from '../../errors.ts';
import type { CohortCommand, CohortCommandName } from '../cohort.ts';
import type { ReferenceData } from '../reference-data.ts';
import type { CohortView } from './context.ts';
import { notAfterToday } from './dates.ts';

// The decider for a cohort's own stream: its creation with its sessions, its staff, its exam boards.
// Pure like the students' decider: today is given. Whether a staff id can sign in (has a token) is the
// app layer's to check; it needs the token store.

export interface CohortContext {
  reference: ReferenceData;
  /** Today's London date. */
  today: string;
}

type CohortData<N extends CohortCommandName> = Extract<CohortCommand, { name: N }>['data'];
type CohortHandler<N extends CohortCommandName> = (
  cohort: CohortView | undefined,
  data: CohortData<N>,
  ctx: CohortContext,
) => DomainEvent[];

const handlers: { [N in CohortCommandName]: CohortHandler<N> } = {
  createCohort(cohort, d, { reference }) {
    if (cohort) throw refused('cohort_exists', `cohort ${d.cohortId} already exists`, {}, 'cohortId');
    const spec = reference.findSpecification(d.programmeId, d.specVersion);
    if (!spec)
      throw refused(
        'unknown_specification',
        `no specification ${d.programmeId} version ${d.specVersion} is published`,
        {},
        'specVersion',
      );
    const seen = new Set<string>();
    for (const [i, s] of d.sessions.entries()) {
      if (seen.has(s.sessionId))
        throw refused(
          'duplicate_session',
          `session ${s.sessionId} is listed twice`,
          {},
          `sessions.${i}.sessionId`,
        );
      seen.add(s.sessionId);
      if (s.moduleCode !== null && !spec.modules.some((m) => m.code === s.moduleCode))
        throw refused(
          'module_not_on_programme',
          `session ${s.sessionId} names module ${s.moduleCode}, which is not on ${spec.programmeId}`,
          {},
          `sessions.${i}.moduleCode`,
        );
    }
    return [{ type: 'CohortCreated', data: d }];
  },
  assignCohortStaff(cohort, d) {
    if (!cohort) throw notFound('unknown_cohort', 'there is no such cohort');
    // assigning someone twice would be a second event saying nothing new
    if ((d.role === 'tutor' ? cohort.tutors : cohort.examiners).has(d.staffId))
      throw refused(
        'staff_already_assigned',
        `${d.staffId} is already assigned to cohort ${cohort.cohortId} as ${d.role === 'tutor' ? 'a tutor' : 'an examiner'}`,
        {},
        'staffId',
      );
    return [{ type: 'CohortStaffAssigned', data: d }];
  },
  setAssessmentWindow(cohort, d, { reference }) {
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
  recordExamBoard(cohort, d, { today }) {
    if (!cohort) throw notFound('unknown_cohort', 'there is no such cohort');
    notAfterToday('heldOn', d.heldOn, today);
    if (cohort.examBoards.some((b) => b.examBoardId === d.examBoardId))
      throw refused(
        'exam_board_exists',
        `exam board ${d.examBoardId} is already recorded`,
        {},
        'examBoardId',
      );
    // UK HE practice: a board that confirms marks sits with an external examiner
    if (d.externalExaminers.length === 0)
      throw refused(
        'no_external_examiner',
        'an exam board is held with at least one external examiner present: name them',
        {},
        'externalExaminers',
      );
    const unassigned = d.externalExaminers.filter((id) => !cohort.examiners.has(id));
    if (unassigned.length)
      throw refused(
        'examiner_not_assigned',
        `${unassigned.join(', ')} ${unassigned.length > 1 ? 'are' : 'is'} not an examiner of cohort ${cohort.cohortId}: assign them first`,
        { unassigned },
        'externalExaminers',
      );
    return [{ type: 'ExamBoardHeld', data: d }];
  },
};

function run<N extends CohortCommandName>(
  name: N,
  cohort: CohortView | undefined,
  data: CohortData<N>,
  ctx: CohortContext,
) {
  return handlers[name](cohort, data, ctx);
}

export function decideCohort(
  cohort: CohortView | undefined,
  command: CohortCommand,
  ctx: CohortContext,
): DomainEvent[] {
  return run(command.name, cohort, command.data, ctx);
}
