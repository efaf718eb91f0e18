import { z } from 'zod';
import { DecisionOutcomeSchema, ModuleStatusSchema } from '../domain/rules/schema.ts';

// The shapes of the reads behind the staff pages, as zod schemas: the builders in this folder are typed
// by them, the routes declare them as their responses (so /docs shows them and the answer is checked
// against them on the way out). Dates are London calendar dates (YYYY-MM-DD); ids are strings.

const Day = z.string().describe('a date, YYYY-MM-DD');
// one source for the decision's and the modules' codes: the domain's schemas
const Outcome = DecisionOutcomeSchema;
export const Standing = z.enum(['applied', 'enrolled', 'interrupted', 'withdrawn', 'awarded']);
const ModuleStatus = ModuleStatusSchema;
const Student = {
  studentId: z.string(),
  name: z.string().nullable().describe('null for examiners, who work from student ids'),
  status: Standing,
};
const CohortRef = z.object({
  cohortId: z.string(),
  name: z.string(),
  programmeId: z.string(),
  specVersion: z.number(),
});

export const Attendance = z.discriminatedUnion('state', [
  z.object({ state: z.literal('attended'), on: Day, eventId: z.string() }),
  z.object({
    state: z.literal('absence-reported'),
    reason: z.string(),
    reportedOn: Day,
    eventId: z.string(),
  }),
  z.object({
    state: z.literal('caught-up'),
    reason: z.string(),
    reportedOn: Day,
    on: Day,
    eventId: z.string(),
  }),
]);

export const RegisterView = z.object({
  cohort: CohortRef.extend({ startsOn: Day }),
  rules: z
    .object({
      webex: z.enum(['all-sessions', 'none']),
      absenceMustBeReported: z.boolean(),
      catchUpAfterReportedAbsence: z.boolean(),
      catchUpFor: z
        .enum(['none', 'reported-absence', 'authorised-absence'])
        .describe(
          'authorised-absence: a catch-up counts only once registry authorised the absence (seed 004 Q5)',
        ),
      facilitatedDaysRequired: z.number(),
      source: z.string(),
    })
    .nullable(),
  sessions: z.array(
    z.object({
      sessionId: z.string(),
      kind: z.enum(['webex', 'facilitated-day', 'session', 'activity']),
      moduleCode: z.string().nullable(),
      date: Day.nullable(),
      planned: z.boolean().describe("false for a session recorded on a student but not in the cohort's list"),
    }),
  ),
  students: z.array(z.object({ ...Student, attendance: z.record(z.string(), Attendance) })),
  catchUps: z.array(
    z.object({
      studentId: z.string(),
      sessionId: z.string(),
      moduleCode: z.string(),
      reason: z.string(),
      reportedOn: Day,
      eventId: z.string(),
    }),
  ),
});

export const VisitsView = z.object({
  cohort: CohortRef,
  requirement: z.object({
    totalDays: z.number(),
    source: z.string(),
    modules: z.array(z.object({ moduleCode: z.string(), title: z.string(), days: z.number() })),
  }),
  students: z.array(
    z.object({
      ...Student,
      modules: z.array(
        z.object({
          moduleCode: z.string(),
          days: z.number(),
          hours: z.number(),
          required: z.number(),
          replacedByApl: z.boolean(),
        }),
      ),
      visits: z.array(
        z.object({
          moduleCode: z.string(),
          visitedOn: Day,
          phase: z.string(),
          hours: z.number(),
          eventId: z.string(),
        }),
      ),
    }),
  ),
});

export const GridModule = z.object({
  code: z.string(),
  title: z.string(),
  credits: z.number(),
  passMark: z.number().nullable().describe('null for a pass/fail assessment'),
  attemptsAllowed: z.number(),
  resubmissionCap: z.number().nullable().describe('what a resubmission is capped at, or null: not capped'),
  planForFeedback: z.boolean(),
});

export const MarkGridView = z.object({
  cohort: CohortRef,
  modules: z.array(GridModule),
  module: GridModule,
  attempt: z.number(),
  rows: z.array(
    z.object({
      ...Student,
      moduleStatus: ModuleStatus,
      open: z.boolean().describe('attempt 1 always; a later attempt once registry permitted it'),
      permitted: z
        .object({ on: Day, capAt: z.number().nullable(), dueBy: Day.nullable(), eventId: z.string() })
        .nullable(),
      plan: z.object({ on: Day, eventId: z.string() }).nullable(),
      submission: z.object({ on: Day, eventId: z.string() }).nullable(),
      mark: z
        .object({
          markEventId: z.string().describe('the first mark: what a moderation names'),
          headEventId: z.string(),
          firstMark: z.number(),
          marker: z.string(),
          markedOn: Day,
          later: z.array(
            z.object({
              kind: z.enum(['marked', 'moderated', 'corrected']),
              mark: z.number(),
              by: z.string(),
              on: Day,
              eventId: z.string(),
              reason: z.string().optional(),
            }),
          ),
          mark: z.number(),
          cappedAt: z.number().nullable(),
          effectiveMark: z.number().nullable(),
          passed: z.boolean().nullable(),
          ratified: z.boolean(),
          changedAfterRatification: z.boolean(),
          board: z.object({ examBoardId: z.string(), boardDate: Day, mark: z.number() }).nullable(),
        })
        .nullable(),
    }),
  ),
});

export const OutcomeStatus = z.enum(['signed-off', 'signed-off-late', 'due', 'overdue']);
export const WorkbookView = z.object({
  studentId: z.string(),
  status: Standing,
  cohortId: z.string(),
  evaluatedOn: Day,
  framework: z.object({
    frameworkId: z.string(),
    version: z.number(),
    title: z.string(),
    source: z.string(),
  }),
  deadline: z.object({ deadline: Day, from: Day, extended: z.boolean() }).nullable(),
  counts: z.record(OutcomeStatus, z.number()),
  parts: z.array(
    z.object({
      code: z.string(),
      title: z.string(),
      areas: z.array(
        z.object({
          code: z.string(),
          title: z.string(),
          outcomes: z.array(
            z.object({
              code: z.string(),
              title: z.string(),
              status: OutcomeStatus,
              evidence: z.array(
                z.object({
                  eventId: z.string(),
                  kind: z.string(),
                  reference: z.string(),
                  summary: z.string().nullable(),
                  submittedOn: Day,
                  usedBySignOffs: z.array(z.string()),
                }),
              ),
              signOff: z
                .object({ on: Day, assessor: z.string(), frameworkVersion: z.number(), eventId: z.string() })
                .nullable(),
              revocations: z.array(z.object({ reason: z.string(), on: Day, eventId: z.string() })),
            }),
          ),
        }),
      ),
    }),
  ),
});

export const SearchView = z.object({
  total: z.number(),
  page: z.number(),
  pages: z.number(),
  pageSize: z.number(),
  sort: z.string(),
  order: z.enum(['asc', 'desc']),
  students: z.array(
    z.object({
      ...Student,
      email: z.string().nullable(),
      teacherReferenceNumber: z.string().nullable(),
      erased: z.boolean(),
      cohortId: z.string().nullable(),
      programme: z.string().nullable(),
      matchedBy: z.array(z.string()),
      outcome: Outcome.nullable(),
      creditsEarned: z.number(),
      creditsRequired: z.number().nullable(),
    }),
  ),
});

const DecisionSummary = z
  .object({
    outcome: Outcome,
    summary: z.string(),
    creditsEarned: z.number(),
    creditsRequired: z.number(),
    creditsIfProvisionalRatified: z.number(),
    outstanding: z.array(z.string()),
  })
  .nullable();

export const PreviewView = z.object({
  command: z.string(),
  studentId: z.string(),
  evaluatedOn: Day,
  appended: z.literal(false),
  events: z.array(z.object({ type: z.string(), data: z.unknown(), occurredOn: Day })),
  before: DecisionSummary,
  after: DecisionSummary,
  decisionChanges: z.boolean(),
  review: z.discriminatedUnion('state', [
    z.object({ state: z.literal('no-award') }),
    z.object({ state: z.literal('award-stands'), award: z.string(), title: z.string(), conferredOn: Day }),
    z.object({
      state: z.literal('already-under-review'),
      award: z.string(),
      title: z.string(),
      conferredOn: Day,
    }),
    z.object({
      state: z.literal('would-go-to-review'),
      award: z.string(),
      title: z.string().describe('the title conferred'),
      conferredOn: Day,
      decisionOnAwardDate: Outcome,
    }),
  ]),
});

export const UploadView = z.object({
  cohortId: z.string(),
  added: z.array(z.object({ row: z.number(), studentId: z.string(), fullName: z.string() })),
  alreadyInCohort: z.array(
    z.object({
      row: z.number(),
      studentId: z.string(),
      fullName: z.string(),
      matchedBy: z.enum(['teacher reference number', 'email']),
    }),
  ),
});

export const StaffView = z.object({
  staff: z.array(z.object({ id: z.string(), role: z.enum(['tutor', 'examiner']), label: z.string() })),
});
