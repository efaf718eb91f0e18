import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { students } from '../../projections/index.ts';
import type { Queries } from './queries/index.ts';
import { streamOf, studentOf } from './queries/records.ts';
import type { ReadModels } from './read-models.ts';

// Every student in order of name, as the registry's Students page lists them by default (en-GB
// collation; a student with no name to show, erased or not readable here, as `~` and their id; ties by
// student id). Personal data is sealed, so ordering by name means unsealing every student's details: at
// a national ledger's size (100,000 students) about two seconds, which the page paid at every visit.
// This keeps the order itself, as student ids, and no name: it is worked out once. Afterwards a student an
// event changed is looked at again: if their sealed details are still what they were (a digest of the
// ciphertext is kept), they stay where they are (a mark, a visit); if not (an application, an erasure),
// they are placed again by a binary search that unseals the names it compares with. Nothing unsealed
// outlives the call.

/** Changed students beyond which the order is worked out again from every name (a large import). */
const AGAIN_AFTER = 5000;
/** Details unsealed between two turns of the event loop while every name is read. */
const UNSEALS_A_TURN = 100;

// localeCompare(b, 'en-GB') and localeCompare(b), as the search compares (ECMA-402)
const byName = new Intl.Collator('en-GB').compare;
const byStudentId = new Intl.Collator().compare;

/** What a student is ordered by: their name, or `~` and their id when there is none to show. */
const sortKey = (studentId: string, name: string | null) => name ?? `~${studentId}`;

const compare = (a: { id: string; key: string }, b: { id: string; key: string }) =>
  byName(a.key, b.key) || byStudentId(a.id, b.id);

/** What tells whether a student's sealed details changed: a digest of the sealed text (ciphertext). */
const digestOf = (sealed: string | number | null) =>
  typeof sealed === 'string' ? createHash('sha256').update(sealed).digest('base64') : '';

export class NameOrder {
  /** Student ids in order of name (null: not worked out yet, or to be worked out again). */
  private order: string[] | null = null;
  /** Students changed since they were placed (by stream); null: every one may have (another generation). */
  private changed: Set<string> | null = new Set();
  /** Students placed as nameless because their details could not be unsealed here: looked at again each time. */
  private readonly unreadable = new Set<string>();
  /** Each placed student's sealed details, as a digest of the ciphertext ('' for none). */
  private readonly sealedAs = new Map<string, string>();
  private pending: Promise<readonly string[]> | null = null;

  constructor(
    private readonly queries: Queries,
    models: ReadModels,
  ) {
    models.watch(students, (key) => {
      if (this.changed === null) return;
      if (key === null || this.changed.size >= AGAIN_AFTER) this.changed = null;
      else this.changed.add(key);
    });
  }

  /** Every student's id, in order of name. Callers at the same time share one piece of work. */
  sorted(): Promise<readonly string[]> {
    this.pending ??= this.bringUpToDate().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async bringUpToDate(): Promise<readonly string[]> {
    // what changes while every name is read is placed again afterwards
    while (this.order === null || this.changed === null) {
      this.changed = new Set();
      this.order = await this.everyName();
    }
    const looked = [...this.changed].map(studentOf);
    const again = [...this.unreadable];
    this.changed.clear();
    this.unreadable.clear();
    for (const id of looked) {
      const sealed = this.sealedNow(id);
      if (sealed === undefined || digestOf(sealed) !== this.sealedAs.get(id)) again.push(id);
    }
    // take them all out first: the students left are in the order of their names as they are now
    const moving = new Set(again);
    const order = moving.size ? this.order.filter((id) => !moving.has(id)) : this.order;
    for (const id of moving) {
      const sealed = this.sealedNow(id);
      this.sealedAs.delete(id);
      if (sealed === undefined) continue; // no longer a student of the read models
      this.sealedAs.set(id, digestOf(sealed));
      const placing = { id, key: sortKey(id, this.nameIn(id, sealed)) };
      let low = 0;
      let high = order.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        const there = order[middle]!;
        const key = sortKey(there, this.nameIn(there, this.sealedNow(there) ?? null));
        if (compare({ id: there, key }, placing) < 0) low = middle + 1;
        else high = middle;
      }
      order.splice(low, 0, id);
    }
    this.order = order;
    return order;
  }

  /** Every student's name read and ordered; only the order is kept. */
  private async everyName(): Promise<string[]> {
    this.sealedAs.clear();
    this.unreadable.clear();
    const keyed: { id: string; key: string }[] = [];
    let unsealed = 0;
    for (const page of this.queries.studentColumns([], ['sealed_personal'])) {
      for (const { studentId, sealed_personal: sealed } of page) {
        keyed.push({ id: studentId, key: sortKey(studentId, this.nameIn(studentId, sealed)) });
        this.sealedAs.set(studentId, digestOf(sealed));
        // the server answers other requests (/health, a tutor's page) in between
        if (typeof sealed === 'string' && ++unsealed % UNSEALS_A_TURN === 0) await nextTurn();
      }
      await nextTurn();
    }
    return keyed.sort(compare).map((k) => k.id);
  }

  /** The student's sealed details as their column holds them now (undefined: no such student). */
  private sealedNow(studentId: string): string | number | null | undefined {
    const [page] = this.queries.studentColumns(
      [{ column: 'key', op: '=', value: streamOf(studentId) }],
      ['sealed_personal'],
    );
    return page?.[0]?.sealed_personal;
  }

  private nameIn(studentId: string, sealed: string | number | null): string | null {
    if (typeof sealed !== 'string') return null;
    const name = this.queries.unsealColumn(sealed)?.fullName ?? null;
    if (name === null) this.unreadable.add(studentId);
    return name;
  }
}
