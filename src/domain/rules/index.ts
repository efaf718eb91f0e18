import { createHash } from 'node:crypto';
import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import { creditLedger } from '../credits.ts';
import type { OutcomeFramework } from '../outcomes/schema.ts';
import { qualificationDuty } from '../statutory/duty.ts';
import type { StudentRecord } from '../student-record.ts';
import { aplCapRule } from './apl-cap.ts';
import { assignmentsTimeLimitRule } from './assignments-time-limit.ts';
import { creditsRule } from './credits.ts';
import type { RuleContext } from './define-rule.ts';
import { enrolmentRule } from './enrolment.ts';
import { entryEvidenceRule } from './entry-evidence.ts';
import { facilitatedDaysRule } from './facilitated-days.ts';
import { outcomesRule } from './learning-outcomes.ts';
import { participationRule } from './participation.ts';
import { partnerSchoolRule } from './partner-school.ts';
import { portfolioRule } from './portfolio.ts';
import { programmeTimeLimitRule } from './programme-time-limit.ts';
import { qtsRule } from './qualified-teacher-status.ts';
import type { AwardKind, CreditLedger, Decision, DecisionOutcome, RuleArea, RuleResult } from './schema.ts';
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
  creditsRule,
  aplCapRule,
  assignmentsTimeLimitRule,
  webexRule,
  facilitatedDaysRule,
  participationRule,
  partnerSchoolRule,
  outcomesRule,
  portfolioRule,
  vivaRule,
  programmeTimeLimitRule,
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
  participationRule,
  partnerSchoolRule,
  portfolioRule,
  programmeTimeLimitRule,
  qtsRule,
  statusRule,
  vivaRule,
  webexRule,
};

/** Evaluates every rule the specification calls for and assembles the decision from their results. */
/** A decision without its digest: what a step of a replay shows (the digest is for recording an award). */
export type Assessment = Omit<Decision, 'digest'>;

export function decideAward(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  framework: OutcomeFramework,
  on: string,
): Decision {
  return withDigest(assessAward(record, spec, framework, on));
}

/** An assessment made a decision: with the digest an award records. */
export function withDigest(assessment: Assessment): Decision {
  return { ...assessment, digest: decisionDigest(assessment) };
}

export function assessAward(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  framework: OutcomeFramework,
  on: string,
): Assessment {
  const credits = creditLedger(record, spec);
  const { results, outcome } = evaluateRules(record, spec, framework, on, credits);
  const awards = awardsOf(outcome, spec);
  const award: AwardKind | null =
    outcome === 'awarded'
      ? 'qualification'
      : outcome === 'fallback-certificate' || outcome === 'exit-award'
        ? outcome
        : null;
  const title = awards[0] ?? null;
  const outstanding = results.flatMap((r) => r.outstanding);
  const decided = results
    .filter((r) => r.outcome === 'failed' || r.outcome === 'lapsed')
    .map((r) => r.reason);
  const summary =
    outcome === 'awarded' || outcome === 'fallback-certificate'
      ? `Eligible for the ${awards.join(' and the ')}.`
      : outcome === 'exit-award'
        ? `The ${spec.awards.qualification} can no longer be awarded (${decided.join(' ')}); every credit is earned, so the exit award is the ${title}.`
        : outcome === 'not-yet-eligible'
          ? `Not yet eligible: ${outstanding.length} thing(s) outstanding.`
          : `${outcome[0]!.toUpperCase()}${outcome.slice(1)}: ${decided.join(' ')}`;
  return {
    studentId: record.studentId,
    outcome,
    award,
    title,
    awards,
    summary,
    specification: { programmeId: spec.programmeId, version: spec.version, title: spec.title },
    framework: { frameworkId: framework.frameworkId, version: framework.version },
    evaluatedOn: on,
    asOf: { position: record.lastPosition, streamRevision: record.revision },
    rules: results,
    outstanding,
    credits,
    duty: qualificationDuty({ record, spec, on, outcome, results }),
  };
}

/**
 * Every rule the specification calls for, and the outcome their results give, on a credit ledger already
 * worked out for the record: what a decision rests on, and all a step of a replay shows (replay-assessor.ts).
 * `kept` holds the results of the rules resting on the credits alone for as long as that ledger is kept:
 * read from it when there, put in it when worked out.
 */
export function evaluateRules(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  framework: OutcomeFramework,
  on: string,
  credits: CreditLedger,
  kept?: Map<string, RuleResult>,
): { results: RuleResult[]; outcome: DecisionOutcome } {
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
    results: () => results,
  };
  for (const rule of rules) {
    if (!rule.appliesTo(spec)) continue;
    if (!kept || !rule.restsOnCreditsAlone) {
      results.push(rule.resultFor(ctx));
      continue;
    }
    let result = kept.get(rule.id);
    if (!result) {
      result = rule.resultFor(ctx);
      kept.set(rule.id, result);
    }
    results.push(result);
  }
  return { results, outcome: outcomeOf(record, spec, results) };
}

function outcomeOf(
  record: StudentRecord,
  spec: ProgrammeSpecification,
  results: RuleResult[],
): DecisionOutcome {
  const outcome = (rule: string) => results.find((r) => r.rule === rule)?.outcome;
  if (record.withdrawal) return 'withdrawn';
  const failed = results.some((r) => r.outcome === 'failed');
  const lapsed = results.some((r) => r.outcome === 'lapsed');
  // an exit award: every credit earned, but the qualification can no longer be given (specification data)
  if ((failed || lapsed) && spec.awards.exit.length > 0 && outcome(creditsRule.id) === 'met')
    return 'exit-award';
  if (failed) return 'failed';
  if (lapsed) return 'lapsed';
  if (results.some((r) => r.outcome === 'not-met')) return 'not-yet-eligible';
  return outcome(qtsRule.id) === 'fallback' ? 'fallback-certificate' : 'awarded';
}

/** Every award the outcome gives, the main one first (seed 004 Q9: with QTS, the PG Certificate too). */
function awardsOf(outcome: DecisionOutcome, spec: ProgrammeSpecification): string[] {
  if (outcome === 'awarded') return [spec.awards.qualification, ...spec.awards.dual.map((a) => a.title)];
  if (outcome === 'fallback-certificate') return spec.awards.withoutQts ? [spec.awards.withoutQts.title] : [];
  if (outcome === 'exit-award') return spec.awards.exit.map((a) => a.title);
  return [];
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
