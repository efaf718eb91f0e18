import { ReadModels } from '../../src/app/read-models.ts';
import type { ReferenceData } from '../../src/domain/reference-data.ts';
import type { EventStore } from '../../src/store/port.ts';
import { ReadModelDb } from '../../src/store/read-model-db.ts';

/** The read models built from the first event of the log, in a database of their own (in memory). */
export async function rebuiltFromZero(store: EventStore, reference: ReferenceData) {
  const models = new ReadModels(reference, new ReadModelDb(':memory:'));
  models.open();
  for (const e of await store.readAll()) models.apply(e);
  const contents = models.contents();
  const { checkpoint, eventsApplied } = models;
  models.db.close();
  return { contents, checkpoint, eventsApplied };
}
