import type { z } from 'zod';

// An event type: its name, the schema version new events are written at, the zod schema of its
// data at that version, and the upcasters that lift older stored shapes to it, keyed by the version
// they upgrade from (1 -> 2, 2 -> 3 ...). Stored events keep the version they were written with.

export type Upcaster = (older: Record<string, unknown>) => Record<string, unknown>;

export interface EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  readonly type: T;
  readonly version: number;
  readonly schema: S;
  /** The family of facts it belongs to (registration, attendance, ...), for the catalogue's index. */
  readonly family: string;
  readonly description: string;
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

export function defineEvent<T extends string, S extends z.ZodType>(definition: {
  type: T;
  version?: number;
  family: string;
  description: string;
  schema: S;
  upcasters?: Record<number, Upcaster>;
}): EventDefinition<T, S> {
  const version = definition.version ?? 1;
  for (let v = 1; v < version; v++) {
    if (!definition.upcasters?.[v]) throw new Error(`${definition.type}: no upcaster from version ${v}`);
  }
  return { ...definition, version, upcasters: definition.upcasters ?? {} };
}
