import { z } from 'zod';
import { Code, IsoDate, Mark } from './common.ts';

// A programme specification: one provider's programme, as versioned data (the built-in ones are
// src/domain/programmes/specs/*.json). The award rules (src/domain/rules/) are evaluated against the
// version a student enrolled on; a new provider is a new file of this shape, never a branch in the code.
// It lives in the catalogue because ProgrammeSpecificationPublished carries one.

export const ModuleSpec = z.object({
  code: Code,
  title: z.string().min(1),
  credits: z.number().int().min(1).max(60),
  required: z.boolean().describe('false for optional tasks of which the student chooses enough credits'),
  assessment: z.object({
    kind: z.enum([
      'assignment',
      'reflective-account',
      'research-project',
      'portfolio',
      'presentation',
      'enquiry-report',
    ]),
    words: z.number().int().positive().nullable(),
    passMark: Mark,
    planForFeedback: z.boolean(),
  }),
  resubmission: z.object({
    maxResubmissions: z.number().int().min(0).max(3),
    // UK HE practice (learning-outcomes.md): a resubmission is commonly capped at the pass mark
    capAtPassMark: z.boolean(),
  }),
  aplEligible: z.boolean(),
  webexSessions: z.number().int().min(0).max(5),
  partnerSchoolDays: z.number().int().min(0).max(20),
});
export type ModuleSpec = z.infer<typeof ModuleSpec>;

const TimeLimit = z.object({
  from: z.enum(['first-facilitated-day', 'enrolment', 'registration-term']),
  months: z.number().int().positive().nullable(),
  terms: z.number().int().positive().nullable(),
  source: z.string(),
});
export type TimeLimit = z.infer<typeof TimeLimit>;

export const ProgrammeSpecification = z
  .object({
    programmeId: Code,
    version: z.number().int().min(1),
    title: z.string().min(1),
    provider: z.string().min(1),
    sources: z.array(z.string()).min(1),
    publishedOn: IsoDate,
    level: z.literal(7),
    totalCredits: z.number().int().min(1),
    modules: z.array(ModuleSpec).min(1),
    priorLearning: z.object({
      // seed 003: APL/RPL may replace at most one module
      maxModules: z.number().int().min(0),
      source: z.string(),
    }),
    attendance: z.object({
      webexRule: z.enum(['all-sessions', 'none']),
      absenceMustBeReported: z.boolean(),
      catchUpAfterReportedAbsence: z.boolean(),
      facilitatedDaysRequired: z.number().int().min(0),
      recommendedStudyDays: z.number().int().min(0),
      source: z.string(),
    }),
    partnerSchool: z.object({ totalDays: z.number().int().min(0), source: z.string() }),
    portfolios: z.array(z.object({ code: Code, title: z.string().min(1), required: z.boolean() })),
    viva: z.object({ required: z.boolean(), source: z.string() }),
    outcomes: z.object({
      frameworkId: Code,
      frameworkVersion: z.number().int().min(1),
      signOff: z.enum(['all-outcomes']),
    }),
    timeLimits: z.object({ outcomes: TimeLimit.nullable(), assignments: TimeLimit.nullable() }),
    awards: z.object({
      nationalAward: z.string().min(1),
      // seed 004 Q9: without QTS the same syllabus leads to a PG Certificate, not the National Award
      withoutQts: z.string().min(1).nullable(),
    }),
    fee: z
      .object({ amount: z.number().nonnegative(), currency: z.literal('GBP'), year: z.string() })
      .nullable(),
  })
  .superRefine((spec, ctx) => {
    const codes = new Set<string>();
    for (const [i, m] of spec.modules.entries()) {
      if (codes.has(m.code))
        ctx.addIssue({
          code: 'custom',
          path: ['modules', i, 'code'],
          message: `module ${m.code} appears twice`,
        });
      codes.add(m.code);
    }
    const available = spec.modules.reduce((sum, m) => sum + m.credits, 0);
    if (available < spec.totalCredits)
      ctx.addIssue({
        code: 'custom',
        path: ['modules'],
        message: `modules offer ${available} credits but the award needs ${spec.totalCredits}`,
      });
    const days = spec.modules.reduce((sum, m) => sum + m.partnerSchoolDays, 0);
    if (days > spec.partnerSchool.totalDays)
      ctx.addIssue({
        code: 'custom',
        path: ['partnerSchool', 'totalDays'],
        message: `modules ask for ${days} partner-school days, more than the total of ${spec.partnerSchool.totalDays}`,
      });
  });
export type ProgrammeSpecification = z.infer<typeof ProgrammeSpecification>;
