import type { Actor } from '../../../events/envelope.ts';
import type { DomainEvent } from '../../../events/index.ts';
import type { Command, CommandName } from '../commands.ts';
import type { ReferenceData } from '../reference-data.ts';
import type { StudentRecord } from '../student-record.ts';

// What a command handler is given and what it returns. Pure: the clock (today), the actor and the
// reference data come in as arguments, and nothing here reads the store.

export interface CohortView {
  cohortId: string;
  programmeId: string;
  specVersion: number;
  startsOn: string;
  sessions: {
    sessionId: string;
    kind: 'webex' | 'facilitated-day' | 'session' | 'activity';
    moduleCode: string | null;
    date: string;
  }[];
  examBoards: { examBoardId: string; heldOn: string; externalExaminers: string[] }[];
  tutors: ReadonlySet<string>;
  examiners: ReadonlySet<string>;
  /** Dated windows in which the cohort sits its window assessments (setAssessmentWindow). */
  assessmentWindows: { windowId: string; moduleCodes: string[]; opensOn: string; closesOn: string }[];
}

export interface DecideContext {
  actor: Actor;
  /** Today's London date: the date the decision is made on. */
  today: string;
  reference: ReferenceData;
  cohort: (cohortId: string) => CohortView | undefined;
}

export interface Decided {
  event: DomainEvent;
  /** The London date the fact happened on (becomes the occurred-at of its metadata). */
  occurredOn: string;
}

export const one = (event: DomainEvent, occurredOn: string): Decided[] => [{ event, occurredOn }];

export type CommandData<N extends CommandName> = Extract<Command, { name: N }>['data'];

/** The events a command on a student's record decides, or a refusal (thrown as a LedgerError). */
export type Handler<N extends CommandName> = (
  // an application is the one command that finds no record: it creates it
  record: N extends 'submitApplication' ? StudentRecord | null : StudentRecord,
  data: CommandData<N>,
  ctx: DecideContext,
) => Decided[];

/** One handler per command: the compiler refuses a command without one. */
export type Handlers = { [N in CommandName]: Handler<N> };
