import { dayOf, defineCreditsRule } from './define-rule.ts';
import type { CreditLedger, Figure, ModuleStanding } from './schema.ts';

export const creditsRule = defineCreditsRule({
  id: 'credits',
  title: ({ spec }) =>
    spec.totalCredits === 0
      ? 'Every assessment passed'
      : spec.level === 7
        ? `${spec.totalCredits} Master's-level credits`
        : `${spec.totalCredits} credits${spec.level === null ? '' : ` at level ${spec.level}`}`,
  source: ({ spec }) => `${spec.creditBasis.source}; marks ratified, results confirmed, by a board`,
  area: 'marks',
  evaluate({ credits }) {
    const events = credits.modules.flatMap((m) => m.events);
    const figures: Record<string, Figure> = {
      earned: credits.earned,
      required: credits.required,
      earnedIncludingProvisional: credits.earnedIncludingProvisional,
    };
    for (const m of credits.modules) {
      const last = m.attempts[m.attempts.length - 1];
      figures[`${m.moduleCode}.status`] = m.status;
      // a pass/fail assessment's result stands where a mark would
      figures[`${m.moduleCode}.mark`] = last?.effectiveMark ?? last?.result ?? null;
    }
    const failed = credits.modules.filter((m) => m.required && m.status === 'failed');
    if (failed.length)
      return {
        outcome: 'failed',
        reason: `Failed on the last attempt allowed: ${failed.map((m) => `${m.moduleCode} (${m.attempts[m.attempts.length - 1]?.effectiveMark})`).join(', ')}.`,
        figures,
        events,
      };
    const missingRequired = credits.modules.filter(
      (m) => m.required && m.status !== 'passed' && m.status !== 'apl-approved',
    );
    if (credits.earned >= credits.required && missingRequired.length === 0)
      return {
        outcome: 'met',
        reason:
          credits.required === 0
            ? 'Every required assessment passed, and the board confirmed it.'
            : `${credits.earned} of ${credits.required} credits earned from ratified passes and approved APL/RPL.`,
        figures,
        events,
        metOn: creditsCompleteOn(credits),
      };
    const outstanding = (
      missingRequired.length
        ? missingRequired
        : credits.modules.filter((m) => m.status !== 'passed' && m.status !== 'apl-approved')
    ).map(describeModuleNeed);
    const confirmed = credits.modules.filter((m) => m.required && m.status === 'passed').length;
    const required = credits.modules.filter((m) => m.required).length;
    return {
      outcome: 'not-met',
      reason:
        credits.required === 0
          ? `${confirmed} of ${required} assessments passed and confirmed by the board.`
          : `${credits.earned} of ${credits.required} credits ratified (${credits.earnedIncludingProvisional} counting provisional passes).`,
      figures,
      events,
      outstanding,
    };
  },
});

function describeModuleNeed({ moduleCode: code, status, attempts, passMark }: ModuleStanding): string {
  const due = attempts[attempts.length - 1]?.dueBy;
  switch (status) {
    case 'passed-provisional':
      return `${code}: pass awaiting exam-board ratification`;
    case 'marked-provisional':
      return `${code}: fail awaiting exam-board ratification`;
    case 'resubmission-available':
      return `${code}: resubmission available`;
    case 'resubmission-permitted':
      return `${code}: resubmission permitted${due ? `, due by ${due}` : ''}, not yet submitted`;
    case 'submitted':
      return `${code}: submitted, awaiting ${passMark === null ? 'its result' : 'a mark'}`;
    default:
      return `${code}: not yet submitted`;
  }
}

/** The day the credits were complete: every required module, and enough credits, secured by then. */
function creditsCompleteOn(credits: CreditLedger): string | null {
  const secured = credits.modules
    .map((m) => {
      if (m.status === 'apl-approved' && m.apl) return { m, on: dayOf(m.apl.ref) };
      const passed = m.attempts.find((a) => a.passed && a.ratified);
      return passed?.ratifiedOn ? { m, on: passed.ratifiedOn } : null;
    })
    .filter((s) => s !== null)
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  let earned = 0;
  const requiredLeft = new Set(credits.modules.filter((m) => m.required).map((m) => m.moduleCode));
  for (const { m, on } of secured) {
    earned += m.credits;
    requiredLeft.delete(m.moduleCode);
    if (earned >= credits.required && requiredLeft.size === 0) return on;
  }
  return null;
}
