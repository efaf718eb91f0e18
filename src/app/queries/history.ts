import { z } from 'zod';
import { type LedgerEvent, toLedgerEvent } from '../../../events/index.ts';
import type { ProgrammeSpecification } from '../../../events/programme-specification.ts';
import { AuditEntrySchema, type AuditTrail, auditTrail } from '../../../projections/audit-trail.ts';
import { decisionFor, specFor } from '../../../projections/eligibility.ts';
import { londonDate } from '../../domain/calendar.ts';
import type { OutcomeFramework } from '../../domain/outcomes/schema.ts';
import { decideAward } from '../../domain/rules/index.ts';
import { ReplayAssessor } from '../../domain/rules/replay-assessor.ts';
import { CreditLedgerSchema, DecisionOutcomeSchema, DecisionSchema } from '../../domain/rules/schema.ts';
import { type AwardRecord, foldRecord, type StudentRecord } from '../../domain/student-record.ts';
import { notFound } from '../../errors.ts';
import { creditsFor } from './decisions.ts';
import { assertStudent, record } from './records.ts';
import type { QuerySources } from './sources.ts';

// How a decision was reached, read from the student's own stream: the audit trail, the record, decision
// and credits as they stood at a bound in the past, the examiner's step-by-step replay, and the check that
// each conferred decision is reproduced from the log up to the position it was made at.

/** An entry of the audit trail (projections/audit-trail.ts), as the API shows it. */
export { AuditEntrySchema };

export interface AsOf {
  /** Only events at or before this global position. */
  position?: bigint;
  /** Only events the ledger had recorded by this instant ("as known at"). */
  knownAt?: string;
  /** Only facts that happened on or before this date (occurred-at), e.g. an exam board's date. */
  occurredBy?: string;
  /** The date to evaluate time limits on; defaults to the bound's date, or today. */
  on?: string;
}

export const ReproductionSchema = z.object({
  awardEventId: z.string(),
  reproduced: z
    .boolean()
    .describe('the decision recomputed from the log up to its position has the recorded digest'),
  recordedDigest: z.string(),
  recomputedDigest: z.string(),
  decidedAt: z.object({ position: z.bigint(), streamRevision: z.bigint(), evaluatedOn: z.string() }),
  decision: DecisionSchema,
});
export type Reproduction = z.infer<typeof ReproductionSchema>;

export const ReplayStepSchema = z.object({
  step: z.number(),
  entry: AuditEntrySchema,
  outcome: DecisionOutcomeSchema.nullable(),
  creditsEarned: z.number(),
  creditsIncludingProvisional: z.number(),
  outstanding: z.number().nullable().describe('how many things the decision still lacks'),
});
export type ReplayStep = z.infer<typeof ReplayStepSchema>;

export const AsOfViewSchema = z.object({
  bound: z.object({
    position: z.bigint().optional(),
    knownAt: z.string().optional(),
    occurredBy: z.string().optional(),
    on: z.string().optional(),
  }),
  eventsIncluded: z.number(),
  lastEvent: z
    .object({ eventId: z.string(), type: z.string(), position: z.bigint(), recordedAt: z.string() })
    .nullable(),
  evaluatedOn: z.string(),
  decision: DecisionSchema.nullable(),
  credits: CreditLedgerSchema.nullable(),
  revision: z.bigint().describe('the stream revision of the last event included (-1 when none)'),
});

export function filterAsOf(events: LedgerEvent[], bound: AsOf): LedgerEvent[] {
  return events.filter(
    (e) =>
      (bound.position === undefined || e.position <= bound.position) &&
      (bound.knownAt === undefined || e.recordedAt <= bound.knownAt) &&
      (bound.occurredBy === undefined || londonDate(e.metadata.occurredAt) <= bound.occurredBy),
  );
}

export async function streamEvents(sources: QuerySources, studentId: string): Promise<LedgerEvent[]> {
  // only whether the student exists: the record itself is not needed (nor decoded from disk)
  assertStudent(sources, studentId);
  return (await sources.store.readStream(`student-${studentId}`)).map(toLedgerEvent);
}

export async function auditTrailOf(sources: QuerySources, studentId: string): Promise<AuditTrail> {
  return auditTrail(`student-${studentId}`, await streamEvents(sources, studentId));
}

/** The record, decision and credits as they stood at a bound in the past. */
export async function asOf(sources: QuerySources, studentId: string, bound: AsOf, today: string) {
  const events = filterAsOf(await streamEvents(sources, studentId), bound);
  const past = foldRecord(`student-${studentId}`, events);
  const last = events[events.length - 1];
  const on =
    bound.on ??
    bound.occurredBy ??
    (bound.knownAt ? londonDate(bound.knownAt) : last ? londonDate(last.recordedAt) : today);
  return {
    bound,
    eventsIncluded: events.length,
    lastEvent: last
      ? { eventId: last.eventId, type: last.type, position: last.position, recordedAt: last.recordedAt }
      : null,
    evaluatedOn: on,
    record: past,
    decision: events.length ? decisionFor(past, sources.reference, on) : null,
    credits: events.length ? creditsFor(sources, past) : null,
  };
}

/** As the API shows it: the record as it stood reduced to its revision. */
export async function asOfView(
  sources: QuerySources,
  studentId: string,
  bound: AsOf,
  today: string,
): Promise<z.infer<typeof AsOfViewSchema>> {
  const { record: past, ...rest } = await asOf(sources, studentId, bound, today);
  return { ...rest, revision: past.revision };
}

/** The state after each event in turn: an examiner's step-by-step replay. */
export async function replay(
  sources: QuerySources,
  studentId: string,
  bound: AsOf = {},
): Promise<ReplayStep[]> {
  const events = filterAsOf(await streamEvents(sources, studentId), bound);
  const assessor = new ReplayAssessor(`student-${studentId}`);
  const trail = auditTrail(`student-${studentId}`, events);
  // the framework is looked up again only when the specification changes (at enrolment, say)
  let judged: { spec: ProgrammeSpecification; framework: OutcomeFramework } | null = null;
  return events.map((e, i) => {
    assessor.apply(e);
    const on = bound.on ?? londonDate(e.metadata.occurredAt);
    const spec = specFor(assessor.record, sources.reference);
    if (spec && judged?.spec !== spec)
      judged = {
        spec,
        framework: sources.reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion),
      };
    // each step shows the outcome, credits and what is outstanding, as assessmentFor would
    const step = spec && judged ? assessor.assess(spec, judged.framework, on) : null;
    return {
      step: i + 1,
      entry: trail.entries[i]!,
      outcome: step?.outcome ?? null,
      creditsEarned: step?.credits.earned ?? 0,
      creditsIncludingProvisional: step?.credits.earnedIncludingProvisional ?? 0,
      outstanding: step?.outstanding ?? null,
    };
  });
}

/** Recomputes each conferred decision from the student's events up to the position it was decided at. */
export async function reproduce(sources: QuerySources, studentId: string): Promise<Reproduction[]> {
  const current = record(sources, studentId);
  if (current.awards.length === 0) throw notFound('no_award', `student ${studentId} has no conferred award`);
  const events = await streamEvents(sources, studentId);
  return current.awards.map((a) => reproduceAward(sources, current, a, events));
}

function reproduceAward(
  sources: QuerySources,
  current: StudentRecord,
  award: AwardRecord,
  streamEvents: LedgerEvent[],
): Reproduction {
  const upTo = streamEvents.filter((e) => e.position <= award.decidedAt.position);
  const past = foldRecord(current.streamId, upTo);
  const spec = sources.reference.specification(award.specification.programmeId, award.specification.version);
  const framework = sources.reference.framework(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion);
  const decision = decideAward(past, spec, framework, award.decidedAt.evaluatedOn);
  return {
    awardEventId: award.ref.eventId,
    reproduced: decision.digest === award.decisionDigest,
    recordedDigest: award.decisionDigest,
    recomputedDigest: decision.digest,
    decidedAt: {
      position: award.decidedAt.position,
      streamRevision: award.decidedAt.streamRevision,
      evaluatedOn: award.decidedAt.evaluatedOn,
    },
    decision,
  };
}
