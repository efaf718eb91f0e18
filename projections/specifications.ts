import type { ProgrammeSpecification } from '../events/programme-specification.ts';
import { fromHandlers, type ProjectionContext } from './projection.ts';

// Programme specifications published through the log (an admin's POST /specifications), as opposed to
// the built-in files: each is added to the reference data the decisions read, and kept here so a
// snapshot can add them again.

export interface SpecificationsState {
  published: ProgrammeSpecification[];
}

function publish(state: SpecificationsState, spec: unknown, origin: string, context: ProjectionContext) {
  try {
    state.published.push(context.reference.addSpecification(spec, origin));
  } catch (error) {
    // Validated when it was published; a failure here means the reference data loaded at start-up
    // now conflicts with the log. Keep going (the log wins for students already enrolled on it).
    console.warn(`specification in ${origin} could not be loaded: ${(error as Error).message}`);
  }
}

export const specifications = fromHandlers({
  name: 'specifications',
  // 2: specifications of schema version 2 (version 1 documents lifted)
  version: 2,
  initial: (): SpecificationsState => ({ published: [] }),
  on: {
    ProgrammeSpecificationPublished(state, e, context) {
      publish(state, e.data.specification, `event ${e.eventId}`, context);
    },
  },
  snapshot: {
    save: (state) => [state.published],
    load(chunks, { context }) {
      const [published = []] = [...chunks] as ProgrammeSpecification[][];
      for (const spec of published) context.reference.addSpecification(spec, 'snapshot');
      return { published };
    },
  },
});
