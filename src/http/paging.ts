import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { invalid } from '../errors.ts';

// Long lists come a page at a time: `limit` (default 100, at most 500) and `cursor` (the `nextCursor` of
// the page before, opaque to the client), answered with the page and the next cursor (null on the last
// page) and the total that match. Items are in the order of a key each list names (a student id, a cohort id, the nearest
// deadline then the student id), and a cursor holds the last key given, so a page never repeats or skips
// an item that was there before and after. This is the contract only: the items come from the queries
// as they are, and a query that can seek to a key (a database's index) can take their place.

export const PAGE_LIMIT = { default: 100, max: 500 } as const;

export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT.max, `at most ${PAGE_LIMIT.max} a page`)
    .default(PAGE_LIMIT.default)
    .describe(`how many to give (default ${PAGE_LIMIT.default}, at most ${PAGE_LIMIT.max})`),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,1000}$/, 'must be the nextCursor of the page before, as it was given')
    .optional()
    .describe('the nextCursor of the page before; none for the first page'),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const NextCursor = z
  .string()
  .nullable()
  .describe('send it as `cursor` for the next page; null on the last page');

export const Total = z
  .number()
  .int()
  .min(0)
  .describe('how many match the filters, on every page together (both lists, where an answer has two)');

/** What every paged answer holds beside its list: the next cursor and the total. */
export const PageEnvelope = z.object({ nextCursor: NextCursor, total: Total });

/** Where each list of a paged answer stands: after a key, or done (null). A list not named is unstarted. */
type Position = Record<string, string | null>;

function readCursor(cursor: string | undefined, lists: string[]): Position {
  if (cursor === undefined) return {};
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      position &&
      typeof position === 'object' &&
      !Array.isArray(position) &&
      Object.entries(position).every(
        ([list, key]) => lists.includes(list) && (key === null || typeof key === 'string'),
      )
    )
      return position as Position;
  } catch {
    // not ours: refused below
  }
  throw invalid('invalid_cursor', [
    {
      field: 'querystring.cursor',
      reason: 'is not a cursor this list gave: send the nextCursor of the page before',
    },
  ]);
}

const writeCursor = (position: Position) => Buffer.from(JSON.stringify(position)).toString('base64url');

/** The page of one list after the position, in key order, and whether more follow. */
function pageAfter<T>(
  items: Iterable<T>,
  keyOf: (item: T) => string,
  after: string | null | undefined,
  limit: number,
) {
  const rest: { key: string; item: T }[] = [];
  let total = 0;
  for (const item of items) {
    total++;
    if (after === null) continue; // this list is done: counted only
    const key = keyOf(item);
    if (after === undefined || key > after) rest.push({ key, item });
  }
  rest.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = rest.slice(0, limit);
  return { items: page.map((p) => p.item), last: page.at(-1)?.key, more: rest.length > limit, total };
}

export interface PagedList<T> {
  items: Iterable<T>;
  key(item: T): string;
}

/** A list to page, in the order of each item's key. */
export const sortedBy = <T>(items: Iterable<T>, key: (item: T) => string): PagedList<T> => ({ items, key });

/**
 * A page of each named list (up to `limit` of each), and one cursor for where they all stand. A single
 * list is the usual case: pageOf({ students: sortedBy(records, (r) => r.studentId) }, query).
 */
export function pageOf<L extends Record<string, PagedList<unknown>>>(
  lists: L,
  query: PageQuery,
): { [K in keyof L]: L[K] extends PagedList<infer T> ? T[] : never } & z.infer<typeof PageEnvelope> {
  const names = Object.keys(lists);
  const from = readCursor(query.cursor, names);
  const next: Position = {};
  const out: Record<string, unknown[]> = {};
  let total = 0;
  for (const name of names) {
    const list = lists[name]!;
    const page = pageAfter(list.items, list.key, from[name], query.limit);
    out[name] = page.items;
    next[name] = page.more ? (page.last ?? null) : null;
    total += page.total;
  }
  const done = names.every((name) => next[name] === null);
  return { ...out, nextCursor: done ? null : writeCursor(next), total } as never;
}

/** One page of a list the read-model database seeks (src/app/queries/lists.ts): rows after a key, in key order. */
export type Seek<T> = (
  after: string | undefined,
  limit: number,
) => { items: T[]; next: string | null; total: number };

/**
 * A page of one list read from the database after the cursor's key (the same cursor pageOf gives, so the
 * two are interchangeable): only the page is read, not the list.
 */
export function seekPage<N extends string, T>(
  name: N,
  seek: Seek<T>,
  query: PageQuery,
): { [K in N]: T[] } & z.infer<typeof PageEnvelope> {
  const after = readCursor(query.cursor, [name])[name];
  // a cursor whose list is done: nothing more, only the count
  const found = after === null ? { ...seek(undefined, 1), items: [], next: null } : seek(after, query.limit);
  const nextCursor = found.next === null ? null : writeCursor({ [name]: found.next });
  return { [name]: found.items, nextCursor, total: found.total } as never;
}

/**
 * Works out each item of a page, letting other requests (a health check, say) be answered every few
 * items: a page of students each with a decision takes a while, and must not hold the server up.
 */
export async function mapPage<T, R>(items: T[], work: (item: T) => R, every = 25): Promise<R[]> {
  const out: R[] = [];
  for (const [i, item] of items.entries()) {
    if (i > 0 && i % every === 0) await nextTurn();
    out.push(work(item));
  }
  return out;
}
