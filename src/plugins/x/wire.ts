/**
 * X Ads API v12 response shapes, validated at the plugin edge. Only the fields adctl reads are
 * required; everything else passes through untouched.
 */
import { z } from 'zod';

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
