import { DateTime } from 'luxon';
import { IsoDate, IsoDateTime } from '../../events/common.ts';

// Date options are parsed strictly: a value that is not a real YYYY-MM-DD date (15/11/2024, 2024-13-45,
// 2024-02-31) is refused before anything is opened, never read as "no bound" or as a nearby date.

export class OptionError extends Error {}

const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD option that must be a real date. */
export function dateOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!SHAPE.test(value))
    throw new OptionError(
      `--${name} ${JSON.stringify(value)} is not a date: give it as YYYY-MM-DD, e.g. 2024-11-15`,
    );
  if (!IsoDate.safeParse(value).success)
    throw new OptionError(
      `--${name} ${JSON.stringify(value)} is not a real date (no such day in the calendar)`,
    );
  return value;
}

/**
 * "As known at": a date (the end of that day in London) or an ISO date-time with an offset, as the
 * instant it names (UTC, as recorded-at is stored).
 */
export function knownAtOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (SHAPE.test(value)) {
    const date = dateOption(name, value)!;
    return DateTime.fromISO(date, { zone: 'Europe/London' }).endOf('day').toUTC().toISO()!;
  }
  if (!IsoDateTime.safeParse(value).success)
    throw new OptionError(
      `--${name} ${JSON.stringify(value)} is neither a date (YYYY-MM-DD) nor a date-time with an offset (e.g. 2024-11-15T17:00:00Z)`,
    );
  return new Date(value).toISOString();
}
