/**
 * Bulk forms shared by `campaign` and `adgroup` update|pause|resume|delete (issue 6): many refs,
 * `--from FILE`, filters; progress bar on a TTY (stderr); per-item report; exit 3 on partial
 * failure. Services load lazily.
 */
import { type Command, Option } from './commander.js';
import type { CampaignStatus, Platform } from '../core/model.js';
import { ExitCode } from '../core/errors.js';
import type { RunContext } from './run.js';

const STATUS_CHOICES = ['active', 'paused', 'draft', 'archived', 'deleted'];

function platformOf(ref: string): Platform {
  return ref.startsWith('meta:') ? 'meta' : 'x';
}

export interface BulkFlags {
  from?: string;
  confirm?: string[];
  platform?: Platform;
  status?: CampaignStatus[];
  /** On pause/resume/delete `--name` is the glob; on update it is the new name and `--match` filters. */
  name?: string;
  match?: string;
  report?: string;
}

/** Bulk inputs shared by update, pause, resume and delete (issue 6). */
export function addBulkOptions(cmd: Command, nameIsNewName: boolean, noun = 'campaigns'): void {
  cmd
    .option('--from <file>', 'refs from a file: CSV with a ref column, JSON lines with "ref", or a previous --report (only its failures)')
    .addOption(new Option('--platform <platform>', `select ${noun} on this platform`).choices(['x', 'meta']))
    .addOption(new Option('--status <status...>', `select ${noun} with these statuses`).choices(STATUS_CHOICES))
    .option('--match <glob>', `select ${noun} whose name matches this glob (*, ?, [abc])`)
    .option('--report <file>', 'write the per-item report: .csv, or JSON lines (usable as the next --from)');
  if (!nameIsNewName) cmd.option('--name <glob>', `select ${noun} whose name matches this glob (same as --match)`);
  else cmd.option('--confirm <ref...>', 'confirm budget changes above the profile guardrails for these refs');
}

export function isBulk(o: BulkFlags, refs: string[], nameIsNewName: boolean): boolean {
  return refs.length !== 1 || !!o.from || !!o.platform || !!o.status || !!o.match || (!nameIsNewName && !!o.name) || !!o.report;
}

export async function runBulk(
  ctx: RunContext<BulkFlags>, refs: string[], nameIsNewName: boolean, verb: string,
  op: import('../services/bulk.js').BulkOperation, kind: 'campaign' | 'adgroup' = 'campaign',
): Promise<number> {
  const noun = kind === 'campaign' ? 'campaign' : 'ad group';
  const bulk = await import('../services/bulk.js');
  const session = await ctx.session();
  const all = [...refs];
  if (ctx.opts.from) {
    const { readFileSync } = await import('node:fs');
    let text: string;
    try {
      text = readFileSync(ctx.opts.from, 'utf8');
    } catch {
      const { usageError } = await import('../core/errors.js');
      throw usageError('FROM_FILE_NOT_FOUND', `cannot read ${ctx.opts.from}`, 'pass a CSV with a ref column or a JSON lines file');
    }
    all.push(...bulk.refsFromText(text, ctx.opts.from));
  }
  const glob = ctx.opts.match ?? (nameIsNewName ? undefined : ctx.opts.name);
  if (ctx.opts.platform || ctx.opts.status || glob) {
    const found = await bulk.refsFromFilters(session, { platform: ctx.opts.platform, statuses: ctx.opts.status, name: glob }, kind);
    // Refs and a file narrow nothing: filters add the campaigns they match.
    all.push(...found);
  }
  const unique = [...new Set(all)];
  if (ctx.opts.dryRun) {
    if (ctx.out.json) ctx.out.data({ dryRun: true, operation: verb, refs: unique });
    else {
      ctx.out.notice(`Dry run: nothing was sent. ${unique.length} ${noun}${unique.length === 1 ? '' : 's'} would be sent to ${verb}:`);
      for (const r of unique) ctx.out.line(r);
    }
    return ExitCode.OK;
  }
  if (op.kind === 'update' && op.budget) await bulk.guardBulkBudgets(session, unique, op.budget, ctx.confirmer, kind);
  if (op.kind === 'delete' && unique.length > 0) {
    await ctx.confirm(`Delete ${unique.length} ${noun}${unique.length === 1 ? '' : 's'}? This cannot be undone.`, { code: 'CONFIRMATION_REQUIRED', hint: 'pass --yes to delete them without a prompt' });
  }
  for (const p of new Set(unique.map(platformOf))) ctx.out.notice(`${verb[0]!.toUpperCase()}${verb.slice(1)} ${unique.filter((r) => platformOf(r) === p).length} ${noun}s on ${session.describeTarget(p)}`);
  const tty = !!ctx.io.stderr.isTTY && !ctx.out.json;
  const draw = (done: number, total: number) => {
    if (!tty) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    ctx.io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done === total) ctx.io.stderr.write('\n');
  };
  const results = await bulk.bulkObjects(session, kind, unique, op, { onProgress: draw });
  if (ctx.opts.report) {
    const { writeFileAtomic } = await import('../core/fs.js');
    writeFileAtomic(ctx.opts.report, bulk.formatReport(results, /\.csv$/i.test(ctx.opts.report)), 0o644);
  }
  const failed = results.filter((r) => !r.ok);
  if (ctx.out.json) ctx.out.data({ results });
  else {
    ctx.out.table(['REF', 'RESULT'], results.map((r) => [r.ref, r.ok ? 'ok' : `failed: ${r.error?.code ?? ''} ${r.error?.message ?? ''}`.trim()]));
    ctx.out.notice(`${results.length - failed.length} of ${results.length} done${failed.length ? `; ${failed.length} failed${ctx.opts.report ? ` (retry with --from ${ctx.opts.report})` : ' (add --report FILE to retry just those with --from FILE)'}` : ''}.`);
  }
  return bulk.bulkExitCode(results);
}

