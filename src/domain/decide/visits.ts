import { refused } from '../../errors.ts';
import { type Handlers, one } from './context.ts';
import { requireModule, specOf } from './guards.ts';

export const visitHandlers = {
  recordPartnerSchoolVisit(r, d, ctx) {
    requireModule(specOf(r, ctx.reference), d.moduleCode);
    const appliedOn = r.application?.submittedOn;
    // a visit is part of the programme: it cannot precede the application for a place on it
    if (appliedOn && d.visitedOn < appliedOn)
      throw refused(
        'visit_before_application',
        `the visit is dated ${d.visitedOn}, before the student applied (${appliedOn})`,
        { appliedOn },
        'visitedOn',
      );
    return one({ type: 'PartnerSchoolVisitRecorded', data: d }, d.visitedOn);
  },
} satisfies Partial<Handlers>;
