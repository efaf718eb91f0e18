import type { z } from 'zod';
import type { Actor } from '../../events/envelope.ts';
import { currentVersion, type LedgerEvent, validateEvent } from '../../events/index.ts';
import { decisionFor, type EligibilityState, eligibility } from '../../projections/eligibility.ts';
import { fold, type ProjectionContext } from '../../projections/projection.ts';
import { londonDate, occurredAtOf } from '../domain/calendar.ts';
import { type Command, type CommandName, commandDefinitions } from '../domain/commands.ts';
import { decide } from '../domain/decide/index.ts';
import type { Decision } from '../domain/rules/schema.ts';
import { applyEvent, foldRecord, standingAward } from '../domain/student-record.ts';
import { CommandHandler } from './handle-command.ts';
import type { Ledger } from './ledger.ts';
import type { PreviewView } from './staff-views-schema.ts';

// A command's effect before it is sent: the same parsing and the same decider as the command itself,
// on the student's record read from the log, then the events it would append folded into a copy of that
// record. Nothing is appended. It answers what the page asks before an admin confirms a correction: the
// decision before and after, and whether a conferred award would go to registry review (judged by the
// eligibility projection's own rule, so the preview and the flag raised afterwards cannot disagree).

export type PreviewableCommand = Exclude<CommandName, 'submitApplication'>;

const summary = (d: Decision | null) =>
  d
    ? {
        outcome: d.outcome,
        summary: d.summary,
        creditsEarned: d.credits.earned,
        creditsRequired: d.credits.required,
        creditsIfProvisionalRatified: d.credits.earnedIncludingProvisional,
        outstanding: d.outstanding,
      }
    : null;

export async function previewCommand(
  ledger: Ledger,
  studentId: string,
  name: PreviewableCommand,
  data: unknown,
  actor: Actor,
): Promise<z.infer<typeof PreviewView>> {
  const input = CommandHandler.parse(commandDefinitions[name].schema, data);
  const streamId = `student-${studentId}`;
  const events = await ledger.queries.streamEvents(studentId);
  const before = foldRecord(streamId, events);
  const now = ledger.clock();
  const today = londonDate(now);
  const decided = decide(before, { name, data: input } as Command, {
    actor,
    today,
    reference: ledger.reference,
    cohort: (id) => ledger.queries.findCohort(id),
  });

  const after = foldRecord(streamId, events);
  const existing = ledger.projections.state(eligibility).flags.get(streamId);
  const flags: EligibilityState = { flags: new Map(existing ? [[streamId, existing]] : []) };
  // eligibility judges the record the event has just changed: here, the copy being moved forward
  const context: ProjectionContext = {
    reference: ledger.reference,
    read: <S>() => ({ records: new Map([[streamId, after]]) }) as S,
  };
  const proposed = decided.map(({ event, occurredOn }, i) => {
    const data = validateEvent(event.type, event.data);
    const e = {
      eventId: `preview-${i + 1}`,
      type: event.type,
      schemaVersion: currentVersion(event.type),
      data,
      streamId,
      revision: before.revision + BigInt(i + 1),
      position: before.lastPosition + BigInt(i + 1),
      recordedAt: now.toISOString(),
      hash: '',
      metadata: { actor, occurredAt: occurredAtOf(occurredOn), correlationId: 'preview', causationId: null },
    } as LedgerEvent;
    applyEvent(after, e);
    fold(eligibility, [e], context, flags);
    return { type: event.type, data, occurredOn };
  });

  const award = standingAward(before);
  const raised = flags.flags.get(streamId);
  const review = !award
    ? { state: 'no-award' as const }
    : existing
      ? {
          state: 'already-under-review' as const,
          award: award.award,
          title: award.title,
          conferredOn: award.conferredOn,
        }
      : raised
        ? {
            state: 'would-go-to-review' as const,
            award: award.award,
            title: award.title,
            conferredOn: award.conferredOn,
            decisionOnAwardDate: raised.decisionNow,
          }
        : {
            state: 'award-stands' as const,
            award: award.award,
            title: award.title,
            conferredOn: award.conferredOn,
          };
  const decisionBefore = decisionFor(before, ledger.reference, today);
  const decisionAfter = decisionFor(after, ledger.reference, today);
  return {
    command: name,
    studentId,
    evaluatedOn: today,
    appended: false,
    events: proposed,
    before: summary(decisionBefore),
    after: summary(decisionAfter),
    decisionChanges:
      decisionBefore?.outcome !== decisionAfter?.outcome ||
      decisionBefore?.credits.earned !== decisionAfter?.credits.earned,
    review,
  };
}
