import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitAt, decodeList, encodeList, LIST_SIZE_BITS } from '../../src/credentials/status-list.ts';

// The Bitstring Status List encoding (W3C Recommendation): GZIP, then multibase base64url ('u', no
// padding), at least 16 KiB of bits, bit 0 the most significant bit of the first byte.

describe('the status list bitstring', () => {
  it('is GZIP in multibase base64url, 131,072 bits long, leftmost bit first', () => {
    const encoded = encodeList([0, 9, LIST_SIZE_BITS - 1]);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bytes.length).toBe(16_384);
    expect(bytes[0]).toBe(0b1000_0000);
    expect(bytes[1]).toBe(0b0100_0000);
    expect(bytes[16_383]).toBe(0b0000_0001);
    expect(bytes.subarray(2, 16_383).every((b) => b === 0)).toBe(true);
  });

  it('reads back exactly the bits that were set', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: LIST_SIZE_BITS - 1 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: LIST_SIZE_BITS - 1 }),
        (set, probe) => {
          const bits = decodeList(encodeList(set));
          for (const i of set) expect(bitAt(bits, i)).toBe(true);
          expect(bitAt(bits, probe)).toBe(set.includes(probe));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses a list that is not multibase, not GZIP, or shorter than the minimum, and an index outside it', () => {
    expect(() => decodeList(gzipSync(Buffer.alloc(16_384)).toString('base64url'))).toThrow(/multibase/);
    expect(() => decodeList(`u${Buffer.from('plain text').toString('base64url')}`)).toThrow(/GZIP/);
    expect(() => decodeList(`u${gzipSync(Buffer.alloc(1_024)).toString('base64url')}`)).toThrow(
      /8192 bits, fewer than the minimum 131072/,
    );
    expect(() => encodeList([LIST_SIZE_BITS])).toThrow(/outside/);
    expect(() => encodeList([-1])).toThrow(/outside/);
  });
});
