/**
 * X Ads API v12 response shapes, validated at the plugin edge. Only the fields adctl reads are
 * required; everything else passes through untouched.
 */
import * as z from '../../core/zod.js';

const Id = z.string().min(1);
const Micros = z.number().int().nullable().optional();

export const XAccountWire = z.object({ id: Id, name: z.string(), timezone: z.string() }).loose();
export const XFundingWire = z.object({
  id: Id, currency: z.string().length(3), description: z.string().nullable().optional(), able_to_fund: z.boolean(), deleted: z.boolean().optional(),
}).loose();
export const XCampaignWire = z.object({
  id: Id,
  name: z.string(),
  entity_status: z.string(),
  currency: z.string().length(3),
  funding_instrument_id: z.string().optional(),
  daily_budget_amount_local_micro: Micros,
  total_budget_amount_local_micro: Micros,
  created_at: z.string().nullable().optional(),
  deleted: z.boolean().optional(),
}).loose();
export const XLineItemWire = z.object({ id: Id, campaign_id: Id, objective: z.string() }).loose();

export const one = <T extends z.ZodType>(data: T) => z.object({ data }).loose();
export const many = <T extends z.ZodType>(data: T) => z.object({ data: z.array(data), next_cursor: z.string().nullable().optional() }).loose();

export type XCampaignWire = z.infer<typeof XCampaignWire>;
export type XAccountWire = z.infer<typeof XAccountWire>;
export type XFundingWire = z.infer<typeof XFundingWire>;

// X API v2 posts and media (issue 5, REFERENCE §A.2–A.7) and Ads API scheduled_tweets (§B.6).
const NumericId = z.string().regex(/^\d{1,19}$/);
export const XTweet = z.object({
  id: NumericId, text: z.string(), created_at: z.string().optional(), author_id: z.string().optional(),
  attachments: z.object({ media_keys: z.array(z.string()).optional() }).loose().optional(),
}).loose();
export type XTweet = z.infer<typeof XTweet>;
export const XCreatedPost = z.object({ data: z.object({ id: NumericId, text: z.string() }).loose() }).loose();
/** A lookup: `data`, or only `errors[]` when the post is missing (200, REFERENCE §A.5). */
export const XTweetLookup = z.object({ data: XTweet.optional(), errors: z.array(z.object({ detail: z.string().optional() }).loose()).optional() }).loose();
export const XTimeline = z.object({
  data: z.array(XTweet).optional(),
  meta: z.object({ result_count: z.number().int().optional(), next_token: z.string().optional() }).loose().optional(),
}).loose();
export const XUserMe = z.object({ data: z.object({ id: NumericId }).loose() }).loose();
export const XDeleted = z.object({ data: z.object({ deleted: z.boolean() }).loose() }).loose();
export const XProcessingInfo = z.object({
  state: z.enum(['pending', 'in_progress', 'succeeded', 'failed']),
  check_after_secs: z.number().nonnegative().optional(),
  progress_percent: z.number().optional(),
  error: z.object({ code: z.number().optional(), name: z.string().optional(), message: z.string().optional() }).loose().optional(),
}).loose();
export const XMediaInit = z.object({ data: z.object({ id: NumericId, media_key: z.string().optional() }).loose() }).loose();
export const XMediaAppend = z.object({}).loose();
export const XMediaFinalize = z.object({ data: z.object({ id: NumericId, processing_info: XProcessingInfo.optional() }).loose() }).loose();
export const XMediaStatus = z.object({ data: z.object({ processing_info: XProcessingInfo.optional() }).loose() }).loose();
export const XScheduledTweet = z.object({
  id: z.string().min(1), text: z.string().nullable().optional(), scheduled_at: z.string(), scheduled_status: z.string(),
  tweet_id: z.string().nullable().optional(), completed_at: z.string().nullable().optional(), media_keys: z.array(z.string()).nullable().optional(),
}).loose();
export const XScheduledEnvelope = z.object({ data: XScheduledTweet }).loose();
export const XScheduledList = z.object({ data: z.array(XScheduledTweet) }).loose();
