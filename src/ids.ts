import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// Event, correlation and student ids: uuid v7 (time-ordered, so the log's id index grows at one end).
// The uuid package asks the Web Crypto API for 16 random bytes per id, a few microseconds a call, and
// the command path makes two or more ids a command; here the random bytes come from a pool filled 4 KiB
// at a time. The package still lays out the bytes; the millisecond and the sequence within it are kept
// here exactly as the package keeps them, so ids made in one millisecond still sort in order.

const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let offset = POOL_BYTES;
let lastMs = Number.NEGATIVE_INFINITY;
let seq = 0;

export function newId(): string {
  if (offset === POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 16);
  offset += 16;
  let msecs = Date.now();
  if (msecs > lastMs) {
    // A new millisecond starts its sequence at a random 31-bit value.
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    lastMs = msecs;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++;
    msecs = lastMs;
  }
  return v7({ random, msecs, seq });
}
