/**
 * The sandbox's seeded Meta ad sets (state `meta.adSets`), kept apart from the routes in
 * adsets.ts so the Meta seed (index.ts) can import them without a module cycle.
 *
 * They follow Meta's budget rule on the seeded campaigns: Winter Ramen, Gyoza Sales and Ramadan
 * Dates have campaign budgets (Advantage campaign budget), so their ad sets carry none; Brand
 * Awareness Tokyo has no campaign budget, so each of its ad sets has its own. Budgets are strings
 * of the account currency's Meta unit (whole yen for JPY, fils for KWD).
 */
export interface MetaAdSet {
  id: string;
  account_id: string;
  campaign_id: string;
  name: string;
  /** The configured status: ACTIVE, PAUSED, ARCHIVED or DELETED. */
  status: string;
  daily_budget: string | null;
  lifetime_budget: string | null;
  bid_strategy: string;
  bid_amount: number | null;
  optimization_goal: string;
  billing_event: string;
  targeting: Record<string, unknown>;
  /** Graph times, `2026-11-09T00:00:00+0000`. */
  start_time: string;
  end_time: string | null;
  created_time: string;
  updated_time: string;
}

export function seedAdSets(t: string): MetaAdSet[] {
  const adSet = (id: string, accountId: string, campaignId: string, name: string, status: string, goal: string, over: Partial<MetaAdSet> = {}): MetaAdSet => ({
    id, account_id: accountId, campaign_id: campaignId, name, status, daily_budget: null, lifetime_budget: null,
    bid_strategy: 'LOWEST_COST_WITHOUT_CAP', bid_amount: null, optimization_goal: goal, billing_event: 'IMPRESSIONS',
    targeting: { geo_locations: { countries: ['JP'] } }, start_time: t, end_time: null, created_time: t, updated_time: t, ...over,
  });
  return [
    adSet('120220000000001', '1001', '120210000000101', 'Ramen lovers 25-44', 'ACTIVE', 'LINK_CLICKS', {
      targeting: { geo_locations: { countries: ['JP'] }, age_min: 25, age_max: 44, publisher_platforms: ['facebook', 'instagram'], facebook_positions: ['feed'], instagram_positions: ['stream'] },
    }),
    adSet('120220000000002', '1001', '120210000000101', 'Ramen Osaka', 'PAUSED', 'LANDING_PAGE_VIEWS'),
    adSet('120220000000003', '1001', '120210000000102', 'Gyoza buyers', 'PAUSED', 'OFFSITE_CONVERSIONS'),
    adSet('120220000000004', '1001', '120210000000103', 'Tokyo reach 18-65', 'ACTIVE', 'REACH', {
      daily_budget: '2000', targeting: { geo_locations: { countries: ['JP'] }, age_min: 18, age_max: 65 },
    }),
    adSet('120220000000005', '1001', '120210000000103', 'Tokyo reach, capped', 'PAUSED', 'REACH', {
      daily_budget: '1500', bid_strategy: 'LOWEST_COST_WITH_BID_CAP', bid_amount: 300,
      targeting: { geo_locations: { countries: ['JP'] }, publisher_platforms: ['instagram'], instagram_positions: ['stream', 'story'] },
    }),
    adSet('120220000000006', '1002', '120210000000201', 'Dates lovers Kuwait', 'PAUSED', 'OFFSITE_CONVERSIONS', {
      targeting: { geo_locations: { countries: ['KW'] }, age_min: 21 },
    }),
  ];
}
