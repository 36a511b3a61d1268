/**
 * Meta's rate-limit usage headers (REFERENCE §C.12), read only here: they become core's
 * platform-neutral usage reading (`RateLimitState` kind `usage`), and the throttling errors'
 * retry hints. Each header is a JSON string; one that is missing or malformed is ignored (the
 * headers are advice, never a reason to fail a call that succeeded).
 *
 * - `x-app-usage` `{call_count,total_cputime,total_time}`: percent of the app's rolling allowance;
 *   no reset time.
 * - `x-ad-account-usage` `{acc_id_util_pct,reset_time_duration,ads_api_access_tier}`: percent of the
 *   ad account's allowance and the seconds until it resets.
 * - `x-business-use-case-usage` `{"<business object id>":[{type,call_count,total_cputime,total_time,
 *   estimated_time_to_regain_access}]}`: per use case; the regain time is in **minutes** and is
 *   non-zero only while the use case is throttled.
 *
 * The reading is the worst of them all (any one spent stops the call). Its reset time is the ad
 * account's when that is the worst, and unknown otherwise.
 */
import * as z from '../../core/zod.js';
import type { RateLimitState } from '../../core/rate-limit.js';

const pctNumber = z.coerce.number().finite().nonnegative();

export const MetaAppUsage = z.object({
  call_count: pctNumber.optional(),
  total_cputime: pctNumber.optional(),
  total_time: pctNumber.optional(),
});

export const MetaAdAccountUsage = z.object({
  acc_id_util_pct: pctNumber,
  /** Seconds until the account's usage resets. */
  reset_time_duration: pctNumber.optional(),
  ads_api_access_tier: z.string().optional(),
});

export const MetaBucEntry = z.object({
  type: z.string(),
  call_count: pctNumber.optional(),
  total_cputime: pctNumber.optional(),
  total_time: pctNumber.optional(),
  /** Minutes until access comes back; 0 unless throttled. */
  estimated_time_to_regain_access: pctNumber.optional(),
  ads_api_access_tier: z.string().optional(),
});

export const MetaBucUsage = z.record(z.string(), z.array(MetaBucEntry));

export interface MetaUsage {
  app?: z.infer<typeof MetaAppUsage> | undefined;
  adAccount?: z.infer<typeof MetaAdAccountUsage> | undefined;
  /** The entries that apply: the account's own when it is listed, else every business object's. */
  buc: Array<z.infer<typeof MetaBucEntry>>;
}

type Headers = Record<string, unknown> | undefined;

function headerJson<T extends z.ZodType>(headers: Headers, name: string, schema: T): z.infer<T> | undefined {
  const raw = headers?.[name];
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The three usage headers, validated; `account` is the ad account id with or without `act_`. */
export function parseMetaUsage(headers: Headers, account?: string): MetaUsage {
  const buc = headerJson(headers, 'x-business-use-case-usage', MetaBucUsage);
  const id = account?.replace(/^act_/, '');
  const entries = buc ? (id && buc[id] ? buc[id] : Object.values(buc).flat()) : [];
  return {
    app: headerJson(headers, 'x-app-usage', MetaAppUsage),
    adAccount: headerJson(headers, 'x-ad-account-usage', MetaAdAccountUsage),
    buc: entries,
  };
}

const worstOf = (u: { call_count?: number | undefined; total_cputime?: number | undefined; total_time?: number | undefined }) =>
  Math.max(u.call_count ?? 0, u.total_cputime ?? 0, u.total_time ?? 0);

/** Minutes to regain access from the business-use-case header, in ms; undefined when not withheld. */
export function regainMs(u: MetaUsage): number | undefined {
  const minutes = Math.max(0, ...u.buc.map((e) => e.estimated_time_to_regain_access ?? 0));
  return minutes > 0 ? minutes * 60_000 : undefined;
}

/** Seconds until the ad account's usage resets, in ms; undefined when not said. */
export function accountResetMs(u: MetaUsage): number | undefined {
  const sec = u.adAccount?.reset_time_duration;
  return sec ? sec * 1000 : undefined;
}

/** Core's reading of the headers, or undefined when none of them came (or none could be read). */
export function usageReading(headers: Headers, account: string | undefined, nowMs: number): Extract<RateLimitState, { kind: 'usage' }> | undefined {
  const u = parseMetaUsage(headers, account);
  if (!u.app && !u.adAccount && u.buc.length === 0) return undefined;
  const app = u.app ? worstOf(u.app) : 0;
  const acc = u.adAccount?.acc_id_util_pct ?? 0;
  const buc = Math.max(0, ...u.buc.map(worstOf));
  const usedPct = Math.max(app, acc, buc);
  const regain = regainMs(u);
  const reset = u.adAccount && acc >= usedPct ? accountResetMs(u) : undefined;
  return { kind: 'usage', usedPct, regainAtMs: regain ? nowMs + regain : 0, resetAtMs: reset ? nowMs + reset : 0 };
}
