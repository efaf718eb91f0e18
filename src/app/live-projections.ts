import { type EventType, type LedgerEvent, toLedgerEvent } from '../../events/index.ts';
import { type AnyProjection, liveProjections } from '../../projections/index.ts';
import type { EventOf, ProjectionContext, ProjectionKey } from '../../projections/projection.ts';
import type { ReferenceData } from '../domain/reference-data.ts';
import type { RecordedEvent } from '../store/port.ts';

// The kept read models together (projections/index.ts), applied in one pass over each event so a rebuild
// reads the log once: each event goes to the projections that handle its type, in the registry's order.

export class LiveProjections {
  private states = new Map<AnyProjection, unknown>();
  private readonly byType = new Map<EventType, AnyProjection[]>();
  /** What apply is given beside the event: the reference data and the states of earlier projections. */
  readonly context: ProjectionContext;
  /** Position of the last event applied. */
  checkpoint = 0n;
  eventsApplied = 0;

  constructor(
    readonly reference: ReferenceData,
    readonly registry: readonly AnyProjection[] = liveProjections,
  ) {
    registry.forEach((p, i) => {
      if (registry.findIndex((q) => q.name === p.name) !== i)
        throw new Error(`two projections named ${p.name}`);
      for (const type of p.handles) this.byType.set(type, [...(this.byType.get(type) ?? []), p]);
    });
    const read = <S>(projection: ProjectionKey<S>): S => {
      const state = this.states.get(projection as AnyProjection);
      if (state === undefined) throw new Error(`projection ${projection.name} is not registered`);
      return state as S;
    };
    this.context = { reference, read };
    this.reset();
  }

  /** The state of a registered projection. */
  state<S>(projection: ProjectionKey<S>): S {
    return this.context.read(projection);
  }

  apply(recorded: RecordedEvent): void {
    this.applyLedgerEvent(toLedgerEvent(recorded));
  }

  applyLedgerEvent(e: LedgerEvent): void {
    const handlers = this.byType.get(e.type);
    if (handlers)
      for (const p of handlers) p.apply(this.states.get(p), e as EventOf<EventType>, this.context);
    this.checkpoint = e.position;
    this.eventsApplied++;
  }

  /** Puts back states a snapshot restored (src/app/snapshot.ts), with the checkpoint they were saved at. */
  restore(states: Map<AnyProjection, unknown>, checkpoint: bigint, eventsApplied: number): void {
    for (const p of this.registry) if (!states.has(p)) throw new Error(`no state for projection ${p.name}`);
    this.states = states;
    this.checkpoint = checkpoint;
    this.eventsApplied = eventsApplied;
  }

  reset(): void {
    this.states = new Map(this.registry.map((p) => [p, p.initial()]));
    this.checkpoint = 0n;
    this.eventsApplied = 0;
  }
}
