import type { ReferenceData } from '../../domain/reference-data.ts';
import type { KeyStore } from '../../privacy/keys.ts';
import type { EventStore } from '../../store/port.ts';
import type { LiveProjections } from '../live-projections.ts';
import type { ProjectionRunner } from '../projection-runner.ts';

/** What the queries read: the live projections, the reference data, the log (for histories) and the keys. */
export interface QuerySources {
  projections: LiveProjections;
  runner: ProjectionRunner;
  reference: ReferenceData;
  store: EventStore;
  keys: KeyStore;
  clock: () => Date;
}
