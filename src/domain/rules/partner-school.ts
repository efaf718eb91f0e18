import { defineRule, latest } from './define-rule.ts';
import type { Figure } from './schema.ts';

export const partnerSchoolRule = defineRule({
  id: 'partner-school',
  title: 'Partner-school days',
  source: ({ spec }) => spec.partnerSchool.source,
  area: 'visits',
  evaluate({ record, spec, credits }) {
    if (spec.partnerSchool.totalDays === 0)
      return { outcome: 'not-applicable', reason: 'No partner-school days are required.' };
    // a module replaced by APL/RPL needs no partner-school days, and days recorded against it do not count
    const aplModules = new Set(
      credits.modules.filter((m) => m.status === 'apl-approved').map((m) => m.moduleCode),
    );
    const outstanding: string[] = [];
    const figures: Record<string, Figure> = {};
    let required = 0;
    const metOn: (string | undefined)[] = [];
    for (const module of spec.modules) {
      if (aplModules.has(module.code)) continue;
      const days = record.visits
        .filter((v) => v.moduleCode === module.code)
        .map((v) => v.visitedOn)
        .sort();
      const count = days.length;
      if (module.partnerSchoolDays > 0) metOn.push(days[module.partnerSchoolDays - 1]);
      figures[`${module.code}.days`] = count;
      figures[`${module.code}.required`] = module.partnerSchoolDays;
      required += module.partnerSchoolDays;
      if (count < module.partnerSchoolDays)
        outstanding.push(`${module.code}: ${module.partnerSchoolDays - count} more partner-school day(s)`);
    }
    const counted = record.visits.filter((v) => !aplModules.has(v.moduleCode)).length;
    figures.total = counted;
    figures.totalRequired = required;
    const events = record.visits.map((v) => v.ref);
    if (outstanding.length === 0)
      return {
        outcome: 'met',
        reason: `${counted} partner-school days recorded; each module's requirement is met.`,
        figures,
        events,
        metOn: latest(metOn),
      };
    return {
      outcome: 'not-met',
      reason: `${counted} of ${required} partner-school days recorded.`,
      figures,
      events,
      outstanding,
    };
  },
});
