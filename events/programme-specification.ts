import { z } from 'zod';
import { Code, IsoDate, Mark } from './common.ts';
import { upcastSpecification } from './programme-specification-v1.ts';

// A programme specification: one provider's programme, as versioned data (the built-in ones are
// src/domain/programmes/specs/*.json). The award rules (src/domain/rules/) are evaluated against the
// version a student enrolled on; a new provider, or a new qualification, is a new file of this shape,
// never a branch in the code. It lives in the catalogue because ProgrammeSpecificationPublished carries one.
//
// Schema version 2 holds both the National Award and the NPQ for SENCOs: the qualification a programme
// leads to (its statutory effect is reference data, src/domain/statutory/), credit-bearing or not, marked
// or pass/fail assessments, assessments sat in a window the cohort sets, a participation threshold, outcome
// sign-off or none, and who awards it. Every limit says where it comes from: a seed, a regulation or a
// public document, or `providerDefault: true` where none states it and the provider set it.
// Documents of schema version 1 are lifted on read (programme-specification-v1.ts).

export const SPECIFICATION_SCHEMA_VERSION = 2;

/** Where a value comes from: the document that states it, or the provider's own default. */
export const Provenance = z.object({
  source: z.string().min(1).describe('the seed, regulation or public document that states it'),
  providerDefault: z.boolean().describe('true where no source states the value and the provider set it'),
});
const provenance = Provenance.shape;

export const ModuleSpec = z.object({
  code: Code,
  title: z.string().min(1),
  credits: z.number().int().min(0).max(120).describe('0 for an assessment that carries no credits'),
  required: z.boolean().describe('false for optional tasks of which the student chooses enough credits'),
  assessment: z.object({
    kind: z.enum([
      'assignment',
      'reflective-account',
      'research-project',
      'portfolio',
      'presentation',
      'enquiry-report',
      'case-study',
    ]),
    words: z.number().int().positive().nullable(),
    grading: z.enum(['marked', 'pass-fail']),
    passMark: Mark.nullable().describe('the pass mark of a marked assessment; null when pass/fail'),
    planForFeedback: z.boolean(),
    taken: z
      .enum(['any-time', 'cohort-window'])
      .describe('cohort-window: sat in a dated window the cohort sets (setAssessmentWindow)'),
    ...provenance,
  }),
  resubmission: z.object({
    maxResubmissions: z.number().int().min(0).max(3),
    // UK HE practice (learning-outcomes.md): a resubmission is commonly capped at the pass mark
    capAtPassMark: z.boolean(),
    ...provenance,
  }),
  aplEligible: z.boolean(),
  webexSessions: z.number().int().min(0).max(5),
  partnerSchoolDays: z.number().int().min(0).max(20),
});
export type ModuleSpec = z.infer<typeof ModuleSpec>;

export const TimeLimitStart = z.enum(['cohort-first-facilitated-day', 'enrolment', 'registration-term']);

const TimeLimit = z.object({
  from: TimeLimitStart.describe(
    "cohort-first-facilitated-day: the cohort's first facilitated (face-to-face) day, whatever day the student first attended",
  ),
  months: z.number().int().positive().nullable(),
  terms: z.number().int().positive().nullable(),
  lapses: z
    .boolean()
    .describe('false for the expected length of study: shown as a deadline, never a reason to lapse'),
  ...provenance,
});
export type TimeLimit = z.infer<typeof TimeLimit>;

const Award = z.object({ title: z.string().min(1), ...provenance });

export const ProgrammeSpecification = z
  .object({
    schemaVersion: z.literal(SPECIFICATION_SCHEMA_VERSION),
    programmeId: Code,
    version: z.number().int().min(1),
    title: z.string().min(1),
    provider: z.string().min(1),
    sources: z.array(z.string()).min(1),
    publishedOn: IsoDate,
    qualification: z.object({
      kind: Code.describe('the qualification it leads to: a kind in the statutory reference data'),
      awardingBody: z.object({
        kind: z.enum(['university-exam-board', 'lead-provider-assessment-board']),
        name: z.string().min(1),
        ...provenance,
      }),
    }),
    level: z.number().int().min(1).max(8).nullable().describe('the FHEQ level, or null for none of its own'),
    totalCredits: z.number().int().min(0).describe('0 for a qualification that carries no credits'),
    creditBasis: Provenance.describe('where the credits and their split between modules come from'),
    modules: z.array(ModuleSpec).min(1),
    priorLearning: z.object({
      // seed 003: APL/RPL may replace at most one module
      maxModules: z.number().int().min(0),
      ...provenance,
    }),
    entry: z.object({
      qts: z
        .enum(['required', 'not-required'])
        .describe('required: without QTS the student gets the without-QTS award, if any'),
      ...provenance,
    }),
    attendance: z.object({
      webexRule: z.enum(['all-sessions', 'none']),
      absenceMustBeReported: z.boolean(),
      catchUpFor: z
        .enum(['none', 'reported-absence', 'authorised-absence'])
        .describe('which missed WebEx sessions a catch-up completes'),
      catchUpBasis: Provenance.nullable().describe('where the catch-up rule comes from (null: no catch-up)'),
      facilitatedDaysRequired: z.number().int().min(0),
      recommendedStudyDays: z.number().int().min(0),
      ...provenance,
    }),
    participation: z
      .object({
        thresholdPercent: z.number().min(1).max(100),
        counts: z
          .array(z.enum(['session', 'activity']))
          .min(1)
          .describe("which of the cohort's sessions count"),
        gatesAssessment: z.boolean().describe('true: below the threshold the assessment cannot be sat'),
        ...provenance,
      })
      .nullable(),
    partnerSchool: z.object({ totalDays: z.number().int().min(0), ...provenance }),
    portfolios: z.array(z.object({ code: Code, title: z.string().min(1), required: z.boolean() })),
    viva: z.object({ required: z.boolean(), ...provenance }),
    outcomes: z.object({
      frameworkId: Code,
      frameworkVersion: z.number().int().min(1),
      signOff: z
        .enum(['all-outcomes', 'none'])
        .describe('none: the framework is taught and assessed by the assessment, not signed off'),
    }),
    timeLimits: z.object({
      outcomes: TimeLimit.nullable(),
      assignments: TimeLimit.nullable(),
      programme: TimeLimit.nullable().describe('a limit on the whole programme'),
    }),
    awards: z.object({
      qualification: z.string().min(1).describe('the title of the qualification the programme leads to'),
      // seed 004 Q9: without QTS the same syllabus leads to a PG Certificate, not the National Award
      withoutQts: Award.nullable(),
      dual: z.array(Award).describe('awarded beside the qualification (seed 004 Q9)'),
      exit: z
        .array(Award)
        .describe('awarded when every credit is earned but the qualification can no longer be'),
    }),
    fee: z
      .object({ amount: z.number().nonnegative(), currency: z.literal('GBP'), year: z.string() })
      .nullable(),
  })
  .superRefine((spec, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const codes = new Set<string>();
    for (const [i, m] of spec.modules.entries()) {
      if (codes.has(m.code)) issue(['modules', i, 'code'], `module ${m.code} appears twice`);
      codes.add(m.code);
      if ((m.assessment.grading === 'marked') !== (m.assessment.passMark !== null))
        issue(
          ['modules', i, 'assessment', 'passMark'],
          'a marked assessment needs a pass mark, and a pass/fail one has none',
        );
    }
    const available = spec.modules.reduce((sum, m) => sum + m.credits, 0);
    if (available < spec.totalCredits)
      issue(['modules'], `modules offer ${available} credits but the award needs ${spec.totalCredits}`);
    const days = spec.modules.reduce((sum, m) => sum + m.partnerSchoolDays, 0);
    if (days > spec.partnerSchool.totalDays)
      issue(
        ['partnerSchool', 'totalDays'],
        `modules ask for ${days} partner-school days, more than the total of ${spec.partnerSchool.totalDays}`,
      );
    for (const [name, limit] of Object.entries(spec.timeLimits))
      if (limit && (limit.months === null) === (limit.terms === null))
        issue(['timeLimits', name], 'a time limit counts months or terms, exactly one of them');
  });
export type ProgrammeSpecification = z.infer<typeof ProgrammeSpecification>;

/**
 * Validates a specification document of any schema version, lifting an older one to the current version
 * first. The ProgrammeSpecification schema itself takes the current version only.
 */
export function parseSpecification(document: unknown) {
  return ProgrammeSpecification.safeParse(upcastSpecification(document));
}
