/**
 * `adctl help [topic|command…]`: the exit-code table, the environment variables, or a command's help.
 */
import type { Command } from '../commander.js';
import { EXIT_CODE_TABLE } from '../../core/errors.js';
import { ENV_VARS } from '../../core/env.js';
import { action, examples } from '../run.js';

export const HELP_TOPICS = ['exit-codes', 'environment'] as const;

export function registerHelpCommand(program: Command): void {
  const help = program
    .command('help [topic...]')
    .description(`show help for a command, or a topic: ${HELP_TOPICS.join(', ')}`);
  help.action(action(async (ctx) => {
    const words = (help.args ?? []) as string[];
    const topic = words.join(' ');
    if (topic === 'exit-codes') {
      if (ctx.out.json) return ctx.out.data(EXIT_CODE_TABLE.map(([code, meaning]) => ({ code, meaning })));
      ctx.out.table(['CODE', 'MEANING'], EXIT_CODE_TABLE.map(([c, m]) => [String(c), m]));
      return;
    }
    if (topic === 'environment') {
      if (ctx.out.json) return ctx.out.data(ENV_VARS);
      ctx.out.table(['VARIABLE', 'MEANING'], ENV_VARS.map((v) => [v.name, `${v.doc}${v.secret ? ` (secret; ${v.name}_FILE reads it from a file)` : ''}`]));
      return;
    }
    let target: Command = program;
    for (const w of words) {
      const next = target.commands.find((c) => c.name() === w || c.aliases().includes(w));
      if (!next) {
        const { usageError } = await import('../../core/errors.js');
        throw usageError('UNKNOWN_HELP_TOPIC', `no command or help topic "${topic}"`, `try \`adctl --help\`, \`adctl help exit-codes\` or \`adctl help environment\``);
      }
      target = next;
    }
    target.outputHelp();
  }));
  examples(help, ['adctl help exit-codes', 'adctl help environment', 'adctl help campaign create']);
}
