import type { ModuleSpec, ProgrammeSpecification } from '../../events/programme-specification.ts';
import type { Ledger } from '../app/ledger.ts';
import { addMonths } from '../domain/calendar.ts';
import type { Actor } from '../store/port.ts';

// A taught module as the demo and the tests take it: its WebEx sessions (or a reported absence, authorised
// where the specification asks, and its catch-up), its partner-school days, the plan and the assignment,
// and the first mark.

export async function studyTaughtModule(
  ledger: Ledger,
  studentId: string,
  spec: ProgrammeSpecification,
  module: ModuleSpec,
  moduleStart: string,
  mark: number,
  missedWebex: boolean,
  actors: { tutor: Actor; registry: Actor },
): Promise<void> {
  for (let k = 0; k < module.webexSessions; k++) {
    const sessionId = `webex-${module.code}-${k + 1}`;
    if (missedWebex) {
      await ledger.execute(
        studentId,
        'reportWebexAbsence',
        {
          sessionId,
          moduleCode: module.code,
          reason: 'Pupil safeguarding meeting',
          reportedOn: moduleStart,
        },
        { actor: actors.tutor },
      );
      // seed 004 Q5 (strict 100%): where the specification says so, registry authorises the absence first
      if (spec.attendance.catchUpFor === 'authorised-absence')
        await ledger.execute(
          studentId,
          'decideWebexAbsence',
          {
            sessionId,
            moduleCode: module.code,
            decision: 'authorised',
            decidedOn: moduleStart,
            reason: 'Unforeseen: a safeguarding meeting the student could not move',
          },
          { actor: actors.registry },
        );
      await ledger.execute(
        studentId,
        'completeWebexCatchUp',
        {
          sessionId,
          moduleCode: module.code,
          completedOn: addMonths(moduleStart, 1),
          how: 'Watched the recording and discussed it with the tutor',
        },
        { actor: actors.tutor },
      );
    } else {
      await ledger.execute(
        studentId,
        'recordWebexAttendance',
        { sessionId, moduleCode: module.code, attendedOn: moduleStart },
        { actor: actors.tutor },
      );
    }
  }
  for (let v = 0; v < module.partnerSchoolDays; v++) {
    await ledger.execute(
      studentId,
      'recordPartnerSchoolVisit',
      {
        school: { name: 'Hillside Academy' },
        phase: 'secondary',
        visitedOn: addMonths(moduleStart, 1),
        moduleCode: module.code,
        hours: 5,
      },
      { actor: actors.tutor },
    );
  }
  if (module.assessment.planForFeedback)
    await ledger.execute(
      studentId,
      'submitAssignment',
      { moduleCode: module.code, attempt: 1, kind: 'plan', submittedOn: addMonths(moduleStart, 1) },
      { actor: actors.tutor },
    );
  await ledger.execute(
    studentId,
    'submitAssignment',
    {
      moduleCode: module.code,
      attempt: 1,
      kind: 'final',
      submittedOn: addMonths(moduleStart, 2),
      wordCount: module.assessment.words ?? undefined,
    },
    { actor: actors.tutor },
  );
  await ledger.execute(
    studentId,
    'markAssignment',
    {
      moduleCode: module.code,
      attempt: 1,
      mark,
      markedOn: addMonths(moduleStart, 3),
    },
    { actor: actors.tutor },
  );
}
