/**
 * `adctl budget report`: budget, spend in the period, spend expected by now, pacing % and flags
 * for every campaign of every enabled platform, with totals per currency (never summed across
 * currencies). Registered on the `budget` command by budget.ts.
 */
import type { Command } from '../commander.js';
import type { BudgetReport } from '../../services/budget-report.js';
import type { Output } from '../output.js';
import { action, examples, finishFanOut } from '../run.js';
import { addPeriodOptions, asOfFlag, type PeriodFlags } from './report.js';

const money = (m: { amount: string; currency: string } | null) => (m ? `${m.amount} ${m.currency}` : '-');

function render(out: Output, r: BudgetReport): void {
  if (out.json) return out.data(r);
  out.line(`Pacing as of ${r.asOf}: over-pacing above ${r.thresholds.overPacingPct} %, under-pacing below ${r.thresholds.underPacingPct} % of the spend expected by now.`);
  for (const a of r.accounts) {
    const period = a.since === a.until ? a.since : `${a.since} … ${a.until}`;
    out.line(`${a.platform}:${a.account} (${a.currency}, ${a.timezone}): ${period}, ${a.elapsedDays} day(s) elapsed`);
  }
  if (r.campaigns.length === 0) {
    out.notice('No campaigns found.');
    return;
  }
  out.line();
  out.table(
    ['REF', 'NAME', 'STATUS', 'BUDGET', 'SPEND', 'EXPECTED', 'PACING', 'FLAGS'],
    r.campaigns.map((c) => [
      c.ref, c.name ?? '-', c.status, c.budget ? `${c.budget.amount} ${c.budget.currency}/${c.budget.period === 'daily' ? 'day' : 'lifetime'}${c.budgetSource === 'adgroups' ? ' (ad groups)' : ''}` : '-',
      money(c.spend), money(c.expected), c.pacing ? `${c.pacing}%` : '-', c.flags.join(',') || '-',
    ]),
  );
  out.line();
  out.table(
    ['CURRENCY', 'CAMPAIGNS', 'DAILY BUDGET', 'SPEND', 'EXPECTED', 'PACING'],
    r.totals.map((t) => [t.currency, String(t.campaigns), money(t.dailyBudget), money(t.spend), money(t.expected), t.pacing ? `${t.pacing}%` : '-']),
  );
}

export function registerBudgetReportCommand(budget: Command): void {
  const cmd = budget
    .command('report')
    .description("spend against budget for every campaign, pacing by the account's own day, totals per currency");
  addPeriodOptions(cmd);
  cmd.action(action<PeriodFlags>(async (ctx) => {
    const o = ctx.opts;
    const asOfMs = await asOfFlag(o.asOf);
    const { budgetReport } = await import('../../services/budget-report.js');
    const session = await ctx.session();
    const { report, failures } = await budgetReport(session, { period: { since: o.since, until: o.until, preset: o.preset }, asOfMs, platform: o.platform });
    return finishFanOut(ctx, failures, session.fanOutPlatforms(o.platform).length, () => render(ctx.out, report));
  }));
  examples(cmd, [
    'adctl budget report',
    'adctl budget report --preset this_month --json',
    'adctl budget report --platform x --since 2026-11-01 --until 2026-11-07',
  ]);
}
