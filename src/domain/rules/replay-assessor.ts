import type { LedgerEvent } from '../../../events/index.ts';
import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import { CREDIT_INPUTS, creditLedger } from '../credits.ts';
import type { OutcomeFramework } from '../outcomes/schema.ts';
import { applyEvent, emptyRecord, type StudentRecord } from '../student-record.ts';
import { evaluateRules } from './index.ts';
import type { CreditLedger, DecisionOutcome, RuleResult } from './schema.ts';

// An examiner's step-by-step replay assesses the record after every event of a stream, about a hundred
// times a student. Most events (attendance, visits, outcomes, registration) write nothing the credit
// ledger reads, and working the ledger out again over every module was a fifth of a replay's time. So
// each event is folded through a view of the record that notes any write under the ledger's inputs
// (CREDIT_INPUTS, which its type is made of), and the previous step's ledger is kept while none was
// written and the specification is the same, with the results of the rules that rest on it alone. Nothing
// outlives the replay: the memo is this object's.

/** What a step of a replay shows: the outcome, the credits and how much is still outstanding. */
export interface StepAssessment {
  outcome: DecisionOutcome;
  credits: CreditLedger;
  outstanding: number;
}

export class ReplayAssessor {
  /** The record as folded so far (read it; fold into it only through `apply`). */
  readonly record: StudentRecord;
  private readonly watched: StudentRecord;
  private inputsWritten = true;
  private last: {
    spec: ProgrammeSpecification;
    credits: CreditLedger;
    /** The results of the rules resting on the credits alone (defineCreditsRule), kept with the ledger. */
    kept: Map<string, RuleResult>;
  } | null = null;

  constructor(streamId: string) {
    this.record = emptyRecord(streamId);
    this.watched = watchWrites(this.record, CREDIT_INPUTS, () => {
      this.inputsWritten = true;
    });
  }

  /** Folds the next event into the record. */
  apply(event: LedgerEvent): void {
    applyEvent(this.watched, event);
  }

  /** The record assessed as it stands: the same outcome, credits and outstanding as assessAward gives. */
  assess(spec: ProgrammeSpecification, framework: OutcomeFramework, on: string): StepAssessment {
    if (this.inputsWritten || this.last?.spec !== spec) {
      this.last = { spec, credits: creditLedger(this.record, spec), kept: new Map() };
      this.inputsWritten = false;
    }
    const { credits, kept } = this.last;
    const { results, outcome } = evaluateRules(this.record, spec, framework, on, credits, kept);
    let outstanding = 0;
    for (const r of results) outstanding += r.outstanding.length;
    return { outcome, credits, outstanding };
  }
}

/**
 * The record seen through proxies that call `written` on any change (a set that changes a value, a
 * delete, a define, a Map's set) anywhere under the given fields, however deep; the other fields are the
 * record's own. The evolvers reach what they change from the record's root, so a change under a field is made
 * through it (the replay property test holds every evolver to that).
 */
function watchWrites<T extends object>(record: T, fields: readonly (keyof T)[], written: () => void): T {
  const targets = new WeakMap<object, object>();
  const views = new WeakMap<object, object>();
  const raw = (value: unknown): unknown =>
    typeof value === 'object' && value !== null ? (targets.get(value) ?? value) : value;
  const deep: ProxyHandler<object> = {
    get(target, key, receiver) {
      return view(Reflect.get(target, key, receiver));
    },
    set(target, key, value) {
      const stored = raw(value);
      if (!Object.is(Reflect.get(target, key), stored) || !Object.hasOwn(target, key)) written();
      return Reflect.set(target, key, stored);
    },
    deleteProperty(target, key) {
      if (Object.hasOwn(target, key)) written();
      return Reflect.deleteProperty(target, key);
    },
    defineProperty(target, key, descriptor) {
      written();
      return Reflect.defineProperty(target, key, descriptor);
    },
  };
  // A Map's (or Set's) entries are behind its methods: `get` hands out a watched value, `has`, `keys` and
  // `size` only read, and any other method (set, delete, clear, the iterations handing out values) counts
  // as a write, at worst one too many.
  const collection: ProxyHandler<Map<unknown, unknown> | Set<unknown>> = {
    get(target, key) {
      if (key === 'get' && target instanceof Map) return (k: unknown) => view(target.get(k));
      const member: unknown = Reflect.get(target, key, target);
      if (typeof member !== 'function') return view(member);
      if (key !== 'has' && key !== 'keys') written();
      return (...args: unknown[]) => member.apply(target, args.map(raw));
    },
    set: deep.set,
    deleteProperty: deep.deleteProperty,
    defineProperty: deep.defineProperty,
  };
  function view(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    let proxy = views.get(value);
    if (!proxy) {
      proxy =
        value instanceof Map || value instanceof Set
          ? new Proxy(value, collection as ProxyHandler<object>)
          : new Proxy(value, deep);
      views.set(value, proxy);
      targets.set(proxy, value);
    }
    return proxy;
  }
  const watchedFields = new Set<PropertyKey>(fields);
  return new Proxy(record, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      return watchedFields.has(key) ? view(value) : value;
    },
    set(target, key, value) {
      const stored = raw(value);
      if (watchedFields.has(key) && !Object.is(Reflect.get(target, key), stored)) written();
      return Reflect.set(target, key, stored);
    },
    deleteProperty(target, key) {
      if (watchedFields.has(key)) written();
      return Reflect.deleteProperty(target, key);
    },
  });
}
