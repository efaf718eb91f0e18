import type { EventType, LedgerEvent } from '../events/index.ts';
import type { ReferenceData } from '../src/domain/reference-data.ts';

// The one shape of a read model: keyed state. A projection names itself and its version, says which event
// types it handles and which key each changes (a student's stream, a cohort), and folds the event into that
// key's state: pure, in place (a rebuild applies hundreds of thousands of events a second, so states are
// mutated rather than copied). Each key's state is kept as a row of the read-model database beside the
// log, with the columns the projection declares beside it (indexed: what lists filter and sort on), so
// memory holds only the states being worked on. The kept projections are listed in order in
// projections/index.ts; src/app/read-models.ts loops over that list and knows none of them by name.

export type EventOf<T extends EventType> = Extract<LedgerEvent, { type: T }>;

export interface ProjectionContext {
  /** The programme specifications and outcome frameworks a decision is judged against. */
  readonly reference: ReferenceData;
  /** A key's state in a projection listed before this one, as it stands after the current event. */
  read<S>(projection: ProjectionKey<S>, key: string): S | undefined;
}

/** A value kept beside each state, in its own column: what a list filters or sorts on. */
export interface Column<S> {
  type: 'text' | 'integer';
  value(state: S, key: string, context: ProjectionContext): string | number | null;
  /** Indexed unless false (a value read beside the state, never searched by: sealed details, say). */
  indexed?: boolean;
}

export interface Projection<S, T extends EventType = EventType> {
  /** Lower case letters and underscores: it names the projection's table. */
  readonly name: string;
  /**
   * Bump when the state's shape, or what apply computes, changes: the read models are then rebuilt from
   * the log beside the old ones (tests/scenario/projection-versions.test.ts says when).
   */
  readonly version: number;
  /** The event types apply is called with; every other event passes it by. */
  readonly handles: readonly T[];
  /** The key of the state an event changes; null: this event changes none. */
  key(event: EventOf<T>): string | null;
  initial(key: string): S;
  apply(state: S, event: EventOf<T>, context: ProjectionContext): void;
  /** A state it calls empty is not kept (its row goes): the eligibility projection keeps only flags. */
  isEmpty?(state: S): boolean;
  readonly columns?: Readonly<Record<string, Column<S>>>;
  /**
   * A state read back from the database comes as plain data (Maps, Sets and bigints kept): put back what
   * plain data loses (null-prototype tables).
   */
  revive?(state: S): S;
  /** Called for every kept state when the read models are opened (published specifications rejoin the reference data). */
  opened?(state: S, context: ProjectionContext): void;
}

/** Enough of a projection to find its states, whatever event types it handles. */
export type ProjectionKey<S> = Pick<Projection<S>, 'name' | 'version' | 'initial'>;

/** A projection whose handlers are one per event type: `handles` is the handlers' keys. */
export function fromHandlers<S, T extends EventType>(
  definition: Omit<Projection<S, T>, 'handles' | 'apply'> & {
    on: { [K in T]: (state: S, event: EventOf<K>, context: ProjectionContext) => void };
  },
): Projection<S, T> {
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

/** Folds events through a projection into states by key (for the read models folded on read, and tests). */
export function fold<S, T extends EventType>(
  projection: Projection<S, T>,
  events: Iterable<LedgerEvent>,
  context: ProjectionContext,
  states: Map<string, S> = new Map(),
): Map<string, S> {
  const handled = new Set<EventType>(projection.handles);
  for (const e of events) {
    if (!handled.has(e.type)) continue;
    const key = projection.key(e as EventOf<T>);
    if (key === null) continue;
    let state = states.get(key);
    if (state === undefined) {
      state = projection.initial(key);
      states.set(key, state);
    }
    projection.apply(state, e as EventOf<T>, context);
  }
  return states;
}
