/**
 * Bulk campaign writes: many refs → the platforms' batch endpoints (X Ads batch, 40 per call; Meta
 * Graph batch, 50 per call), several calls in flight at once.
 *
 * Contracts:
 * - Core decides concurrency (`CONCURRENCY`): at most `perPlatform[p]` calls per platform and
 *   `total` across platforms at once. The plugin decides nothing but the wire format.
 * - One result per input ref, in input order; a ref given twice is sent once and reported twice.
 * - Every item is audited (one append and one fsync per batch call, not per item).
 * - Inputs are checked before anything is sent: every ref parses, money is exact in the account's
 *   currency (exit 64 otherwise).
 * - `--from` accepts a CSV with a `ref` column, JSON lines with a `ref` field, or a previous
 *   report (JSON lines, CSV or `{"results":[…]}`): rows of a report with `ok` true are skipped, so
 *   a report is the retry list of its failures.
 */
import { AdctlError, ExitCode, usageError } from '../core/errors.js';
import { parseMoney } from '../core/money.js';
import type { PlatformAdapter } from '../core/adapter.js';
import type { AdGroup, BatchItemResult, BudgetInput, Campaign, CampaignPatch, CampaignStatus, Platform } from '../core/model.js';
import { parseRef } from '../core/ref.js';
import { csvObjects, formatCsv, parseCsv } from '../core/csv.js';
import { getAccount } from './accounts.js';
import { appendAuditManyAsync, newEntryId, snapshot, type AuditEntry } from './audit.js';
import { listCampaigns, type BudgetFlag } from './campaigns.js';
import type { Session } from './session.js';
import { budgetFrom, enforceGuardrails, hasGuardrails, profileGuardrails, type BudgetChange } from './write/guardrails.js';
import type { Confirmer } from './write/confirm.js';

/**
 * Batch calls in flight: per platform, and across platforms. Why so few: one batch call already
 * carries 40-50 writes, so 4 calls per platform are 160-200 writes in flight, which meets X's
 * write limits and Meta's ads_management usage quickly; more parallel calls mostly buy
 * throttling. The total cap bounds this process's own work per response (parsing, audit lines,
 * the shared rate-limit file), which otherwise queues behind itself.
 */
export const CONCURRENCY: { total: number; perPlatform: Record<Platform, number> } = { total: 4, perPlatform: { x: 4, meta: 4 } };

export type BulkOperation = { kind: 'update'; name?: string | undefined; status?: 'active' | 'paused' | undefined; budget?: BudgetFlag | undefined } | { kind: 'delete' };

export interface BulkItemResult {
  ref: string;
  ok: boolean;
  error?: { code: string; message: string; exitCode: number } | undefined;
}

export interface BulkOptions {
  onProgress?(done: number, total: number): void;
  /** Budget guardrail check per item before anything is sent; throws (exit 77) to refuse. */
  checkBudget?(ref: string, budget: BudgetInput): Promise<void> | void;
}

/** A small counting semaphore. */
class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.queue.push(r));
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }
}

/** Requests needed for `n` items with batches of `size` (the bench's lower bound uses this too). */
export function batchRequests(n: number, size: number): number {
  return Math.ceil(n / size);
}

// ---------------------------------------------------------------------------------------------
// Inputs: refs, --from files, filters.
// ---------------------------------------------------------------------------------------------

/** Refs from a `--from` file's text (see the file comment for the formats). */
export function refsFromText(text: string, name: string): string[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return [];
  const pick = (rows: Array<Record<string, unknown>>, where: (i: number) => string): string[] =>
    rows.flatMap((r, i) => {
      if (r.ok === true || r.ok === 'true') return [];
      if (typeof r.ref !== 'string' || !r.ref.trim()) throw usageError('FROM_FILE_INVALID', `${name}: ${where(i)} has no "ref"`, 'each row needs a ref such as x:8wku2 or meta:120210000000001');
      return [r.ref.trim()];
    });
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // One JSON document ({"results":[…]} or an array), else JSON lines.
    try {
      const doc = JSON.parse(trimmed) as unknown;
      const rows = Array.isArray(doc) ? doc : (doc as { results?: unknown }).results;
      if (Array.isArray(rows)) return pick(rows.map((r) => (typeof r === 'string' ? { ref: r } : (r as Record<string, unknown>))), (i) => `item ${i + 1}`);
    } catch {
      // not one document: JSON lines
    }
    const lines = trimmed.split(/\r?\n/);
    const rows = lines.map((l, i) => {
      if (!l.trim()) return { ok: true };
      try {
        const v = JSON.parse(l) as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        // reported below
      }
      throw usageError('FROM_FILE_INVALID', `${name}: line ${i + 1} is not a JSON object`, 'write one {"ref": "x:…"} object per line, or a CSV with a ref column');
    });
    return pick(rows, (i) => `line ${i + 1}`);
  }
  const table = parseCsv(trimmed);
  if (!table.header.map((h) => h.trim()).includes('ref')) {
    throw usageError('FROM_FILE_INVALID', `${name}: the CSV has no "ref" column`, 'the first line must be a header with a ref column, e.g. "ref"');
  }
  return pick(csvObjects(table), (i) => `row ${i + 2}`);
}

/** A shell-style glob (`*`, `?`, `[abc]`) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export interface Filters {
  platform?: Platform | undefined;
  statuses?: CampaignStatus[] | undefined;
  name?: string | undefined;
}

/** Refs of the campaigns (or ad groups) matching the filters (reads only). A platform that fails to list fails the command. */
export async function refsFromFilters(session: Session, f: Filters, kind: BulkKind = 'campaign'): Promise<string[]> {
  const re = f.name ? globToRegExp(f.name) : undefined;
  if (kind === 'campaign') {
    const { campaigns, failures } = await listCampaigns(session, { platform: f.platform, statuses: f.statuses });
    if (failures.length) throw failures[0]!.error;
    return campaigns.filter((c) => !re || re.test(c.name)).map((c) => c.ref);
  }
  const out: string[] = [];
  for (const p of session.fanOutPlatforms(f.platform)) {
    const adapter = await session.adapter(p, 'adgroups.read');
    if (!adapter.listAdGroups) throw new AdctlError('UNSUPPORTED', `the ${p} plugin cannot list ad groups`, ExitCode.CONFIG);
    const groups = await adapter.listAdGroups({ statuses: f.statuses });
    out.push(...groups.filter((g) => (!f.statuses || f.statuses.includes(g.status)) && (!re || re.test(g.name))).map((g) => g.ref));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running.
// ---------------------------------------------------------------------------------------------

function failure(e: unknown): BulkItemResult['error'] {
  if (e instanceof AdctlError) return { code: e.code, message: e.message, exitCode: e.exitCode };
  return { code: 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e), exitCode: ExitCode.FAILURE };
}

export type BulkKind = 'campaign' | 'adgroup';

/** The adapter methods a kind uses: batch endpoints when the plugin has them, single calls otherwise. */
function methodsOf(adapter: PlatformAdapter, kind: BulkKind) {
  if (kind === 'campaign') {
    return {
      updateBatch: adapter.updateCampaignsBatch?.bind(adapter) as ((items: { id: string; patch: CampaignPatch }[]) => Promise<Array<BatchItemResult<Campaign | AdGroup | null>>>) | undefined,
      deleteBatch: adapter.deleteCampaignsBatch?.bind(adapter),
      update: (id: string, patch: CampaignPatch) => adapter.updateCampaign(id, patch) as Promise<Campaign | AdGroup>,
      delete: (id: string) => adapter.deleteCampaign(id),
    };
  }
  return {
    updateBatch: adapter.updateAdGroupsBatch?.bind(adapter) as ((items: { id: string; patch: CampaignPatch }[]) => Promise<Array<BatchItemResult<Campaign | AdGroup | null>>>) | undefined,
    deleteBatch: adapter.deleteAdGroupsBatch?.bind(adapter),
    update: (id: string, patch: CampaignPatch) => {
      if (!adapter.updateAdGroup) throw new AdctlError('UNSUPPORTED', `the ${adapter.id} plugin cannot update ad groups`, ExitCode.CONFIG);
      return adapter.updateAdGroup(id, patch) as Promise<Campaign | AdGroup>;
    },
    delete: (id: string) => {
      if (!adapter.deleteAdGroup) throw new AdctlError('UNSUPPORTED', `the ${adapter.id} plugin cannot delete ad groups`, ExitCode.CONFIG);
      return adapter.deleteAdGroup(id);
    },
  };
}

/**
 * Apply one operation to many campaigns. Returns one result per ref, in input order. Throws only
 * for bad input (exit 64) or a platform that cannot be used at all (auth, config).
 */
export async function bulkCampaigns(session: Session, refs: string[], op: BulkOperation, options: BulkOptions = {}): Promise<BulkItemResult[]> {
  return bulkObjects(session, 'campaign', refs, op, options);
}

/** The same for campaigns or ad groups (Meta ad sets, X line items). */
export async function bulkObjects(session: Session, kind: BulkKind, refs: string[], op: BulkOperation, options: BulkOptions = {}): Promise<BulkItemResult[]> {
  const noun = kind === 'campaign' ? 'campaigns' : 'ad groups';
  if (refs.length === 0) throw usageError('NOTHING_SELECTED', `no ${noun} selected`, 'pass refs, --from FILE, or filters (--platform, --status, --name)');
  const bad = refs.filter((r) => !/^(x|meta):[A-Za-z0-9_-]{1,64}$/.test(r.trim()));
  if (bad.length) {
    throw usageError('INVALID_REF', `${bad.length} invalid ref${bad.length === 1 ? '' : 's'}: ${bad.slice(0, 5).map((b) => `"${b}"`).join(', ')}${bad.length > 5 ? ', …' : ''}`, 'write <platform>:<id>, for example x:8wku2 or meta:120210000000001; nothing was sent');
  }
  if (op.kind === 'update' && op.name === undefined && op.status === undefined && op.budget === undefined) {
    throw usageError('NOTHING_TO_UPDATE', 'nothing to update', 'pass --name, --daily-budget or --lifetime-budget');
  }
  const unique = [...new Set(refs.map((r) => r.trim()))];
  const byPlatform = new Map<Platform, string[]>();
  for (const r of unique) {
    const { platform, id } = parseRef(r);
    byPlatform.set(platform, [...(byPlatform.get(platform) ?? []), id]);
  }

  // Everything that can be refused is refused before the first request.
  if (op.kind === 'update' && op.budget && /[A-Za-z]{3}/.test(op.budget.text)) parseMoney(op.budget.text);
  const prepared = await Promise.all([...byPlatform].map(async ([platform, ids]) => {
    const capability = kind === 'adgroup' ? 'adgroups.write' : op.kind === 'update' && op.budget ? 'budgets.write' : 'campaigns.write';
    const adapter = await session.adapter(platform, capability);
    let patch: CampaignPatch = {};
    if (op.kind === 'update') {
      const budget = op.budget ? { period: op.budget.period, money: parseMoney(op.budget.text, (await getAccount(session, platform)).currency) } : undefined;
      if (budget && options.checkBudget) for (const id of ids) await options.checkBudget(`${platform}:${id}`, budget);
      patch = { name: op.name, status: op.status, budget };
    }
    return { platform, ids, adapter, patch };
  }));

  const results = new Map<string, BulkItemResult>();
  const total = unique.length;
  let done = 0;
  const global = new Limiter(CONCURRENCY.total);
  // Ad group operations share the audit format; the union in audit.ts names campaign and post ones.
  const operation = `${kind}.${op.kind}` as AuditEntry['operation'];

  const record = async (platform: Platform, items: Array<BatchItemResult<Campaign | AdGroup | null>>, patch: CampaignPatch): Promise<void> => {
    const entries: AuditEntry[] = items.map((r) => {
      const ref = `${platform}:${r.id}`;
      results.set(ref, { ref, ok: r.ok, ...(r.error ? { error: r.error } : {}) });
      const after = r.value ? snapshot(r.value as Campaign) : r.ok && op.kind === 'update' ? { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.status ? { status: patch.status } : {}) } : null;
      return {
        id: newEntryId(), time: new Date().toISOString(), profile: session.settings.profile, platform, ref, operation,
        before: null, after, requestId: session.lastRequestId.get(platform) ?? null, outcome: r.ok ? 'ok' : 'failed',
        ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
      } satisfies AuditEntry;
    });
    done += items.length;
    const written = appendAuditManyAsync(session.settings.configDir, entries, (s) => session.redactor.redact(s));
    options.onProgress?.(done, total);
    await written;
  };

  await Promise.all(prepared.map(async ({ platform, ids, adapter, patch }) => {
    // Without a batch method, one request per item (still under the same limits).
    const size = (op.kind === 'delete' ? methodsOf(adapter, kind).deleteBatch : methodsOf(adapter, kind).updateBatch) ? (adapter.batchSize ?? 1) : 1;
    const local = new Limiter(CONCURRENCY.perPlatform[platform]);
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
    await Promise.all(chunks.map((chunk) => local.run(() => global.run(async () => {
      let out: Array<BatchItemResult<Campaign | AdGroup | null>>;
      const m = methodsOf(adapter, kind);
      try {
        if (op.kind === 'delete' && m.deleteBatch) out = await m.deleteBatch(chunk);
        else if (op.kind === 'update' && m.updateBatch) out = await m.updateBatch(chunk.map((id) => ({ id, patch })));
        else {
          // No batch endpoint: one request per item, still under the same limits.
          out = [];
          for (const id of chunk) {
            try {
              if (op.kind === 'delete') {
                await m.delete(id);
                out.push({ id, ok: true, value: null });
              } else out.push({ id, ok: true, value: await m.update(id, patch) });
            } catch (e) {
              out.push({ id, ok: false, error: failure(e) });
            }
          }
        }
      } catch (e) {
        out = chunk.map((id) => ({ id, ok: false, error: failure(e) }));
      }
      // The batch's slot is released before its audit lines are synced: the next call need not wait for the disk.
      return out;
    })).then((out) => record(platform, out, patch))));
  }));

  return refs.map((r) => results.get(r.trim())!);
}

/**
 * The guardrails of a bulk budget update, for every item before the first request: the current
 * budgets come from one list per platform (only when the profile limits the step), never one read
 * per item. Throws GUARDRAIL (exit 77) unless the Confirmer passes every breach.
 */
export async function guardBulkBudgets(session: Session, refs: string[], budget: BudgetFlag, confirmer: Confirmer, kind: BulkKind = 'campaign'): Promise<void> {
  const g = profileGuardrails(session);
  if (!hasGuardrails(g)) return;
  const platforms = [...new Set(refs.map((r) => parseRef(r).platform))];
  const changes: BudgetChange[] = [];
  for (const p of platforms) {
    const to = parseMoney(budget.text, (await getAccount(session, p)).currency);
    const current = new Map<string, Campaign | AdGroup>();
    if (g.maxIncreasePct !== undefined && kind === 'adgroup') {
      const adapter = await session.adapter(p, 'adgroups.read');
      for (const a of (await adapter.listAdGroups?.({})) ?? []) current.set(a.ref, a);
    } else if (g.maxIncreasePct !== undefined) {
      const { campaigns, failures } = await listCampaigns(session, { platform: p });
      if (failures.length) throw failures[0]!.error;
      for (const c of campaigns) current.set(c.ref, c);
    }
    for (const ref of refs.filter((r) => r.startsWith(`${p}:`))) changes.push({ id: ref, period: budget.period, to, from: budgetFrom(current.get(ref)?.budget) });
  }
  await enforceGuardrails(session, changes, confirmer);
}

/** The exit code of a bulk run: 0 all ok, 3 some failed, the shared code when all failed alike. */
export function bulkExitCode(results: BulkItemResult[]): number {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return ExitCode.OK;
  if (failed.length < results.length) return ExitCode.PARTIAL;
  const codes = new Set(failed.map((f) => f.error?.exitCode ?? ExitCode.FAILURE));
  return codes.size === 1 ? [...codes][0]! : ExitCode.PARTIAL;
}

/** A report file: CSV (`.csv`) or JSON lines; either is accepted back by `--from`. */
export function formatReport(results: BulkItemResult[], csv: boolean): string {
  if (csv) {
    return formatCsv({ header: ['ref', 'ok', 'code', 'message'], rows: results.map((r) => [r.ref, String(r.ok), r.error?.code ?? '', r.error?.message ?? '']) });
  }
  return results.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
