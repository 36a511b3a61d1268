/**
 * The domain model (DESIGN §2) as zod schemas with inferred types. Plugins translate their wire
 * formats into these shapes; nothing outside a plugin sees a platform's field names.
 *
 * Time fields are ISO-8601 strings in UTC with `Z`. Budgets use the JSON money shape
 * `{amount:"50.00", currency:"USD"}` with the period alongside.
 */
import * as z from './zod.js';
import { BID_STRATEGIES, CAMPAIGN_STATUSES, CHANNELS, OBJECTIVES, PLACEMENTS, PLATFORMS, PUBLISHER_PLATFORMS } from './vocabulary.js';

export { BID_STRATEGIES, CAMPAIGN_STATUSES, CHANNELS, OBJECTIVES, PLACEMENTS, PLATFORMS, PUBLISHER_PLATFORMS };

export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

export const Objective = z.enum(OBJECTIVES);
export type Objective = z.infer<typeof Objective>;

export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const BudgetPeriod = z.enum(['daily', 'lifetime']);
export type BudgetPeriod = z.infer<typeof BudgetPeriod>;

/** A budget as shown to users and in `--json`: never a float. */
export const Budget = z.object({
  period: BudgetPeriod,
  amount: z.string().regex(/^\d+(\.\d+)?$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Budget = z.infer<typeof Budget>;

/** `<platform>:<id>`, e.g. `x:8wku2` or `meta:120210000000001`; parsed by `parseRef` in ref.ts. */
export interface ParsedRef {
  platform: Platform;
  id: string;
}

const IsoTime = z.string().datetime({ offset: false }).nullable();

export const AdAccount = z.object({
  ref: z.string(),
  platform: Platform,
  id: z.string(),
  name: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** IANA zone the platform reports for the account (day boundaries for budgets and reports). */
  timezone: z.string(),
});
export type AdAccount = z.infer<typeof AdAccount>;

export const FundingInstrument = z.object({
  id: z.string(),
  description: z.string(),
  currency: z.string(),
  ableToFund: z.boolean(),
});
export type FundingInstrument = z.infer<typeof FundingInstrument>;

export const Campaign = z.object({
  ref: z.string(),
  platform: Platform,
  id: z.string(),
  /** Ad account id as the platform writes it (X `18ce54d4x5t`, Meta `act_1001`). */
  account: z.string(),
  name: z.string(),
  objective: Objective.nullable(),
  status: CampaignStatus,
  budget: Budget.nullable(),
  start: IsoTime,
  end: IsoTime,
  createdAt: IsoTime,
});
export type Campaign = z.infer<typeof Campaign>;

/** Exact budget for writes: integer minor units of the account currency. */
export interface BudgetInput {
  period: BudgetPeriod;
  money: import('./money.js').Money;
}

export interface CampaignCreateInput {
  name: string;
  objective: Objective;
  /** Paid objects are created paused unless the user asked for active (DESIGN, rules). */
  status: 'active' | 'paused';
  budget: BudgetInput | null;
  /** X only: which funding instrument pays. Without it the plugin picks the only one able to fund. */
  fundingInstrumentId?: string | undefined;
  /** Meta only: special ad categories; `[]` when not given. */
  specialAdCategories?: string[] | undefined;
}

export interface CampaignPatch {
  name?: string | undefined;
  status?: 'active' | 'paused' | 'archived' | undefined;
  budget?: BudgetInput | undefined;
}

export interface CampaignQuery {
  /** Only these statuses; all but deleted when omitted. */
  statuses?: CampaignStatus[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Ad groups (issue 4): a Meta ad set or an X line item.
// ---------------------------------------------------------------------------------------------

export const BidStrategy = z.enum(BID_STRATEGIES);
export type BidStrategy = z.infer<typeof BidStrategy>;

/** `amount` is null for `auto`. Money JSON shape, never a float. */
export const Bid = z.object({
  strategy: BidStrategy,
  amount: z.object({ amount: z.string().regex(/^\d+(\.\d+)?$/), currency: z.string().regex(/^[A-Z]{3}$/) }).nullable(),
});
export type Bid = z.infer<typeof Bid>;

/** The basic targeting both platforms share. Countries are ISO-3166 alpha-2, upper case. */
export const Targeting = z.object({
  countries: z.array(z.string().regex(/^[A-Z]{2}$/)),
  ageMin: z.number().int().min(13).max(65).nullable(),
  ageMax: z.number().int().min(13).max(65).nullable(),
  publisherPlatforms: z.array(z.enum(PUBLISHER_PLATFORMS)),
  placements: z.array(z.enum(PLACEMENTS)),
});
export type Targeting = z.infer<typeof Targeting>;

export const AdGroup = z.object({
  ref: z.string(),
  platform: Platform,
  id: z.string(),
  /** The parent campaign's ref. */
  campaign: z.string(),
  name: z.string(),
  status: CampaignStatus,
  budget: Budget.nullable(),
  bid: Bid.nullable(),
  /** The platform's optimisation goal, mapped from the campaign objective (e.g. LINK_CLICKS). */
  optimization: z.string().nullable(),
  /** UTC with Z; the CLI reads and prints them in the account's time zone. */
  schedule: z.object({ start: IsoTime, end: IsoTime }),
  targeting: Targeting,
});
export type AdGroup = z.infer<typeof AdGroup>;

export interface BidInput {
  strategy: BidStrategy;
  /** Integer minor units of the account currency; null for `auto`. */
  money: import('./money.js').Money | null;
}

export interface AdGroupCreateInput {
  campaignId: string;
  name: string;
  status: 'active' | 'paused';
  budget: BudgetInput | null;
  bid: BidInput | null;
  /** Defaults from the campaign objective when omitted. */
  optimization?: string | undefined;
  /**
   * The campaign objective the ad group serves. Only needed where the platform keeps objectives on
   * ad groups and the campaign has none yet (an X campaign without line items); a value that
   * differs from the campaign's is refused before sending.
   */
  objective?: Objective | undefined;
  /** UTC ISO instants. */
  start?: string | null | undefined;
  end?: string | null | undefined;
  targeting: Partial<Targeting>;
}

export interface AdGroupPatch {
  name?: string | undefined;
  status?: 'active' | 'paused' | 'archived' | undefined;
  budget?: BudgetInput | undefined;
  bid?: BidInput | undefined;
  start?: string | null | undefined;
  end?: string | null | undefined;
  targeting?: Partial<Targeting> | undefined;
}

export interface AdGroupQuery {
  campaignId?: string | undefined;
  statuses?: CampaignStatus[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Insights (issue 4): Meta insights and X Ads stats, as exact integers.
// ---------------------------------------------------------------------------------------------

export interface InsightsQuery {
  level: 'campaign' | 'adgroup';
  /** Inclusive calendar dates `YYYY-MM-DD` in the ad account's time zone. */
  since: string;
  until: string;
  /** Restrict to these platform ids (of `level`); all in the account when omitted. */
  ids?: string[] | undefined;
}

export const InsightsRow = z.object({
  ref: z.string(),
  platform: Platform,
  level: z.enum(['campaign', 'adgroup']),
  id: z.string(),
  name: z.string().nullable(),
  since: z.string(),
  until: z.string(),
  impressions: z.number().int().nonnegative(),
  clicks: z.number().int().nonnegative(),
  /** Spend in integer minor units of `currency` (X micros are converted exactly at the plugin edge). */
  spendMinor: z.number().int().nonnegative(),
  /**
   * The same spend exactly, in micros of the major unit (X bills in micros, which may be finer
   * than the minor unit; `spendMinor` is then truncated). Plugins set it; reports use it.
   */
  spendMicros: z.number().int().nonnegative().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** The objective's result count (conversions, link clicks, …); null when the platform gives none. */
  results: z.number().int().nonnegative().nullable(),
});
export type InsightsRow = z.infer<typeof InsightsRow>;

// ---------------------------------------------------------------------------------------------
// Posts (issue 5). A post's ref is `<channel>:<id>` (x, facebook, instagram).
// ---------------------------------------------------------------------------------------------

export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const PostStatus = z.enum(['published', 'scheduled', 'failed', 'unknown']);
export type PostStatus = z.infer<typeof PostStatus>;

export const Post = z.object({
  ref: z.string(),
  channel: Channel,
  id: z.string(),
  text: z.string(),
  media: z.array(z.string()),
  status: PostStatus,
  scheduledAt: IsoTime,
  publishedAt: IsoTime,
  url: z.string().nullable(),
});
export type Post = z.infer<typeof Post>;

/** A media item: a local file (uploaded by the plugin) or a public https URL. */
export type MediaInput = { kind: 'file'; path: string; mimeType: string; bytes: number } | { kind: 'url'; url: string; mimeType?: string | undefined };

export interface PostCreateInput {
  channel: Channel;
  text: string;
  media: MediaInput[];
  /** Platform id of the post replied to (same channel). */
  replyToId?: string | undefined;
  /** UTC ISO instant; only for channels whose plugin declares native scheduling. */
  scheduledAt?: string | undefined;
}

export interface PostQuery {
  channel: Channel;
  /** Newest first; the plugin pages until `limit` or `since` (UTC ISO) is reached. */
  limit?: number | undefined;
  since?: string | undefined;
  includeScheduled?: boolean | undefined;
}

/** Per-channel limits a plugin declares; the CLI checks them before sending (DESIGN §10). */
export interface ChannelRules {
  channel: Channel;
  maxTextLength: number;
  maxMedia: number;
  mediaTypes: string[];
  /** Native scheduling window in seconds from now, or null when the channel cannot schedule natively. */
  schedulingWindow: { minSeconds: number; maxSeconds: number } | null;
  /** Instagram needs public URLs; local files are refused with a hint. */
  mediaMustBeUrl: boolean;
  /** A video or GIF must be the only media item (X: up to 4 images, or 1 video or GIF). */
  singleVideo?: boolean | undefined;
  /** How `maxTextLength` is counted (core/text.ts); code points when absent. */
  textCounting?: import('./text.js').TextCounting | undefined;
}

// ---------------------------------------------------------------------------------------------
// Bulk (issue 6): one result per item, in input order.
// ---------------------------------------------------------------------------------------------

export interface BatchItemResult<T> {
  id: string;
  ok: boolean;
  value?: T | undefined;
  /** Set when !ok: an AdctlError-shaped failure classified by the plugin. */
  error?: { code: string; message: string; exitCode: number } | undefined;
}
