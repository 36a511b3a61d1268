/**
 * Meta's rate-limit usage in the sandbox (REFERENCE §C.11–C.12): the three usage headers, growing
 * with every call in a window, and the platform's throttling errors once an allowance is spent.
 *
 * - `x-app-usage` `{call_count,total_cputime,total_time}`: percent of the app's allowance, counted
 *   over every call (the sandbox is one app). Spent → error 4.
 * - `x-ad-account-usage` `{acc_id_util_pct,reset_time_duration,ads_api_access_tier}` on calls under
 *   `act_<id>`: percent of that account's allowance and the seconds until it resets. Spent → error
 *   17 (subcode 2446079), or 613 (subcode 1487742) when the limit asks for it.
 * - `x-business-use-case-usage` `{"<account id>":[{type,call_count,total_cputime,total_time,
 *   estimated_time_to_regain_access}]}` on the same calls, per use case (`ads_insights` for insights
 *   paths, `ads_management` otherwise). Spent → error 80000 / 80004 (subcode 2446079), with the
 *   minutes to regain access in the header.
 *
 * Windows are fixed, start with their first call and end on whole seconds. A refused call spends
 * nothing and is counted as over the limit. Throttling answers HTTP 400 with `is_transient`, as Graph
 * does (§C.11: throttling is signalled by `error.code`, not by 429). A Graph batch costs one call per
 * operation. Without limits the headers report a steady 1 % (the platform's quiet state).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxLimit, SandboxRequest, SandboxResponse } from '../types.js';

export interface MetaUsageLimits {
  /** Calls per window that make the app's 100 % (x-app-usage; error 4). */
  app?: SandboxLimit | undefined;
  /** Calls per window per ad account (x-ad-account-usage; error 17, or 613 if `code` says so). */
  adAccount?: (SandboxLimit & { code?: 17 | 613 }) | undefined;
  /** Calls per window per ad account and use case (x-business-use-case-usage; error 80004 / 80000). */
  buc?: SandboxLimit | undefined;
}

interface Window { count: number; resetAtMs: number }

export interface MetaUsageMeter {
  set(limits: MetaUsageLimits | null): void;
  /** Spend the call's units; the usage headers to send, or the throttling answer when an allowance is spent. */
  spend(req: SandboxRequest, nowMs: number): { headers: Record<string, string>; refusal?: SandboxResponse | undefined };
}

const pct = (count: number, max: number) => Math.min(100, Math.round((count / max) * 10_000) / 100);

function accountOf(req: SandboxRequest): string | undefined {
  const direct = /\/act_(\d+)(\/|$)/.exec(req.path)?.[1];
  if (direct) return direct;
  const batch = batchOps(req);
  return batch.map((op) => /(?:^|\/)act_(\d+)(\/|\?|$)/.exec(String(op?.relative_url ?? ''))?.[1]).find(Boolean);
}

function batchOps(req: SandboxRequest): Array<{ relative_url?: unknown }> {
  if (req.method !== 'POST' || req.params.batch === undefined) return [];
  try {
    const ops = JSON.parse(req.params.batch) as unknown;
    return Array.isArray(ops) ? (ops as Array<{ relative_url?: unknown }>) : [];
  } catch {
    return [];
  }
}

function throttled(code: number, subcode: number | undefined, message: string, headers: Record<string, string>): SandboxResponse {
  return {
    status: 400,
    headers,
    body: {
      error: {
        message: `(#${code}) ${message}`, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), is_transient: true,
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

export function createMetaUsage(initial: MetaUsageLimits | null = null): MetaUsageMeter {
  let limits: MetaUsageLimits = initial ?? {};
  const windows = new Map<string, Window>();

  const windowOf = (key: string, limit: SandboxLimit, nowMs: number): Window => {
    let w = windows.get(key);
    if (!w || nowMs >= w.resetAtMs) {
      w = { count: 0, resetAtMs: Math.ceil(nowMs / 1000) * 1000 + limit.windowSec * 1000 };
      windows.set(key, w);
    }
    return w;
  };

  return {
    set(next) {
      limits = next ?? {};
      windows.clear();
    },

    spend(req, nowMs) {
      const cost = Math.max(1, batchOps(req).length);
      const account = accountOf(req);
      const useCase = /\/insights(\/|$)/.test(req.path) ? 'ads_insights' : 'ads_management';
      const app = limits.app ? windowOf('app', limits.app, nowMs) : undefined;
      const acc = account && limits.adAccount ? windowOf(`acc|${account}`, limits.adAccount, nowMs) : undefined;
      const buc = account && limits.buc ? windowOf(`buc|${account}|${useCase}`, limits.buc, nowMs) : undefined;
      const minutesLeft = (w: Window) => Math.ceil((w.resetAtMs - nowMs) / 60_000);

      const headers = (bucSpent = false): Record<string, string> => {
        const h: Record<string, string> = {};
        const appPct = app && limits.app ? pct(app.count, limits.app.max) : 1;
        // Time and CPU grow more slowly than the call count, as they usually do for light reads.
        h['x-app-usage'] = JSON.stringify({ call_count: Math.round(appPct), total_cputime: Math.round(appPct / 2), total_time: Math.round(appPct / 2) });
        if (!account) return h;
        h['x-ad-account-usage'] = JSON.stringify(acc && limits.adAccount
          ? { acc_id_util_pct: pct(acc.count, limits.adAccount.max), reset_time_duration: Math.ceil((acc.resetAtMs - nowMs) / 1000), ads_api_access_tier: 'standard_access' }
          : { acc_id_util_pct: 1, reset_time_duration: 0, ads_api_access_tier: 'standard_access' });
        const bucPct = buc && limits.buc ? pct(buc.count, limits.buc.max) : 1;
        h['x-business-use-case-usage'] = JSON.stringify({
          [account]: [{
            type: useCase, call_count: Math.round(bucPct), total_cputime: Math.round(bucPct / 2), total_time: Math.round(bucPct / 2),
            estimated_time_to_regain_access: bucSpent && buc ? minutesLeft(buc) : 0, ads_api_access_tier: 'standard_access',
          }],
        });
        return h;
      };

      // The narrowest allowance speaks first, as Graph checks the app before the account.
      if (app && limits.app && app.count + cost > limits.app.max) {
        return { headers: {}, refusal: throttled(4, undefined, 'Application request limit reached', headers()) };
      }
      if (acc && limits.adAccount && acc.count + cost > limits.adAccount.max) {
        const r = limits.adAccount.code === 613
          ? throttled(613, 1_487_742, 'Calls to this api have exceeded the rate limit.', headers())
          : throttled(17, 2_446_079, 'User request limit reached', headers());
        return { headers: {}, refusal: r };
      }
      if (buc && limits.buc && buc.count + cost > limits.buc.max) {
        const code = useCase === 'ads_insights' ? 80_000 : 80_004;
        const text = useCase === 'ads_insights'
          ? 'There have been too many calls from this ad-account. Wait a bit and try again.'
          : 'There have been too many calls to this ad-account. Wait a bit and try again.';
        // Only a throttled use case has a time to regain access; it is 0 otherwise.
        return { headers: {}, refusal: throttled(code, 2_446_079, text, headers(true)) };
      }
      if (app) app.count += cost;
      if (acc) acc.count += cost;
      if (buc) buc.count += cost;
      return { headers: headers() };
    },
  };
}
