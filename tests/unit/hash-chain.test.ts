import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchHasher, eventHash, type HashInput } from '../../src/store/hash-chain.ts';

// The hash is part of the stored format: stores, the migration and external auditors recompute it, so
// its definition must not drift. It is sha256 over JSON.stringify([fields...]) + "\n" + the data bytes.
// Version 2 (written by the embedded stores) puts "v2" and the event's ordinal in the log first, and
// is stored as "v2:" followed by the hex digest.
function documented(e: HashInput): string {
  const header = JSON.stringify([
    ...(e.place === undefined ? [] : ['v2', e.place.toString()]),
    e.prevHash,
    e.streamId,
    e.revision.toString(),
    e.eventId,
    e.type,
    e.schemaVersion,
    e.recordedAt,
    e.metadata.actor.id,
    e.metadata.actor.role,
    e.metadata.occurredAt,
    e.metadata.correlationId,
    e.metadata.causationId,
  ]);
  const hex = createHash('sha256').update(`${header}\n${e.dataJson}`).digest('hex');
  return e.place === undefined ? hex : `v2:${hex}`;
}

describe('event hashes', () => {
  it('follow the documented formula, whatever characters the fields hold', () => {
    const awkward: HashInput = {
      prevHash: 'f'.repeat(64),
      streamId: 'student-"quoted"\\ and \n newline',
      revision: 42n,
      eventId: 'id-\u2028-line-separator',
      type: 'MarkCorrected',
      schemaVersion: 3,
      recordedAt: '2025-07-12T09:00:00.000Z',
      metadata: {
        actor: { id: 'Siân Ní \u0000', role: 'admin' },
        occurredAt: '2025-07-12T10:00:00.000+01:00',
        correlationId: 'c"',
        causationId: null,
      },
      dataJson: '{"reason":"é"}',
    };
    expect(eventHash(awkward)).toBe(documented(awkward));
    expect(eventHash({ ...awkward, place: 7n })).toBe(documented({ ...awkward, place: 7n }));
    expect(eventHash({ ...awkward, place: 7n })).toMatch(/^v2:[0-9a-f]{64}$/);
    const withCause = { ...awkward, metadata: { ...awkward.metadata, causationId: 'cause' } };
    expect(eventHash(withCause)).toBe(documented(withCause));
    expect(eventHash(withCause)).not.toBe(eventHash(awkward));
  });

  it('changes when any field or the previous hash changes', () => {
    const base: HashInput = {
      prevHash: '0'.repeat(64),
      streamId: 's',
      revision: 0n,
      eventId: 'e',
      type: 'T',
      schemaVersion: 1,
      recordedAt: 'r',
      metadata: { actor: { id: 'a', role: 'tutor' }, occurredAt: 'o', correlationId: 'c', causationId: null },
      dataJson: '{"mark":50}',
    };
    const h = eventHash(base);
    expect(eventHash({ ...base, dataJson: '{"mark":51}' })).not.toBe(h);
    expect(eventHash({ ...base, prevHash: '1'.repeat(64) })).not.toBe(h);
    expect(eventHash({ ...base, revision: 1n })).not.toBe(h);
    // v2: the same event at another place in the log has another hash.
    expect(eventHash({ ...base, place: 1n })).not.toBe(eventHash({ ...base, place: 2n }));
    expect(
      eventHash({ ...base, metadata: { ...base.metadata, actor: { id: 'b', role: 'tutor' } } }),
    ).not.toBe(h);
  });

  it('hashed a batch at a time, each event still follows the formula as its metadata changes', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.array(
          fc.record({
            eventId: fc.string(),
            type: fc.string(),
            // Few values, so neighbouring events often share all but one metadata field.
            actorId: fc.constantFrom('a', 'Siân "b"'),
            occurredAt: fc.constantFrom('o1', 'o2'),
            correlationId: fc.constantFrom('c1', 'c2'),
            causationId: fc.constantFrom(null, 'x', 'y\n'),
            dataJson: fc.json(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.option(fc.bigInt({ min: 1n, max: 10n ** 12n }), { nil: undefined }),
        (streamId, recordedAt, events, firstPlace) => {
          const hashOf = batchHasher(streamId, recordedAt, firstPlace);
          let prevHash = '0'.repeat(64);
          events.forEach((e, i) => {
            const input: HashInput = {
              prevHash,
              streamId,
              revision: BigInt(i),
              eventId: e.eventId,
              type: e.type,
              schemaVersion: 1 + (i % 3),
              recordedAt,
              metadata: {
                actor: { id: e.actorId, role: 'registry' },
                occurredAt: e.occurredAt,
                correlationId: e.correlationId,
                causationId: e.causationId,
              },
              dataJson: e.dataJson,
              place: firstPlace === undefined ? undefined : firstPlace + BigInt(i),
            };
            const hash = hashOf(
              prevHash,
              input.revision,
              e.eventId,
              e.type,
              input.schemaVersion,
              input.metadata,
              e.dataJson,
            );
            expect(hash).toBe(documented(input));
            prevHash = hash;
          });
        },
      ),
    );
  });
});
