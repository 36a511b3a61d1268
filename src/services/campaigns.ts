/**
 * Cross-platform campaign work. Commands call these; these call adapters. No wire format here.
 *
 * Money typed by the user is checked (syntax, decimals, currency) before any write: against the
 * currency the user wrote first, then against the account's currency (cached after the first
 * look-up, see accounts.ts).
 */
import type { PlatformAdapter } from '../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../core/errors.js';
import { parseMoney } from '../core/money.js';
import type { BudgetInput, BudgetPeriod, Campaign, CampaignPatch, CampaignStatus, Objective, Platform } from '../core/model.js';
import { parseRef } from '../core/ref.js';
import { getAccount } from './accounts.js';
import type { Session } from './session.js';
import { budgetFrom, enforceGuardrails } from './write/guardrails.js';
import type { Confirmer } from './write/confirm.js';
import { performWrite, type WriteOutcome } from './write/pipeline.js';

export interface PlatformFailure {
  platform: Platform;
  error: AdctlError;
}

export interface ListResult {
  campaigns: Campaign[];
  failures: PlatformFailure[];
}

/** Fan out to every enabled (and configured) plugin concurrently; one platform failing does not hide the others. */
export async function listCampaigns(session: Session, query: { platform?: Platform; statuses?: CampaignStatus[] }): Promise<ListResult> {
  const platforms = session.fanOutPlatforms(query.platform);
  const settled = await Promise.allSettled(
    platforms.map(async (p) => (await session.adapter(p, 'campaigns.read')).listCampaigns({ statuses: query.statuses })),
  );
  const campaigns: Campaign[] = [];
  const failures: PlatformFailure[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') campaigns.push(...s.value);
    else failures.push({ platform: platforms[i]!, error: asAdctlError(s.reason, platforms[i]!) });
  });
  return { campaigns, failures };
}

function asAdctlError(e: unknown, platform: Platform): AdctlError {
  if (e instanceof AdctlError) return e;
  return new AdctlError('INTERNAL_ERROR', `${platform}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILURE, {
    platform, hint: 'run with --debug and report this as a bug', cause: e,
  });
}

export async function getCampaign(session: Session, refText: string): Promise<Campaign> {
  const ref = parseRef(refText);
  const adapter = await session.adapter(ref.platform, 'campaigns.read');
  return adapter.getCampaign(ref.id);
}

export interface BudgetFlag {
  period: BudgetPeriod;
  /** What the user typed, e.g. "50 USD", "5000 JPY" or "50". */
  text: string;
}

/**
 * Turn the typed budget into exact money for this platform's account. Fails with exit 64 before
 * any write: first on syntax and decimals of the written currency (no request at all), then on a
 * currency that is not the account's.
 */
/**
 * Money as typed, made exact in the currency it will be spent in: `currency` when the caller
 * knows it (the object's own budget, just read), else the account's (cached, or one read).
 */
export async function resolveBudget(session: Session, platform: Platform, flag: BudgetFlag | undefined, currency?: string): Promise<BudgetInput | undefined> {
  if (!flag) return undefined;
  const written = /[A-Za-z]{3}/.test(flag.text);
  if (written) parseMoney(flag.text); // syntax, currency code and decimals, before any request
  return { period: flag.period, money: parseMoney(flag.text, currency ?? (await getAccount(session, platform)).currency) };
}

export function budgetFlag(daily: string | undefined, lifetime: string | undefined): BudgetFlag | undefined {
  if (daily !== undefined && lifetime !== undefined) {
    throw usageError('CONFLICTING_FLAGS', '--daily-budget and --lifetime-budget cannot be used together', 'a campaign has one budget: daily or lifetime');
  }
  if (daily !== undefined) return { period: 'daily', text: daily };
  if (lifetime !== undefined) return { period: 'lifetime', text: lifetime };
  return undefined;
}

export interface CreateCampaignRequest {
  platform: Platform;
  name: string;
  objective: Objective;
  active: boolean;
  budget?: BudgetFlag | undefined;
  fundingInstrumentId?: string | undefined;
  specialAdCategories?: string[] | undefined;
}

/** Not idempotent: a create with an unknown outcome ends in exit 8, and is never retried here. */
export async function createCampaign(session: Session, req: CreateCampaignRequest): Promise<WriteOutcome<Campaign>> {
  if (req.budget && /[A-Za-z]{3}/.test(req.budget.text)) parseMoney(req.budget.text);
  const adapter: PlatformAdapter = await session.adapter(req.platform, 'campaigns.write');
  const budget = await resolveBudget(session, req.platform, req.budget);
  return performWrite(session, { platform: req.platform, operation: 'campaign.create', before: null, after: (c) => c as Campaign }, () =>
    adapter.createCampaign({
      name: req.name,
      objective: req.objective,
      status: req.active ? 'active' : 'paused',
      budget: budget ?? null,
      fundingInstrumentId: req.fundingInstrumentId,
      specialAdCategories: req.specialAdCategories,
    }),
  );
}

export interface UpdateCampaignRequest {
  name?: string | undefined;
  status?: CampaignPatch['status'];
  budget?: BudgetFlag | undefined;
}

/** Idempotent: sets the given fields to the given values. */
/**
 * Idempotent: sets the given fields to the given values. The campaign is read once (`before`):
 * for the budget's currency, the guardrails, the audit entry and the plugin, which does not read
 * it again. A budget change passes the profile's guardrails through the Confirmer (exit 77).
 */
export async function updateCampaign(
  session: Session, refText: string, req: UpdateCampaignRequest, options: { reverts?: string | undefined; confirmer: Confirmer },
): Promise<WriteOutcome<Campaign>> {
  const ref = parseRef(refText);
  if (req.name === undefined && req.status === undefined && req.budget === undefined) {
    throw usageError('NOTHING_TO_UPDATE', 'nothing to update', 'pass --name, --daily-budget or --lifetime-budget');
  }
  if (req.budget && /[A-Za-z]{3}/.test(req.budget.text)) parseMoney(req.budget.text);
  const adapter = await session.adapter(ref.platform, req.budget ? 'budgets.write' : 'campaigns.write');
  const before = await adapter.getCampaign(ref.id);
  const budget = await resolveBudget(session, ref.platform, req.budget, before.budget?.currency);
  if (budget) await enforceGuardrails(session, [{ id: before.ref, period: budget.period, to: budget.money, from: budgetFrom(before.budget) }], options.confirmer);
  return performWrite(
    session,
    { platform: ref.platform, operation: 'campaign.update', ref: before.ref, before, after: (c) => c as Campaign, reverts: options.reverts },
    () => adapter.updateCampaign(ref.id, { name: req.name, status: req.status, budget }, before),
  );
}

export interface DeleteResult {
  ref: string;
  deleted: true;
  /** True when the campaign was already deleted (or never existed): nothing was sent. */
  alreadyDeleted: boolean;
}

/** Idempotent: deleting an already deleted campaign succeeds without a request. */
export async function deleteCampaign(session: Session, refText: string): Promise<WriteOutcome<DeleteResult>> {
  const ref = parseRef(refText);
  const adapter = await session.adapter(ref.platform, 'campaigns.write');
  const before = await adapter.getCampaign(ref.id).catch((e: unknown) => {
    // Deleting is idempotent: an object that is already gone is not an error for delete.
    if (e instanceof AdctlError && e.code === 'NOT_FOUND') return null;
    throw e;
  });
  if (!before || before.status === 'deleted') return { ref: refText, deleted: true, alreadyDeleted: true };
  return performWrite(session, { platform: ref.platform, operation: 'campaign.delete', ref: before?.ref ?? refText, before, after: () => null }, async () => {
    await adapter.deleteCampaign(ref.id);
    return { ref: refText, deleted: true as const, alreadyDeleted: false };
  });
}
