import fc from 'fast-check';
import type { Actor } from '../../events/envelope.ts';
import type { Ledger } from '../../src/app/ledger.ts';
import { staff } from '../../src/demo/journeys.ts';
import { participationSessions, plannedWindows } from '../../src/demo/participation.ts';
import { addDays } from '../../src/domain/calendar.ts';
import type { CommandName } from '../../src/domain/commands.ts';
import { LedgerError } from '../../src/errors.ts';

// Random student histories for property tests: a step names a command and its rough inputs; references
// to earlier events (a mark to correct, evidence to sign off) are picked from the record when the step
// runs. Steps the rules refuse write nothing, which is itself part of what the properties check.

export type Step =
  | { kind: 'webex'; module: number; absent: boolean; catchUp: boolean }
  | { kind: 'visit'; module: number }
  | { kind: 'day'; n: number }
  | { kind: 'submit'; module: number; attempt: number }
  | { kind: 'mark'; module: number; attempt: number; mark: number }
  | { kind: 'moderate'; pick: number; mark: number }
  | { kind: 'correct'; pick: number; mark: number }
  | { kind: 'resubmit'; module: number }
  | { kind: 'ratify' }
  | { kind: 'apl'; module: number; approve: boolean; claim: number }
  | { kind: 'outcome'; pick: number; monthOffset: number }
  | { kind: 'portfolio'; pick: number }
  | { kind: 'viva'; pass: boolean }
  | { kind: 'extension' }
  | { kind: 'withdraw' }
  | { kind: 'sweep'; monthOffset: number }
  | { kind: 'participate'; count: number }
  | { kind: 'sit'; module: number; attempt: number; window: number }
  | { kind: 'result'; module: number; attempt: number; pass: boolean }
  | { kind: 'confirm' };

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('webex' as const),
      module: fc.nat(3),
      absent: fc.boolean(),
      catchUp: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('visit' as const), module: fc.nat(3) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('day' as const), n: fc.integer({ min: 1, max: 6 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      module: fc.nat(3),
      attempt: fc.integer({ min: 1, max: 2 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('mark' as const),
      module: fc.nat(3),
      attempt: fc.integer({ min: 1, max: 2 }),
      mark: fc.integer({ min: 0, max: 100 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('moderate' as const),
      pick: fc.nat(),
      mark: fc.integer({ min: 0, max: 100 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('correct' as const),
      pick: fc.nat(),
      mark: fc.integer({ min: 0, max: 100 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resubmit' as const), module: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'ratify' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('apl' as const),
      module: fc.nat(3),
      approve: fc.boolean(),
      claim: fc.nat(3),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('outcome' as const),
      pick: fc.nat(),
      monthOffset: fc.integer({ min: 1, max: 24 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('portfolio' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('viva' as const), pass: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'extension' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'withdraw' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('sweep' as const),
      monthOffset: fc.integer({ min: 2, max: 26 }),
    }),
  },
  // what a specification with a participation threshold and window assessments asks for (refused elsewhere)
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('participate' as const),
      count: fc.integer({ min: 1, max: 16 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sit' as const),
      module: fc.nat(3),
      attempt: fc.integer({ min: 1, max: 2 }),
      window: fc.integer({ min: 0, max: 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('result' as const),
      module: fc.nat(3),
      attempt: fc.integer({ min: 1, max: 2 }),
      pass: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'confirm' as const }) },
);

const month = (start: string, n: number) => {
  const d = new Date(`${start}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
};

/** Runs one step; returns false when the rules refused it (nothing written). */
export async function runStep(
  ledger: Ledger,
  studentId: string,
  step: Step,
  examBoardId: string,
): Promise<boolean> {
  const record = ledger.queries.record(studentId);
  const spec = ledger.reference.specification(record.enrolment!.programmeId, record.enrolment!.specVersion);
  const start = record.enrolment!.enrolledOn;
  const mod = (i: number) => spec.modules[i % spec.modules.length]!.code;
  const tutor = { actor: staff.tutor };
  const registry = { actor: staff.registry };
  const run = async (name: CommandName, data: unknown, options: { actor: Actor } = tutor) => {
    try {
      await ledger.execute(studentId, name, data, options);
      return true;
    } catch (error) {
      if (error instanceof LedgerError && (error.kind === 'refused' || error.kind === 'invalid'))
        return false;
      throw error;
    }
  };
  const marks = [...record.markChains.values()];
  switch (step.kind) {
    case 'webex': {
      const moduleCode = mod(step.module);
      const sessionId = `webex-${moduleCode}-1`;
      if (!step.absent) return run('recordWebexAttendance', { sessionId, moduleCode, attendedOn: start });
      const reported = await run('reportWebexAbsence', {
        sessionId,
        moduleCode,
        reason: 'Illness',
        reportedOn: start,
      });
      return step.catchUp
        ? run('completeWebexCatchUp', {
            sessionId,
            moduleCode,
            completedOn: month(start, 1),
            how: 'Recording watched',
          })
        : reported;
    }
    case 'visit':
      return run('recordPartnerSchoolVisit', {
        school: { name: 'Partner School' },
        phase: 'primary',
        visitedOn: month(start, 1),
        moduleCode: mod(step.module),
        hours: 5,
      });
    case 'day':
      return run('recordFacilitatedDay', {
        sessionId: `day-${step.n}`,
        attendedOn: month(start, step.n),
        mode: 'online',
      });
    case 'submit':
      return run('submitAssignment', {
        moduleCode: mod(step.module),
        attempt: step.attempt,
        kind: 'final',
        submittedOn: month(start, 2 + step.attempt),
      });
    case 'mark':
      // A mark needs a final submission: make one if the attempt has none (refused if not permitted).
      if (
        !record.modules[mod(step.module)]?.some((a) => a.attempt === step.attempt && a.submissions.length > 0)
      )
        await run('submitAssignment', {
          moduleCode: mod(step.module),
          attempt: step.attempt,
          kind: 'final',
          submittedOn: month(start, 2 + step.attempt),
        });
      return run('markAssignment', {
        moduleCode: mod(step.module),
        attempt: step.attempt,
        mark: step.mark,
        markedOn: month(start, 3 + step.attempt),
      });
    case 'moderate': {
      const chain = marks[step.pick % Math.max(marks.length, 1)];
      return chain
        ? run('moderateMark', {
            markEventId: chain.rootEventId,
            moderatedMark: step.mark,
            moderatedOn: month(start, 4),
          })
        : false;
    }
    case 'correct': {
      const chain = marks[step.pick % Math.max(marks.length, 1)];
      return chain
        ? run(
            'correctMark',
            {
              correctsEventId: chain.headEventId,
              correctedMark: step.mark,
              reason: 'Marking error found at moderation',
            },
            { actor: staff.admin },
          )
        : false;
    }
    case 'resubmit':
      return run('permitResubmission', { moduleCode: mod(step.module), deadline: null }, registry);
    case 'ratify':
      return run('ratifyMarks', { examBoardId, boardDate: month(start, 6) }, registry);
    case 'apl': {
      const claimId = `claim-${step.claim}`;
      const submitted = await run('submitAplClaim', {
        claimId,
        moduleCode: mod(step.module),
        route: 'APL',
        submittedOn: start,
        evidenceSummary: 'Prior certificate',
      });
      const decided = await run(
        'decideAplClaim',
        {
          claimId,
          decision: step.approve ? 'approved' : 'rejected',
          decidedOn: month(start, 1),
          reason: 'Assessed against the outcomes',
        },
        registry,
      );
      return submitted || decided;
    }
    case 'outcome': {
      const framework = ledger.reference.framework(
        record.enrolment!.frameworkId,
        record.enrolment!.frameworkVersion,
      );
      const codes = framework.parts.flatMap((p) => p.areas.flatMap((a) => a.outcomes.map((o) => o.code)));
      const code = codes[step.pick % codes.length]!;
      const on = month(start, step.monthOffset);
      try {
        const evidence = await ledger.execute(
          studentId,
          'submitOutcomeEvidence',
          { outcomeCode: code, evidence: { kind: 'reflection', reference: `log/${code}` }, submittedOn: on },
          tutor,
        );
        return run('signOffOutcome', {
          outcomeCode: code,
          evidenceEventIds: [evidence.events[0]!.eventId],
          signedOffOn: on,
        });
      } catch (error) {
        if (error instanceof LedgerError) return false;
        throw error;
      }
    }
    case 'portfolio': {
      const p = spec.portfolios[step.pick % Math.max(spec.portfolios.length, 1)];
      return p ? run('completePortfolio', { portfolio: p.code, completedOn: month(start, 8) }) : false;
    }
    case 'viva':
      return run('recordViva', {
        heldOn: month(start, 10),
        outcome: step.pass ? 'pass' : 'referred',
        examiners: [{ id: 'tutor-1' }],
      });
    case 'extension':
      return run(
        'grantExtension',
        { timeLimit: 'outcomes', newDeadline: month(start, 30), reason: 'Long-term illness' },
        registry,
      );
    case 'withdraw':
      return run('withdrawStudent', { on: month(start, 5), reason: 'Left the post' }, registry);
    case 'participate': {
      let any = false;
      for (const s of participationSessions(spec, start).slice(0, step.count))
        any = (await run('recordParticipation', { sessionId: s.sessionId, participatedOn: s.date })) || any;
      return any;
    }
    case 'sit': {
      const window = plannedWindows(spec, start)[step.window];
      if (!window) return false;
      return run('sitAssessment', {
        moduleCode: mod(step.module),
        attempt: step.attempt,
        windowId: window.windowId,
        submittedOn: addDays(window.opensOn, 3),
      });
    }
    case 'result':
      return run('recordAssessmentResult', {
        moduleCode: mod(step.module),
        attempt: step.attempt,
        result: step.pass ? 'pass' : 'fail',
        assessedOn: month(start, 19 + step.attempt),
      });
    case 'confirm':
      return run('confirmResults', { examBoardId, boardDate: month(start, 22) }, registry);
    case 'sweep': {
      // Everything but the marks: attendance, visits, every outcome, portfolios and viva, on one date.
      let any = false;
      const on = month(start, step.monthOffset);
      for (const m of spec.modules) {
        if (m.webexSessions)
          any =
            (await run('recordWebexAttendance', {
              sessionId: `webex-${m.code}-1`,
              moduleCode: m.code,
              attendedOn: start,
            })) || any;
        for (
          let v = record.visits.filter((x) => x.moduleCode === m.code).length;
          v < m.partnerSchoolDays;
          v++
        )
          any =
            (await run('recordPartnerSchoolVisit', {
              school: { name: 'Partner' },
              phase: 'secondary',
              visitedOn: on,
              moduleCode: m.code,
              hours: 4,
            })) || any;
      }
      for (let d = 1; d <= spec.attendance.facilitatedDaysRequired; d++)
        any =
          (await run('recordFacilitatedDay', {
            sessionId: `day-${d}`,
            attendedOn: month(start, d - 1),
            mode: 'face-to-face',
          })) || any;
      const framework = ledger.reference.framework(
        record.enrolment!.frameworkId,
        record.enrolment!.frameworkVersion,
      );
      for (const code of framework.parts.flatMap((p) =>
        p.areas.flatMap((a) => a.outcomes.map((o) => o.code)),
      )) {
        if (ledger.queries.record(studentId).outcomes[code]?.signOff) continue;
        try {
          const evidence = await ledger.execute(
            studentId,
            'submitOutcomeEvidence',
            { outcomeCode: code, evidence: { kind: 'document', reference: `pdp/${code}` }, submittedOn: on },
            tutor,
          );
          any =
            (await run('signOffOutcome', {
              outcomeCode: code,
              evidenceEventIds: [evidence.events[0]!.eventId],
              signedOffOn: on,
            })) || any;
        } catch (error) {
          if (!(error instanceof LedgerError)) throw error;
        }
      }
      for (const p of spec.portfolios)
        any = (await run('completePortfolio', { portfolio: p.code, completedOn: on })) || any;
      if (spec.viva.required)
        any =
          (await run('recordViva', { heldOn: on, outcome: 'pass', examiners: [{ id: 'tutor-1' }] })) || any;
      return any;
    }
  }
}
