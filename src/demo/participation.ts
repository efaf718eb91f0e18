import type { ProgrammeSpecification } from '../../events/programme-specification.ts';
import type { Ledger } from '../app/ledger.ts';
import { addDays, addMonths } from '../domain/calendar.ts';
import type { Actor } from '../store/port.ts';

// The demo's and the tests' journeys for what a specification with a participation threshold and
// assessments sat in a cohort window asks for (the NPQ for SENCOs, or any provider's file like it): the
// cohort's sessions and activities, its windows, taking part, sitting and the pass/fail result. Every
// step is read from the specification; nothing here knows which qualification it is.

const PER_KIND = 8;

/** The sessions and activities a participation threshold counts: eight of each, a month apart. */
export function participationSessions(spec: ProgrammeSpecification, startsOn: string) {
  return (spec.participation?.counts ?? []).flatMap((kind, i) =>
    Array.from({ length: PER_KIND }, (_, k) => ({
      sessionId: `${kind}-${k + 1}`,
      kind,
      moduleCode: null,
      date: addMonths(startsOn, 2 * k + i),
    })),
  );
}

/** Windows for the assessments sat in one: a first window after the taught programme, then a resit window. */
export function plannedWindows(spec: ProgrammeSpecification, startsOn: string) {
  const moduleCodes = spec.modules.filter((m) => m.assessment.taken === 'cohort-window').map((m) => m.code);
  if (moduleCodes.length === 0) return [];
  const opensOn = addMonths(startsOn, spec.timeLimits.programme?.months ?? 12);
  const resit = addMonths(opensOn, 3);
  return [
    { windowId: 'window-1', moduleCodes, opensOn, closesOn: addDays(opensOn, 7) },
    { windowId: 'window-2', moduleCodes, opensOn: resit, closesOn: addDays(resit, 7) },
  ];
}

/** Takes part in the first `count` sessions and activities (all of them by default). */
export async function takePart(
  ledger: Ledger,
  studentId: string,
  spec: ProgrammeSpecification,
  startsOn: string,
  tutor: Actor,
  count = Number.POSITIVE_INFINITY,
): Promise<void> {
  const sessions = participationSessions(spec, startsOn).sort((a, b) => (a.date < b.date ? -1 : 1));
  for (const s of sessions.slice(0, count))
    await ledger.execute(
      studentId,
      'recordParticipation',
      { sessionId: s.sessionId, participatedOn: s.date },
      { actor: tutor },
    );
}

/** Sits a window assessment in the named window, then records its result or its mark. */
export async function sitInWindow(
  ledger: Ledger,
  studentId: string,
  spec: ProgrammeSpecification,
  startsOn: string,
  moduleCode: string,
  outcome: { result?: 'pass' | 'fail'; mark?: number; attempt?: number; windowId?: string },
  tutor: Actor,
): Promise<void> {
  const module = spec.modules.find((m) => m.code === moduleCode)!;
  const windowId = outcome.windowId ?? 'window-1';
  const window = plannedWindows(spec, startsOn).find((w) => w.windowId === windowId)!;
  const attempt = outcome.attempt ?? 1;
  await ledger.execute(
    studentId,
    'sitAssessment',
    { moduleCode, attempt, windowId, submittedOn: addDays(window.opensOn, 5) },
    { actor: tutor },
  );
  const assessedOn = addDays(window.closesOn, 14);
  if (module.assessment.grading === 'pass-fail') {
    if (outcome.result)
      await ledger.execute(
        studentId,
        'recordAssessmentResult',
        { moduleCode, attempt, result: outcome.result, assessedOn },
        { actor: tutor },
      );
  } else if (outcome.mark !== undefined)
    await ledger.execute(
      studentId,
      'markAssignment',
      { moduleCode, attempt, mark: outcome.mark, markedOn: assessedOn },
      { actor: tutor },
    );
}
