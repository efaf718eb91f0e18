import type { ProgrammeSpecification } from '../events/programme-specification.ts';
import { fromHandlers, type ProjectionContext } from './projection.ts';

// Programme specifications published through the log (an admin's POST /specifications), as opposed to
// the built-in files: each is added to the reference data the decisions read, and kept here (one row a
// version) so that, when the read models are opened again, each rejoins the reference data.

export interface SpecificationState {
  specification: ProgrammeSpecification | null;
}

function publish(spec: unknown, origin: string, context: ProjectionContext): ProgrammeSpecification | null {
  try {
    return context.reference.addSpecification(spec, origin);
  } catch (error) {
    // Validated when it was published; a failure here means the reference data loaded at start-up
    // now conflicts with the log. Keep going (the log wins for students already enrolled on it).
    console.warn(`specification in ${origin} could not be loaded: ${(error as Error).message}`);
    return null;
  }
}

export const specifications = fromHandlers({
  name: 'specifications',
  // 2: specifications of schema version 2 (version 1 documents lifted); 3: kept by key, one a version
  version: 3,
  key: (e) => {
    const spec = e.data.specification as { programmeId?: unknown; version?: unknown };
    return `${String(spec.programmeId)}@${String(spec.version)}`;
  },
  initial: (): SpecificationState => ({ specification: null }),
  isEmpty: (s) => s.specification === null,
  on: {
    ProgrammeSpecificationPublished(state, e, context) {
      state.specification = publish(e.data.specification, `event ${e.eventId}`, context);
    },
  },
  opened(state, context) {
    const spec = state.specification;
    if (spec && !context.reference.findSpecification(spec.programmeId, spec.version))
      publish(spec, 'the read models', context);
  },
});
