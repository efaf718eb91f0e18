import type { z } from 'zod';
import type { ApplicationSubmitted } from '../../events/registration.ts';
import { assessmentCommands } from './commands/assessment.ts';
import { boardsCommands } from './commands/boards.ts';
import { participationCommands } from './commands/participation.ts';
import { registrationCommands } from './commands/registration.ts';

// The commands a student's record accepts, one file a family under commands/ (as decide/ and events/ are).
// Each input schema is derived from the schema of the event it produces wherever the two coincide, so a
// shape is written once; the rest name only what the caller knows (a correction names the event and the
// new mark; the decider fills in the module and the old mark).

export const commandDefinitions = {
  ...registrationCommands,
  ...participationCommands,
  ...assessmentCommands,
  ...boardsCommands,
};

export type CommandName = keyof typeof commandDefinitions;
export type CommandInput<N extends CommandName = CommandName> = z.infer<
  (typeof commandDefinitions)[N]['schema']
>;

/** A command as the decider receives it: validated input; personal details already sealed. */
export type Command = {
  [N in CommandName]: { name: N; data: N extends 'submitApplication' ? DecidedApplication : CommandInput<N> };
}[CommandName];

export type DecidedApplication = Omit<CommandInput<'submitApplication'>, 'personal' | 'school'> & {
  studentId: string;
  personal: z.infer<typeof ApplicationSubmitted.schema>['personal'];
  school: z.infer<typeof ApplicationSubmitted.schema>['school'];
};

export const commandNames = Object.keys(commandDefinitions) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandDefinitions, name);
}

/** Commands a withdrawn student's record still accepts. */
export const AFTER_WITHDRAWAL: ReadonlySet<CommandName> = new Set([
  'withdrawAward',
  'resolveAwardReview',
  'erasePersonalData',
]);

/** Commands an interrupted student's record still accepts. */
export const DURING_INTERRUPTION: ReadonlySet<CommandName> = new Set([
  ...AFTER_WITHDRAWAL,
  'resumeStudy',
  'withdrawStudent',
  'grantExtension',
  'ratifyMarks',
  'confirmResults',
  'revokeSignOff',
  // an interruption is often what a claim is about; the board still decides it
  'recordBoardOutcome',
  'submitMitigatingCircumstances',
  'decideMitigatingCircumstances',
]);
