/**
 * Report periods (`--since/--until` or `--preset`), resolved per ad account: the dates are days of
 * the account's own zone, so "today" in Tokyo and "today" in New York can be different dates.
 * Pure: the caller passes the instant ("now").
 *
 * Presets, as Meta defines its date presets: `today`; `yesterday`; `last_7d` = the 7 whole days
 * before today (today excluded); `this_month` = the 1st of this month through today.
 */
import { addDays, isDate, localDate, monthStart } from '../core/calendar.js';
import { usageError } from '../core/errors.js';

export const PRESETS = ['today', 'yesterday', 'last_7d', 'this_month'] as const;
export type Preset = (typeof PRESETS)[number];

export interface PeriodSpec {
  preset?: Preset | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

/** Check the flags once (exit 64 on anything wrong), before any request. Default: today. */
export function checkPeriod(spec: PeriodSpec): PeriodSpec {
  if (spec.preset && (spec.since || spec.until)) {
    throw usageError('CONFLICTING_FLAGS', '--preset cannot be combined with --since/--until', 'use either --preset or --since/--until');
  }
  if (spec.preset && !PRESETS.includes(spec.preset)) {
    throw usageError('INVALID_PRESET', `--preset "${spec.preset}" is not a preset`, `use one of: ${PRESETS.join(', ')}`);
  }
  for (const [flag, v] of [['--since', spec.since], ['--until', spec.until]] as const) {
    if (v !== undefined && !isDate(v)) throw usageError('INVALID_DATE', `${flag} "${v}" is not a date`, 'write a date as YYYY-MM-DD (a day in the ad account\'s time zone)');
  }
  if (spec.since && spec.until && spec.since > spec.until) {
    throw usageError('INVALID_PERIOD', `--since ${spec.since} is after --until ${spec.until}`, 'give --since on or before --until');
  }
  return spec.preset || spec.since || spec.until ? spec : { preset: 'today' };
}

/** The inclusive dates of a period in `zone`, as of `nowMs`. `--since` alone runs through today; `--until` alone is that one day. */
export function resolvePeriod(spec: PeriodSpec, zone: string, nowMs: number): { since: string; until: string } {
  const today = localDate(nowMs, zone);
  switch (spec.preset) {
    case 'today': return { since: today, until: today };
    case 'yesterday': return { since: addDays(today, -1), until: addDays(today, -1) };
    case 'last_7d': return { since: addDays(today, -7), until: addDays(today, -1) };
    case 'this_month': return { since: monthStart(today), until: today };
    default: {
      const until = spec.until ?? (spec.since && spec.since > today ? spec.since : today);
      return { since: spec.since ?? until, until };
    }
  }
}
