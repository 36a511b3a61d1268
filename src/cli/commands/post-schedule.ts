/**
 * `adctl post sync` and `adctl post publish-due`: the schedule as code (issue 5). Thin: flags →
 * services (schedule.ts, publish-due.ts, sync.ts) → render. Registered on `post` from post.ts.
 */
import type { Command } from '../commander.js';
import { ExitCode } from '../../core/errors.js';
import type { Output } from '../output.js';
import { action, examples, type RunContext } from '../run.js';
import type { ScheduleResult } from '../../services/schedule.js';
import type { SyncChange } from '../../services/sync-plan.js';

interface FileFlags {
  file: string;
  ledger?: string;
  tz?: string;
  lockTimeout: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `2m`, `6h`, `1d`: lock waits and lateness are minutes to days, so hours and days too. */
async function duration(text: string, flag: string): Promise<number> {
  const m = /^(\d{1,9})(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) {
    const { usageError } = await import('../../core/errors.js');
    throw usageError('INVALID_DURATION', `${flag} "${text}" is not a duration`, 'write it like 30s, 2m, 6h or 1d');
  }
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** `--ledger`, or a ledger under the config dir named after the posts file (DESIGN §8). */
async function ledgerPath(ctx: RunContext<FileFlags>): Promise<string> {
  if (ctx.opts.ledger) return ctx.opts.ledger;
  const { defaultLedgerPath } = await import('../../services/ledger.js');
  const session = await ctx.session();
  const path = defaultLedgerPath(session.settings.configDir, ctx.opts.file);
  if (ctx.env.CI && ctx.env.CI !== 'false' && ctx.env.CI !== '0') {
    ctx.out.warn(`no --ledger given: using ${path}, which CI may throw away; pass --ledger FILE and keep that file between runs`);
  }
  return path;
}

function renderResults(out: Output, results: ScheduleResult[], empty: string): void {
  if (out.json) return out.data({ results });
  if (results.length === 0) {
    out.notice(empty);
    return;
  }
  for (const r of results) {
    const head = `${r.channel.padEnd(10)} ${r.id.padEnd(20)}`;
    if (r.ok) {
      out.line(`${head} ${out.style.green(r.action)}${r.ref ? `  ${r.ref}` : ''}${r.at ? `  at ${r.at}` : ''}${r.url ? `  ${r.url}` : ''}`);
      for (const q of (r.requests ?? []) as Array<{ method: string; url: string }>) out.line(`${' '.repeat(32)}would send ${q.method} ${q.url}`);
    } else {
      out.line(`${head} ${out.style.red(r.action)}  ${r.error!.code}: ${r.error!.message}${r.error!.hint ? `\n${' '.repeat(32)}hint: ${r.error!.hint}` : ''}`);
    }
  }
}

const SIGN: Record<string, string> = { schedule: '+', reschedule: '~', unschedule: '-', record: '=', reconcile: '?' };

function renderChanges(out: Output, changes: SyncChange[]): void {
  if (changes.length === 0) {
    out.notice('No changes: the platforms match posts.yaml.');
    return;
  }
  for (const c of changes) {
    out.line(`${SIGN[c.action] ?? ' '} ${c.action.padEnd(11)} ${c.channel.padEnd(10)} ${c.id.padEnd(20)}${c.at ? ` at ${c.at}` : ''}${c.postId ? `  (${c.channel}:${c.postId})` : ''}  ${out.style.dim(c.reason)}`);
  }
}

export function registerPostScheduleCommands(post: Command): void {
  const publish = post
    .command('publish-due')
    .description('publish the posts.yaml entries whose time has come, exactly once per channel (the CI cron command)')
    .requiredOption('-f, --file <posts.yaml>', 'the schedule (see `adctl schema posts`)')
    .option('--ledger <file>', 'the ledger that records what was published; keep it between runs (default: under the config dir)')
    .option('--tz <zone>', 'zone for `at` values without an offset when the file sets no `timezone`')
    .option('--lock-timeout <duration>', 'how long to wait for another run holding the ledger', '2m')
    .option('--max-late <duration>', 'skip entries that were due longer ago than this (e.g. 6h) instead of posting them late');
  publish.action(action<FileFlags & { maxLate?: string }>(async (ctx) => {
    const { publishDue } = await import('../../services/publish-due.js');
    const session = await ctx.session();
    const o = ctx.opts;
    const ledger = await ledgerPath(ctx);
    ctx.out.notice(`${session.dryRun ? '[dry run] ' : ''}Publishing due posts from ${o.file} (profile ${session.settings.profile}, ledger ${ledger})`);
    const r = await publishDue(session, {
      file: o.file, ledger, tz: o.tz, lockTimeoutMs: await duration(o.lockTimeout, '--lock-timeout'),
      maxLateMs: o.maxLate ? await duration(o.maxLate, '--max-late') : undefined, onNotice: (l) => ctx.out.notice(l),
    });
    renderResults(ctx.out, r.results, 'Nothing is due: every due post is already published.');
    if (r.exitCode === ExitCode.UNKNOWN_OUTCOME && !ctx.out.json) ctx.out.notice('Some outcomes are unknown: run the same command again to reconcile them (nothing is sent twice).');
    return r.exitCode;
  }));
  examples(publish, [
    'adctl post publish-due -f posts.yaml --ledger .adctl/posts-ledger.jsonl',
    'adctl post publish-due -f posts.yaml --ledger ledger.jsonl --json | jq \'.results[] | select(.ok | not)\'',
    'adctl post publish-due -f posts.yaml --ledger ledger.jsonl --max-late 6h',
  ]);

  const sync = post
    .command('sync')
    .description('schedule posts.yaml entries natively where the platform can (Facebook; X with --native) and show what changed')
    .requiredOption('-f, --file <posts.yaml>', 'the schedule (see `adctl schema posts`)')
    .option('--ledger <file>', 'the ledger shared with `post publish-due` (default: under the config dir)')
    .option('--tz <zone>', 'zone for `at` values without an offset when the file sets no `timezone`')
    .option('--plan', 'show the changes and send nothing')
    .option('--detailed-exitcode', 'with --plan: exit 2 when changes are pending, 0 when none')
    .option('--native', 'X: schedule through the Ads API scheduled_tweets (needs an ads account)')
    .option('--lock-timeout <duration>', 'how long to wait for another run holding the ledger', '2m');
  sync.action(action<FileFlags & { plan?: boolean; detailedExitcode?: boolean; native?: boolean }>(async (ctx) => {
    const { syncPosts } = await import('../../services/sync.js');
    const session = await ctx.session();
    const o = ctx.opts;
    if (o.detailedExitcode && !o.plan) {
      const { usageError } = await import('../../core/errors.js');
      throw usageError('UNUSED_FLAG', '--detailed-exitcode is only used with --plan', 'add --plan, or drop --detailed-exitcode');
    }
    const ledger = await ledgerPath(ctx);
    ctx.out.notice(`${o.plan ? 'Planning' : 'Syncing'} ${o.file} (profile ${session.settings.profile}, ledger ${ledger})`);
    const r = await syncPosts(session, { file: o.file, ledger, tz: o.tz, plan: !!o.plan, native: !!o.native, lockTimeoutMs: await duration(o.lockTimeout, '--lock-timeout'), onNotice: (l) => ctx.out.notice(l) });
    if (ctx.out.json) ctx.out.data(o.plan ? { changes: r.changes, local: r.local, results: r.results } : { changes: r.changes, results: r.results });
    else {
      renderChanges(ctx.out, r.changes);
      if (r.results.some((x) => !x.ok)) renderResults(ctx.out, r.results.filter((x) => !x.ok), '');
      if (r.local.length) ctx.out.notice(`${r.local.length} entr${r.local.length === 1 ? 'y is' : 'ies are'} left to \`adctl post publish-due\` (no native scheduling for them now).`);
    }
    // A conflict (exit 5) outranks pending changes: the file and the ledger disagree.
    if (o.plan && r.exitCode === ExitCode.OK) return o.detailedExitcode && r.changes.length > 0 ? ExitCode.CHANGES_PENDING : ExitCode.OK;
    return r.exitCode;
  }));
  examples(sync, [
    'adctl post sync -f posts.yaml --plan',
    'adctl post sync -f posts.yaml --plan --detailed-exitcode || echo "changes pending"',
    'adctl post sync -f posts.yaml --native --ledger ledger.jsonl',
  ]);
}
