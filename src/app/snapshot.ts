import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { AnyProjection } from '../../projections/index.ts';
import type { EventStore } from '../store/port.ts';
import type { LiveProjections } from './live-projections.ts';

// Snapshots of the live projections with their checkpoint, so a restart resumes from where it stopped
// rather than from the start of the log (that matters most on EventStoreDB, where a rebuild reads every
// event over the network). A snapshot is only trusted if it was made from this very log (the hash of the
// event at its checkpoint must match) and by the same projections: its format is a digest of the
// registry's names and versions in order (projections/index.ts), so a projection whose version changed,
// or a projection added, removed or moved, makes every older snapshot stale. Nothing is bumped by hand.
//
// The file is a run of v8-serialised chunks, each after its length (4 bytes): a header (format,
// checkpoint), then each projection's chunks in registry order (its snapshot codec decides them; the
// students' records go 500 at a time), each projection's run closed by an end marker with its count, so
// saving or loading a million events' projections holds one chunk's bytes at a time, not all of them.

const LAYOUT = 'length-prefixed v8 chunks; per projection: its chunks, then { end, chunks }';

/** The snapshot format of a registry: what a snapshot must have been made with to be loaded. */
export function snapshotFormat(registry: readonly AnyProjection[]): string {
  const names = registry.map((p) => `${p.name}@${p.version}`);
  return createHash('sha256')
    .update(JSON.stringify({ layout: LAYOUT, projections: names }))
    .digest('hex');
}

interface SnapshotHeader {
  format: string;
  projections: string[];
  checkpoint: bigint;
  checkpointHash: string;
  eventsApplied: number;
  savedAt: string;
}

interface SectionEnd {
  end: string;
  chunks: number;
}

const chunksOf = (p: AnyProjection, state: unknown): Iterable<unknown> =>
  p.snapshot ? p.snapshot.save(state) : [state];

export async function saveSnapshot(
  path: string,
  projections: LiveProjections,
  store: EventStore,
): Promise<boolean> {
  if (projections.checkpoint === 0n) return false;
  const [atCheckpoint] = await store.readAll({ after: projections.checkpoint - 1n, maxCount: 1 });
  if (!atCheckpoint || atCheckpoint.position !== projections.checkpoint) return false;
  const header: SnapshotHeader = {
    format: snapshotFormat(projections.registry),
    projections: projections.registry.map((p) => `${p.name}@${p.version}`),
    checkpoint: projections.checkpoint,
    checkpointHash: atCheckpoint.hash,
    eventsApplied: projections.eventsApplied,
    savedAt: new Date().toISOString(),
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    const write = (value: unknown) => {
      const bytes = serialize(value);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      writeSync(fd, length);
      writeSync(fd, bytes);
    };
    write(header);
    for (const p of projections.registry) {
      let chunks = 0;
      for (const chunk of chunksOf(p, projections.state(p))) {
        write(chunk);
        chunks++;
      }
      write({ end: p.name, chunks } satisfies SectionEnd);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path); // atomic on one filesystem: a crash leaves the old snapshot or the new one
  return true;
}

/** Reads the file's chunks in order, one at a time. */
function* chunks(path: string): Generator<unknown> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Buffer.alloc(4);
    for (let at = 0; readSync(fd, length, 0, 4, null) === 4; ) {
      at += 4 + length.readUInt32BE();
      if (at > size) throw new Error('not a snapshot of this layout, or cut short');
      const bytes = Buffer.allocUnsafe(length.readUInt32BE());
      readSync(fd, bytes, 0, bytes.length, null);
      yield deserialize(bytes);
    }
  } finally {
    closeSync(fd);
  }
}

export type SnapshotLoad =
  | { loaded: true; checkpoint: bigint; eventsApplied: number }
  | { loaded: false; reason: string };

/** Restores the projections from a snapshot if it is trustworthy for this log; otherwise leaves them empty. */
export async function loadSnapshot(
  path: string,
  projections: LiveProjections,
  store: EventStore,
): Promise<SnapshotLoad> {
  if (!existsSync(path)) return { loaded: false, reason: 'no snapshot yet' };
  const reader = chunks(path);
  try {
    return await restore(reader, projections, store);
  } finally {
    reader.return(undefined); // closes the file however the reading ended
  }
}

async function restore(
  reader: Generator<unknown>,
  projections: LiveProjections,
  store: EventStore,
): Promise<SnapshotLoad> {
  let header: SnapshotHeader;
  try {
    header = reader.next().value as SnapshotHeader;
  } catch (error) {
    return { loaded: false, reason: `snapshot unreadable (${(error as Error).message})` };
  }
  const expected = snapshotFormat(projections.registry);
  if (header?.format !== expected)
    return {
      loaded: false,
      reason: `snapshot of other projections (${header?.projections?.join(', ') ?? 'unknown'}), expected ${projections.registry.map((p) => `${p.name}@${p.version}`).join(', ')}`,
    };
  const [atCheckpoint] = await store.readAll({ after: header.checkpoint - 1n, maxCount: 1 });
  if (
    !atCheckpoint ||
    atCheckpoint.position !== header.checkpoint ||
    atCheckpoint.hash !== header.checkpointHash
  )
    return { loaded: false, reason: 'snapshot was not made from this log' };
  const states = new Map<AnyProjection, unknown>();
  const strings = new SharedStrings();
  const helpers = { share: (value: object) => strings.shareWithin(value), context: projections.context };
  try {
    for (const p of projections.registry) {
      const section = sectionOf(reader, p.name);
      states.set(p, p.snapshot ? p.snapshot.load(section, helpers) : section.next().value);
      // whatever the codec left unread, up to the end marker (which checks the count)
      while (!section.next().done);
    }
  } catch (error) {
    return { loaded: false, reason: `snapshot unreadable (${(error as Error).message})` };
  }
  projections.restore(states, header.checkpoint, header.eventsApplied);
  return { loaded: true, checkpoint: header.checkpoint, eventsApplied: header.eventsApplied };
}

/** One projection's chunks, up to its end marker, which must count them all. */
function* sectionOf(reader: Generator<unknown>, name: string): Generator<unknown> {
  let count = 0;
  for (;;) {
    const next = reader.next();
    if (next.done) throw new Error(`the chunks of ${name} are cut short`);
    const value = next.value as Partial<SectionEnd>;
    if (value && typeof value === 'object' && value.end === name) {
      if (value.chunks !== count) throw new Error(`${name} has ${count} chunks of ${value.chunks}`);
      return;
    }
    count++;
    yield next.value;
  }
}

/**
 * v8 deserialisation gives every occurrence of a string its own copy, where the rebuilt state shares one
 * (a day's date, an instant, an actor, an event type, an event id named from several places): at a
 * million events the copies took the heap past 1 GiB. After loading, each record's short strings are
 * swapped for one shared copy. Bounded like the store's own sharing: past LIMIT it starts again.
 */
class SharedStrings {
  private static readonly LIMIT = 200_000;
  private static readonly LONGEST = 40;
  private readonly known = new Map<string, string>();

  private of(value: string): string {
    if (value.length > SharedStrings.LONGEST) return value;
    const known = this.known.get(value);
    if (known !== undefined) return known;
    if (this.known.size >= SharedStrings.LIMIT) this.known.clear();
    this.known.set(value, value);
    return value;
  }

  shareWithin(value: object): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (typeof v === 'string') value[i] = this.of(v);
        else if (typeof v === 'object' && v !== null) this.shareWithin(v);
      }
      return;
    }
    const target = value as Record<string, unknown>;
    for (const key in target) {
      const v = target[key];
      if (typeof v === 'string') target[key] = this.of(v);
      else if (typeof v === 'object' && v !== null) this.shareWithin(v);
    }
  }
}
