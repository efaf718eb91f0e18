import type { Evolvers } from './evolver.ts';

export const visitEvolvers = {
  PartnerSchoolVisitRecorded(r, { data: d }, ref) {
    r.visits.push({ moduleCode: d.moduleCode, visitedOn: d.visitedOn, phase: d.phase, hours: d.hours, ref });
  },
} satisfies Partial<Evolvers>;
