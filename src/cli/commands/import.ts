/**
 * `adctl import -o FILE`: write a campaign spec and its state file from live accounts.
 */
import { Option, type Command } from '../commander.js';
import type { Platform } from '../../core/model.js';
import { action, examples } from '../run.js';

export function registerImportCommands(program: Command): void {
  const cmd = program
    .command('import')
    .description('write a campaign spec (and its state file) from live accounts, so `plan` shows no changes')
    .requiredOption('-o, --out <file>', 'the spec file to write (.yaml, or .json for JSON)')
    .addOption(new Option('--platform <platform>', 'only this platform').choices(['x', 'meta']))
    .option('--force', 'overwrite the file if it exists');
  cmd.action(action<{ out: string; platform?: Platform; force?: boolean }>(async (ctx) => {
    const { importSpec } = await import('../../services/import.js');
    const r = await importSpec(await ctx.session(), ctx.opts.out, { platform: ctx.opts.platform, force: ctx.opts.force });
    if (ctx.out.json) return ctx.out.data(r);
    ctx.out.line(`Wrote ${r.campaigns} campaign${r.campaigns === 1 ? '' : 's'} and ${r.adGroups} ad group${r.adGroups === 1 ? '' : 's'} to ${ctx.opts.out} (state: ${r.stateFile}).`);
  }));
  examples(cmd, [
    'adctl import -o campaigns.yaml',
    'adctl import --platform meta -o meta.yaml && adctl plan -f meta.yaml',
  ]);
}
