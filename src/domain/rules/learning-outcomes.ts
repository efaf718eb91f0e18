import { outcomeCodes } from '../outcomes/schema.ts';
import { outcomesDeadline } from './deadlines.ts';
import { defineRule, latest } from './define-rule.ts';
import type { EventRef, Figure } from './schema.ts';

export const outcomesRule = defineRule({
  id: 'learning-outcomes',
  title: 'Every learning outcome signed off',
  source: ({ spec, framework }) =>
    `framework ${framework.frameworkId} v${framework.version}; ${spec.timeLimits.outcomes?.source ?? 'no time limit in this specification'}`,
  area: 'outcomes',
  evaluate({ record, spec, framework, on }) {
    if (spec.outcomes.signOff === 'none')
      return {
        outcome: 'not-applicable',
        reason: `${framework.title}: assessed by the assessment, not signed off outcome by outcome.`,
      };
    const codes = outcomeCodes(framework);
    const limit = outcomesDeadline(record, spec, on);
    // an expected length of study is shown, never a reason to lapse (seed 002: "lasts a year")
    const lapsing = limit?.lapses ? limit : null;
    const events: EventRef[] = [];
    const missing: string[] = [];
    const late: string[] = [];
    for (const code of codes) {
      const o = record.outcomes[code];
      const signOff = o?.signOff;
      if (o) for (const r of o.revocations) events.push(r.ref);
      // a sign-off counts against the framework version the student is judged on
      if (!signOff || signOff.frameworkVersion !== framework.version) {
        missing.push(code);
        continue;
      }
      events.push(signOff.ref);
      if (lapsing && signOff.signedOffOn > lapsing.deadline) late.push(`${code} (${signOff.signedOffOn})`);
    }
    const figures: Record<string, Figure> = {
      signedOff: codes.length - missing.length,
      required: codes.length,
      deadline: lapsing?.deadline ?? null,
      deadlineExtended: lapsing?.extended ?? false,
      evaluatedOn: on,
    };
    if (limit && !limit.lapses) figures.expectedBy = limit.deadline;
    if (limit?.pausedDays) figures.pausedDays = limit.pausedDays;
    if (limit) events.push(...limit.events);
    if (late.length)
      return {
        outcome: 'lapsed',
        reason: `Signed off after the time limit of ${lapsing!.deadline}: ${late.join(', ')}.`,
        figures,
        events,
      };
    if (missing.length === 0)
      return {
        outcome: 'met',
        reason: `All ${codes.length} outcomes signed off by an assessor${lapsing ? ` within the limit of ${lapsing.deadline}` : ''}.`,
        figures,
        events,
        metOn: latest(codes.map((c) => record.outcomes[c]?.signOff?.signedOffOn)),
      };
    if (lapsing && on > lapsing.deadline)
      return {
        outcome: 'lapsed',
        reason: `The time limit of ${lapsing.deadline} has passed with ${missing.length} outcome(s) not signed off: ${missing.join(', ')}.`,
        figures,
        events,
      };
    return {
      outcome: 'not-met',
      reason: `${codes.length - missing.length} of ${codes.length} outcomes signed off${limit && !limit.lapses ? ` (expected by ${limit.deadline})` : ''}.`,
      figures,
      events,
      outstanding: missing.map((c) => `Sign off outcome ${c}`),
    };
  },
});
