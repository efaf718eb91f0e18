import type { EventType, LedgerEvent } from '../events/index.ts';
import type { ReferenceData } from '../src/domain/reference-data.ts';

// The one shape of a read model. A projection names itself and its version, says which event types it
// handles, and folds each into its state: pure, in place (a rebuild applies hundreds of thousands of
// events a second, so states are mutated rather than copied). The kept ones are listed in order in
// projections/index.ts; the live runner (src/app/live-projections.ts) and the snapshots
// (src/app/snapshot.ts) loop over that list and know none of them by name.

export type EventOf<T extends EventType> = Extract<LedgerEvent, { type: T }>;

export interface ProjectionContext {
  /** The programme specifications and outcome frameworks a decision is judged against. */
  readonly reference: ReferenceData;
  /** The state of a projection listed before this one, as it stands after the current event. */
  read<S>(projection: ProjectionKey<S>): S;
}

/** How a state travels in a snapshot: as chunks of plain data (Maps, Sets and bigints are kept as they are). */
export interface SnapshotCodec<S> {
  /** Several small chunks rather than one large one keep memory flat on a million events. */
  save(state: S): Iterable<unknown>;
  /** `share` lets the loader swap each restored item's short strings for one shared copy. */
  load(chunks: Iterable<unknown>, helpers: { share(value: object): void; context: ProjectionContext }): S;
}

export interface Projection<S, T extends EventType = EventType> {
  readonly name: string;
  /**
   * Bump when the state's shape, or what apply computes, changes: a snapshot made with another version is
   * ignored and the projection rebuilt (tests/scenario/projection-versions.test.ts says when).
   */
  readonly version: number;
  /** The event types apply is called with; every other event passes it by. */
  readonly handles: readonly T[];
  initial(): S;
  apply(state: S, event: EventOf<T>, context: ProjectionContext): void;
  /** Absent: the state is one chunk. */
  readonly snapshot?: SnapshotCodec<S>;
}

/** Enough of a projection to find its state, whatever event types it handles. */
export type ProjectionKey<S> = Pick<Projection<S>, 'name' | 'version' | 'initial'>;

/** A projection whose handlers are one per event type: `handles` is the handlers' keys. */
export function fromHandlers<S, T extends EventType>(definition: {
  name: string;
  version: number;
  initial(): S;
  on: { [K in T]: (state: S, event: EventOf<K>, context: ProjectionContext) => void };
  snapshot?: SnapshotCodec<S>;
}): Projection<S, T> {
  const { on, ...rest } = definition;
  const handlers = on as unknown as Record<
    string,
    (state: S, event: EventOf<T>, context: ProjectionContext) => void
  >;
  return {
    ...rest,
    handles: Object.keys(on) as T[],
    apply(state, event, context) {
      handlers[event.type]!(state, event, context);
    },
  };
}

/** Folds events through a projection from its initial state (for the read models folded on read). */
export function fold<S, T extends EventType>(
  projection: Projection<S, T>,
  events: Iterable<LedgerEvent>,
  context: ProjectionContext,
  state: S = projection.initial(),
): S {
  const handled = new Set<EventType>(projection.handles);
  for (const e of events) if (handled.has(e.type)) projection.apply(state, e as EventOf<T>, context);
  return state;
}
