import { defineCreditsRule } from './define-rule.ts';

export const aplCapRule = defineCreditsRule({
  id: 'apl-cap',
  title: 'APL/RPL within the cap',
  source: ({ spec }) => spec.priorLearning.source,
  area: 'marks',
  evaluate({ record, spec, credits }) {
    const claims = Object.values(record.aplClaims);
    const approved = claims.filter((c) => c.decision?.decision === 'approved');
    const cap = spec.priorLearning.maxModules;
    const figures = { approved: approved.length, counted: credits.aplModulesCounted, cap };
    if (claims.length === 0)
      return { outcome: 'not-applicable', reason: 'No APL/RPL claim was made.', figures };
    const events = claims.flatMap((c) => [c.submitted, c.decision?.ref]);
    // more approvals than the cap (a log this decider did not write) count only up to it (credits.ts)
    if (approved.length > cap)
      return {
        outcome: 'met',
        reason: `${approved.length} claims approved; only ${cap} counted, the cap.`,
        figures,
        events,
      };
    return {
      outcome: 'met',
      reason: `${approved.length} of at most ${cap} modules replaced by APL/RPL.`,
      figures,
      events,
    };
  },
});
