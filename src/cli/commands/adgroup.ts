/**
 * `adctl adgroup list|get|create|update|pause|resume|delete` (Meta ad sets, X line items). Thin:
 * parse flags, call the ad group service, render. Services load lazily so `--help` never pays.
 * The bulk forms of update|pause|resume|delete share src/cli/bulk.ts with `campaign`.
 */
import { type Command, Option } from '../commander.js';
import type { AdGroup, CampaignStatus, Objective, Platform } from '../../core/model.js';
import type { Output } from '../output.js';
import { action, examples, finishFanOut, type RunContext } from '../run.js';
import { addBulkOptions, isBulk, runBulk, type BulkFlags } from '../bulk.js';
import { announce, renderWrite } from './campaign.js';

const STATUS_CHOICES = ['active', 'paused', 'draft', 'archived', 'deleted'];
const OBJECTIVE_CHOICES = ['awareness', 'traffic', 'engagement', 'leads', 'sales', 'app_installs', 'video_views', 'followers'];
const BID_CHOICES = ['auto', 'max', 'target', 'cost_cap'];

const services = () => import('../../services/adgroups.js');

const moneyText = (m: { amount: string; currency: string }) => `${m.amount} ${m.currency}`;

function budgetText(g: AdGroup): string {
  if (!g.budget) return '-';
  return `${moneyText(g.budget)}/${g.budget.period === 'daily' ? 'day' : 'lifetime'}`;
}

function bidText(g: AdGroup): string {
  if (!g.bid) return '-';
  return g.bid.amount ? `${g.bid.strategy} ${moneyText(g.bid.amount)}` : g.bid.strategy;
}

function targetingText(g: AdGroup): string {
  const t = g.targeting;
  const parts: string[] = [];
  if (t.countries.length) parts.push(t.countries.join(','));
  if (t.ageMin !== null || t.ageMax !== null) parts.push(`age ${t.ageMin ?? ''}-${t.ageMax ?? ''}`);
  if (t.publisherPlatforms.length) parts.push(t.publisherPlatforms.join(','));
  if (t.placements.length) parts.push(t.placements.join(','));
  return parts.join(' · ') || '-';
}

function renderAdGroups(out: Output, list: AdGroup[]): void {
  if (out.json) return out.data(list);
  if (list.length === 0) {
    out.notice('No ad groups found.');
    return;
  }
  out.table(
    ['REF', 'CAMPAIGN', 'NAME', 'STATUS', 'BUDGET', 'BID'],
    list.map((g) => [g.ref, g.campaign, g.name, g.status, budgetText(g), bidText(g)]),
  );
}

/** Schedule times print in the account's zone when known (`zone`), with the UTC instant. */
function renderAdGroup(out: Output, g: AdGroup, zone?: string): void {
  if (out.json) return out.data(g);
  const when = (iso: string | null) => {
    if (!iso || !zone) return iso ?? '-';
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
    return `${local} ${zone} (${iso})`;
  };
  const rows: Array<[string, string]> = [
    ['ref', g.ref], ['campaign', g.campaign], ['name', g.name], ['status', g.status], ['budget', budgetText(g)],
    ['bid', bidText(g)], ['optimization', g.optimization ?? '-'], ['start', when(g.schedule.start)], ['end', when(g.schedule.end)],
    ['targeting', targetingText(g)],
  ];
  for (const [k, v] of rows) out.line(`${out.style.bold(k.padEnd(13))}${v}`);
}

async function accountZone(ctx: RunContext<unknown>, platform: Platform): Promise<string | undefined> {
  if (ctx.out.json) return undefined;
  const { getAccount } = await import('../../services/accounts.js');
  // One account read the first time (then cached); a failure only costs the local rendering.
  return getAccount(await ctx.session(), platform).then((a) => a.timezone, () => undefined);
}

interface WriteFlags {
  dailyBudget?: string;
  lifetimeBudget?: string;
  bidStrategy?: string;
  bid?: string;
  start?: string;
  end?: string;
  tz?: string;
  countries?: string[];
  age?: string;
  placements?: string[];
  publisherPlatforms?: string[];
}

/** Flags shared by create and update: budget, bid, schedule, targeting. */
function addWriteOptions(cmd: Command, update: boolean): void {
  cmd
    .option('--daily-budget <money>', `${update ? 'new ' : ''}daily budget, e.g. "20 USD" or "2000 JPY" (a bare number uses the account currency)`)
    .option('--lifetime-budget <money>', `${update ? 'new ' : ''}lifetime budget, same format (needs an end time)`)
    .addOption(new Option('--bid-strategy <strategy>', 'how to bid: auto (no amount), max, target or cost_cap (these need --bid)').choices(BID_CHOICES))
    .option('--bid <money>', 'bid amount, e.g. "1.50 USD" (alone it means --bid-strategy max)')
    .option('--start <time>', 'start: RFC 3339 with an offset, or a local time read in the ad account\'s zone (or --tz)')
    .option('--end <time>', `end, same format${update ? '; "none" removes the end' : ''}`)
    .option('--tz <zone>', 'IANA zone for local --start/--end times (default: ADCTL_TZ, then the ad account\'s zone)')
    .option('--countries <codes...>', 'ISO country codes, e.g. US,GB')
    .option('--age <range>', 'age range, e.g. 18-34 or 25+ (13 to 65)')
    .option('--placements <list...>', 'placements, e.g. feed,stories (Meta) or timeline,search (X)')
    .option('--publisher-platforms <list...>', 'Meta: facebook, instagram, messenger, audience_network');
}

function writeParts(o: WriteFlags, budgetFlag: (d?: string, l?: string) => import('../../services/campaigns.js').BudgetFlag | undefined) {
  return {
    budget: budgetFlag(o.dailyBudget, o.lifetimeBudget),
    bid: { strategy: o.bidStrategy, amount: o.bid },
    schedule: { start: o.start, end: o.end, tz: o.tz },
    targeting: { countries: o.countries, age: o.age, placements: o.placements, publisherPlatforms: o.publisherPlatforms },
  };
}

function platformOf(ref: string): Platform {
  return ref.startsWith('meta:') ? 'meta' : 'x';
}

export function registerAdGroupCommands(program: Command): void {
  const adgroup = program.command('adgroup').description('list and manage ad groups (Meta ad sets, X line items)');

  examples(
    adgroup
      .command('list')
      .description('list ad groups from every enabled platform (concurrently), or of one campaign')
      .addOption(new Option('--platform <platform>', 'only this platform').choices(['x', 'meta']))
      .option('--campaign <ref>', 'only the ad groups of this campaign')
      .addOption(new Option('--status <status...>', 'only these statuses').choices(STATUS_CHOICES))
      .action(action<{ platform?: Platform; campaign?: string; status?: CampaignStatus[] }>(async (ctx) => {
        const { listAdGroups } = await services();
        const session = await ctx.session();
        const result = await listAdGroups(session, { platform: ctx.opts.platform, campaign: ctx.opts.campaign?.trim(), statuses: ctx.opts.status });
        const asked = ctx.opts.campaign ? 1 : session.fanOutPlatforms(ctx.opts.platform).length;
        return finishFanOut(ctx, result.failures, asked, () => renderAdGroups(ctx.out, result.adGroups));
      })),
    [
      'adctl adgroup list',
      'adctl adgroup list --campaign meta:120210000000103 --status active paused',
      'adctl adgroup list --platform x --json | jq -r \'.[].ref\'',
    ],
  );

  const get = adgroup.command('get <ref>').description('show one ad group (schedule in the ad account\'s time zone)');
  get.action(action<object>(async (ctx) => {
    const { getAdGroup } = await services();
    const ref = (get.args[0] ?? '').trim();
    const g = await getAdGroup(await ctx.session(), ref);
    renderAdGroup(ctx.out, g, await accountZone(ctx, g.platform));
  }));
  examples(get, ['adctl adgroup get x:l1a01', 'adctl adgroup get meta:120220000000001 --json']);

  const create = adgroup
    .command('create')
    .description('create an ad group in a campaign (PAUSED unless --status active)')
    .requiredOption('--campaign <ref>', 'the campaign it belongs to (its platform is used)')
    .requiredOption('--name <name>', 'ad group name')
    .addOption(new Option('--status <status>', 'paused (default) or active: active starts spending').choices(['active', 'paused']).default('paused'))
    .option('--optimization <goal>', 'the platform\'s optimisation goal (default: from the campaign objective), e.g. LINK_CLICKS')
    .addOption(new Option('--objective <objective>', 'X: the objective of the first line item of a campaign that has none yet').choices(OBJECTIVE_CHOICES));
  addWriteOptions(create, false);
  create.action(action<WriteFlags & { campaign: string; name: string; status: 'active' | 'paused'; optimization?: string; objective?: Objective }>(async (ctx) => {
    const { createAdGroup } = await services();
    const { budgetFlag } = await import('../../services/campaigns.js');
    const o = ctx.opts;
    const campaign = o.campaign.trim();
    const parts = writeParts(o, budgetFlag);
    const { parseRef } = await import('../../core/ref.js');
    await announce(ctx, parseRef(campaign).platform, `Creating an ad group in ${campaign}`);
    const { result, notes } = await createAdGroup(await ctx.session(), {
      campaign, name: o.name, active: o.status === 'active', optimization: o.optimization, objective: o.objective, ...parts,
    });
    for (const n of notes) ctx.out.notice(n);
    const zone = await accountZone(ctx, parseRef(campaign).platform);
    await renderWrite(ctx, result, (g) => renderAdGroup(ctx.out, g, zone));
  }));
  examples(create, [
    'adctl adgroup create --campaign x:8wku2 --name "US 25-49" --daily-budget "20 USD" --bid "1.50 USD" --countries US --age 25-49',
    'adctl adgroup create --campaign meta:120210000000103 --name Tokyo --daily-budget "2000 JPY" --countries JP --publisher-platforms facebook,instagram --placements feed,stories',
    'adctl adgroup create --campaign meta:120210000000103 --name Launch --lifetime-budget "90000 JPY" --start "2026-12-01T09:00" --end "2026-12-31T23:00" --status active',
    'adctl adgroup create --campaign x:8wku2 --name Test --daily-budget 20 --dry-run',
  ]);

  const updateLike = (name: string, description: string, status: 'active' | 'paused' | undefined, ex: string[]) => {
    const cmd = adgroup.command(`${name} [refs...]`).description(description);
    if (!status) {
      cmd.option('--name <name>', 'new name');
      addWriteOptions(cmd, true);
    }
    addBulkOptions(cmd, !status, 'ad groups');
    cmd.action(action<BulkFlags & WriteFlags & { name?: string }>(async (ctx) => {
      const { updateAdGroup } = await services();
      const { budgetFlag } = await import('../../services/campaigns.js');
      const o = ctx.opts;
      const refs = cmd.args.map((a) => a.trim()).filter(Boolean);
      const parts = status ? undefined : writeParts(o, budgetFlag);
      const newName = status ? undefined : o.name;
      if (isBulk(o, refs, !status)) {
        // Batch endpoints carry the fields both platforms batch alike: name, status, budget.
        const other = ['bidStrategy', 'bid', 'start', 'end', 'tz', 'countries', 'age', 'placements', 'publisherPlatforms'].filter((k) => o[k as keyof WriteFlags] !== undefined);
        if (other.length) {
          const { usageError } = await import('../../core/errors.js');
          throw usageError('BULK_FIELDS', `bulk updates change name, status and budget; ${other.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} ${other.length === 1 ? 'needs' : 'need'} one ad group at a time`, 'give a single ref for bid, schedule or targeting changes');
        }
        return runBulk(ctx, refs, !status, name, { kind: 'update', name: newName, status, budget: parts?.budget }, 'adgroup');
      }
      const ref = refs[0] ?? '';
      await announce(ctx, platformOf(ref), status === 'paused' ? `Pausing ${ref}` : status === 'active' ? `Resuming ${ref}` : `Updating ${ref}`);
      const { result, notes } = await updateAdGroup(await ctx.session(), ref, { name: newName, status, ...parts }, { confirmer: ctx.confirmer });
      for (const n of notes) ctx.out.notice(n);
      const zone = await accountZone(ctx, platformOf(ref));
      await renderWrite(ctx, result, (g) => renderAdGroup(ctx.out, g, zone));
    }));
    examples(cmd, ex);
  };

  updateLike('update', 'change one ad group (name, budget, bid, schedule, targeting), or the name/budget of many (refs, --from FILE, filters)', undefined, [
    'adctl adgroup update x:l1a01 --daily-budget "75.50 USD" --bid-strategy target --bid "2.25 USD"',
    'adctl adgroup update meta:120220000000001 --countries JP,KR --age 18-44 --end "2026-12-31T23:00"',
    'adctl adgroup update --platform meta --match "Tokyo*" --daily-budget "3000 JPY" --report out.csv',
  ]);
  updateLike('pause', 'pause ad groups (idempotent): refs, --from FILE, or filters (batch requests)', 'paused', [
    'adctl adgroup pause meta:120220000000001',
    'adctl adgroup pause --platform x --status active --name "Holiday*"',
    'adctl adgroup pause --from failures.jsonl --report retry.jsonl',
  ]);
  updateLike('resume', 'resume paused ad groups (idempotent); they start spending', 'active', [
    'adctl adgroup resume x:l1a01',
    'adctl adgroup resume x:l1a01 meta:120220000000001 --json',
  ]);

  const del = adgroup
    .command('delete [refs...]')
    .description('delete ad groups (asks for confirmation; --yes to skip): refs, --from FILE, or filters');
  addBulkOptions(del, false, 'ad groups');
  del.action(action<BulkFlags>(async (ctx) => {
    const { deleteAdGroup } = await services();
    const refs = del.args.map((a) => a.trim()).filter(Boolean);
    if (isBulk(ctx.opts, refs, false)) return runBulk(ctx, refs, false, 'delete', { kind: 'delete' }, 'adgroup');
    const ref = refs[0] ?? '';
    const { parseRef } = await import('../../core/ref.js');
    parseRef(ref);
    if (!ctx.opts.dryRun) {
      await ctx.confirm(`Delete ad group ${ref}? This cannot be undone.`, { code: 'CONFIRMATION_REQUIRED', hint: `pass --yes to delete ${ref} without a prompt` });
    }
    await announce(ctx, platformOf(ref), `Deleting ${ref}`);
    const result = await deleteAdGroup(await ctx.session(), ref);
    await renderWrite(ctx, result, (r) => {
      if (ctx.out.json) return ctx.out.data(r);
      ctx.out.line(r.alreadyDeleted ? `${r.ref} was already deleted (or never existed); nothing was sent` : `Deleted ${r.ref}`);
    });
  }));
  examples(del, ['adctl adgroup delete x:l1a01 --yes', 'adctl adgroup delete meta:120220000000001 --dry-run', 'adctl adgroup delete --from old.csv --yes --report deleted.csv']);
}
