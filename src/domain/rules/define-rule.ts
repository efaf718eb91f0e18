import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import type { CreditInputs } from '../credits.ts';
import type { OutcomeFramework } from '../outcomes/schema.ts';
import type { StudentRecord } from '../student-record.ts';
import type { CreditLedger, EventRef, Figure, RuleArea, RuleOutcome, RuleResult } from './schema.ts';

// One award rule: its id, title, the source it encodes, the area of the record it concerns, and an
// evaluation that returns its outcome with the figures and events it used. The result a registry officer
// reads is built here from that evaluation and nothing else.

export interface RuleContext {
  record: StudentRecord;
  spec: ProgrammeSpecification;
  framework: OutcomeFramework;
  /** The London date the decision is evaluated on (time limits are judged against it). */
  on: string;
  credits: CreditLedger;
  /** The result of a rule evaluated before this one (a rule may rest on another's outcome). */
  earlier(ruleId: string): RuleResult;
  /** Every result so far, in order (a rule listed last may weigh them all). */
  results(): readonly RuleResult[];
}

/** What a rule found: its outcome and why, with the figures and events behind it. */
export interface Verdict {
  outcome: RuleOutcome;
  reason: string;
  figures?: Record<string, Figure>;
  /** Absent facts (null or undefined) are left out, so a rule can name what it looked at directly. */
  events?: (EventRef | null | undefined)[];
  outstanding?: string[];
  /** When met: the day the requirement was met (what "completed" is read from, reg. 49(7)). */
  metOn?: string | null;
}

/** The London day a fact happened (occurred-at is recorded with the London offset). */
export const dayOf = (ref: EventRef): string => ref.occurredAt.slice(0, 10);

/** The latest of some days, or null for none. */
export const latest = (days: (string | null | undefined)[]): string | null =>
  days.reduce<string | null>((max, d) => (d && (!max || d > max) ? d : max), null);

/** What a rule resting on the credits alone may read: the ledger, the record's parts it is made of, the specification. */
export interface CreditsContext {
  record: CreditInputs;
  spec: ProgrammeSpecification;
  credits: CreditLedger;
}

type PerDecision<C> = string | ((ctx: C) => string);

export interface Rule<Id extends string = string> {
  readonly id: Id;
  readonly area: RuleArea;
  /**
   * Its result is a function of the credit ledger and the specification (made with defineCreditsRule):
   * a replay keeps it for as long as it keeps the ledger (replay-assessor.ts).
   */
  readonly restsOnCreditsAlone: boolean;
  /** Whether a specification calls for the rule at all; one that does not leaves it out of its decisions. */
  appliesTo(spec: ProgrammeSpecification): boolean;
  resultFor(ctx: RuleContext): RuleResult;
}

interface RuleDefinition<Id extends string, C> {
  id: Id;
  /** Fixed, or worked out from the specification (e.g. the credits it requires). */
  title: PerDecision<C>;
  source: PerDecision<C>;
  area: RuleArea;
  /**
   * Absent: every specification. A rule added for a new kind of requirement (a participation threshold,
   * say) is listed only where a specification has that requirement, so older decisions keep their shape.
   */
  appliesTo?: (spec: ProgrammeSpecification) => boolean;
  evaluate: (ctx: C) => Verdict;
}

export function defineRule<const Id extends string>(definition: RuleDefinition<Id, RuleContext>): Rule<Id> {
  return build(definition, false);
}

/** A rule that reads nothing but the credits (its context's type allows nothing else: no date, no other fact). */
export function defineCreditsRule<const Id extends string>(
  definition: RuleDefinition<Id, CreditsContext>,
): Rule<Id> {
  return build(definition, true);
}

function build<const Id extends string>(
  definition: RuleDefinition<Id, RuleContext>,
  restsOnCreditsAlone: boolean,
): Rule<Id> {
  const { id, title, source, area, evaluate, appliesTo } = definition;
  return {
    id,
    area,
    restsOnCreditsAlone,
    appliesTo: appliesTo ?? (() => true),
    resultFor(ctx) {
      const v = evaluate(ctx);
      return {
        rule: id,
        title: typeof title === 'string' ? title : title(ctx),
        source: typeof source === 'string' ? source : source(ctx),
        area,
        outcome: v.outcome,
        reason: v.reason,
        figures: v.figures ?? {},
        outstanding: v.outstanding ?? [],
        events: v.events ? v.events.filter((e): e is EventRef => !!e) : [],
        metOn: v.outcome === 'met' ? (v.metOn ?? null) : null,
      };
    },
  };
}
