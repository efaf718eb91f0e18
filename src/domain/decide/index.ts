import type { Command, CommandName } from '../commands.ts';
import type { StudentRecord } from '../student-record.ts';
import { assessmentHandlers } from './assessment.ts';
import { attendanceHandlers } from './attendance.ts';
import { awardHandlers } from './award.ts';
import { boardHandlers } from './boards.ts';
import type { CommandData, DecideContext, Decided, Handlers } from './context.ts';
import { guardFactDates, notAfterToday } from './dates.ts';
import { guardStatus } from './guards.ts';
import { outcomeHandlers } from './outcomes.ts';
import { participationHandlers } from './participation.ts';
import { personalHandlers } from './personal.ts';
import { priorLearningHandlers } from './prior-learning.ts';
import { registrationHandlers } from './registration.ts';
import { visitHandlers } from './visits.ts';

// The decider: given a student's record and a command, the events to append, or a refusal with a
// stable code and a reason. One handler per command, in a file per family of events (as events/).

const handlers: Handlers = {
  ...registrationHandlers,
  ...attendanceHandlers,
  ...visitHandlers,
  ...assessmentHandlers,
  ...priorLearningHandlers,
  ...outcomeHandlers,
  ...participationHandlers,
  ...awardHandlers,
  ...boardHandlers,
  ...personalHandlers,
};

type OnRecord = Exclude<CommandName, 'submitApplication'>;

function run<N extends OnRecord>(name: N, record: StudentRecord, data: CommandData<N>, ctx: DecideContext) {
  return handlers[name](record, data, ctx);
}

export function decide(record: StudentRecord | null, command: Command, ctx: DecideContext): Decided[] {
  // a fact cannot be recorded before it happened: checked first, whatever the record holds
  guardFactDates(command, ctx.today);
  let decided: Decided[];
  if (command.name === 'submitApplication') decided = handlers.submitApplication(record, command.data, ctx);
  else {
    guardStatus(record, command.name);
    decided = run(command.name, record, command.data, ctx);
  }
  // and nothing decided happens after today, whichever date it was taken from (a board's, a claim's)
  for (const d of decided) notAfterToday('occurredOn', d.occurredOn, ctx.today);
  return decided;
}
