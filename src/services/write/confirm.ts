/**
 * The one confirmation port of every write (DESIGN §9). The CLI builds one Confirmer per command
 * (cli/run.ts) from `--confirm`, `--yes` and whether a terminal prompt is allowed; services ask it
 * and never prompt themselves.
 *
 * Order, the same everywhere: a guardrail breach passes when `--confirm` names it, else when the
 * person at the terminal says yes, else exit 77 with nothing sent. `--yes` confirms moderate
 * actions (delete, apply, undo) and never a guardrail breach.
 */
import { AdctlError, ExitCode } from '../../core/errors.js';

/** A guardrail breach: what `--confirm` names (a ref, or a spec key for an object not created yet) and why. */
export interface Breach {
  id: string;
  message: string;
}

export interface Refusal {
  code: string;
  hint: string;
}

export interface Confirmer {
  /** Resolves when every breach is confirmed; otherwise throws GUARDRAIL (exit 77) naming the open ones. */
  guardrails(found: readonly Breach[]): Promise<void>;
  /** A moderate action: `--yes` or a "yes" on the terminal; otherwise throws `refusal` (exit 77). */
  action(message: string, refusal: Refusal): Promise<void>;
}

export interface ConfirmerOptions {
  /** `--confirm` values: refs or spec keys, repeated or comma-separated. */
  confirm?: readonly string[] | string | undefined;
  /** `-y/--yes`. */
  yes?: boolean | undefined;
  /** A yes/no question on the terminal; absent when prompts are not allowed (no TTY, --no-input, CI). */
  ask?: ((message: string) => Promise<boolean>) | undefined;
}

/** `--confirm a,b --confirm c` → [a, b, c]: the one way every command reads the list. */
export function confirmList(values: readonly string[] | string | undefined): string[] {
  const list = typeof values === 'string' ? [values] : values ?? [];
  return [...new Set(list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
}

export function guardrailRefusal(found: readonly Breach[]): AdctlError {
  return new AdctlError('GUARDRAIL', found.length === 1 ? found[0]!.message : `${found.length} budget changes breach the profile's guardrails: ${found.map((b) => b.message).join('; ')}`, ExitCode.REFUSED, {
    hint: `nothing was sent; confirm on a terminal, or pass ${[...new Set(found.map((b) => `--confirm=${b.id}`))].join(' ')}`,
    details: { breaches: found },
  });
}

export function createConfirmer(options: ConfirmerOptions = {}): Confirmer {
  const named = new Set(confirmList(options.confirm));
  return {
    async guardrails(found) {
      const open = found.filter((b) => !named.has(b.id));
      if (open.length === 0) return;
      const question = `${open.map((b) => b.message).join('\n')}\nApply ${open.length === 1 ? 'this budget' : 'these budgets'} anyway?`;
      if (!(options.ask && (await options.ask(question)))) throw guardrailRefusal(open);
    },
    async action(message, refusal) {
      if (options.yes) return;
      if (!options.ask) {
        throw new AdctlError(refusal.code, `${message.replace(/\?$/, '')}: confirmation needed`, ExitCode.REFUSED, { hint: refusal.hint });
      }
      if (!(await options.ask(message))) throw new AdctlError('CANCELLED', 'cancelled; nothing was changed', ExitCode.REFUSED, { hint: refusal.hint });
    },
  };
}
