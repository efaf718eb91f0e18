import type { LedgerEvent } from '../../../events/index.ts';
import { LedgerError } from '../../errors.ts';
import { occurredAtOf } from '../calendar.ts';
import type { Command } from '../commands.ts';
import { evolve, type StudentRecord } from '../student-record.ts';
import type { DecideContext, Decided } from './context.ts';
import { decide } from './index.ts';

// Several commands on one student decided as one: each on the record as the ones before it left it,
// the whole refused if any one is (an exam board's outcomes for a student are all recorded or none).
// Pure: the ids the events will carry are given (so a later command can name an earlier one's events),
// and the record moves forward by immer, never touching the state it was given.

export interface DecidedInTurn extends Decided {
  /** The id the event is appended with. */
  eventId: string;
}

export function decideInTurn(
  record: StudentRecord,
  commands: readonly Command[],
  ctx: DecideContext,
  newEventId: () => string,
): DecidedInTurn[] {
  // a conferral records the log position it was decided at: only the first command knows it
  if (commands.slice(1).some((c) => c.name === 'conferAward'))
    throw new Error('conferAward is decided on the record as the log holds it: send it first or alone');
  const out: DecidedInTurn[] = [];
  let state = record;
  for (const [index, command] of commands.entries()) {
    let decided: Decided[];
    try {
      decided = decide(state.revision < 0n ? null : state, command, ctx);
    } catch (error) {
      // which of the commands was refused, for the caller to name it
      if (error instanceof LedgerError)
        throw new LedgerError(
          error.kind,
          error.code,
          error.message,
          { ...error.details, command: index },
          error.issues,
        );
      throw error;
    }
    for (const d of decided) {
      const eventId = newEventId();
      out.push({ ...d, eventId });
      state = evolve(state, provisional(state, d, eventId, ctx));
    }
  }
  return out;
}

/** The decided event as the record folds it, until the store gives it its position. */
function provisional(state: StudentRecord, d: Decided, eventId: string, ctx: DecideContext): LedgerEvent {
  const occurredAt = occurredAtOf(d.occurredOn);
  return {
    ...d.event,
    eventId,
    streamId: state.streamId,
    revision: state.revision + 1n,
    position: state.lastPosition,
    recordedAt: occurredAt,
    metadata: { actor: ctx.actor, occurredAt, correlationId: '', causationId: null },
    schemaVersion: 1,
    hash: '',
  } as LedgerEvent;
}
