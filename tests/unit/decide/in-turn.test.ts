import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/domain/commands.ts';
import { decideInTurn } from '../../../src/domain/decide/in-turn.ts';
import { LedgerError } from '../../../src/errors.ts';
import { BOARDS, fold, reference, registry } from '../../support/given-when-then.ts';
import { cohort, enrolledStudent, marked, ratified, submitted } from '../../support/student-events.ts';

// Several commands on one student decided as one: each sees what the ones before it decided, and one
// refusal refuses them all (nothing of a student's board is half applied).

const history = [
  ...enrolledStudent(),
  submitted('M1'),
  marked('M1', 42, 'mark-M1'),
  submitted('M2'),
  marked('M2', 38, 'mark-M2'),
];
const ctx = {
  actor: registry,
  today: '2025-06-30',
  reference,
  cohort: () => cohort('blended', { examBoards: BOARDS }),
};
const ids = () => {
  let n = 0;
  return () => `new-${++n}`;
};
const ratify: Command = { name: 'ratifyMarks', data: { examBoardId: 'board-1' } };
const outcome = (moduleCode: string, outcome: 'refer' | 'fail' | 'pass'): Command => ({
  name: 'recordBoardOutcome',
  data: { examBoardId: 'board-1', moduleCode, outcome },
});

describe('commands decided in turn', () => {
  it('decides each on the record the ones before left: ratified, then outcomes on the ratified marks', () => {
    const record = fold(history);
    const decided = decideInTurn(record, [ratify, outcome('M1', 'refer'), outcome('M2', 'fail')], ctx, ids());
    expect(decided.map((d) => [d.eventId, d.event.type])).toEqual([
      ['new-1', 'MarksRatified'],
      ['new-2', 'BoardOutcomeRecorded'],
      ['new-3', 'BoardOutcomeRecorded'],
    ]);
    // alone, an outcome on a provisional mark is refused: the ratification before it is what allows it
    const alone = (() => {
      try {
        decideInTurn(record, [outcome('M1', 'refer')], ctx, ids());
      } catch (e) {
        return e as LedgerError;
      }
    })();
    expect(alone).toMatchObject({ code: 'mark_not_ratified' });
    // the record given is left as it was
    expect(record.markChains.get('mark-M1')!.ratified).toBeNull();
  });

  it('refuses them all when one is refused, naming that one', () => {
    const record = fold([...history, ratified([{ moduleCode: 'M1', mark: 42, head: 'mark-M1' }])]);
    let error: unknown;
    try {
      decideInTurn(record, [outcome('M1', 'refer'), outcome('M1', 'fail')], ctx, ids());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code: 'board_outcome_exists', details: { command: 1 } });
  });

  it('keeps a conferral first: it records the log position it was decided at', () => {
    const record = fold(history);
    const confer: Command = {
      name: 'conferAward',
      data: { examBoardId: 'board-1', conferredOn: '2024-07-12' },
    };
    expect(() => decideInTurn(record, [ratify, confer], ctx, ids())).toThrow(/conferAward/);
  });
});
