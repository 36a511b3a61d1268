/**
 * The domain model (DESIGN §2) as zod schemas with inferred types. Plugins translate their wire
 * formats into these shapes; nothing outside a plugin sees a platform's field names.
 *
 * Time fields are ISO-8601 strings in UTC with `Z`. Budgets use the JSON money shape
 * `{amount:"50.00", currency:"USD"}` with the period alongside.
 */
import { z } from 'zod';

export const PLATFORMS = ['x', 'meta'] as const;
export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

export const OBJECTIVES = [
  'awareness', 'traffic', 'engagement', 'leads', 'sales', 'app_installs', 'video_views', 'followers',
] as const;
export const Objective = z.enum(OBJECTIVES);
export type Objective = z.infer<typeof Objective>;

export const CAMPAIGN_STATUSES = ['active', 'paused', 'draft', 'archived', 'deleted'] as const;
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
