import { defineRule } from './define-rule.ts';
import { qtsRule } from './qualified-teacher-status.ts';
import { TRANSITION_COMPLETE_BEFORE, TRANSITION_START_BEFORE } from './transition-dates.ts';

export const transitionRule = defineRule({
  id: 'national-award-transition',
  title: 'National Award transition (SI 2024/535)',
  source: 'SI 2024/535: course started before 1 September 2024 and completed before 1 September 2027',
  area: 'time-limits',
  evaluate({ record, on, earlier }) {
    if (earlier(qtsRule.id).outcome === 'fallback')
      return { outcome: 'not-applicable', reason: 'The fallback certificate is not the statutory award.' };
    const started = record.enrolment?.enrolledOn ?? null;
    const figures = {
      startedOn: started,
      startBefore: TRANSITION_START_BEFORE,
      completeBefore: TRANSITION_COMPLETE_BEFORE,
      evaluatedOn: on,
    };
    if (!started)
      return {
        outcome: 'not-met',
        reason: 'The course has not started.',
        figures,
        outstanding: ['Enrol the student before 1 September 2024'],
      };
    const events = [record.enrolment!.ref];
    if (started >= TRANSITION_START_BEFORE)
      return {
        outcome: 'failed',
        reason: `The course started on ${started}, on or after 1 September 2024: the NPQ for SENCOs replaced the National Award.`,
        figures,
        events,
      };
    if (on >= TRANSITION_COMPLETE_BEFORE)
      return {
        outcome: 'lapsed',
        reason: `Not completed before 1 September 2027 (evaluated on ${on}).`,
        figures,
        events,
      };
    return {
      outcome: 'met',
      reason: `Started on ${started}; must be completed before 1 September 2027.`,
      figures,
      events,
    };
  },
});
