/**
 * `adctl log` (the audit log of every mutation) and `adctl undo <entry>`.
 */
import { Option, type Command } from '../commander.js';
import type { Platform } from '../../core/model.js';
import { action, examples } from '../run.js';

function short(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'object' && 'strategy' in (v as object)) {
    // An ad group bid: strategy and, except for auto, an amount.
    const b = v as { strategy: string; amount: { amount: string; currency: string } | null };
    return b.amount ? `${b.strategy} ${b.amount.amount} ${b.amount.currency}` : b.strategy;
  }
  if (typeof v === 'object' && 'amount' in (v as object)) {
    const b = v as { amount: string; currency: string; period: string };
    return `${b.amount} ${b.currency}/${b.period === 'daily' ? 'day' : 'lifetime'}`;
  }
  return String(v);
}

export function registerLogCommands(program: Command): void {
  const log = program
    .command('log')
    .description('list the audit log: every change adctl made, with before/after values and request ids')
    .addOption(new Option('--platform <platform>', 'only this platform').choices(['x', 'meta']))
    .option('--ref <ref>', 'only this object')
    .option('--operation <op>', 'only this operation, e.g. campaign.update')
    .option('--since <time>', 'only entries at or after this ISO time')
    .option('--limit <n>', 'only the last n entries', '50');
  log.action(action<{ platform?: Platform; ref?: string; operation?: string; since?: string; limit: string }>(async (ctx) => {
    const [{ readAuditLog, describeDamage }, { defaultConfigDir }, { usageError }] = await Promise.all([
      import('../../services/audit.js'), import('../../core/settings.js'), import('../../core/errors.js'),
    ]);
    const limit = Number(ctx.opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw usageError('INVALID_LIMIT', `--limit ${ctx.opts.limit} is not a positive whole number`, 'for example --limit 20');
    if (ctx.opts.since && Number.isNaN(Date.parse(ctx.opts.since))) throw usageError('INVALID_TIME', `--since ${ctx.opts.since} is not a time`, 'use ISO-8601, e.g. 2026-11-28T09:00:00Z');
    const since = ctx.opts.since ? new Date(ctx.opts.since).toISOString() : undefined;
    const configDir = defaultConfigDir(ctx.env);
    const { entries, damaged } = readAuditLog(configDir, { platform: ctx.opts.platform, ref: ctx.opts.ref, operation: ctx.opts.operation, since, limit });
    const damage = describeDamage(configDir, damaged);
    if (damage) ctx.out.warn(damage);
    if (ctx.out.json) return ctx.out.data(entries);
    if (entries.length === 0) return ctx.out.notice('The audit log is empty.');
    ctx.out.table(
      ['ID', 'TIME', 'PROFILE', 'OPERATION', 'REF', 'OUTCOME', 'CHANGE'],
      entries.map((e) => {
        const fields = (['name', 'status', 'budget', 'bid'] as const).filter((k) => e.before?.[k] !== undefined && JSON.stringify(e.before?.[k]) !== JSON.stringify(e.after?.[k]));
        const change = e.before && e.after ? fields.map((k) => `${k}: ${short(e.before?.[k])} → ${short(e.after?.[k])}`).join('; ') : '';
        return [e.id, e.time.replace(/\.\d+Z$/, 'Z'), e.profile, e.operation, e.ref ?? '-', e.outcome, change + (e.reverts ? ` (undo of ${e.reverts})` : '')];
      }),
    );
  }));
  examples(log, ['adctl log', 'adctl log --platform meta --operation campaign.update --json', 'adctl log --ref x:8wku2 --limit 5']);

  const undo = program
    .command('undo <entry>')
    .description('revert a logged change of name, status or budget (shows the plan, then asks)')
    .option('--force', 'restore the old values even if the object changed since the entry')
    .option('--confirm <ref...>', "confirm a restored budget above the profile's guardrails for this ref");
  undo.action(action<{ force?: boolean; confirm?: string[] }>(async (ctx) => {
    const { prepareUndo, applyUndo } = await import('../../services/undo.js');
    const session = await ctx.session();
    const plan = await prepareUndo(session, (undo.args[0] ?? '').trim(), !!ctx.opts.force);
    const lines = Object.entries(plan.changes).map(([k, [from, to]]) => `  ${k}: ${short(from)} → ${short(to)}`);
    if (lines.length === 0) {
      if (ctx.out.json) return ctx.out.data({ entry: plan.entry.id, ref: plan.ref, changes: {}, applied: false });
      return ctx.out.notice(`${plan.ref} already has the values from before entry ${plan.entry.id}; nothing to undo.`);
    }
    ctx.out.notice(`Undo ${plan.entry.id} on ${plan.ref} (${session.describeTarget(plan.ref.startsWith('meta:') ? 'meta' : 'x')}):\n${lines.join('\n')}`);
    if (!ctx.opts.dryRun) {
      await ctx.confirm(`Apply this undo to ${plan.ref}?`, { code: 'CONFIRMATION_REQUIRED', hint: `pass --yes to apply the undo of ${plan.entry.id} without a prompt` });
    }
    const result = await applyUndo(session, plan, ctx.confirmer);
    if (ctx.out.json) return ctx.out.data({ entry: plan.entry.id, ref: plan.ref, changes: plan.changes, applied: !ctx.opts.dryRun, result });
    ctx.out.line(ctx.opts.dryRun ? 'Dry run: nothing was changed.' : `Restored ${plan.ref}.`);
  }));
  examples(undo, ['adctl log --limit 5', 'adctl undo lx3k9a-4f1c2b', 'adctl undo lx3k9a --yes --json']);
}
