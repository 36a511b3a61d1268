/**
 * Graph API response shapes, validated at the plugin edge. Budgets come back as strings of minor
 * units; ids are strings.
 */
import * as z from '../../core/zod.js';

const Units = z.union([z.string().regex(/^\d+$/), z.number().int()]).optional();

export const MetaAccountWire = z.object({ id: z.string(), name: z.string(), currency: z.string().length(3), timezone_name: z.string() }).loose();
export const MetaCampaignWire = z.object({
  id: z.string(),
  account_id: z.string().optional(),
  name: z.string(),
  objective: z.string().optional(),
  status: z.string().optional(),
  configured_status: z.string().optional(),
  effective_status: z.string().optional(),
  daily_budget: Units,
  lifetime_budget: Units,
  created_time: z.string().optional(),
  start_time: z.string().optional(),
  stop_time: z.string().optional(),
}).loose();
export const MetaCreated = z.object({ id: z.string() }).loose();
export const MetaSuccess = z.object({ success: z.literal(true) }).loose();
export const MetaPage = z.object({
  data: z.array(MetaCampaignWire),
  paging: z.object({ next: z.string().url().optional() }).loose().optional(),
}).loose();

export type MetaCampaignWire = z.infer<typeof MetaCampaignWire>;

// Pages and Instagram (issue 5, REFERENCE §C.8–C.9).
const Paging = z.object({ next: z.string().url().optional() }).loose().optional();
export const PageToken = z.object({ id: z.string().optional(), access_token: z.string().min(1).optional() }).loose();
export const FbPost = z.object({
  id: z.string(),
  message: z.string().optional(),
  created_time: z.string().optional(),
  permalink_url: z.string().optional(),
  is_published: z.boolean().optional(),
  scheduled_publish_time: z.union([z.number().int(), z.string()]).optional(),
}).loose();
export const FbPostList = z.object({ data: z.array(FbPost), paging: Paging }).loose();
/** A photo: `post_id` is the feed story when the photo is published or scheduled. */
export const FbPhotoCreated = z.object({ id: z.string(), post_id: z.string().optional() }).loose();
export const IgContainerStatus = z.object({
  id: z.string().optional(),
  status_code: z.enum(['IN_PROGRESS', 'FINISHED', 'PUBLISHED', 'ERROR', 'EXPIRED']),
  status: z.string().optional(),
}).loose();
export const IgMedia = z.object({
  id: z.string(),
  caption: z.string().optional(),
  media_type: z.string().optional(),
  media_url: z.string().optional(),
  permalink: z.string().optional(),
  timestamp: z.string().optional(),
}).loose();
export const IgMediaList = z.object({ data: z.array(IgMedia), paging: Paging }).loose();
export const IgPublishingLimit = z.object({
  data: z.array(z.object({
    quota_usage: z.number().int().nonnegative(),
    config: z.object({ quota_total: z.number().int().nonnegative(), quota_duration: z.number().int().optional() }).loose().optional(),
  }).loose()),
}).loose();
