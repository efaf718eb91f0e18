import type { z } from 'zod';
import type { ModuleSpec } from '../../events/programme-specification.ts';
import type { StudentRecord } from '../domain/student-record.ts';
import { notFound, refused } from '../errors.ts';
import { cohortMembers, dateOf } from './cohort-register.ts';
import type { Ledger } from './ledger.ts';
import type { MarkGridView } from './staff-views-schema.ts';

// A cohort's mark grid for one module and attempt, built on the server in one request: per student the
// submission, the first mark and its marker, every moderation and correction after it, the cap on a
// resubmission, and whether an exam board has ratified the mark as it stands. The marker named on a first
// mark is in the event's data, not the folded record, so the streams of the students with a mark on this
// attempt are read (in parallel): a few hundred short reads, not one request per student.

export interface GridModule {
  code: string;
  title: string;
  credits: number;
  /** null for a pass/fail assessment (its result is recorded, not marked). */
  passMark: number | null;
  attemptsAllowed: number;
  /** What a resubmission is capped at (seed 003/UK HE practice: the pass mark), or null: not capped. */
  resubmissionCap: number | null;
  planForFeedback: boolean;
}

const moduleView = (m: ModuleSpec): GridModule => ({
  code: m.code,
  title: m.title,
  credits: m.credits,
  passMark: m.assessment.passMark,
  attemptsAllowed: 1 + m.resubmission.maxResubmissions,
  resubmissionCap: m.resubmission.capAtPassMark ? m.assessment.passMark : null,
  planForFeedback: m.assessment.planForFeedback,
});

export async function cohortMarkGrid(
  ledger: Ledger,
  cohortId: string,
  query: { moduleCode?: string | undefined; attempt?: number | undefined },
  nameOf: (record: StudentRecord) => string | null,
): Promise<z.infer<typeof MarkGridView>> {
  const cohort = ledger.queries.findCohort(cohortId);
  if (!cohort) throw notFound('unknown_cohort', `there is no cohort ${cohortId}`, { cohortId });
  const spec = ledger.reference.specification(cohort.programmeId, cohort.specVersion);
  const module = query.moduleCode ? spec.modules.find((m) => m.code === query.moduleCode) : spec.modules[0];
  if (!module)
    throw refused(
      'module_not_on_programme',
      `module ${query.moduleCode} is not on ${spec.programmeId} version ${spec.version} (its modules: ${spec.modules.map((m) => m.code).join(', ')})`,
      { moduleCode: query.moduleCode },
    );
  const view = moduleView(module);
  const attempt = query.attempt ?? 1;
  if (attempt > view.attemptsAllowed)
    throw refused(
      'attempt_not_allowed',
      `${module.code} allows ${view.attemptsAllowed} attempt(s): there is no attempt ${attempt}`,
      { attempt },
    );
  const members = cohortMembers(ledger, cohortId, nameOf);

  const markers = new Map<string, string>();
  await Promise.all(
    members.map(async ({ record }) => {
      const root = record.modules[module.code]?.find((a) => a.attempt === attempt)?.markChain;
      if (!root) return;
      for (const e of await ledger.queries.streamEvents(record.studentId))
        if (e.eventId === root && e.type === 'AssignmentMarked') markers.set(root, e.data.marker.id);
    }),
  );

  const rows = members.map(({ record, student }) => {
    const standing = ledger.queries
      .credits(record.studentId)
      ?.modules.find((m) => m.moduleCode === module.code);
    const folded = record.modules[module.code]?.find((a) => a.attempt === attempt) ?? null;
    const stood = standing?.attempts.find((a) => a.attempt === attempt) ?? null;
    const final = folded?.submissions.filter((s) => s.kind === 'final').at(-1) ?? null;
    const plan = folded?.submissions.filter((s) => s.kind === 'plan').at(-1) ?? null;
    const chain = stood?.chain ?? null;
    return {
      ...student,
      moduleStatus: standing?.status ?? 'not-started',
      /** Attempt 1 is always open; a later one once registry has permitted it. */
      open: attempt === 1 || !!folded?.permitted,
      permitted: folded?.permitted
        ? {
            on: dateOf(folded.permitted.occurredAt),
            capAt: folded.capAt,
            dueBy: folded.deadline,
            eventId: folded.permitted.eventId,
          }
        : null,
      plan: plan ? { on: plan.submittedOn, eventId: plan.ref.eventId } : null,
      submission: final ? { on: final.submittedOn, eventId: final.ref.eventId } : null,
      mark: chain
        ? {
            markEventId: chain.rootEventId,
            headEventId: chain.headEventId,
            firstMark: chain.steps[0]!.mark,
            marker: markers.get(chain.rootEventId) ?? chain.steps[0]!.ref.actor.id,
            markedOn: dateOf(chain.steps[0]!.ref.occurredAt),
            later: chain.steps.slice(1).map((s) => ({
              kind: s.kind,
              mark: s.mark,
              by: s.ref.actor.id,
              on: dateOf(s.ref.occurredAt),
              eventId: s.ref.eventId,
              ...(s.reason ? { reason: s.reason } : {}),
            })),
            mark: chain.mark,
            cappedAt: stood!.cappedAt,
            effectiveMark: stood!.effectiveMark,
            passed: stood!.passed,
            ratified: stood!.ratified,
            changedAfterRatification: stood!.changedAfterRatification,
            board: chain.ratified
              ? {
                  examBoardId: chain.ratified.examBoardId,
                  boardDate: chain.ratified.boardDate,
                  mark: chain.ratified.mark,
                }
              : null,
          }
        : null,
    };
  });
  return {
    cohort: {
      cohortId: cohort.cohortId,
      name: cohort.name,
      programmeId: spec.programmeId,
      specVersion: spec.version,
    },
    modules: spec.modules.map(moduleView),
    module: view,
    attempt,
    rows,
  };
}
