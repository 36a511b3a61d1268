/**
 * The wrapper every command action runs in: builds the output, opens the session lazily (so
 * commands that need no platform load no SDK and no config), renders errors in one place, sets
 * the exit code, and handles Ctrl-C (exit 130).
 */
import type { Command } from './commander.js';
import { ExitCode, type AdctlError } from '../core/errors.js';
import { Output } from './output.js';
import { renderError } from './render-error.js';
import type { Session } from '../services/session.js';
import { ioOf, type CliIo } from './io.js';
import { debugFrom, noInputFrom } from '../core/switches.js';
import { createConfirmer, type Confirmer } from '../services/write/confirm.js';

export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  input?: boolean; // false with --no-input
  color?: boolean; // false with --no-color
  verbose?: boolean;
  debug?: boolean;
  sandbox?: boolean;
  account?: string;
  timeout?: string;
  /** Per command where it exists: refs whose guardrail breaches are confirmed. */
  confirm?: string[] | string;
}

export interface RunContext<O> {
  opts: O & GlobalOptions;
  out: Output;
  env: NodeJS.ProcessEnv;
  /** The process this command runs in: streams for prompts, progress and stdin input. */
  io: CliIo;
  /** Opens the session on first call (resolves settings, config, registry). */
  session(): Promise<Session>;
  /** True when a prompt may be shown: stdin and stdout are TTYs and nothing forbids it (DESIGN §9). */
  canPrompt(): boolean;
  /**
   * The command's one confirmation port (services/write/confirm.ts), built from `--confirm`,
   * `--yes` and whether a prompt may be shown. Services ask it; nothing else prompts.
   */
  confirmer: Confirmer;
  /** A moderate action: `--yes`, or a prompt on a TTY; with prompts impossible, exit 77 naming the flag. */
  confirm(message: string, refusal: { code: string; hint: string }): Promise<void>;
}

export type Handler<O> = (ctx: RunContext<O>) => Promise<number | void>;

/** Turn a handler into a commander action. */
export function action<O>(handler: Handler<O>) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as O & GlobalOptions;
    const io = ioOf(cmd);
    const env = io.env;
    const out = new Output({ json: !!opts.json, color: Output.colorEnabled(env, opts.color !== false, io.stdout), stdout: io.stdout, stderr: io.stderr });
    let session: Session | undefined;
    let redact = (s: string) => s;
    const debug = debugFrom(opts, env);

    const onSigint = () => {
      out.notice('interrupted: no further requests were sent');
      process.exit(ExitCode.INTERRUPTED);
    };
    process.once('SIGINT', onSigint);

    const noInputSet = noInputFrom({ noInput: opts.input === false }, env);
    const canPrompt = () => !noInputSet && !!io.stdin.isTTY && !!io.stdout.isTTY;

    // The one place adctl prompts for a yes/no: on stderr, so stdout stays data.
    const ask = async (message: string): Promise<boolean> => {
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message, default: false }, { input: io.stdin, output: io.stderr });
    };
    const confirmer = createConfirmer({ confirm: opts.confirm, yes: opts.yes, ask: canPrompt() ? ask : undefined });

    const ctx: RunContext<O> = {
      opts,
      out,
      env,
      io,
      canPrompt,
      session: async () => {
        if (!session) {
          const { Session: SessionClass } = await import('../services/session.js');
          session = await SessionClass.open(env, {
            profile: opts.profile,
            sandbox: opts.sandbox,
            account: opts.account,
            noInput: opts.input === false,
            debug: opts.debug,
            timeout: opts.timeout,
            dryRun: opts.dryRun,
            verbose: opts.verbose,
          }, { notice: (l) => out.notice(l), trace: (l) => out.trace(l) });
          redact = (s) => session!.redactor.redact(s);
        }
        return session;
      },
      confirmer,
      confirm: (message, refusal) => confirmer.action(message, refusal),
    };

    try {
      await out.init();
      const code = await handler(ctx);
      io.setExitCode(code ?? ExitCode.OK);
    } catch (e) {
      io.setExitCode(renderError(e, { json: out.json, debug, redact, write: (t) => io.stderr.write(t), style: out.style }));
    } finally {
      process.removeListener('SIGINT', onSigint);
      if (session) await session.close().catch(() => undefined);
    }
  };
}

/** Append "Examples:" to a command's help. Every command carries 2–4 examples. */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/**
 * The end of a command fanned out to `asked` platforms: every platform failed → that error (a
 * single one is thrown and rendered as usual); otherwise render what came back, print each
 * platform's error on stderr, and return 0, or 3 when some failed (the output lists what worked).
 */
export async function finishFanOut(ctx: RunContext<unknown>, failures: Array<{ error: AdctlError }>, asked: number, render: () => void): Promise<number> {
  const allFailed = failures.length > 0 && failures.length === asked;
  if (allFailed && failures.length === 1) throw failures[0]!.error;
  if (!allFailed) render();
  if (failures.length === 0) return ExitCode.OK;
  const session = await ctx.session();
  for (const f of failures) {
    renderError(f.error, { json: ctx.out.json, debug: false, redact: (s) => session.redactor.redact(s), write: (t) => ctx.io.stderr.write(t), style: ctx.out.style });
  }
  return allFailed ? failures[0]!.error.exitCode : ExitCode.PARTIAL;
}
