/**
 * The `profile add` wizard (issue 3): on a TTY, with no secrets given, it asks for what the flags
 * would have said. It only collects answers: the result goes through exactly the same checks as
 * the scripted path (flags + --secrets-stdin), so both paths accept and refuse the same profiles.
 *
 * Contracts: secrets are asked with a masked prompt and never echoed; a value already given as a
 * flag is not asked again; optional answers left empty stay unset (no invented defaults, except the
 * time zone, which defaults to the system zone shown in the prompt).
 */
import type { CliIo } from './io.js';

/** The prompts the wizard needs; the CLI backs them with @inquirer/prompts on stderr. */
export interface Ask {
  input(message: string, o?: { default?: string; required?: boolean; validate?: (v: string) => true | string }): Promise<string>;
  /** Masked input for secrets. */
  password(message: string, o?: { required?: boolean }): Promise<string>;
  checkbox(message: string, choices: Array<{ name: string; value: string; checked: boolean }>): Promise<string[]>;
}

/** The flag values the wizard can fill (the same names as `profile add`'s options). */
export interface WizardFields {
  xAdsAccount?: string | undefined; xUserId?: string | undefined;
  metaAdAccount?: string | undefined; metaPage?: string | undefined; metaIgUser?: string | undefined; metaAppId?: string | undefined;
  timeZone?: string | undefined; plugins?: string | undefined; maxDailyBudget?: string[] | undefined; maxIncreasePct?: string | undefined;
}

export interface WizardResult {
  secrets: { x?: Record<string, string>; meta?: Record<string, string> };
  fields: WizardFields;
}

const optional = (v: string) => (v.trim() === '' ? undefined : v.trim());

function validZone(v: string): true | string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return true;
  } catch {
    return 'an IANA zone such as Europe/Berlin';
  }
}

export async function runProfileWizard(ask: Ask, given: WizardFields, systemZone: string): Promise<WizardResult> {
  const secrets: WizardResult['secrets'] = {};
  const fields: WizardFields = {};
  const platforms = await ask.checkbox('Platforms for this profile', [
    { name: 'X (Ads API and posts)', value: 'x', checked: true },
    { name: 'Meta (Facebook, Instagram)', value: 'meta', checked: true },
  ]);
  if (!given.plugins && platforms.length === 1) fields.plugins = platforms[0];

  if (platforms.includes('x')) {
    // OAuth 1.0a: the Ads API takes nothing else. `adctl auth login --platform x` can fetch the token pair instead.
    secrets.x = {
      apiKey: await ask.password('X consumer key (API key)', { required: true }),
      apiSecret: await ask.password('X consumer secret (API secret)', { required: true }),
      accessToken: await ask.password('X access token', { required: true }),
      accessSecret: await ask.password('X access token secret', { required: true }),
    };
    if (!given.xAdsAccount) fields.xAdsAccount = optional(await ask.input('X Ads account id (empty: none)'));
    if (!given.xUserId) fields.xUserId = optional(await ask.input('X user id (empty: looked up when needed)'));
  }

  if (platforms.includes('meta')) {
    secrets.meta = { accessToken: await ask.password('Meta access token', { required: true }) };
    const appSecret = optional(await ask.password('Meta app secret (empty: no appsecret_proof)'));
    if (appSecret) secrets.meta.appSecret = appSecret;
    if (!given.metaAppId) fields.metaAppId = optional(await ask.input('Meta app id (empty: none)'));
    if (!given.metaAdAccount) {
      const act = optional(await ask.input('Meta ad account id, act_… (empty: none)', { validate: (v) => v.trim() === '' || /^(act_)?\d+$/.test(v.trim()) || 'digits, optionally prefixed with act_' }));
      fields.metaAdAccount = act && !act.startsWith('act_') ? `act_${act}` : act;
    }
    if (!given.metaPage) fields.metaPage = optional(await ask.input('Facebook Page id (empty: none)'));
    if (!given.metaIgUser) fields.metaIgUser = optional(await ask.input('Instagram user id (empty: none)'));
  }

  if (!given.timeZone) fields.timeZone = (await ask.input('Default time zone', { default: systemZone, validate: validZone })).trim();
  if (!given.maxDailyBudget?.length) {
    const cap = optional(await ask.input('Guardrail: largest daily budget, e.g. "500 USD" (empty: none)', {
      validate: (v) => v.trim() === '' || /^\d+(\.\d+)?\s+[A-Z]{3}$/.test(v.trim()) || 'an exact amount and an ISO currency code, e.g. 500 USD',
    }));
    if (cap) fields.maxDailyBudget = [cap];
  }
  if (!given.maxIncreasePct) {
    fields.maxIncreasePct = optional(await ask.input('Guardrail: largest budget increase per change, in % (empty: none)', {
      validate: (v) => v.trim() === '' || Number(v) > 0 || 'a positive number, e.g. 20',
    }));
  }
  return { secrets, fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as WizardFields };
}

/** The wizard's prompts on stderr (stdout stays for data), through @inquirer/prompts. */
export async function inquirerAsk(io: Pick<CliIo, 'stdin' | 'stderr'>): Promise<Ask> {
  const p = await import('@inquirer/prompts');
  const ctx = { input: io.stdin, output: io.stderr };
  return {
    input: (message, o = {}) => p.input({ message, ...(o.default !== undefined ? { default: o.default } : {}), required: !!o.required, ...(o.validate ? { validate: o.validate } : {}) }, ctx),
    password: (message, o = {}) => p.password({ message, mask: '*', ...(o.required ? { validate: (v: string) => v.trim() !== '' || 'required' } : {}) }, ctx).then((v) => v.trim()),
    checkbox: (message, choices) => p.checkbox({ message, choices, required: true }, ctx),
  };
}
