/**
 * `adctl budget get|set|report`. `report` lives in budget-report.ts. `get` and `set` are thin:
 * flags → services/budgets.ts → render. The service decides the checks and their order.
 */
import { type Command, Option } from '../commander.js';
import type { BudgetSetResult, BudgetView } from '../../services/budgets.js';
import type { Platform } from '../../core/model.js';
import { action, examples } from '../run.js';
import { registerBudgetReportCommand } from './budget-report.js';

const LEVEL = () => new Option('--level <level>', 'the kind of object the ref names (default: a campaign, else an ad group)').choices(['campaign', 'adgroup']);
const platformOf = (ref: string): Platform => (ref.trim().startsWith('meta:') ? 'meta' : 'x');

export function registerBudgetCommands(program: Command): void {
  const budget = program.command('budget').description('show, set and report budgets of campaigns and ad groups');

  const get = budget
    .command('get <ref>')
    .description('show the budget of a campaign or an ad group (Meta ad set, X line item)')
    .addOption(LEVEL());
  examples(
    get.action(action<{ level?: 'campaign' | 'adgroup' }>(async (ctx) => {
        const { getBudget } = await import('../../services/budgets.js');
        const session = await ctx.session();
        const v: BudgetView = await getBudget(session, (get.args[0] ?? '').trim(), ctx.opts.level);
        if (ctx.out.json) return ctx.out.data(v);
        ctx.out.line(`${v.ref} (${v.level} "${v.name}", ${v.status}): ${v.budget ? v.budget.display : `no budget of its own (account currency ${v.currency})`}`);
      })),
    ['adctl budget get x:8wku2', 'adctl budget get meta:120220000000004 --json', 'adctl budget get x:l1a02 --level adgroup'],
  );

  const set = budget
    .command('set <ref>')
    .description('set the daily or lifetime budget of a campaign or an ad group, in exact money; guardrail breaches need confirmation (exit 77)')
    .option('--daily <money>', 'daily budget, e.g. "50.00 USD" or "7000 JPY" (a bare number uses the account currency)')
    .option('--lifetime <money>', 'lifetime budget, e.g. "3000 USD"')
    .option('--confirm <ref...>', "confirm changes above the profile's guardrails for these refs (repeat, or separate with commas)")
    .addOption(LEVEL());
  examples(
    set.action(action<{ daily?: string; lifetime?: string; confirm?: string[]; level?: 'campaign' | 'adgroup' }>(async (ctx) => {
        const { setBudget, budgetChangeFlag } = await import('../../services/budgets.js');
        const ref = (set.args[0] ?? '').trim();
        const change = budgetChangeFlag(ctx.opts.daily, ctx.opts.lifetime);
        const session = await ctx.session();
        ctx.out.notice(`${session.dryRun ? '[dry run] ' : ''}Setting a budget on ${session.describeTarget(platformOf(ref))}`);
        const r: BudgetSetResult = await setBudget(session, { ref, ...change, level: ctx.opts.level, confirmer: ctx.confirmer });
        if (ctx.out.json) return ctx.out.data(r);
        const from = r.before ? r.before.display : 'no budget';
        if (!r.changed) return ctx.out.line(`${r.ref} already has ${r.after.display}; nothing was sent.`);
        if (r.dryRun) {
          ctx.out.notice(`Dry run: nothing was changed. ${r.ref}: ${from} → ${r.after.display}; this request would be sent:`);
          for (const q of r.requests ?? []) ctx.out.line(`${q.method} ${q.url}${q.body !== undefined ? `\n${typeof q.body === 'string' ? q.body : JSON.stringify(q.body, null, 2)}` : ''}`);
          return;
        }
        ctx.out.line(`${r.ref} (${r.level} "${r.name}"): ${from} → ${r.after.display}`);
      })),
    [
      'adctl budget set meta:120210000000101 --daily "7000 JPY"',
      'adctl budget set x:l1a02 --daily "75.50 USD" --json',
      'adctl budget set x:8wku2 --daily "500 USD" --confirm=x:8wku2',
      'adctl budget set x:8wku4 --lifetime 3500 --dry-run',
    ],
  );

  registerBudgetReportCommand(budget);
}
