/**
 * Graph API response shapes, validated at the plugin edge. Budgets come back as strings of minor
 * units; ids are strings.
 */
import { z } from 'zod';

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
