import { cohorts } from './cohorts.ts';
import { eligibility } from './eligibility.ts';
import type { Projection } from './projection.ts';
import { specifications } from './specifications.ts';
import { students } from './students.ts';

// The read models the ledger keeps up to date, in the order each event is applied to them: a projection
// may read (context.read) only those listed before it. The live runner and the snapshots loop over this
// list; a snapshot's format is the list's names and versions (src/app/snapshot.ts).

// biome-ignore lint/suspicious/noExplicitAny: a registry holds projections of every state type
export type AnyProjection = Projection<any, any>;

export const liveProjections: readonly AnyProjection[] = [students, eligibility, cohorts, specifications];

export { cohorts, eligibility, specifications, students };
