/**
 * The X part of sandbox state and its seed. Everything here is deterministic given `now`, so two
 * sandboxes started at the same instant hold the same data.
 *
 * Shapes follow the X Ads API v12 entities (REFERENCE §B.6, wire/fixtures/x-ads): ids are short
 * base-36 strings, money is integer micros of the funding instrument's currency, times are ISO
 * 8601 UTC without milliseconds.
 */
import { SANDBOX_X } from '../credentials.js';
import type { SandboxState } from '../state.js';
import { countryLocations } from './locations.js';
import { DEFAULT_GOAL } from './line-item-rules.js';

/** A line item's targeting criterion, as X's targeting_criteria endpoint returns it (targeting.ts). */
export interface XTargetingCriterion {
  id: string; account_id: string; line_item_id: string; name: string; targeting_type: string; targeting_value: string;
  operator_type: string; location_type: string | null; created_at: string; updated_at: string; deleted: boolean;
}

export interface XCredential {
  apiKey: string;
  apiSecret: string;
  accessToken: string;
  accessSecret: string;
  /** The X user behind the access token. */
  userId: string;
  /** Ads accounts this user can use; absent means every account (state written before this field). */
  accountIds?: string[];
  /** ISO time after which the token is refused as expired; null never expires. */
  expiresAt?: string | null;
}

export interface XAccount {
  id: string; name: string; business_name: string | null; business_id: string | null; timezone: string; timezone_switch_at: string;
  approval_status: string; created_at: string; updated_at: string; deleted: boolean;
}

export interface XFunding {
  id: string; account_id: string; type: string; description: string; currency: string; entity_status: string; able_to_fund: boolean;
  reasons_not_able_to_fund: string[]; paused: boolean; cancelled: boolean; io_header: string | null; start_time: string; end_time: string | null;
  credit_limit_local_micro: number | null; funded_amount_local_micro: number | null; credit_remaining_local_micro: number | null;
  created_at: string; updated_at: string; deleted: boolean;
}

export interface XCampaign {
  id: string; account_id: string; name: string; funding_instrument_id: string; entity_status: string; currency: string;
  daily_budget_amount_local_micro: number | null; total_budget_amount_local_micro: number | null; budget_optimization: string;
  standard_delivery: boolean | null; purchase_order_number: string | null; servable: boolean; reasons_not_servable: string[];
  effective_status: string; frequency_cap: number | null; duration_in_days: number | null; created_at: string; updated_at: string; deleted: boolean;
}

export interface XLineItem {
  id: string; account_id: string; campaign_id: string; name: string | null; objective: string; product_type: string; placements: string[];
  entity_status: string; bid_strategy: string; bid_amount_local_micro: number | null; goal: string | null; pay_by: string | null;
  daily_budget_amount_local_micro: number | null; total_budget_amount_local_micro: number | null; currency: string;
  start_time: string | null; end_time: string | null; standard_delivery: boolean | null; advertiser_domain: string | null; categories: string[];
  creative_source: string; target_cpa_local_micro: number | null; automatic_tweet_promotion: boolean | null;
  created_at: string; updated_at: string; deleted: boolean;
}

export interface XState {
  credentials: XCredential[];
  accounts: XAccount[];
  fundingInstruments: XFunding[];
  campaigns: XCampaign[];
  lineItems: XLineItem[];
  /** Absent in state written before targeting criteria existed (targeting.ts creates it). */
  targetingCriteria?: XTargetingCriterion[];
}

export const xOf = (s: SandboxState) => s.x as unknown as XState;

/** ISO 8601 UTC to the second, as X writes times. */
export const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Ids like X's: short base-36 strings. Generated ids start at "80000" + seq, far from the seeded ones. */
export const idFromSeq = (seq: number) => (8 * 36 ** 4 + seq).toString(36);

/** Campaign-level serving fields derived from its status, as X reports them. */
export function servingFields(status: string, fresh: boolean): Pick<XCampaign, 'servable' | 'reasons_not_servable' | 'effective_status'> {
  if (status === 'ACTIVE') {
    // A new campaign has no line items yet: X reports it INCOMPLETE until something can serve.
    return fresh ? { servable: false, reasons_not_servable: ['INCOMPLETE'], effective_status: 'UNKNOWN' } : { servable: true, reasons_not_servable: [], effective_status: 'RUNNING' };
  }
  if (status === 'DRAFT') return { servable: false, reasons_not_servable: ['INCOMPLETE'], effective_status: 'UNKNOWN' };
  return { servable: false, reasons_not_servable: ['PAUSED_BY_ADVERTISER'], effective_status: 'PAUSED' };
}

export const SECOND_ACCOUNT_ID = 'gq1844';

export function seedX(now: Date): XState {
  const t = iso(new Date(now.getTime() - 30 * 86_400_000));
  const start = iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 7 * 86_400_000));
  const account = (id: string, name: string, timezone: string): XAccount => ({
    id, name, business_name: name, business_id: null, timezone, timezone_switch_at: t, approval_status: 'ACCEPTED', created_at: t, updated_at: t, deleted: false,
  });
  const funding = (id: string, accountId: string, currency: string, type: string, description: string, ableToFund: boolean): XFunding => ({
    id, account_id: accountId, type, description, currency, entity_status: 'ACTIVE', able_to_fund: ableToFund,
    reasons_not_able_to_fund: ableToFund ? [] : ['EXPIRED'], paused: false, cancelled: false, io_header: null, start_time: t,
    end_time: null, credit_limit_local_micro: type === 'CREDIT_LINE' ? 10_000_000_000 : null,
    funded_amount_local_micro: type === 'INSERTION_ORDER' ? 5_000_000_000 : null, credit_remaining_local_micro: null,
    created_at: t, updated_at: t, deleted: false,
  });
  const campaign = (id: string, accountId: string, fi: string, currency: string, name: string, status: string, daily: number | null, total: number | null): XCampaign => ({
    id, account_id: accountId, name, funding_instrument_id: fi, entity_status: status, currency, daily_budget_amount_local_micro: daily,
    total_budget_amount_local_micro: total, budget_optimization: 'LINE_ITEM', standard_delivery: null, purchase_order_number: null,
    ...servingFields(status, false), frequency_cap: null, duration_in_days: null, created_at: t, updated_at: t, deleted: false,
  });
  const lineItem = (id: string, campaignId: string, objective: string, productType: string, status: string, bidStrategy: string): XLineItem => ({
    id, account_id: SANDBOX_X.adsAccountId, campaign_id: campaignId, name: null, objective, product_type: productType, placements: ['ALL_ON_TWITTER'],
    entity_status: status, bid_strategy: bidStrategy, bid_amount_local_micro: bidStrategy === 'AUTO' ? null : 1_500_000, goal: DEFAULT_GOAL[objective] ?? null, pay_by: null,
    daily_budget_amount_local_micro: null, total_budget_amount_local_micro: null, currency: 'USD', start_time: start, end_time: null,
    standard_delivery: true, advertiser_domain: null, categories: [], creative_source: 'MANUAL', target_cpa_local_micro: null,
    automatic_tweet_promotion: null, created_at: t, updated_at: t, deleted: false,
  });
  return {
    credentials: [{ ...SANDBOX_X, accountIds: [SANDBOX_X.adsAccountId, SECOND_ACCOUNT_ID], expiresAt: null }],
    accounts: [account(SANDBOX_X.adsAccountId, 'Sandbox Coffee (X)', 'America/New_York'), account(SECOND_ACCOUNT_ID, 'Sandbox Bakery (X)', 'Europe/Berlin')],
    fundingInstruments: [
      // The USD account: one instrument able to fund, one expired one that cannot (X keeps those listed).
      funding('5aa0p', SANDBOX_X.adsAccountId, 'USD', 'CREDIT_CARD', 'Sandbox card ending 4242', true),
      funding('7cdql', SANDBOX_X.adsAccountId, 'USD', 'INSERTION_ORDER', 'Sandbox insertion order 2025 (expired)', false),
      // The EUR account: two instruments able to fund, so a create must name one.
      funding('hw1p7', SECOND_ACCOUNT_ID, 'EUR', 'CREDIT_CARD', 'Sandbox card ending 1881', true),
      funding('hw1p8', SECOND_ACCOUNT_ID, 'EUR', 'CREDIT_LINE', 'Sandbox credit line Q4', true),
    ],
    campaigns: [
      campaign('8wku2', SANDBOX_X.adsAccountId, '5aa0p', 'USD', 'Holiday Espresso', 'ACTIVE', 50_000_000, null),
      campaign('8wku3', SANDBOX_X.adsAccountId, '5aa0p', 'USD', 'Cold Brew Launch', 'PAUSED', 25_500_000, 1_000_000_000),
      campaign('8wku4', SANDBOX_X.adsAccountId, '5aa0p', 'USD', 'Always-on Followers', 'ACTIVE', null, 3_000_000_000),
      campaign('9bq01', SECOND_ACCOUNT_ID, 'hw1p7', 'EUR', 'Stollen Season', 'PAUSED', 40_000_000, null),
    ],
    lineItems: [
      lineItem('l1a01', '8wku2', 'WEBSITE_CLICKS', 'PROMOTED_TWEETS', 'ACTIVE', 'AUTO'),
      lineItem('l1a02', '8wku4', 'FOLLOWERS', 'PROMOTED_ACCOUNT', 'ACTIVE', 'TARGET'),
    ],
    // The website-clicks line item targets the United States, people 25 to 49.
    targetingCriteria: [
      { id: 't1a01', account_id: SANDBOX_X.adsAccountId, line_item_id: 'l1a01', name: 'United States', targeting_type: 'LOCATION', targeting_value: countryLocations().find((l) => l.country_code === 'US')!.targeting_value, operator_type: 'EQ', location_type: 'COUNTRIES', created_at: t, updated_at: t, deleted: false },
      { id: 't1a02', account_id: SANDBOX_X.adsAccountId, line_item_id: 'l1a01', name: '25 to 49', targeting_type: 'AGE', targeting_value: 'AGE_25_TO_49', operator_type: 'EQ', location_type: null, created_at: t, updated_at: t, deleted: false },
    ],
  };
}
