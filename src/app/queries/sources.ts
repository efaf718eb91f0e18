import type { ReferenceData } from '../../domain/reference-data.ts';
import type { KeyStore } from '../../privacy/keys.ts';
import type { EventStore } from '../../store/port.ts';
import type { ProjectionRunner } from '../projection-runner.ts';
import type { ReadModels } from '../read-models.ts';

/** What the queries read: the read models, the reference data, the log (for histories) and the keys. */
export interface QuerySources {
  projections: ReadModels;
  runner: ProjectionRunner;
  reference: ReferenceData;
  store: EventStore;
  keys: KeyStore;
  clock: () => Date;
}
