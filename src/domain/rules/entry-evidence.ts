import { defineRule } from './define-rule.ts';

export const entryEvidenceRule = defineRule({
  id: 'entry-evidence',
  title: 'Entry evidence: role confirmation, eligibility and induction',
  source: 'seed 000 entry requirements; seed 004 Q1, Q4',
  area: 'entry',
  evaluate({ record }) {
    const outstanding: string[] = [];
    if (!record.role)
      outstanding.push('Record the governing body confirmation of the SENCO role or the headteacher support');
    if (!record.eligibility) outstanding.push('Record the eligibility assessment');
    else if (!record.eligibility.eligible)
      outstanding.push('The eligibility assessment found the applicant not eligible');
    // seed 000: statutory induction must be complete where QTS was gained from July 1999 on
    const inductionNeeded =
      !!record.qts?.awardedOn && record.qts.awardedOn >= '1999-07-01' && record.qts.status === 'QTS';
    if (inductionNeeded && record.qts!.inductionCompleted !== true)
      outstanding.push('Evidence completion of statutory induction (QTS gained from July 1999)');
    const figures = {
      roleBasis: record.role?.basis ?? null,
      eligible: record.eligibility?.eligible ?? null,
      inductionNeeded,
      inductionCompleted: record.qts?.inductionCompleted ?? null,
    };
    const events = [record.role?.ref, record.eligibility?.ref, record.qts?.ref];
    if (outstanding.length)
      return { outcome: 'not-met', reason: outstanding.join('; ') + '.', figures, events, outstanding };
    return {
      outcome: 'met',
      reason: 'Role confirmation and eligibility are recorded; induction is satisfied or not needed.',
      figures,
      events,
    };
  },
});
