/**
 * X Ads batch endpoints (REFERENCE §B.7): `POST /12/batch/accounts/:id/campaigns` with a JSON array
 * of `{operation_type: "Update"|"Delete", params:{campaign_id, …}}`, at most 40 items per call.
 *
 * Contract for callers (core chunks to `X_BATCH_SIZE`, this module splits anything bigger again):
 * - One result per item, in input order.
 * - X runs a batch all or nothing. When some items are refused (`operation_errors`, indexed like the
 *   input), those items fail with X's code and the others are sent again in one more batch, so one
 *   bad ref never blocks the rest. Updates and deletes are idempotent, so resending is safe.
 * - A request-level failure (auth, rate limit after core's retries, 5xx) fails every item of that
 *   call with the same error.
 * - The caller checked budget currencies against the account before calling (X campaigns take
 *   micros of their funding instrument's currency, which is the account's).
 */
import type { AdapterContext } from '../../core/adapter.js';
import { AdctlError, ExitCode } from '../../core/errors.js';
import type { Classifier } from '../../core/http-policy.js';
import { toUnits } from '../../core/money.js';
import type { AdGroupPatch, BatchItemResult, BidStrategy, Campaign, CampaignPatch } from '../../core/model.js';
import { XResponseInvalid } from './errors.js';
import { XCampaignWire as XCampaignSchema } from './wire.js';
import * as z from '../../core/zod.js';

export const X_BATCH_SIZE = 40;

interface Client {
  post(path: string, body?: unknown, opts?: Record<string, unknown>): Promise<{ data: unknown }>;
}

export interface XBatchDeps {
  client: Client;
  accountId(): string;
  toCampaign(c: XCampaignWire): Campaign;
  classify: Classifier;
  bucket(): string | undefined;
  /** Which of these campaign ids are already deleted (one read, at most 200 ids). */
  deletedAmong(ids: string[]): Promise<Set<string>>;
}

type XCampaignWire = z.infer<typeof XCampaignSchema>;
type Op = { operation_type: 'Update' | 'Delete'; params: Record<string, unknown> };
type Collection = 'campaigns' | 'line_items';
const ID_KEY: Record<Collection, string> = { campaigns: 'campaign_id', line_items: 'line_item_id' };
const BID: Partial<Record<BidStrategy, string>> = { auto: 'AUTO', max: 'MAX', target: 'TARGET' };
type Failure = { code: string; message: string; exitCode: number };

const BatchOk = z.object({ data: z.array(XCampaignSchema) }).loose();
const BatchOkAny = z.object({ data: z.array(z.object({ id: z.string() }).loose()) }).loose();
const OperationErrors = z.array(z.array(z.object({ code: z.string().optional(), message: z.string().optional() }).loose()));

function params(patch: CampaignPatch): Record<string, unknown> {
  if (patch.status === 'archived') throw new AdctlError('UNSUPPORTED_STATUS', 'X campaigns cannot be archived', ExitCode.USAGE, { hint: 'pause it or delete it' });
  const out: Record<string, unknown> = {};
  if (patch.name !== undefined) out.name = patch.name;
  if (patch.status) out.entity_status = patch.status === 'active' ? 'ACTIVE' : 'PAUSED';
  if (patch.budget) {
    const micros = toUnits(patch.budget.money, 6, 'X');
    out[patch.budget.period === 'daily' ? 'daily_budget_amount_local_micro' : 'total_budget_amount_local_micro'] = micros;
  }
  return out;
}

/** Line item (X ad group) fields a batch Update sets; targeting lives in X's targeting criteria, not here. */
function lineItemParams(patch: AdGroupPatch): Record<string, unknown> {
  const out = params({ name: patch.name, status: patch.status, budget: patch.budget });
  if (patch.bid) {
    const strategy = BID[patch.bid.strategy];
    if (!strategy) throw new AdctlError('UNSUPPORTED_BID', `X line items have no ${patch.bid.strategy} bid strategy`, ExitCode.USAGE, { hint: 'use auto, max or target' });
    out.bid_strategy = strategy;
    if (patch.bid.money) out.bid_amount_local_micro = toUnits(patch.bid.money, 6, 'X');
  }
  if (patch.start !== undefined) out.start_time = patch.start ?? '';
  if (patch.end !== undefined) out.end_time = patch.end ?? '';
  if (patch.targeting !== undefined) {
    throw new AdctlError('UNSUPPORTED', 'X line item targeting is not changed through the batch endpoint', ExitCode.USAGE, { hint: 'change targeting with `adctl adgroup update` one ad group at a time' });
  }
  return out;
}

export function createXBatch(ctx: AdapterContext, deps: XBatchDeps) {
  async function send(ops: Op[], collection: Collection): Promise<{ ok: true; data: XCampaignWire[] } | { ok: false; error: Failure; perItem?: Array<Failure | null> }> {
    const path = `batch/accounts/${deps.accountId()}/${collection}`;
    try {
      const res = await ctx.http.run(
        { label: `POST batch ${collection} (${ops.length})`, write: true, idempotent: true, bucket: deps.bucket() },
        async () => {
          const r = await deps.client.post(path, ops, { forceBodyMode: 'json', fullResponse: true, timeout: ctx.timeoutMs });
          const parsed = (collection === 'campaigns' ? BatchOk : BatchOkAny).safeParse(r.data);
          if (!parsed.success) throw new XResponseInvalid(`batch: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
          return parsed.data;
        },
        deps.classify,
      );
      return { ok: true, data: res.data as XCampaignWire[] };
    } catch (e) {
      if (!(e instanceof AdctlError)) throw e;
      const error = { code: e.code, message: e.message, exitCode: e.exitCode };
      const body = (e.cause as { data?: { operation_errors?: unknown } } | undefined)?.data;
      const per = OperationErrors.safeParse(body?.operation_errors);
      if (!per.success || per.data.length !== ops.length) return { ok: false, error };
      return {
        ok: false,
        error,
        perItem: per.data.map((errs) => {
          if (errs.length === 0) return null;
          const first = errs[0]!;
          return { code: first.code ?? 'INVALID', message: ctx.redact(`X: ${first.message ?? 'refused'}`), exitCode: ExitCode.FAILURE };
        }),
      };
    }
  }

  /** Run ops in chunks; returns per-op results (value: the campaign X returned, or null for deletes). */
  async function run(ops: Op[], collection: Collection = 'campaigns'): Promise<Array<BatchItemResult<Campaign | null>>> {
    const results: Array<BatchItemResult<Campaign | null>> = ops.map((o) => ({ id: String(o.params[ID_KEY[collection]]), ok: false }));
    for (let start = 0; start < ops.length; start += X_BATCH_SIZE) {
      let idx = Array.from({ length: Math.min(X_BATCH_SIZE, ops.length - start) }, (_, k) => start + k);
      // At most two rounds: the second resends what X refused only because a sibling failed.
      for (let round = 0; round < 2 && idx.length; round++) {
        const r = await send(idx.map((i) => ops[i]!), collection);
        if (r.ok) {
          idx.forEach((i, k) => {
            const w = r.data[k];
            results[i] = { id: results[i]!.id, ok: true, value: ops[i]!.operation_type === 'Delete' || collection !== 'campaigns' || !w ? null : deps.toCampaign(w) };
          });
          break;
        }
        if (!r.perItem || round === 1) {
          for (const i of idx) results[i] = { id: results[i]!.id, ok: false, error: r.error };
          break;
        }
        const retry: number[] = [];
        idx.forEach((i, k) => {
          const f = r.perItem![k];
          if (f) results[i] = { id: results[i]!.id, ok: false, error: f };
          else retry.push(i);
        });
        idx = retry;
      }
    }
    return results;
  }

  return {
    batchSize: X_BATCH_SIZE,
    async updateCampaignsBatch(items: { id: string; patch: CampaignPatch }[]): Promise<BatchItemResult<Campaign>[]> {
      const out = await run(items.map((it) => ({ operation_type: 'Update', params: { campaign_id: it.id, ...params(it.patch) } })));
      return out as BatchItemResult<Campaign>[];
    },
    /** Values are null: the batch answers with X line items, which the ad group module reads. */
    async updateAdGroupsBatch(items: { id: string; patch: AdGroupPatch }[]): Promise<BatchItemResult<never>[]> {
      const out = await run(items.map((it) => ({ operation_type: 'Update', params: { line_item_id: it.id, ...lineItemParams(it.patch) } })), 'line_items');
      return out.map((r) => ({ ...r, value: undefined })) as BatchItemResult<never>[];
    },
    async deleteAdGroupsBatch(ids: string[]): Promise<BatchItemResult<null>[]> {
      const out = await run(ids.map((id) => ({ operation_type: 'Delete', params: { line_item_id: id } })), 'line_items');
      return out.map((r) => ({ ...r, value: null }));
    },
    async deleteCampaignsBatch(ids: string[]): Promise<BatchItemResult<null>[]> {
      const out = await run(ids.map((id) => ({ operation_type: 'Delete', params: { campaign_id: id } })));
      // Idempotent: X answers NOT_FOUND for a campaign that is already deleted; one read tells
      // those apart from ids that never existed (which stay NOT_FOUND, so a typo is not "deleted").
      const missing = out.filter((r) => !r.ok && r.error?.code === 'NOT_FOUND').map((r) => r.id);
      const gone = new Set<string>();
      for (let i = 0; i < missing.length; i += 200) {
        for (const id of await deps.deletedAmong(missing.slice(i, i + 200)).catch(() => new Set<string>())) gone.add(id);
      }
      return out.map((r) => (gone.has(r.id) ? { id: r.id, ok: true, value: null } : { ...r, value: null }));
    },
  };
}
