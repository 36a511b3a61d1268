/**
 * Meta Graph batch requests (REFERENCE §C.10): `POST /<ver>/` with `batch` = a JSON array of up to
 * 50 operations `{method, relative_url, body}`; the answer is an array in request order of
 * `{code, headers, body:"<JSON string>"}` (or null for an operation Graph did not process).
 *
 * Contract for callers:
 * - One result per item, in input order. Operations are independent on Meta: one refused item
 *   does not affect the others.
 * - An item's error is classified like a single call's (same codes and exit codes).
 * - A null item (not processed) fails with exit 75: nothing was applied, the report's retry file
 *   resends it.
 * - The caller checked budget currencies against the account before calling.
 */
import type { AdapterContext } from '../../core/adapter.js';
import { AdctlError, ExitCode, usageError } from '../../core/errors.js';
import { toAdctlError } from '../../core/http-policy.js';
import { toUnits } from '../../core/money.js';
import type { AdAccount, AdGroupPatch, BatchItemResult, CampaignPatch } from '../../core/model.js';
import * as z from '../../core/zod.js';
import { classifyMetaError } from './errors.js';
import type { GraphCall } from './posts.js';

export const META_BATCH_SIZE = 50;

const BatchAnswer = z.array(z.object({ code: z.number(), body: z.string().nullable().optional() }).loose().nullable());

type Op = { method: 'POST' | 'DELETE'; relative_url: string; body?: string };

export function createMetaBatch(ctx: AdapterContext, graphCall: GraphCall, deps: { getAccount(): Promise<AdAccount>; exponent(currency: string): number }) {
  async function form(patch: CampaignPatch | AdGroupPatch): Promise<string> {
    const g = patch as AdGroupPatch;
    if (g.bid !== undefined || g.targeting !== undefined || g.start !== undefined || g.end !== undefined) {
      // Bulk changes name, status and budget; the rest goes through `adgroup update`, one ad set at a time.
      throw usageError('UNSUPPORTED', 'Meta batch updates change name, status and budget only', 'change bids, schedules and targeting with `adctl adgroup update`');
    }
    const p = new URLSearchParams();
    if (patch.name !== undefined) p.set('name', patch.name);
    if (patch.status) p.set('status', patch.status.toUpperCase());
    if (patch.budget) {
      const { currency } = await deps.getAccount();
      if (patch.budget.money.currency !== currency) {
        throw usageError('CURRENCY_MISMATCH', `${patch.budget.money.currency} does not match the Meta account's currency ${currency}`, `write the amount in ${currency}`);
      }
      p.set(patch.budget.period === 'daily' ? 'daily_budget' : 'lifetime_budget', String(toUnits(patch.budget.money, deps.exponent(currency), 'Meta')));
    }
    return p.toString();
  }

  function itemError(code: number, body: string | null | undefined): { code: string; message: string; exitCode: number } {
    let parsed: { error?: Record<string, unknown> } | undefined;
    try {
      parsed = body ? (JSON.parse(body) as { error?: Record<string, unknown> }) : undefined;
    } catch {
      parsed = undefined;
    }
    const f = classifyMetaError({ name: 'FacebookRequestError', status: code, response: parsed?.error ?? null, message: String(parsed?.error?.message ?? `HTTP ${code}`) }, ctx.redact);
    const e = toAdctlError('meta', f);
    return { code: e.code, message: e.message, exitCode: e.exitCode };
  }

  async function run(ids: string[], ops: Op[]): Promise<BatchItemResult<null>[]> {
    const results: BatchItemResult<null>[] = [];
    for (let start = 0; start < ops.length; start += META_BATCH_SIZE) {
      const chunk = ops.slice(start, start + META_BATCH_SIZE);
      const chunkIds = ids.slice(start, start + META_BATCH_SIZE);
      let answer: z.infer<typeof BatchAnswer>;
      try {
        answer = await graphCall({ label: `POST batch (${chunk.length})`, write: true, idempotent: true }, 'POST', [], { batch: chunk, include_headers: false }, BatchAnswer);
      } catch (e) {
        if (!(e instanceof AdctlError)) throw e;
        for (const id of chunkIds) results.push({ id, ok: false, error: { code: e.code, message: e.message, exitCode: e.exitCode } });
        continue;
      }
      chunkIds.forEach((id, k) => {
        const item = answer[k];
        if (!item) {
          results.push({ id, ok: false, error: { code: 'NOT_PROCESSED', message: 'Meta did not process this operation of the batch', exitCode: ExitCode.TEMPORARY } });
        } else if (item.code >= 200 && item.code < 300) {
          results.push({ id, ok: true, value: null });
        } else {
          const err = itemError(item.code, item.body);
          // Deleting is idempotent: an object that is already gone is deleted.
          if (chunk[k]!.method === 'DELETE' && err.code === 'NOT_FOUND') results.push({ id, ok: true, value: null });
          else results.push({ id, ok: false, error: err });
        }
      });
    }
    return results;
  }

  return {
    batchSize: META_BATCH_SIZE,
    /** Values are null: Graph answers updates with `{success:true}` only (no read-back per item). */
    async updateCampaignsBatch(items: { id: string; patch: CampaignPatch }[]): Promise<BatchItemResult<never>[]> {
      const ops: Op[] = [];
      for (const it of items) ops.push({ method: 'POST', relative_url: it.id, body: await form(it.patch) });
      return (await run(items.map((i) => i.id), ops)) as unknown as BatchItemResult<never>[];
    },
    async deleteCampaignsBatch(ids: string[]): Promise<BatchItemResult<null>[]> {
      return run(ids, ids.map((id) => ({ method: 'DELETE', relative_url: id })));
    },
    /** Ad sets are Graph objects like campaigns: `POST /{adset_id}` and `DELETE /{adset_id}`. */
    async updateAdGroupsBatch(items: { id: string; patch: AdGroupPatch }[]): Promise<BatchItemResult<never>[]> {
      const ops: Op[] = [];
      for (const it of items) ops.push({ method: 'POST', relative_url: it.id, body: await form(it.patch) });
      return (await run(items.map((i) => i.id), ops)) as unknown as BatchItemResult<never>[];
    },
    async deleteAdGroupsBatch(ids: string[]): Promise<BatchItemResult<null>[]> {
      return run(ids, ids.map((id) => ({ method: 'DELETE', relative_url: id })));
    },
  };
}
