/**
 * X's line item and targeting refusals, classified into typed adctl codes. X answers them all with
 * HTTP 400 and a generic `INVALID_PARAMETER` / `MISSING_PARAMETER` plus the `parameter` it
 * refused (REFERENCE §B.4), so the parameter and the message tell them apart. errors.ts consults
 * this for every X 400; the kind stays `invalid` (exit 1, never retried: X applied nothing).
 *
 * The plugin refuses most of these combinations before sending (adgroups.ts, same codes, exit 64);
 * this covers what only X can judge (minimum budgets) and objects changed elsewhere meanwhile.
 */
export interface LineItemErrorInfo {
  code: string;
  hint: string;
}

interface XErrorItem {
  code?: string | number | undefined;
  message?: string | undefined;
  parameter?: string | undefined;
}

const BUDGET_PARAM = /^(daily|total)_budget_amount_local_micro$/;

export function lineItemError(e: XErrorItem | undefined): LineItemErrorInfo | undefined {
  if (!e) return undefined;
  const code = String(e.code ?? '');
  const p = e.parameter ?? '';
  const m = e.message ?? '';
  if (code === 'TOO_MANY_LINE_ITEMS') return { code: 'TOO_MANY_LINE_ITEMS', hint: 'an X campaign holds at most 100 line items: delete unused ones or use another campaign' };
  if (p === 'bid_amount_local_micro' && code === 'MISSING_PARAMETER') return { code: 'BID_AMOUNT_REQUIRED', hint: 'max and target bids need an amount: pass one with the bid, or bid auto' };
  if (p === 'bid_strategy' && /not allowed/i.test(m)) return { code: 'BID_STRATEGY_NOT_ALLOWED', hint: 'MAX bids are not available for REACH or FOLLOWERS line items, TARGET only for REACH, FOLLOWERS and WEBSITE_CLICKS: bid auto or change the strategy' };
  if (p === 'objective' && /must all use/i.test(m)) return { code: 'MIXED_OBJECTIVES', hint: "all line items of an X campaign share one objective: use the campaign's objective, or another campaign" };
  if (p === 'goal') return { code: 'INVALID_OPTIMIZATION', hint: "choose an optimisation goal the line item's objective allows (X's message lists them)" };
  if (p === 'start_time' || p === 'end_time') return { code: 'INVALID_SCHEDULE', hint: 'the end must be after the start (RFC 3339 times)' };
  if (/multiple of/i.test(m)) return { code: 'AMOUNT_PRECISION', hint: 'X takes amounts in whole steps of 0.01 of the currency (10,000 micros)' };
  if (BUDGET_PARAM.test(p) && /exceeds/i.test(m)) return { code: 'BUDGET_ABOVE_CAMPAIGN', hint: "keep the ad group's budget at or under its campaign's budget of the same period, or raise the campaign's first" };
  if (BUDGET_PARAM.test(p) && /at least/i.test(m)) return { code: 'BUDGET_TOO_LOW', hint: "raise the budget to at least the minimum in X's message" };
  if (BUDGET_PARAM.test(p) && /less than or equal/i.test(m)) return { code: 'DAILY_ABOVE_TOTAL', hint: 'a daily budget may not exceed the total budget: lower the daily budget or raise the total' };
  if (p === 'targeting_type' && /single age bucket/i.test(m)) return { code: 'INVALID_AGE_RANGE', hint: 'an X line item targets one age bucket: replace it instead of adding another' };
  if (p === 'targeting_value' || p === 'targeting_type') return { code: 'INVALID_TARGETING', hint: "check the targeting values (countries are ISO 3166 codes; X's message says which value it refused)" };
  return undefined;
}
