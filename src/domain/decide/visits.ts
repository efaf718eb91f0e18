import { type Handlers, one } from './context.ts';
import { requireModule, specOf } from './guards.ts';

export const visitHandlers = {
  recordPartnerSchoolVisit(r, d, ctx) {
    requireModule(specOf(r, ctx.reference), d.moduleCode);
    return one({ type: 'PartnerSchoolVisitRecorded', data: d }, d.visitedOn);
  },
} satisfies Partial<Handlers>;
