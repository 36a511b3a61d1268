/**
 * The one reading of adctl's on/off switches from flags and the environment. A leaf module (no
 * imports), so the CLI wrapper can use it on the start-up path and settings.ts resolves the same
 * answers: "0", "false" (any case) and "" are off; anything else is on.
 */
export type SwitchEnv = Record<string, string | undefined>;

export function truthy(v: string | undefined): boolean {
  return !!v && v !== '0' && v.toLowerCase() !== 'false';
}

/** `CI` set to anything truthy: prompts off, and no silent fall-back to the sandbox. */
export function inCi(env: SwitchEnv): boolean {
  return truthy(env.CI);
}

/** Never prompt: `--no-input`, `ADCTL_NO_INPUT` or CI (DESIGN §9). */
export function noInputFrom(flags: { noInput?: boolean | undefined }, env: SwitchEnv): boolean {
  return !!flags.noInput || truthy(env.ADCTL_NO_INPUT) || inCi(env);
}

/** Redacted HTTP trace and stack traces: `--debug` or `ADCTL_DEBUG`. */
export function debugFrom(flags: { debug?: boolean | undefined }, env: SwitchEnv): boolean {
  return !!flags.debug || truthy(env.ADCTL_DEBUG);
}
