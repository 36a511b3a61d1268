/**
 * The adctl program. Start-up imports only commander and the command definitions; every command
 * loads its services (and, through them, config, zod and at most the SDKs it needs) inside its
 * action. `--help`, `--version` and `plugin list` therefore never load an SDK.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from './commander.js';
import { ExitCode } from '../core/errors.js';
import { attachIo, processIo, type CliIo } from './io.js';
import { registerAuthCommands } from './commands/auth.js';
import { registerCampaignCommands } from './commands/campaign.js';
import { registerAdGroupCommands } from './commands/adgroup.js';
import { registerCompletionCommands } from './commands/completion.js';
import { registerHelpCommand } from './commands/help.js';
import { registerLogCommands } from './commands/log.js';
import { registerPluginCommands } from './commands/plugin.js';
import { registerPostCommands } from './commands/post.js';
import { registerProfileCommands } from './commands/profile.js';
import { registerSandboxCommands } from './commands/sandbox.js';
import { registerSchemaCommands } from './commands/schema.js';
import { registerPlanCommands } from './commands/plan.js';
import { registerApplyCommands } from './commands/apply.js';
import { registerImportCommands } from './commands/import.js';
import { registerBudgetCommands } from './commands/budget.js';
import { registerReportCommands } from './commands/report.js';
import { registerDoctorCommands } from './commands/doctor.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(io: CliIo = processIo(), argv: string[] = process.argv): Command {
  const program = new Command('adctl');
  attachIo(program, io);
  program
    .description('Manage paid campaigns and organic posts on X and Meta from the terminal, scripts and CI.')
    .version(version(), '--version', 'print the version')
    .helpCommand(false)
    .option('--profile <name>', 'profile to use (overrides ADCTL_PROFILE and the active profile)')
    .option('--account <platform:id>', 'ad account for this command, e.g. x:18ce54d4x5t or meta:act_1001')
    .option('--json', 'print one JSON document on stdout (errors as JSON on stderr)')
    .option('--dry-run', 'print the exact requests that would be sent (redacted) and send no write')
    .option('-y, --yes', 'confirm moderate actions such as delete without a prompt')
    .option('--no-input', 'never prompt; fail with a clear error when input is missing')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option('-v, --verbose', 'say more on stderr (retries, waits)')
    .option('--debug', 'redacted HTTP trace and stack traces on stderr')
    .option('--sandbox', 'use the built-in sandbox even when credentials are configured')
    .addOption(new Option('--timeout <duration>', 'per-request timeout, e.g. 5s (default 30s, or ADCTL_TIMEOUT)'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander's own usage errors become ours: one line, a hint, exit 64.
      outputError: (message, write) => {
        const line = message.replace(/^error:\s*/i, '').trim().split('\n')[0] ?? '';
        const json = argv.includes('--json');
        if (json) write(`${JSON.stringify({ error: { code: 'USAGE', message: line, hint: 'add --help to the command to see its flags and examples', exitCode: ExitCode.USAGE } })}\n`);
        else write(`error: ${line}\nhint: add --help to the command to see its flags and examples\n`);
      },
    });

  registerCampaignCommands(program);
  registerAdGroupCommands(program);
  registerPostCommands(program);
  registerPluginCommands(program);
  registerProfileCommands(program);
  registerAuthCommands(program);
  registerSandboxCommands(program);
  registerLogCommands(program);
  registerHelpCommand(program);
  registerCompletionCommands(program);
  registerSchemaCommands(program);
  registerPlanCommands(program);
  registerApplyCommands(program);
  registerImportCommands(program);
  registerBudgetCommands(program);
  registerReportCommands(program);
  registerDoctorCommands(program);
  program.addHelpText('after', `
Examples:
  $ adctl campaign list
  $ adctl campaign create --platform x --name "Winter sale" --objective traffic --daily-budget "50 USD"
  $ adctl help exit-codes

With no credentials configured, adctl uses its built-in sandbox. See \`adctl help environment\`.`);
  return program;
}

/**
 * Run adctl with `argv` (node, script, args…). The exit code goes to `io.setExitCode`; with the
 * default IO that is the process's. In-process tests pass their own IO.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<void> {
  if (io.stdout === process.stdout) {
    // `adctl … | head` closes the pipe early: that is the reader's choice, not an error.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw e;
      });
    }
  }
  const program = buildProgram(io, argv);
  if (argv.length <= 2) {
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      io.setExitCode(ok ? ExitCode.OK : ExitCode.USAGE);
      return;
    }
    throw e;
  }
}
