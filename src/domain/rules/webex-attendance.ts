import { dayOf, defineRule, latest } from './define-rule.ts';
import type { EventRef, Figure } from './schema.ts';

export const webexRule = defineRule({
  id: 'webex-attendance',
  title: 'WebEx attendance',
  source: ({ spec }) => spec.attendance.source,
  area: 'attendance',
  evaluate({ record, spec, credits }) {
    const a = spec.attendance;
    if (a.webexRule === 'none')
      return { outcome: 'not-applicable', reason: 'This programme has no WebEx attendance rule.' };
    const catchUpCounts = a.catchUpFor !== 'none';
    // seed 004 Q5 ("strict 100% attendance"): where the specification says so, a catch-up completes a
    // session only after registry authorised the absence
    const needsAuthorisation = a.catchUpFor === 'authorised-absence';
    const aplModules = new Set(
      credits.modules.filter((m) => m.status === 'apl-approved').map((m) => m.moduleCode),
    );
    const outstanding: string[] = [];
    const events: (EventRef | null)[] = [];
    let required = 0;
    let satisfied = 0;
    let caughtUp = 0;
    let authorised = 0;
    const satisfiedOn: string[] = [];
    for (const module of spec.modules) {
      if (module.webexSessions === 0 || aplModules.has(module.code)) continue;
      required += module.webexSessions;
      const sessions = Object.values(record.webex).filter((s) => s.moduleCode === module.code);
      let ok = 0;
      const waiting: string[] = [];
      for (const s of sessions) {
        events.push(s.attended, s.absence?.ref ?? null, s.authorisation?.ref ?? null, s.catchUp);
        const decision = s.authorisation?.decision ?? null;
        if (decision === 'authorised') authorised++;
        if (s.attended) {
          ok++;
          satisfiedOn.push(dayOf(s.attended));
        }
        // seed 004 Q5: an absence must be reported; the catch-up that follows completes the session
        else if (
          s.absence &&
          s.catchUp &&
          catchUpCounts &&
          (!needsAuthorisation || decision === 'authorised')
        ) {
          ok++;
          caughtUp++;
          satisfiedOn.push(dayOf(s.catchUp));
        } else if (s.absence && catchUpCounts)
          waiting.push(
            !needsAuthorisation || decision === 'authorised'
              ? `${module.code}: complete the catch-up for the reported WebEx absence`
              : decision === null
                ? `${module.code}: registry to decide whether the reported WebEx absence is authorised`
                : `${module.code}: the WebEx absence was not authorised, so it cannot be caught up`,
          );
      }
      satisfied += Math.min(ok, module.webexSessions);
      if (ok < module.webexSessions)
        outstanding.push(
          ...(waiting.length
            ? waiting
            : [
                `${module.code}: attend the WebEx session (or report the absence${needsAuthorisation ? ', have it authorised' : ''} and complete the catch-up)`,
              ]),
        );
    }
    const figures: Record<string, Figure> = {
      required,
      satisfied,
      byCatchUp: caughtUp,
      modulesReplacedByApl: aplModules.size,
    };
    if (needsAuthorisation) figures.absencesAuthorised = authorised;
    if (satisfied >= required)
      return {
        outcome: 'met',
        reason: `${satisfied} of ${required} WebEx sessions attended or caught up after a reported${needsAuthorisation ? ', authorised' : ''} absence.`,
        figures,
        events,
        metOn: latest(satisfiedOn),
      };
    return {
      outcome: 'not-met',
      reason: `${satisfied} of ${required} WebEx sessions satisfied: 100% attendance is required.`,
      figures,
      events,
      outstanding,
    };
  },
});
