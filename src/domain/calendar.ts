import { DateTime } from 'luxon';

// Dates in the ledger are Europe/London calendar dates (YYYY-MM-DD). Time limits are computed here so
// that every rule counts months and terms the same way.

export const ZONE = 'Europe/London';

/** Throws unless `iso` is a valid calendar date. */
function isoDay(iso: string): void {
  if (epochDay(iso) !== null) return;
  remember(`v${iso}`, () => {
    day(iso);
    return iso;
  });
}

const DAY_MS = 86_400_000;
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Days since 1970-01-01 of a plain YYYY-MM-DD date, worked out by arithmetic (null for any other form,
 * which luxon reads). Whole calendar days need no time zone, and nothing is remembered: a memo of every
 * pair of dates a decision compares kept thousands of strings alive a query, for the garbage collector
 * to copy.
 */
function epochDay(iso: string): number | null {
  const m = PLAIN_DATE.exec(iso);
  if (!m) return null;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, date);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date)
    throw new Error(`not a date: ${iso}`);
  return ms / DAY_MS;
}

function plainDate(epoch: number): string {
  return new Date(epoch * DAY_MS).toISOString().slice(0, 10);
}

function day(iso: string): DateTime {
  const d = DateTime.fromISO(iso, { zone: ZONE });
  if (!d.isValid) throw new Error(`not a date: ${iso}`);
  return d;
}

// luxon's time-zone arithmetic costs microseconds a call, and the command path, replays and as-of
// queries ask the same questions over and over: the answers below are remembered. London's date and
// offset only change on the hour (midnight, and 01:00 UTC for summer time), so one answer serves a
// whole UTC hour; date strings map to the same answer every time.
const HOUR_MS = 3_600_000;
let hourSeen = Number.NaN;
let dateInHour = '';
const remembered = new Map<string, string>();
/** An ISO instant with its offset (Z or ±hh:mm), which Date.parse reads exactly. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function remember(key: string, compute: (key: string) => string): string {
  let value = remembered.get(key);
  if (value === undefined) {
    if (remembered.size >= 50_000) remembered.clear();
    value = compute(key);
    remembered.set(key, value);
  }
  return value;
}

/** The London calendar date of an instant. */
export function londonDate(instant: Date | string): string {
  if (typeof instant === 'string') {
    // An instant is remembered by its UTC hour (London's date only changes on the hour): instants are
    // nearly all different, their hours repeat, and a memo of every instant seen kept thousands of strings
    // alive a query, for the garbage collector to copy.
    if (ISO_INSTANT.test(instant)) {
      const hour = Math.floor(Date.parse(instant) / HOUR_MS);
      if (Number.isFinite(hour))
        return remember(`h${hour}`, () => DateTime.fromMillis(hour * HOUR_MS, { zone: ZONE }).toISODate()!);
    }
    return remember(`d${instant}`, () => DateTime.fromISO(instant).setZone(ZONE).toISODate()!);
  }
  const hour = Math.floor(instant.getTime() / HOUR_MS);
  if (hour !== hourSeen) {
    dateInHour = DateTime.fromJSDate(instant).setZone(ZONE).toISODate()!;
    hourSeen = hour;
  }
  return dateInHour;
}

let offsetHour = Number.NaN;
let offsetMinutes = 0;
let offsetText = '+00:00';

/**
 * An ISO date-time with the London offset, as event metadata records occurred-at. luxon finds the offset
 * once an hour (it only changes on the hour); the instant is then written out by hand in that offset.
 */
export function londonDateTime(instant: Date): string {
  const ms = instant.getTime();
  const hour = Math.floor(ms / HOUR_MS);
  if (hour !== offsetHour) {
    offsetMinutes = DateTime.fromJSDate(instant).setZone(ZONE).offset;
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    offsetText = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    offsetHour = hour;
  }
  return `${new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23)}${offsetText}`;
}

// London's offset at an instant, from the platform's time-zone data (the same ICU data luxon reads), for
// occurredAtOf: a formatter asked only for the offset costs ~1 µs where a luxon round trip costs ~30 µs,
// and a command recording a past date meets a new date most times (a cold cache is every bench's case).
const offsetFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, timeZoneName: 'longOffset' });

/** A date-only value as an occurred-at instant: noon in London, so the offset never moves the day. */
export function occurredAtOf(date: string): string {
  return remember(`o${date}`, () => {
    const epoch = epochDay(date); // refuses a plain date that does not exist (31 February)
    if (epoch === null) return day(date).set({ hour: 12 }).toISO({ suppressMilliseconds: false })!;
    // London changes offset at 01:00 UTC, so at noon UTC it is already the offset of noon in London.
    const text = offsetFormat.format(epoch * DAY_MS + 12 * HOUR_MS);
    const offset = text.slice(text.indexOf('GMT') + 3);
    return `${date}T12:00:00.000${offset === '' ? '+00:00' : offset}`;
  });
}

/** The same day n months later (31 Jan + 1 month = 28/29 Feb), as luxon counts calendar months. */
export function addMonths(date: string, months: number): string {
  return remember(`m${months}|${date}`, () => day(date).plus({ months }).toISODate()!);
}

export function addDays(date: string, days: number): string {
  const epoch = epochDay(date);
  if (epoch !== null && Number.isInteger(days)) return plainDate(epoch + days);
  return remember(`a${days}|${date}`, () => day(date).plus({ days }).toISODate()!);
}

export function addYears(date: string, years: number): string {
  return remember(`y${years}|${date}`, () => day(date).plus({ years }).toISODate()!);
}

export type Term = 'autumn' | 'spring' | 'summer';

// The three terms of the English school year: autumn from 1 September, spring from 1 January, summer
// from 1 April to 31 August. Counting terms "from registration" counts the registration term as one.
export function termOf(date: string): { term: Term; startYear: number } {
  // A calendar date's year and month need no time zone: read them from the checked date itself.
  isoDay(date);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month >= 9) return { term: 'autumn', startYear: year };
  if (month <= 3) return { term: 'spring', startYear: year };
  return { term: 'summer', startYear: year };
}

/** The last day of the n-th term, counting the term that contains `date` as the first. */
export function endOfNthTerm(date: string, n: number): string {
  const order: Term[] = ['spring', 'summer', 'autumn'];
  const { term, startYear } = termOf(date);
  const index = order.indexOf(term) + (n - 1);
  const year = startYear + Math.floor(index / 3);
  const last = order[index % 3]!;
  const end = last === 'spring' ? `${year}-03-31` : last === 'summer' ? `${year}-08-31` : `${year}-12-31`;
  return end;
}

export function daysBetween(from: string, to: string): number {
  const a = epochDay(from);
  const b = epochDay(to);
  if (a !== null && b !== null) return b - a;
  return Number(remember(`b${from}|${to}`, () => String(Math.round(day(to).diff(day(from), 'days').days))));
}

export function isDate(value: string): boolean {
  return DateTime.fromISO(value, { zone: ZONE }).isValid;
}
