/**
 * `adctl apply -f FILE` (plan, show, confirm, apply) or `adctl apply PLAN` (a saved plan: no
 * prompt, but exit 5 and nothing sent when live state moved since it was made).
 */
import type { Command } from '../commander.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { action, examples } from '../run.js';

export function registerApplyCommands(program: Command): void {
  const cmd = program
    .command('apply [plan]')
    .description('apply a campaign spec (-f FILE) or a saved plan, in dependency order, resumable after an interruption')
    .option('-f, --file <file>', 'the campaign spec: plan it, show the plan, ask, then apply')
    .option('--confirm <ref-or-key...>', 'confirm budget changes above the profile guardrails (a ref, or a spec key for an object not created yet)');
  cmd.action(action<{ file?: string; confirm?: string[] }>(async (ctx) => {
    const planFile = (cmd.args[0] ?? '').trim();
    if (!planFile && !ctx.opts.file) throw usageError('APPLY_INPUT_MISSING', 'nothing to apply', 'pass -f SPEC, or a saved plan: adctl apply plan.json');
    if (planFile && ctx.opts.file) throw usageError('CONFLICTING_FLAGS', 'pass either -f SPEC or a saved plan, not both', 'adctl apply -f campaigns.yaml, or adctl apply plan.json');
    const svc = await import('../../services/plan/index.js');
    const { renderPlan } = await import('./plan.js');
    const session = await ctx.session();
    let plan;
    if (planFile) {
      plan = svc.readPlanFile(planFile);
    } else {
      plan = (await svc.planSpec(session, ctx.opts.file!)).plan;
      if (!ctx.out.json) renderPlan(ctx.out, plan);
      if (plan.actions.length === 0) {
        if (ctx.out.json) ctx.out.data({ results: [] });
        return ExitCode.OK;
      }
      if (!ctx.opts.dryRun) {
        await ctx.confirm(`Apply these ${plan.actions.length} changes?`, { code: 'CONFIRMATION_REQUIRED', hint: 'review the plan, then pass --yes (or save it with `adctl plan -o plan.json` and run `adctl apply plan.json`)' });
      }
    }
    if (ctx.opts.dryRun) {
      if (ctx.out.json) ctx.out.data(plan);
      else if (planFile) renderPlan(ctx.out, plan);
      ctx.out.notice('Dry run: nothing was sent.');
      return ExitCode.OK;
    }
    const platforms = [...new Set(plan.actions.map((a) => a.platform))];
    for (const p of platforms) ctx.out.notice(`Applying on ${session.describeTarget(p)}`);
    const tty = !!ctx.io.stderr.isTTY && !ctx.out.json;
    // Ctrl-C: say how far it got before the shared handler exits 130 (DESIGN §6).
    let started = 0;
    const onSigint = () => ctx.out.notice(`interrupted: ${Math.max(0, started - 1)} of ${plan.actions.length} steps applied; run the same apply again to finish (a create in flight is adopted, not repeated)`);
    process.prependOnceListener('SIGINT', onSigint);
    const result = await svc.applyPlan(session, plan, {
      // (the SIGINT note is removed below, or when the process ends on an error)
      saved: !!planFile,
      confirmer: ctx.confirmer,
      hooks: {
        onStep: (a, i, n) => {
          started = i + 1;
          if (tty || ctx.opts.verbose) ctx.out.notice(`[${i + 1}/${n}] ${a.op} ${a.kind} ${a.key}`);
        },
      },
    });
    process.removeListener('SIGINT', onSigint);
    if (ctx.out.json) {
      ctx.out.data({ results: result.steps.map((s) => ({ ref: s.ref, key: s.action.key, op: s.action.op, ok: s.ok, ...(s.error ? { error: s.error } : {}) })) });
    } else {
      ctx.out.line(`Applied ${result.steps.length} change${result.steps.length === 1 ? '' : 's'}.`);
    }
    return ExitCode.OK;
  }));
  examples(cmd, [
    'adctl apply -f campaigns.yaml',
    'adctl apply -f campaigns.yaml --yes --json',
    'adctl plan -f campaigns.yaml -o plan.json && adctl apply plan.json',
  ]);
}
