import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  daysBetween,
  endOfNthTerm,
  londonDate,
  londonDateTime,
  occurredAtOf,
  termOf,
} from '../../src/domain/calendar.ts';

// The calendar remembers answers and writes some out by hand for speed: each is checked against luxon
// answering the same question directly.

const ZONE = 'Europe/London';
const instants = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2040-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const dates = instants.map((d) => d.toISOString().slice(0, 10));

describe('London calendar', () => {
  it('writes an instant in London time with its offset, as luxon does, across clock changes', () => {
    const changes = [
      '2024-03-31T00:59:59.999Z',
      '2024-03-31T01:00:00.000Z',
      '2024-10-27T00:59:59.999Z',
      '2024-10-27T01:00:00.000Z',
      '2026-03-29T01:30:00.123Z',
      '2026-10-25T00:30:00.456Z',
    ].map((s) => new Date(s));
    for (const d of changes)
      expect(londonDateTime(d)).toBe(
        DateTime.fromJSDate(d).setZone(ZONE).toISO({ suppressMilliseconds: false }),
      );
    fc.assert(
      fc.property(instants, (d) => {
        expect(londonDateTime(d)).toBe(
          DateTime.fromJSDate(d).setZone(ZONE).toISO({ suppressMilliseconds: false }),
        );
        expect(londonDate(d)).toBe(DateTime.fromJSDate(d).setZone(ZONE).toISODate());
      }),
    );
  });

  it('gives the London date of an instant written as text as luxon does, on both sides of a clock change', () => {
    // remembered by the UTC hour: every minute of the hours either side of each change is asked
    for (const hour of ['2024-03-31T00', '2024-03-31T01', '2024-10-26T23', '2024-10-27T00', '2024-10-27T01'])
      for (let minute = 0; minute < 60; minute += 7) {
        const text = `${hour}:${String(minute).padStart(2, '0')}:30.250Z`;
        expect(londonDate(text)).toBe(DateTime.fromISO(text).setZone(ZONE).toISODate());
      }
    fc.assert(
      fc.property(instants, (d) => {
        for (const text of [
          d.toISOString(),
          d.toISOString().replace(/\.\d+Z$/, 'Z'),
          d.toISOString().slice(0, 16) + 'Z',
        ])
          expect(londonDate(text)).toBe(DateTime.fromISO(text).setZone(ZONE).toISODate());
        const offset = DateTime.fromJSDate(d).setZone('UTC+5:30').toISO()!;
        expect(londonDate(offset)).toBe(DateTime.fromISO(offset).setZone(ZONE).toISODate());
      }),
    );
  });

  it('counts months, years, days and terms as luxon does', () => {
    fc.assert(
      fc.property(dates, dates, fc.integer({ min: -40, max: 40 }), (a, b, n) => {
        const day = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
        expect(addMonths(a, n)).toBe(day(a).plus({ months: n }).toISODate());
        expect(addYears(a, n)).toBe(day(a).plus({ years: n }).toISODate());
        expect(daysBetween(a, b)).toBe(Math.round(day(b).diff(day(a), 'days').days));
        expect(addDays(a, n * 9)).toBe(
          day(a)
            .plus({ days: n * 9 })
            .toISODate(),
        );
        const month = day(a).month;
        expect(termOf(a)).toEqual({
          term: month >= 9 ? 'autumn' : month <= 3 ? 'spring' : 'summer',
          startYear: day(a).year,
        });
      }),
    );
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(endOfNthTerm('2024-01-08', 3)).toBe('2024-12-31');
  });

  it('writes a date as noon in London with its offset, as luxon does, on every day of a century', () => {
    const luxon = (iso: string) =>
      DateTime.fromISO(iso, { zone: ZONE }).set({ hour: 12 }).toISO({ suppressMilliseconds: false });
    for (let t = Date.UTC(1970, 0, 1); t < Date.UTC(2070, 0, 1); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      expect(occurredAtOf(date)).toBe(luxon(date));
    }
    expect(occurredAtOf('2024-03-31')).toBe('2024-03-31T12:00:00.000+01:00');
    expect(occurredAtOf('2024-10-27')).toBe('2024-10-27T12:00:00.000+00:00');
  });

  it('refuses a date that does not exist', () => {
    expect(() => occurredAtOf('2023-02-29')).toThrow(/not a date/);
    expect(() => occurredAtOf('2023-04-31')).toThrow(/not a date/);
    expect(() => termOf('2023-02-29')).toThrow(/not a date/);
    expect(() => addMonths('2024-13-01', 1)).toThrow(/not a date/);
    expect(() => addDays('2023-02-29', 1)).toThrow(/not a date/);
    expect(() => daysBetween('2024-01-01', '2024-04-31')).toThrow(/not a date/);
    expect(() => termOf('2024-00-10')).toThrow(/not a date/);
  });
});
