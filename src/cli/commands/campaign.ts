/**
 * `adctl campaign list|get|create|update|pause|resume|delete`. Thin: parse flags, call the campaign
 * service, render. Services load lazily so `--help` never pays for them.
 */
import { type Command, Option } from '../commander.js';
import type { Campaign, CampaignStatus, Objective, Platform } from '../../core/model.js';
import type { DryRunReport, WriteOutcome } from '../../services/write/pipeline.js';
import type { Output } from '../output.js';
import { action, examples, finishFanOut, type RunContext } from '../run.js';
import { addBulkOptions, isBulk, runBulk, type BulkFlags } from '../bulk.js';

const OBJECTIVE_CHOICES = ['awareness', 'traffic', 'engagement', 'leads', 'sales', 'app_installs', 'video_views', 'followers'];
const STATUS_CHOICES = ['active', 'paused', 'draft', 'archived', 'deleted'];

const services = () => import('../../services/campaigns.js');

function budgetText(c: Campaign): string {
  if (!c.budget) return '-';
  return `${c.budget.amount} ${c.budget.currency}/${c.budget.period === 'daily' ? 'day' : 'lifetime'}`;
}

function renderCampaigns(out: Output, list: Campaign[]): void {
  if (out.json) return out.data(list);
  if (list.length === 0) {
    out.notice('No campaigns found.');
    return;
  }
  out.table(
    ['REF', 'NAME', 'STATUS', 'OBJECTIVE', 'BUDGET'],
    list.map((c) => [c.ref, c.name, c.status, c.objective ?? '-', budgetText(c)]),
  );
}

function renderCampaign(out: Output, c: Campaign): void {
  if (out.json) return out.data(c);
  const rows: Array<[string, string]> = [
    ['ref', c.ref], ['name', c.name], ['status', c.status], ['objective', c.objective ?? '-'],
    ['budget', budgetText(c)], ['account', c.account], ['start', c.start ?? '-'], ['end', c.end ?? '-'], ['created', c.createdAt ?? '-'],
  ];
  for (const [k, v] of rows) out.line(`${out.style.bold(k.padEnd(10))}${v}`);
}

export function renderDryRun(out: Output, report: DryRunReport): void {
  if (out.json) return out.data(report);
  out.notice('Dry run: nothing was changed. This request would be sent:');
  for (const r of report.requests) {
    out.line(`${r.method} ${r.url}`);
    if (r.body !== undefined) out.line(typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2));
  }
}

export async function renderWrite<T>(ctx: RunContext<unknown>, result: WriteOutcome<T>, render: (v: T) => void): Promise<void> {
  const { isDryRun } = await import('../../services/write/pipeline.js');
  if (isDryRun(result)) renderDryRun(ctx.out, result);
  else render(result);
}

export async function announce(ctx: RunContext<unknown>, platform: Platform, verb: string): Promise<void> {
  const session = await ctx.session();
  ctx.out.notice(`${session.dryRun ? '[dry run] ' : ''}${verb} on ${session.describeTarget(platform)}`);
}

function platformOf(ref: string): Platform {
  return ref.startsWith('meta:') ? 'meta' : 'x';
}

export function registerCampaignCommands(program: Command): void {
  const campaign = program.command('campaign').description('list and manage campaigns on X and Meta');

  examples(
    campaign
      .command('list')
      .description('list campaigns from every enabled platform (concurrently)')
      .addOption(new Option('--platform <platform>', 'only this platform').choices(['x', 'meta']))
      .addOption(new Option('--status <status...>', 'only these statuses').choices(STATUS_CHOICES))
      .action(action<{ platform?: Platform; status?: CampaignStatus[] }>(async (ctx) => {
        const { listCampaigns } = await services();
        const session = await ctx.session();
        const result = await listCampaigns(session, { platform: ctx.opts.platform, statuses: ctx.opts.status });
        return finishFanOut(ctx, result.failures, session.fanOutPlatforms(ctx.opts.platform).length, () => renderCampaigns(ctx.out, result.campaigns));
      })),
    ['adctl campaign list', 'adctl campaign list --platform meta --status active paused', 'adctl campaign list --json | jq -r \'.[].ref\''],
  );

  const get = campaign.command('get <ref>').description('show one campaign');
  get.action(action<object>(async (ctx) => {
    const { getCampaign } = await services();
    renderCampaign(ctx.out, await getCampaign(await ctx.session(), (get.args[0] ?? '').trim()));
  }));
  examples(get, ['adctl campaign get x:8wku2', 'adctl campaign get meta:120210000000001 --json']);

  examples(
    campaign
      .command('create')
      .description('create a campaign (PAUSED unless --active)')
      .addOption(new Option('--platform <platform>', 'where to create it').choices(['x', 'meta']).makeOptionMandatory())
      .requiredOption('--name <name>', 'campaign name')
      .addOption(new Option('--objective <objective>', 'what the campaign optimises for').choices(OBJECTIVE_CHOICES).makeOptionMandatory())
      .option('--daily-budget <money>', 'daily budget, e.g. "50 USD" or "5000 JPY" (a bare number uses the account currency)')
      .option('--lifetime-budget <money>', 'lifetime budget, same format')
      .option('--active', 'start delivering immediately instead of PAUSED')
      .option('--funding-instrument <id>', 'X: the funding instrument that pays (required when the account has several)')
      .option('--special-ad-category <category...>', 'Meta: special ad categories (default: none)')
      .action(action<{
        platform: Platform; name: string; objective: Objective; dailyBudget?: string; lifetimeBudget?: string;
        active?: boolean; fundingInstrument?: string; specialAdCategory?: string[];
      }>(async (ctx) => {
        const { createCampaign, budgetFlag } = await services();
        const o = ctx.opts;
        const budget = budgetFlag(o.dailyBudget, o.lifetimeBudget);
        await announce(ctx, o.platform, 'Creating a campaign');
        const result = await createCampaign(await ctx.session(), {
          platform: o.platform, name: o.name, objective: o.objective, active: !!o.active, budget,
          fundingInstrumentId: o.fundingInstrument, specialAdCategories: o.specialAdCategory,
        });
        await renderWrite(ctx, result, (c) => renderCampaign(ctx.out, c));
      })),
    [
      'adctl campaign create --platform x --name "Winter sale" --objective traffic --daily-budget "50 USD"',
      'adctl campaign create --platform meta --name Ramen --objective sales --daily-budget "5000 JPY" --active',
      'adctl campaign create --platform meta --name Test --objective traffic --dry-run',
    ],
  );

  const updateLike = (name: string, description: string, status: 'active' | 'paused' | undefined, ex: string[]) => {
    const cmd = campaign.command(`${name} [refs...]`).description(description);
    if (!status) {
      cmd
        .option('--name <name>', 'new name')
        .option('--daily-budget <money>', 'new daily budget, e.g. "75.50 USD"')
        .option('--lifetime-budget <money>', 'new lifetime budget');
    }
    addBulkOptions(cmd, !status);
    cmd.action(action<BulkFlags & { name?: string; dailyBudget?: string; lifetimeBudget?: string }>(async (ctx) => {
      const { updateCampaign, budgetFlag } = await services();
      const refs = cmd.args.map((a) => a.trim()).filter(Boolean);
      const budget = status ? undefined : budgetFlag(ctx.opts.dailyBudget, ctx.opts.lifetimeBudget);
      const newName = status ? undefined : ctx.opts.name;
      if (isBulk(ctx.opts, refs, !status)) {
        return runBulk(ctx, refs, !status, name, { kind: 'update', name: newName, status, budget });
      }
      const ref = refs[0] ?? '';
      await announce(ctx, platformOf(ref), status === 'paused' ? `Pausing ${ref}` : status === 'active' ? `Resuming ${ref}` : `Updating ${ref}`);
      const result = await updateCampaign(await ctx.session(), ref, { name: newName, status, budget }, { confirmer: ctx.confirmer });
      await renderWrite(ctx, result, (c) => renderCampaign(ctx.out, c));
    }));
    examples(cmd, ex);
  };

  updateLike('update', 'change the name or budget of one campaign, or many (refs, --from FILE, or filters)', undefined, [
    'adctl campaign update x:8wku2 --daily-budget "75.50 USD"',
    'adctl campaign update meta:120210000000001 --name "Ramen – December"',
    'adctl campaign update --platform meta --match "Winter*" --daily-budget "6000 JPY" --report out.csv',
  ]);
  updateLike('pause', 'pause campaigns (idempotent): refs, --from FILE, or filters', 'paused', [
    'adctl campaign pause meta:120210000000001',
    'adctl campaign pause --platform x --status active --name "Holiday*"',
    'adctl campaign pause --from failures.jsonl --report retry.jsonl',
  ]);
  updateLike('resume', 'resume paused campaigns (idempotent); they start spending', 'active', [
    'adctl campaign resume x:8wku2',
    'adctl campaign resume x:8wku2 x:9abc1 meta:120210000000001 --json',
  ]);

  const del = campaign
    .command('delete [refs...]')
    .description('delete campaigns (asks for confirmation; --yes to skip): refs, --from FILE, or filters');
  addBulkOptions(del, false);
  del.action(action<BulkFlags>(async (ctx) => {
    const { deleteCampaign } = await services();
    const refs = del.args.map((a) => a.trim()).filter(Boolean);
    if (isBulk(ctx.opts, refs, false)) return runBulk(ctx, refs, false, 'delete', { kind: 'delete' });
    const ref = refs[0] ?? '';
    const { parseRef } = await import('../../core/ref.js');
    parseRef(ref);
    if (!ctx.opts.dryRun) {
      await ctx.confirm(`Delete ${ref}? This cannot be undone.`, {
        code: 'CONFIRMATION_REQUIRED',
        hint: `pass --yes to delete ${ref} without a prompt`,
      });
    }
    await announce(ctx, platformOf(ref), `Deleting ${ref}`);
    const result = await deleteCampaign(await ctx.session(), ref);
    await renderWrite(ctx, result, (r) => {
      if (ctx.out.json) return ctx.out.data(r);
      ctx.out.line(r.alreadyDeleted ? `${r.ref} was already deleted (or never existed); nothing was sent` : `Deleted ${r.ref}`);
    });
  }));
  examples(del, ['adctl campaign delete x:8wku2 --yes', 'adctl campaign delete meta:120210000000001 --dry-run', 'adctl campaign delete --from old.csv --yes --report deleted.csv']);

}
