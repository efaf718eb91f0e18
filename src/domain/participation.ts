import type { ProgrammeSpecification } from '../../events/programme-specification.ts';
import type { EventRef } from './rules/schema.ts';
import type { StudentRecord } from './student-record.ts';

// Participation against a specification's threshold: the sessions and activities the student took part
// in, of those the cohort planned (recorded on the enrolment), of the kinds the specification counts. The
// decider checks it before an assessment is sat; the participation rule reports it.

export interface Participation {
  counted: number;
  of: number;
  thresholdPercent: number;
  met: boolean;
  /** The day the threshold was reached, if it was. */
  metOn: string | null;
  events: EventRef[];
}

export function participationOf(record: StudentRecord, spec: ProgrammeSpecification): Participation | null {
  const p = spec.participation;
  if (!p) return null;
  const planned = record.enrolment?.cohort?.participationSessions ?? { session: 0, activity: 0 };
  const of = p.counts.reduce((n, kind) => n + planned[kind], 0);
  const taken = Object.values(record.participation)
    .filter((x) => p.counts.includes(x.kind))
    .sort((a, b) => (a.participatedOn < b.participatedOn ? -1 : a.participatedOn > b.participatedOn ? 1 : 0));
  const counted = Math.min(taken.length, of);
  // the threshold in whole sessions: 90% of 20 is 18; of none planned, none is needed
  const needed = Math.ceil((p.thresholdPercent * of) / 100);
  const met = counted >= needed;
  return {
    counted,
    of,
    thresholdPercent: p.thresholdPercent,
    met,
    metOn: met ? (taken[needed - 1]?.participatedOn ?? null) : null,
    events: taken.map((x) => x.ref),
  };
}

/** How many more sessions or activities are needed to reach the threshold. */
export const stillNeeded = (x: Participation) =>
  Math.max(0, Math.ceil((x.thresholdPercent * x.of) / 100) - x.counted);
