import { defineRule } from './define-rule.ts';

export const qtsRule = defineRule({
  id: 'qualified-teacher-status',
  title: 'Qualified teacher status',
  source: ({ spec }) => spec.entry.source,
  area: 'entry',
  evaluate({ record, spec }) {
    if (spec.entry.qts === 'not-required')
      return {
        outcome: 'not-applicable',
        reason: `QTS is not required for the ${spec.awards.qualification}${record.qts ? ` (recorded: ${record.qts.status})` : ''}.`,
        events: [record.qts?.ref],
      };
    const q = record.qts;
    if (!q)
      return {
        outcome: 'not-met',
        reason: 'No QTS evidence is recorded.',
        outstanding: ['Record the QTS evidence (QTS, QTLS or none) with the teacher reference number'],
      };
    const figures = {
      status: q.status,
      trnChecked: q.trnChecked,
      fallbackTitle: spec.awards.withoutQts?.title ?? null,
    };
    const events = [q.ref];
    if (q.status !== 'none') {
      if (!q.trnChecked)
        return {
          outcome: 'not-met',
          reason: `${q.status} is claimed but the teacher reference number has not been checked.`,
          figures,
          events,
          outstanding: ['Check the 7-digit teacher reference number'],
        };
      return {
        outcome: 'met',
        reason: `${q.status} held and the teacher reference number was checked.`,
        figures,
        events,
      };
    }
    // seed 004 Q9: without QTS the same syllabus leads to the provider's certificate, where it offers one
    if (spec.awards.withoutQts)
      return {
        outcome: 'fallback',
        reason: `No QTS: on completion the student receives the ${spec.awards.withoutQts.title}, not the ${spec.awards.qualification}.`,
        figures,
        events,
      };
    return {
      outcome: 'failed',
      reason: 'No QTS, and this programme offers no award without it.',
      figures,
      events,
    };
  },
});
