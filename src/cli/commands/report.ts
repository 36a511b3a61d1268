/**
 * `adctl report`: performance per campaign or ad group across platforms (impressions, clicks,
 * spend, CTR, CPC, CPM, results) as a table, `--json` (an array of rows) or `--csv` (RFC 4180).
 * Also exports the period flags and the failure handling `budget report` shares.
 */
import { type Command, Option } from '../commander.js';
import { usageError } from '../../core/errors.js';
import type { Platform } from '../../core/model.js';
import type { Preset } from '../../services/period.js';
import { action, examples, finishFanOut } from '../run.js';

export interface PeriodFlags {
  since?: string;
  until?: string;
  preset?: Preset;
  asOf?: string;
  platform?: Platform;
}

/** `--since/--until`, `--preset`, `--as-of` and `--platform`, the same on every report. */
export function addPeriodOptions(cmd: Command): Command {
  return cmd
    .option('--since <date>', "first day, YYYY-MM-DD in each ad account's time zone")
    .option('--until <date>', 'last day (inclusive), YYYY-MM-DD (default: today)')
    .addOption(new Option('--preset <preset>', 'a named period instead of --since/--until (default: today)').choices(['today', 'yesterday', 'last_7d', 'this_month']))
    .option('--as-of <time>', 'compute as if it were this instant (RFC 3339 with an offset), e.g. to reproduce a report')
    .addOption(new Option('--platform <platform>', 'only this platform').choices(['x', 'meta']));
}

/** The `--as-of` instant in unix ms, or undefined for "now". Needs an explicit offset: accounts live in different zones. */
export async function asOfFlag(text: string | undefined): Promise<number | undefined> {
  if (text === undefined) return undefined;
  const { parseTime } = await import('../../core/time.js');
  const t = parseTime(text, 'UTC', 'flag', '--as-of');
  if (t.source !== 'offset') throw usageError('OFFSET_REQUIRED', `--as-of "${text}" has no offset`, 'write it with an offset or Z, e.g. 2026-11-10T09:00:00+09:00; accounts may be in different time zones');
  return t.ms;
}

export function registerReportCommands(program: Command): void {
  const cmd = program
    .command('report')
    .description('performance per campaign or ad group across platforms: impressions, clicks, spend, CTR, CPC, CPM, results')
    .addOption(new Option('--level <level>', 'one row per campaign or per ad group').choices(['campaign', 'adgroup']).default('campaign'))
    .option('--csv', 'print CSV (RFC 4180) on stdout instead of a table');
  addPeriodOptions(cmd);
  cmd.action(action<PeriodFlags & { level: 'campaign' | 'adgroup'; csv?: boolean }>(async (ctx) => {
    const o = ctx.opts;
    if (o.csv && ctx.out.json) throw usageError('CONFLICTING_FLAGS', '--csv and --json cannot be combined', 'choose one output format');
    const asOfMs = await asOfFlag(o.asOf);
    const { performanceReport, csvCells, CSV_COLUMNS } = await import('../../services/reports.js');
    const { formatCsv } = await import('../../core/csv.js');
    const session = await ctx.session();
    const { rows, failures } = await performanceReport(session, { level: o.level, period: { since: o.since, until: o.until, preset: o.preset }, asOfMs, platform: o.platform });
    return finishFanOut(ctx, failures, session.fanOutPlatforms(o.platform).length, () => {
      if (ctx.out.json) return ctx.out.data(rows);
      if (o.csv) {
        ctx.io.stdout.write(formatCsv({ header: [...CSV_COLUMNS], rows: rows.map(csvCells) }));
        return;
      }
      if (rows.length === 0) return ctx.out.notice('No delivery in this period.');
      ctx.out.table(
        ['REF', 'NAME', 'PERIOD', 'IMPRESSIONS', 'CLICKS', 'SPEND', 'CTR', 'CPC', 'CPM', 'RESULTS'],
        rows.map((r) => [
          r.ref, r.name ?? '-', r.since === r.until ? r.since : `${r.since}…${r.until}`, String(r.impressions), String(r.clicks),
          `${r.spend.amount} ${r.spend.currency}`, r.ctr ? `${r.ctr}%` : '-', r.cpc ? r.cpc.amount : '-', r.cpm ? r.cpm.amount : '-', r.results === null ? '-' : String(r.results),
        ]),
      );
    });
  }));
  examples(cmd, [
    'adctl report --preset yesterday',
    'adctl report --level adgroup --since 2026-11-01 --until 2026-11-07 --csv > week.csv',
    'adctl report --preset this_month --platform meta --json',
  ]);
}

