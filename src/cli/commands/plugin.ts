/**
 * `adctl plugin list|enable|disable`, persisted in the config file. Loads manifests only: listing
 * plugins never imports an SDK.
 */
import { Argument, type Command } from '../commander.js';
import type { Platform } from '../../core/model.js';
import { action, examples } from '../run.js';

async function openConfig(env: NodeJS.ProcessEnv) {
  const [{ ConfigStore }, { defaultConfigDir }] = await Promise.all([import('../../core/config.js'), import('../../core/settings.js')]);
  return ConfigStore.open(defaultConfigDir(env));
}

export function registerPluginCommands(program: Command): void {
  const plugin = program.command('plugin').description('turn platform plugins on or off');

  const list = plugin.command('list').description('list plugins, whether they are enabled, and what they can do');
  list.action(action(async (ctx) => {
    const { BUILTIN_PLUGINS } = await import('../../plugins/index.js');
    const config = await openConfig(ctx.env);
    const rows = BUILTIN_PLUGINS.map((m) => ({ id: m.id, title: m.title, enabled: config.pluginEnabled(m.id), capabilities: [...m.capabilities] }));
    if (ctx.out.json) return ctx.out.data(rows);
    ctx.out.table(['ID', 'ENABLED', 'TITLE', 'CAPABILITIES'], rows.map((r) => [r.id, r.enabled ? 'yes' : 'no', r.title, r.capabilities.join(',')]));
  }));
  examples(list, ['adctl plugin list', 'adctl plugin list --json']);

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    const cmd = plugin
      .command(`${verb}`)
      .description(enabled ? 'enable a plugin' : 'disable a plugin: it is never loaded and commands that need it exit 78')
      .addArgument(new Argument('<plugin>', 'x or meta').choices(['x', 'meta']));
    cmd.action(action(async (ctx) => {
      const id = cmd.args[0] as Platform;
      const config = await openConfig(ctx.env);
      await config.update((c) => {
        c.plugins[id] = { enabled };
      });
      if (ctx.out.json) return ctx.out.data({ id, enabled });
      ctx.out.notice(`${id} plugin ${enabled ? 'enabled' : 'disabled'} (${config.path})`);
    }));
    examples(cmd, [`adctl plugin ${verb} meta`, `adctl plugin ${verb} x --json`]);
  }
}

