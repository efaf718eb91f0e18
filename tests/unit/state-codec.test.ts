import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../../src/store/state-codec.ts';

// A read model's state written to its row and read back is the same state: bigints stay bigints, sets and
// maps stay sets and maps, text that starts with U+0000 stays text, and a state JSON cannot keep is refused
// rather than changed.

const text = fc.oneof(fc.string(), fc.constantFrom('\u0000', '\u0000n12', '\u0000s', '\u0000set', 'n12', ''));
const leaf = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
);
const { state } = fc.letrec((tie) => ({
  state: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('object'), tie('set'), tie('map')),
  list: fc.array(tie('state'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), tie('state'), { maxKeys: 4 }),
  set: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }).map((xs) => new Set(xs)),
  map: fc.array(fc.tuple(fc.string(), tie('state')), { maxLength: 3 }).map((xs) => new Map(xs)),
}));

describe('read-model state encoding', () => {
  it('reads back every state it writes, value for value', () => {
    fc.assert(
      fc.property(state, (s) => {
        // as v8.serialize did, an object comes back with the ordinary prototype (projections revive theirs)
        expect(decodeState(encodeState(s))).toEqual(s);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps bigints, sets and text that looks like a tag apart', () => {
    const s = {
      position: 12n,
      revision: -1n,
      tutors: new Set(['t1']),
      note: '\u0000n5',
      plain: 'n5',
      list: [3n, '\u0000s'],
    };
    const back = decodeState(encodeState(s)) as typeof s;
    expect(back.position).toBe(12n);
    expect(back.revision).toBe(-1n);
    expect(back.tutors).toEqual(new Set(['t1']));
    expect(back.note).toBe('\u0000n5');
    expect(back.list).toEqual([3n, '\u0000s']);
    expect(Object.getPrototypeOf(decodeState(encodeState({ __proto__: null, a: 1n })))).toBe(
      Object.prototype,
    );
  });

  it('refuses a state JSON would change rather than write it changed', () => {
    expect(() => encodeState({ at: new Date(0) })).toThrow(/Date/);
    expect(() => encodeState({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => encodeState({ n: [1, undefined] })).toThrow(/undefined in a list/);
    expect(() => encodeState({ '\u0000set': [] })).toThrow(/tag/);
    expect(() => encodeState({ f: () => 1 })).toThrow(/function/);
  });
});
