/**
 * Reading times people type (DESIGN §10). Pure: no clock, no I/O; the caller passes the zone.
 *
 * Accepted:
 * - RFC 3339 with an offset: `2026-12-01T09:00:00+01:00`, `2026-12-01T08:00Z` (seconds optional).
 *   The offset decides the instant; the zone is not consulted.
 * - A local wall time: `2026-12-01T09:00`, `2026-12-01 09:00:30`, read in the given IANA zone.
 *   A wall time that does not exist in that zone (the hour skipped when clocks go forward) is
 *   refused. A wall time that exists twice (the hour repeated when clocks go back) is refused too:
 *   it needs an explicit offset, and the error names both.
 *
 * Output instants are UTC ISO-8601 with `Z`, to the second (JSON output, DESIGN §10).
 */
import { usageError } from './errors.js';

export type ZoneSource = 'offset' | 'flag' | 'env' | 'account' | 'profile' | 'system';

export interface ResolvedTime {
  /** The instant, UTC with Z, e.g. `2026-12-01T08:00:00Z`. */
  utc: string;
  /** Unix milliseconds. */
  ms: number;
  /** The zone the text was read in: an IANA name, or `UTC+01:00` for an explicit offset. */
  zone: string;
  /** Where that zone came from, for the "which zone was used" line. */
  source: ZoneSource;
  /** Offset from UTC at that instant, in minutes (east positive). */
  offsetMinutes: number;
}

/** The instants RFC 3339 can write: years 0001–9999 in UTC. */
const FIRST_MS = -62_135_596_800_000;
const LAST_MS = 253_402_300_799_999;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/i;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA zone this runtime knows. */
export function isValidZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at instant `ms`, in minutes. */
export function offsetAt(ms: number, zone: string): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

export const formatOffset = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
};

export const toUtcString = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const EXAMPLES = 'write RFC 3339 with an offset (2026-12-01T09:00:00+01:00) or a local time (2026-12-01T09:00) with --tz Europe/Berlin';

const outOfRange = (text: string, flag: string) =>
  usageError('INVALID_TIME', `${flag} "${text}" is outside the years 0001–9999 in UTC`, 'give a time that RFC 3339 can write in UTC');

/**
 * Read `text` as an instant. `zone` (with its source) is used only for local wall times.
 * `flag` names the option in errors, e.g. `--at`.
 */
export function parseTime(text: string, zone: string, source: Exclude<ZoneSource, 'offset'>, flag = '--at'): ResolvedTime {
  const m = RFC3339.exec(text.trim());
  if (!m) throw usageError('INVALID_TIME', `${flag} "${text}" is not a time adctl can read`, EXAMPLES);
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0);
  const back = new Date(wall);
  // Date.UTC rolls Feb 30 over to March: a rolled value was not a real date.
  if (back.getUTCFullYear() !== Number(y) || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
    throw usageError('INVALID_TIME', `${flag} "${text}" is not a real date and time`, EXAMPLES);
  }
  if (off) {
    const minutes = off.toUpperCase() === 'Z' ? 0 : (off.startsWith('-') ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)));
    // Offset minutes are 00–59 (RFC 3339); no zone is further than 18 hours from UTC.
    if (Math.abs(minutes) > 18 * 60 || Number(off.slice(4, 6) || 0) > 59) throw usageError('INVALID_TIME', `${flag} "${text}" has an impossible offset`, EXAMPLES);
    const ms = wall - minutes * 60_000;
    if (ms < FIRST_MS || ms > LAST_MS) throw outOfRange(text, flag);
    return { utc: toUtcString(ms), ms, zone: minutes === 0 ? 'UTC' : `UTC${formatOffset(minutes)}`, source: 'offset', offsetMinutes: minutes };
  }
  if (!isValidZone(zone)) throw usageError('INVALID_TIME_ZONE', `"${zone}" is not a time zone`, 'use an IANA name such as Europe/Berlin, America/New_York or UTC');
  // Every instant whose wall clock in `zone` reads `wall`: the offsets in force around it are the
  // only candidates (a zone changes offset at most once within a day around any instant here).
  const offsets = new Set([offsetAt(wall - 86_400_000, zone), offsetAt(wall, zone), offsetAt(wall + 86_400_000, zone)]);
  const found = [...offsets].map((o) => wall - o * 60_000).filter((ms) => offsetAt(ms, zone) * 60_000 === wall - ms).sort((a, b) => a - b);
  const local = `${y}-${mo}-${d}T${h}:${mi}${s ? `:${s}` : ''}`;
  if (found.length === 0) {
    throw usageError('NONEXISTENT_LOCAL_TIME', `${local} does not exist in ${zone}: the clocks skip it (daylight saving time starts)`,
      `choose a time outside the skipped hour, or write it with an offset such as ${local}${formatOffset(offsetAt(wall + 86_400_000, zone))}`);
  }
  if (found.length > 1) {
    const choices = found.map((ms) => `${local}${formatOffset(offsetAt(ms, zone))}`);
    throw usageError('AMBIGUOUS_LOCAL_TIME', `${local} happens twice in ${zone} (daylight saving time ends)`, `write it with an offset: ${choices.join(' (first) or ')} (second)`, { choices });
  }
  const ms = found[0]!;
  if (ms < FIRST_MS || ms > LAST_MS) throw outOfRange(text, flag);
  return { utc: toUtcString(ms), ms, zone, source, offsetMinutes: offsetAt(ms, zone) };
}

/** The zone for local times in posts (DESIGN §10): --tz, ADCTL_TZ, the profile's zone, the system zone. */
export function postsZone(options: { flag?: string | undefined; env?: string | undefined; profile?: string | undefined; system?: string | undefined }): { zone: string; source: Exclude<ZoneSource, 'offset'> } {
  if (options.flag) return checked(options.flag, 'flag', '--tz');
  if (options.env) return checked(options.env, 'env', 'ADCTL_TZ');
  if (options.profile) return checked(options.profile, 'profile', 'the profile time zone');
  return { zone: options.system ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC', source: 'system' };
}

function checked(zone: string, source: Exclude<ZoneSource, 'offset'>, name: string): { zone: string; source: Exclude<ZoneSource, 'offset'> } {
  if (!isValidZone(zone)) throw usageError('INVALID_TIME_ZONE', `${name} "${zone}" is not a time zone`, 'use an IANA name such as Europe/Berlin, America/New_York or UTC');
  return { zone, source };
}

/** "2026-12-01 09:00 Europe/Berlin (UTC+01:00, from --tz)": the line that says which zone was used. */
export function describeTime(t: ResolvedTime): string {
  const local = new Date(t.ms + t.offsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  const from = { offset: 'the offset written', flag: '--tz', env: 'ADCTL_TZ', account: 'the ad account', profile: 'the profile', system: 'the system zone' }[t.source];
  return `${local} ${t.zone}${t.source === 'offset' ? '' : ` (UTC${formatOffset(t.offsetMinutes)})`}, zone from ${from}; ${t.utc}`;
}
