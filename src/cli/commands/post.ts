/**
 * `adctl post create|list|get|delete` (issue 5). Thin: parse flags, call the posts service, render.
 * `post sync` and `post publish-due` (the schedule as code) register themselves from their own
 * file, with one line below.
 */
import { type Command, Option } from '../commander.js';
import type { Channel, Post } from '../../core/model.js';
import { ExitCode } from '../../core/errors.js';
import type { Output } from '../output.js';
import { action, examples, type RunContext } from '../run.js';
import { registerPostScheduleCommands } from './post-schedule.js';
import type { PostResult } from '../../services/posts.js';

const services = () => import('../../services/posts.js');

function when(p: Post): string {
  return (p.status === 'scheduled' ? p.scheduledAt : p.publishedAt) ?? '-';
}

function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function renderPosts(out: Output, list: Post[]): void {
  if (out.json) return out.data(list);
  if (list.length === 0) {
    out.notice('No posts found.');
    return;
  }
  out.table(['REF', 'STATUS', 'WHEN (UTC)', 'TEXT'], list.map((p) => [p.ref, p.status, when(p), oneLine(p.text)]));
}

function renderPost(out: Output, p: Post): void {
  if (out.json) return out.data(p);
  const rows: Array<[string, string]> = [
    ['ref', p.ref], ['channel', p.channel], ['status', p.status], ['published', p.publishedAt ?? '-'], ['scheduled', p.scheduledAt ?? '-'],
    ['url', p.url ?? '-'], ['media', p.media.join(', ') || '-'], ['text', p.text],
  ];
  for (const [k, v] of rows) out.line(`${out.style.bold(k.padEnd(10))}${v}`);
}

function renderResults(out: Output, results: PostResult[]): void {
  if (out.json) return out.data({ results });
  for (const r of results) {
    if (r.dryRun) {
      out.notice(`Dry run (${r.channel}): nothing was sent. This request would be sent:`);
      for (const q of r.requests ?? []) out.line(`${q.method} ${q.url}${q.body !== undefined ? `\n${typeof q.body === 'string' ? q.body : JSON.stringify(q.body)}` : ''}`);
      continue;
    }
    if (r.ok) out.line(`${r.channel.padEnd(10)} ${out.style.green(r.status ?? 'ok')}  ${r.ref ?? ''}${r.status === 'scheduled' ? `  at ${r.scheduledAt}` : ''}${r.url ? `  ${r.url}` : ''}`);
    // Failures are messages: stderr, one line plus a hint line (DESIGN §7).
    else out.notice(`${out.style.red('error:')} ${r.channel}: ${r.error!.code}: ${r.error!.message}${r.error!.hint ? `\nhint: ${r.error!.hint}` : ''}`);
  }
}

function textFlags(o: { textX?: string; textFacebook?: string; textInstagram?: string }): Partial<Record<Channel, string>> {
  const out: Partial<Record<Channel, string>> = {};
  if (o.textX !== undefined) out.x = o.textX;
  if (o.textFacebook !== undefined) out.facebook = o.textFacebook;
  if (o.textInstagram !== undefined) out.instagram = o.textInstagram;
  return out;
}

async function announce(ctx: RunContext<unknown>, verb: string): Promise<void> {
  const session = await ctx.session();
  ctx.out.notice(`${session.dryRun ? '[dry run] ' : ''}${verb} (profile ${session.settings.profile})`);
}

export function registerPostCommands(program: Command): Command {
  const post = program.command('post').description('publish, schedule, list and delete posts on X, Facebook Pages and Instagram');

  examples(
    post
      .command('create')
      .description('publish a post to one or more channels now, or schedule it natively with --at')
      .requiredOption('--to <channels>', 'where to post: x, facebook, instagram (comma-separated, any subset)')
      .option('--text <text>', 'the text for every channel')
      .option('--text-x <text>', 'X only: replaces --text')
      .option('--text-facebook <text>', 'Facebook only: replaces --text')
      .option('--text-instagram <text>', 'Instagram only: replaces --text (the caption)')
      .option('--media <fileOrUrl...>', 'images or videos: local files, or https URLs (Instagram needs URLs)')
      .option('--reply-to <ref>', 'X: reply to this post, e.g. x:1999000000000000001')
      .option('--thread <file>', 'X: post a thread, one post per paragraph (blank-line separated), or a YAML/JSON list of strings')
      .option('--at <time>', 'schedule natively: RFC 3339 with an offset, or a local time read in --tz')
      .option('--tz <zone>', 'IANA zone for a local --at (default: ADCTL_TZ, the profile zone, then the system zone)')
      .option('--native', 'X: schedule through the Ads API scheduled_tweets (needs an ads account)')
      .action(action<{
        to: string; text?: string; textX?: string; textFacebook?: string; textInstagram?: string; media?: string[];
        replyTo?: string; thread?: string; at?: string; tz?: string; native?: boolean;
      }>(async (ctx) => {
        const { createPosts, parseChannels, resultsExitCode } = await services();
        const o = ctx.opts;
        const to = parseChannels([o.to]);
        const session = await ctx.session();
        await announce(ctx, `${o.at ? 'Scheduling' : 'Posting'} to ${to.join(', ')}`);
        const outcome = await createPosts(session, {
          to, text: o.text, texts: textFlags(o), media: o.media, replyTo: o.replyTo, thread: o.thread, at: o.at, tz: o.tz, native: o.native,
        });
        if (outcome.schedule) ctx.out.notice(`Time: ${outcome.schedule.described}`);
        renderResults(ctx.out, outcome.results);
        const code = resultsExitCode(outcome.results);
        if (code !== ExitCode.OK && !ctx.out.json) {
          const failed = outcome.results.filter((r) => !r.ok).length;
          ctx.out.notice(`${failed} of ${outcome.results.length} failed${code === ExitCode.PARTIAL ? ' (exit 3: the others succeeded; do not rerun the whole command)' : ''}`);
        }
        return code;
      })),
    [
      'adctl post create --to x,facebook --text "We are live" --media launch.png',
      'adctl post create --to instagram --text "New bowl" --media https://cdn.example.com/bowl.jpg',
      'adctl post create --to facebook --text "Tomorrow" --at 2026-12-01T09:00 --tz Europe/Berlin',
      'adctl post create --to x --thread thread.txt --json',
    ],
  );

  examples(
    post
      .command('list')
      .description('list recent posts per channel (newest first); --scheduled for natively scheduled ones')
      .option('--channel <channels>', 'only these channels (comma-separated)')
      .option('--scheduled', 'only posts scheduled natively and not yet published')
      .addOption(new Option('--limit <n>', 'posts per channel (default 20)').argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error('--limit must be a whole number from 1 to 1000');
        return n;
      }))
      .action(action<{ channel?: string; scheduled?: boolean; limit?: number }>(async (ctx) => {
        const { listPosts, parseChannels } = await services();
        const session = await ctx.session();
        const channels = ctx.opts.channel ? parseChannels([ctx.opts.channel]) : undefined;
        const result = await listPosts(session, { channels, scheduled: ctx.opts.scheduled, limit: ctx.opts.limit });
        const allFailed = result.failures.length > 0 && result.failures.length === result.channels.length;
        if (allFailed && result.failures.length === 1) throw result.failures[0]!.error;
        if (!allFailed) renderPosts(ctx.out, result.posts);
        if (result.failures.length === 0) return ExitCode.OK;
        const { renderError } = await import('../render-error.js');
        for (const f of result.failures) {
          renderError(f.error, { json: ctx.out.json, debug: false, redact: (s) => session.redactor.redact(s), write: (t) => ctx.io.stderr.write(t), style: ctx.out.style });
        }
        return allFailed ? result.failures[0]!.error.exitCode : ExitCode.PARTIAL;
      })),
    ['adctl post list', 'adctl post list --channel facebook --scheduled', 'adctl post list --channel x --limit 5 --json'],
  );

  const get = post.command('get <ref>').description('show one post');
  get.action(action<object>(async (ctx) => {
    const { getPost } = await services();
    renderPost(ctx.out, await getPost(await ctx.session(), (get.args[0] ?? '').trim()));
  }));
  examples(get, ['adctl post get x:1999000000000000001', 'adctl post get facebook:2001_000000001001 --json']);

  const del = post.command('delete <ref>').description('delete a post or a natively scheduled post (asks for confirmation; --yes to skip)');
  del.action(action<object>(async (ctx) => {
    const { deletePost, parsePostRef } = await services();
    const ref = (del.args[0] ?? '').trim();
    parsePostRef(ref);
    if (!ctx.opts.dryRun) {
      await ctx.confirm(`Delete ${ref}? This cannot be undone.`, { code: 'CONFIRMATION_REQUIRED', hint: `pass --yes to delete ${ref} without a prompt` });
    }
    await announce(ctx, `Deleting ${ref}`);
    const r = await deletePost(await ctx.session(), ref);
    if (ctx.out.json) return ctx.out.data(r);
    if (r.dryRun) {
      ctx.out.notice('Dry run: nothing was changed. This request would be sent:');
      for (const q of r.requests ?? []) ctx.out.line(`${q.method} ${q.url}`);
      return;
    }
    ctx.out.line(r.alreadyDeleted ? `${r.ref} was already deleted (or never existed); nothing was sent` : `Deleted ${r.ref}`);
  }));
  examples(del, ['adctl post delete x:1999000000000000001 --yes', 'adctl post delete facebook:2001_000000001001 --dry-run']);

  registerPostScheduleCommands(post);
  return post;
}
