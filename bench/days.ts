// Calendar arithmetic for the generator, on plain YYYY-MM-DD strings. The domain's calendar (luxon,
// Europe/London) is exact but costs microseconds a call; generating a million events needs millions of
// dates, and whole days in UTC are all the synthetic histories need.

const DAY_MS = 86_400_000;

export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function plusDays(iso: string, days: number): string {
  return isoOfDay(dayNumber(iso) + days);
}
