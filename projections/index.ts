import { cohorts } from './cohorts.ts';
import { eligibility } from './eligibility.ts';
import type { Projection } from './projection.ts';
import { specifications } from './specifications.ts';
import { students } from './students.ts';

// The read models the ledger keeps up to date, in the order each event is applied to them: a projection
// may read (context.read) only those listed before it. The read models (src/app/read-models.ts) loop over
// this list; its names and versions are the read-model database's format: a change rebuilds it beside
// the one in use.

// biome-ignore lint/suspicious/noExplicitAny: a registry holds projections of every state type
export type AnyProjection = Projection<any, any>;

export const liveProjections: readonly AnyProjection[] = [students, eligibility, cohorts, specifications];

export { cohorts, eligibility, specifications, students };
