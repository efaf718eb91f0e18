import type { Rule } from '../../src/domain/rules/define-rule.ts';
import { decideAward, type RuleResult } from '../../src/domain/rules/index.ts';
import { fold, type Given, reference } from './given-when-then.ts';
import { PROGRAMME_ID, type Programme } from './student-events.ts';

// A rule's result for a history: the events folded into a record, the whole decision made on a date,
// and the one rule's result read from it (as the registry officer reads it).

export function decisionOn(events: Given[], on: string, programme?: Programme) {
  const record = fold(events);
  const e = record.enrolment;
  const spec = e
    ? reference.specification(e.programmeId, e.specVersion)
    : reference.specification(PROGRAMME_ID[programme ?? 'blended'], 1);
  const framework = reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion);
  return decideAward(record, spec, framework, on);
}

export function judge(rule: Rule, events: Given[], on = '2024-08-01', programme?: Programme): RuleResult {
  const result = decisionOn(events, on, programme).rules.find((r) => r.rule === rule.id);
  if (!result) throw new Error(`rule ${rule.id} is not in the decision`);
  return result;
}

/** The ids of the events a result names, to compare with the ids given. */
export const eventIds = (result: RuleResult) => result.events.map((e) => e.eventId);
