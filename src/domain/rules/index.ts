import { createHash } from 'node:crypto';
import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import { creditLedger } from '../credits.ts';
import type { OutcomeFramework } from '../outcomes/schema.ts';
import type { StudentRecord } from '../student-record.ts';
import { aplCapRule } from './apl-cap.ts';
import { assignmentsTimeLimitRule } from './assignments-time-limit.ts';
import { creditsRule } from './credits.ts';
import type { RuleContext } from './define-rule.ts';
import { enrolmentRule } from './enrolment.ts';
import { entryEvidenceRule } from './entry-evidence.ts';
import { facilitatedDaysRule } from './facilitated-days.ts';
import { outcomesRule } from './learning-outcomes.ts';
import { transitionRule } from './national-award-transition.ts';
import { partnerSchoolRule } from './partner-school.ts';
import { portfolioRule } from './portfolio.ts';
import { qtsRule } from './qualified-teacher-status.ts';
import type { Decision, DecisionOutcome, RuleArea, RuleResult } from './schema.ts';
import { statusRule } from './status.ts';
import { vivaRule } from './viva.ts';
import { webexRule } from './webex-attendance.ts';

// The award rules, in the order they are evaluated and shown. The decision is assembled from their
// results and nothing else, so the explanation a registry officer reads is the computation itself.
// A new rule is a new file made with defineRule, added here.

export const rules = [
  statusRule,
  enrolmentRule,
  entryEvidenceRule,
  qtsRule,
  transitionRule,
  creditsRule,
  aplCapRule,
  assignmentsTimeLimitRule,
  webexRule,
  facilitatedDaysRule,
  partnerSchoolRule,
  outcomesRule,
  portfolioRule,
  vivaRule,
] as const;

export type RuleId = (typeof rules)[number]['id'];

export const ruleIds: readonly RuleId[] = rules.map((r) => r.id);

export type { Decision, DecisionOutcome, RuleArea, RuleResult };
export {
  aplCapRule,
  assignmentsTimeLimitRule,
  creditsRule,
  enrolmentRule,
  entryEvidenceRule,
  facilitatedDaysRule,
  outcomesRule,
  partnerSchoolRule,
  portfolioRule,
  qtsRule,
  statusRule,
  transitionRule,
  vivaRule,
  webexRule,
};

/** Evaluates every rule and assembles the decision from their results. */
export function decideAward(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  framework: OutcomeFramework,
  on: string,
): Decision {
  const credits = creditLedger(record, spec);
  const results: RuleResult[] = [];
  const ctx: RuleContext = {
    record,
    spec,
    framework,
    on,
    credits,
    earlier(ruleId) {
      const found = results.find((r) => r.rule === ruleId);
      if (!found) throw new Error(`rule ${ruleId} must be listed before the rules that rest on it`);
      return found;
    },
  };
  for (const rule of rules) results.push(rule.resultFor(ctx));
  const qts = ctx.earlier(qtsRule.id);
  let outcome: DecisionOutcome;
  if (record.withdrawal) outcome = 'withdrawn';
  else if (results.some((r) => r.outcome === 'failed')) outcome = 'failed';
  else if (results.some((r) => r.outcome === 'lapsed')) outcome = 'lapsed';
  else if (results.some((r) => r.outcome === 'not-met')) outcome = 'not-yet-eligible';
  else outcome = qts.outcome === 'fallback' ? 'fallback-certificate' : 'national-award';
  const award = outcome === 'national-award' || outcome === 'fallback-certificate' ? outcome : null;
  const title =
    outcome === 'national-award'
      ? spec.awards.qualification
      : outcome === 'fallback-certificate'
        ? (spec.awards.withoutQts?.title ?? null)
        : null;
  const outstanding = results.flatMap((r) => r.outstanding);
  const decided = results
    .filter((r) => r.outcome === 'failed' || r.outcome === 'lapsed')
    .map((r) => r.reason);
  const summary =
    award !== null
      ? `Eligible for the ${title}.`
      : outcome === 'not-yet-eligible'
        ? `Not yet eligible: ${outstanding.length} thing(s) outstanding.`
        : `${outcome[0]!.toUpperCase()}${outcome.slice(1)}: ${decided.join(' ')}`;
  const partial = {
    studentId: record.studentId,
    outcome,
    award,
    title,
    summary,
    specification: { programmeId: spec.programmeId, version: spec.version, title: spec.title },
    framework: { frameworkId: framework.frameworkId, version: framework.version },
    evaluatedOn: on,
    asOf: { position: record.lastPosition, streamRevision: record.revision },
    rules: results,
    outstanding,
    credits,
  };
  return { ...partial, digest: decisionDigest(partial) };
}

/** A digest of what was decided and why: the outcome, each rule's outcome and figures, and its events. */
export function decisionDigest(d: Omit<Decision, 'digest' | 'asOf' | 'credits' | 'summary'>): string {
  const canonical = JSON.stringify({
    outcome: d.outcome,
    title: d.title,
    specification: [d.specification.programmeId, d.specification.version],
    framework: [d.framework.frameworkId, d.framework.version],
    evaluatedOn: d.evaluatedOn,
    rules: d.rules.map((r) => [r.rule, r.outcome, r.figures, r.events.map((e) => e.eventId)]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
