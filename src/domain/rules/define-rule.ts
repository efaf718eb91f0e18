import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
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
}

/** What a rule found: its outcome and why, with the figures and events behind it. */
export interface Verdict {
  outcome: RuleOutcome;
  reason: string;
  figures?: Record<string, Figure>;
  /** Absent facts (null or undefined) are left out, so a rule can name what it looked at directly. */
  events?: (EventRef | null | undefined)[];
  outstanding?: string[];
}

type PerDecision = string | ((ctx: RuleContext) => string);

export interface Rule<Id extends string = string> {
  readonly id: Id;
  readonly area: RuleArea;
  resultFor(ctx: RuleContext): RuleResult;
}

export function defineRule<const Id extends string>(definition: {
  id: Id;
  /** Fixed, or worked out from the specification (e.g. the credits it requires). */
  title: PerDecision;
  source: PerDecision;
  area: RuleArea;
  evaluate: (ctx: RuleContext) => Verdict;
}): Rule<Id> {
  const { id, title, source, area, evaluate } = definition;
  return {
    id,
    area,
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
      };
    },
  };
}
