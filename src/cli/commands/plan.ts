/**
 * `adctl plan -f FILE`: refresh live state and show what `apply` would change, object by object,
 * plus drift (changes made outside adctl). `--detailed-exitcode` exits 2 when changes are pending.
 */
import type { Command } from '../commander.js';
import { ExitCode } from '../../core/errors.js';
import type { Output } from '../output.js';
import { action, examples } from '../run.js';
import type { Plan } from '../../services/plan/types.js';

const SIGN: Record<string, string> = { create: '+', update: '~', pause: '‖', delete: '-', adopt: '=', forget: '×' };

/** The human rendering of a plan, on stdout (it is the command's data). */
export function renderPlan(out: Output, plan: Plan): void {
  const s = out.style;
  if (plan.actions.length === 0) out.line('No changes. Live state matches the spec.');
  for (const a of plan.actions) {
    const color = a.op === 'create' ? s.green : a.op === 'delete' ? s.red : a.op === 'adopt' || a.op === 'forget' ? s.dim : s.yellow;
    const where = 'ref' in a ? a.ref : a.platform;
    out.line(color(`${SIGN[a.op]} ${a.op.padEnd(6)} ${a.kind.padEnd(8)} ${a.key} (${where}) "${a.name}"`));
    if (a.op === 'create') {
      for (const [k, v] of Object.entries(a.fields)) if (v !== null && k !== 'name') out.line(`      ${k}: ${v}`);
    } else if (a.op === 'update' || a.op === 'pause') {
      for (const c of a.changes) out.line(`      ${c.field}: ${c.from ?? '(none)'} → ${c.to ?? '(none)'}`);
    } else if (a.op === 'adopt') {
      out.line('      created by an interrupted apply: linked, nothing sent');
    } else if (a.op === 'forget') {
      out.line('      already gone on the platform: removed from the state file');
    }
  }
  if (plan.drift.length) {
    out.line('');
    out.line(s.bold('Drift (changed outside adctl):'));
    for (const d of plan.drift) {
      out.line(s.yellow(d.field === null ? `! ${d.kind} ${d.key} (${d.ref}) was deleted outside adctl` : `! ${d.kind} ${d.key} (${d.ref}) ${d.field}: ${d.applied ?? '(none)'} (last applied) → ${d.live ?? '(none)'} (live)`));
    }
  }
  for (const n of plan.notes) out.line(s.dim(`note: ${n}`));
  const m = plan.summary;
  out.line('');
  out.line(`Plan: ${m.create} to create, ${m.update} to update, ${m.pause} to pause, ${m.delete} to delete${m.adopt ? `, ${m.adopt} to adopt` : ''}${m.forget ? `, ${m.forget} to forget` : ''}; ${plan.drift.length} drifted field${plan.drift.length === 1 ? '' : 's'}.`);
}

export function registerPlanCommands(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show what `apply` would change for a campaign spec, and drift made outside adctl')
    .requiredOption('-f, --file <file>', 'the campaign spec (YAML or JSON, see `adctl schema campaigns`)')
    .option('-o, --out <file>', 'save the plan as JSON for `adctl apply PLAN`')
    .option('--detailed-exitcode', 'exit 2 when changes are pending (0 when none)');
  cmd.action(action<{ file: string; out?: string; detailedExitcode?: boolean }>(async (ctx) => {
    const { planSpec } = await import('../../services/plan/index.js');
    const session = await ctx.session();
    const { plan } = await planSpec(session, ctx.opts.file);
    if (ctx.opts.out) {
      const { writeFileAtomic } = await import('../../core/fs.js');
      writeFileAtomic(ctx.opts.out, `${JSON.stringify(plan, null, 2)}\n`, 0o644);
      ctx.out.notice(`Saved the plan to ${ctx.opts.out}; apply it with: adctl apply ${ctx.opts.out}`);
    }
    if (ctx.out.json) ctx.out.data(plan);
    else renderPlan(ctx.out, plan);
    return ctx.opts.detailedExitcode && plan.actions.length > 0 ? ExitCode.CHANGES_PENDING : ExitCode.OK;
  }));
  examples(cmd, [
    'adctl plan -f campaigns.yaml',
    'adctl plan -f campaigns.yaml -o plan.json && adctl apply plan.json',
    'adctl plan -f campaigns.yaml --detailed-exitcode --json > plan.json; echo $?',
  ]);
}
