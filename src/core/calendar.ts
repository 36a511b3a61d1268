/**
 * Calendar days in an IANA zone (ad accounts report and budget by their own zone's days).
 * Pure: no clock, no I/O.
 *
 * Contract:
 * - A date is `YYYY-MM-DD`, a day of the zone's calendar.
 * - `dayStart(date, zone)` is the first instant whose wall date in `zone` is `date`: local
 *   midnight, or the end of the skipped hour in zones whose clocks jump at midnight.
 * - A day lasts `dayStart(next) - dayStart(date)`: 24 hours, or 23/25 on DST change days.
 */
import { offsetAt } from './time.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MINUTE = 60_000;

/** Whether `text` is a real calendar date `YYYY-MM-DD`. */
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** The wall date in `zone` at instant `ms`. */
export function localDate(ms: number, zone: string): string {
  return new Date(ms + offsetAt(ms, zone) * MINUTE).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days (negative goes back). */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date)!;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The first day of `date`'s month. */
export const monthStart = (date: string) => `${date.slice(0, 8)}01`;

/** The first instant (unix ms) of `date` in `zone`. */
export function dayStart(date: string, zone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  // Local midnight with the offset in force then, when it exists and is unambiguous (the usual case).
  for (const o of new Set([offsetAt(wall, zone), offsetAt(wall - 86_400_000, zone), offsetAt(wall + 86_400_000, zone)])) {
    const ms = wall - o * MINUTE;
    if (offsetAt(ms, zone) === o && localDate(ms - MINUTE, zone) < date) return ms;
  }
  // Midnight was skipped: the day starts at the first minute whose wall date is `date`. UTC
  // offsets lie within −12:00…+14:00, so that minute is within 15 hours of the wall time read as UTC.
  let lo = (wall - 15 * 60 * MINUTE) / MINUTE;
  let hi = (wall + 15 * 60 * MINUTE) / MINUTE;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid * MINUTE, zone) >= date) hi = mid;
    else lo = mid + 1;
  }
  return lo * MINUTE;
}

/** The instant range [start, end) of the inclusive dates `since`…`until` in `zone`. */
export function dateRange(since: string, until: string, zone: string): { startMs: number; endMs: number } {
  return { startMs: dayStart(since, zone), endMs: dayStart(addDays(until, 1), zone) };
}
