// How a read model's state is written in its row: JSON, with the few values JSON has no word for
// (bigint positions and revisions, a cohort's sets of staff) written as tagged strings and objects.
//
// JSON and not v8.serialize: states read back with v8.deserialize outlived the young generation (measured
// on 1M-event records: 6.5 MB of every 9 MB survived each scavenge, whose pauses reached 10-17 ms, where
// JSON.parse left next to nothing and 0.4 ms pauses), and JSON.parse plus the walk below reads a record in
// less time than v8.deserialize did. The cost is a replacer when writing.
//
// A tag is a string starting with U+0000, which no text in a state starts with unless escaped here:
//   "\0n123"   the bigint 123n
//   "\0s..."   a string that itself started with U+0000 (the rest, unchanged)
//   {"\0set": [...]}, {"\0map": [[k, v], ...]}   a Set, a Map
// Values JSON would drop or change (undefined in arrays, NaN, functions, symbols, dates) are refused:
// a state must be plain data.

const NUL = '\u0000';
const SET = '\u0000set';
const MAP = '\u0000map';

function replacer(this: unknown, key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return `${NUL}n${value}`;
    case 'string':
      if (value.charCodeAt(0) === 0) return `${NUL}s${value}`;
      // a Date has written itself as an ISO string (toJSON) before it gets here
      if (value.length === 24 && (this as Record<string, unknown>)[key] instanceof Date)
        throw new Error('a read-model state holds a Date: write it as an ISO string');
      return value;
    case 'number':
      if (!Number.isFinite(value))
        throw new Error(`a read-model state holds ${value}, which JSON cannot keep`);
      return value;
    case 'function':
    case 'symbol':
      throw new Error(`a read-model state holds a ${typeof value}`);
    case 'object':
      if (value === null || Array.isArray(value)) return value;
      if (value instanceof Set) return { [SET]: [...value] };
      if (value instanceof Map) return { [MAP]: [...value] };
      if (value instanceof Date)
        throw new Error('a read-model state holds a Date: write it as an ISO string');
      if (Object.hasOwn(value, SET) || Object.hasOwn(value, MAP))
        throw new Error('a read-model state holds a key that is a tag of this encoding');
      return value;
    case 'boolean':
      return value;
    default:
      // undefined: an object's property is left out (as absent reads the same); in an array it would turn
      // into null, so it is refused there
      if (Array.isArray(this)) throw new Error('a read-model state holds undefined in a list');
      return value;
  }
}

export function encodeState(state: unknown): Buffer {
  return Buffer.from(JSON.stringify(state, replacer), 'utf8');
}

function untag(text: string): unknown {
  const kind = text.charCodeAt(1);
  if (kind === 110 /* n */) return BigInt(text.slice(2));
  if (kind === 115 /* s */) return text.slice(2);
  throw new Error(`unknown tag in a read-model state: ${JSON.stringify(text.slice(0, 8))}`);
}

/** Replaces the tags inside a parsed value, in place; returns the value (or what its tag stands for). */
function revive(value: unknown): unknown {
  if (typeof value === 'string') return value.charCodeAt(0) === 0 ? untag(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'object' ? item !== null : typeof item === 'string' && item.charCodeAt(0) === 0)
        value[i] = revive(item);
    }
    return value;
  }
  const object = value as Record<string, unknown>;
  if (Object.hasOwn(object, SET)) return new Set(revive(object[SET]) as unknown[]);
  if (Object.hasOwn(object, MAP)) return new Map(revive(object[MAP]) as [unknown, unknown][]);
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (typeof item === 'object' ? item !== null : typeof item === 'string' && item.charCodeAt(0) === 0)
      if (key === '__proto__')
        // an own property, as JSON.parse made it, not the prototype
        Object.defineProperty(object, key, {
          value: revive(item),
          writable: true,
          enumerable: true,
          configurable: true,
        });
      else object[key] = revive(item);
  }
  return object;
}

export function decodeState(row: Buffer): unknown {
  return revive(JSON.parse(row.toString('utf8')));
}
