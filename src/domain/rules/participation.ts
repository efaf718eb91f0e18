import { participationOf, stillNeeded } from '../participation.ts';
import { defineRule } from './define-rule.ts';

// A participation threshold (the NPQ for SENCOs: a share of the programme's sessions and activities) that
// gates entry to the assessment. Listed only for specifications that set one.

export const participationRule = defineRule({
  id: 'participation',
  title: ({ spec }) => `Participation of at least ${spec.participation?.thresholdPercent}%`,
  source: ({ spec }) => spec.participation?.source ?? 'no participation threshold in this specification',
  area: 'attendance',
  appliesTo: (spec) => spec.participation !== null,
  evaluate({ record, spec }) {
    const p = participationOf(record, spec)!;
    // "sessions and activities", "activities"
    const kinds = spec
      .participation!.counts.map((k) => (k === 'activity' ? 'activities' : 'sessions'))
      .join(' and ');
    const figures = { counted: p.counted, of: p.of, thresholdPercent: p.thresholdPercent };
    if (p.met)
      return {
        outcome: 'met',
        reason: `Took part in ${p.counted} of ${p.of} ${kinds}, at least ${p.thresholdPercent}%.`,
        figures,
        events: p.events,
        metOn: p.metOn,
      };
    return {
      outcome: 'not-met',
      reason: `Took part in ${p.counted} of ${p.of} ${kinds}; ${p.thresholdPercent}% is needed${spec.participation!.gatesAssessment ? ' to sit the assessment' : ''}.`,
      figures,
      events: p.events,
      outstanding: [`Take part in ${stillNeeded(p)} more of the ${kinds}`],
    };
  },
});
