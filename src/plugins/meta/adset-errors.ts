/**
 * Meta's ad set validation errors (code 100 with a subcode), classified into typed adctl codes.
 * errors.ts consults this table for every Graph error, so single calls and Graph batch items get
 * the same codes. The kind is always `invalid` (exit 1, never retried): Meta refused the values
 * and applied nothing.
 *
 * Subcodes 1885621, 1815857 and 1885272 are the ones third-party code that handles Meta's answers
 * reports; the others follow the sandbox (src/sandbox/meta/adsets.ts) and are ⚠ unverified
 * against production. The plugin refuses most of these combinations before sending (adgroups.ts);
 * this table covers what only Meta can judge (minimum budgets) and objects changed elsewhere.
 */
export interface AdSetErrorInfo {
  code: string;
  hint: string;
}

export const ADSET_SUBCODES: Readonly<Record<number, AdSetErrorInfo>> = {
  1885621: { code: 'CAMPAIGN_BUDGET_CONFLICT', hint: 'the campaign has a campaign budget (Advantage campaign budget): leave the ad set budget out, or remove the campaign budget first' },
  1885620: { code: 'BUDGET_REQUIRED', hint: 'the campaign has no campaign budget: give the ad set a daily or lifetime budget' },
  1815857: { code: 'BID_AMOUNT_REQUIRED', hint: 'bid caps and cost caps need an amount: pass one with the bid, or bid auto' },
  2446149: { code: 'BID_AMOUNT_NOT_ALLOWED', hint: 'automatic bidding takes no amount: leave the amount out, or bid max / cost_cap' },
  1885272: { code: 'BUDGET_TOO_LOW', hint: "raise the budget to at least the minimum in Meta's message" },
  1487209: { code: 'END_REQUIRED', hint: 'a lifetime budget needs an end time: pass --end' },
  1487149: { code: 'INVALID_SCHEDULE', hint: 'the end must be after the start' },
  1487079: { code: 'INVALID_AGE_RANGE', hint: 'ages run from 13 to 65, and the minimum must not be above the maximum' },
  2490408: { code: 'INVALID_OPTIMIZATION', hint: "choose an optimisation goal the campaign's objective allows (Meta's message lists them)" },
  2490409: { code: 'INVALID_BILLING_EVENT', hint: 'bill on impressions, or choose the optimisation goal the billing event belongs to' },
  1885622: { code: 'BUDGET_TYPE_CHANGE', hint: 'an ad set keeps the budget period it was created with: change the amount only, or create a new ad set' },
  1487756: { code: 'INVALID_TARGETING', hint: 'give at least one country, and placements only for the publisher platforms you chose' },
};
