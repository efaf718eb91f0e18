import { z } from 'zod';
import { Code } from '../../../events/common.ts';

// The learning-outcome framework is versioned reference data (learning-outcomes.md): parts, areas and
// outcome codes. A provider may load its own, fuller version; every sign-off names the version.

export const LearningOutcome = z.object({ code: Code, title: z.string().min(1).max(300) });

export const OutcomeArea = z.object({
  code: Code,
  title: z.string().min(1).max(300),
  outcomes: z.array(LearningOutcome).min(1),
});

export const OutcomeFramework = z
  .object({
    frameworkId: Code,
    version: z.number().int().min(1),
    title: z.string().min(1),
    source: z.string().min(1),
    parts: z
      .array(z.object({ code: Code, title: z.string().min(1), areas: z.array(OutcomeArea).min(1) }))
      .min(1),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    for (const part of f.parts)
      for (const area of part.areas)
        for (const outcome of area.outcomes) {
          if (seen.has(outcome.code))
            ctx.addIssue({
              code: 'custom',
              message: `outcome code ${outcome.code} appears twice`,
              path: ['parts'],
            });
          seen.add(outcome.code);
        }
  });
export type OutcomeFramework = z.infer<typeof OutcomeFramework>;

const codesOf = new WeakMap<OutcomeFramework, readonly string[]>();

/** Every outcome code of a framework, in order (worked out once per framework: decisions ask often). */
export function outcomeCodes(framework: OutcomeFramework): readonly string[] {
  let codes = codesOf.get(framework);
  if (!codes) {
    codes = framework.parts.flatMap((p) => p.areas.flatMap((a) => a.outcomes.map((o) => o.code)));
    codesOf.set(framework, codes);
  }
  return codes;
}
