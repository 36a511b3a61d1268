/**
 * `adctl profile list|add|use|show|remove|rename|env`. Thin: logic is in services/profiles.ts,
 * loaded inside each action so start-up stays light. Secrets are read from stdin (`--secrets-stdin`,
 * one JSON object) or from `--*-file` paths, never from flag values (DESIGN §11).
 */
import type { Command } from '../commander.js';
import { action, examples } from '../run.js';
import { readAll } from '../io.js';

async function service(env: NodeJS.ProcessEnv) {
  const [{ ConfigStore }, { defaultConfigDir }, { ProfileService }] = await Promise.all([
    import('../../core/config.js'), import('../../core/settings.js'), import('../../services/profiles.js'),
  ]);
  return new ProfileService(await ConfigStore.open(defaultConfigDir(env)), env);
}


interface AddOptions {
  secretsStdin?: boolean;
  xApiKeyFile?: string; xApiSecretFile?: string; xAccessTokenFile?: string; xAccessSecretFile?: string;
  metaAccessTokenFile?: string; metaAppSecretFile?: string;
  xAdsAccount?: string; xUserId?: string; metaAdAccount?: string; metaPage?: string; metaIgUser?: string; metaAppId?: string;
  timeZone?: string; plugins?: string; maxDailyBudget?: string[]; maxIncreasePct?: string; force?: boolean;
}

const X_FILE_FLAGS = [['apiKey', 'xApiKeyFile', '--x-api-key-file'], ['apiSecret', 'xApiSecretFile', '--x-api-secret-file'],
  ['accessToken', 'xAccessTokenFile', '--x-access-token-file'], ['accessSecret', 'xAccessSecretFile', '--x-access-secret-file']] as const;

export function registerProfileCommands(program: Command): void {
  const profile = program.command('profile').description('named bundles of credentials, account ids and guardrails, one per client');

  const list = profile.command('list').description('list profiles; * marks the active one');
  list.action(action(async (ctx) => {
    const rows = (await service(ctx.env)).list();
    if (ctx.out.json) return ctx.out.data(rows.map((r) => ({ name: r.name, active: r.active, x: r.secrets.x, meta: r.secrets.meta })));
    ctx.out.table(['', 'NAME', 'X', 'META'], rows.map((r) => [r.active ? '*' : '', r.name, r.secrets.x ? 'yes' : 'no', r.secrets.meta ? 'yes' : 'no']));
  }));
  examples(list, ['adctl profile list', 'adctl profile list --json']);

  const add = profile.command('add').description('create a profile: a wizard on a terminal, or flags with secrets from stdin or files (never flag values)')
    .argument('<name>', 'profile name: lowercase letters, digits, - and _')
    .option('--secrets-stdin', 'read secrets as one JSON object on stdin: {"x":{"apiKey",…,"oauth2"?:{"clientId","accessToken","refreshToken"?,"expiresAt"?}},"meta":{"accessToken",…}}; x may hold only "oauth2"')
    .option('--x-api-key-file <path>', 'file holding the X consumer key')
    .option('--x-api-secret-file <path>', 'file holding the X consumer secret')
    .option('--x-access-token-file <path>', 'file holding the X access token')
    .option('--x-access-secret-file <path>', 'file holding the X access token secret')
    .option('--meta-access-token-file <path>', 'file holding the Meta access token')
    .option('--meta-app-secret-file <path>', 'file holding the Meta app secret (enables appsecret_proof)')
    .option('--x-ads-account <id>', 'X Ads account id')
    .option('--x-user-id <id>', 'X user id')
    .option('--meta-ad-account <act_id>', 'Meta ad account id, act_…')
    .option('--meta-page <id>', 'Facebook Page id')
    .option('--meta-ig-user <id>', 'Instagram user id')
    .option('--meta-app-id <id>', 'Meta app id')
    .option('--time-zone <iana>', 'default IANA time zone, e.g. Europe/Berlin')
    .option('--plugins <list>', 'plugins this profile uses, e.g. x,meta (others are off for it)')
    .option('--max-daily-budget <amount currency...>', 'guardrail, e.g. "500 USD" (repeatable per currency)')
    .option('--max-increase-pct <n>', 'guardrail: largest budget increase per change, in %')
    .option('--force', 'replace an existing profile of that name');
  add.action(action<AddOptions>(async (ctx) => {
    const name = add.args[0]!;
    const o = ctx.opts;
    const { readFileSync } = await import('node:fs');
    const { usageError } = await import('../../core/errors.js');
    const { ProfileSecretsSchema } = await import('../../core/profiles.js');
    let raw: { x?: Record<string, unknown>; meta?: Record<string, string> } = {};
    if (o.secretsStdin) {
      try {
        raw = JSON.parse(await readAll(ctx.io.stdin)) as typeof raw;
      } catch {
        throw usageError('INVALID_SECRETS', '--secrets-stdin did not receive a JSON object', 'pipe one JSON object, e.g. {"meta":{"accessToken":"…"}}');
      }
    }
    const file = (path: string, flag: string) => {
      try {
        return readFileSync(path, 'utf8').trim();
      } catch {
        throw usageError('SECRET_FILE_UNREADABLE', `cannot read ${flag} ${path}`, 'check the path and its permissions');
      }
    };
    for (const [key, opt, flag] of X_FILE_FLAGS) if (o[opt]) (raw.x ??= {})[key] = file(o[opt]!, flag);
    if (o.metaAccessTokenFile) (raw.meta ??= {}).accessToken = file(o.metaAccessTokenFile, '--meta-access-token-file');
    if (o.metaAppSecretFile) (raw.meta ??= {}).appSecret = file(o.metaAppSecretFile, '--meta-app-secret-file');
    if (!raw.x && !raw.meta && !o.secretsStdin && ctx.canPrompt()) {
      // On a terminal with no secrets given: the wizard asks; its answers take the scripted path's checks below.
      const { inquirerAsk, runProfileWizard } = await import('../profile-wizard.js');
      const w = await runProfileWizard(await inquirerAsk(ctx.io), o, Intl.DateTimeFormat().resolvedOptions().timeZone);
      raw = w.secrets;
      Object.assign(o, w.fields);
    }
    // X takes the OAuth 1.0a set (Ads API), an OAuth 2.0 user token alone (x.oauth2: posts only), or
    // both. Any OAuth 1.0a part given means all four are needed.
    if (raw.x && (!raw.x.oauth2 || X_FILE_FLAGS.some(([key]) => raw.x![key] !== undefined))) {
      const missing = X_FILE_FLAGS.find(([key]) => !raw.x![key]);
      if (missing) throw usageError('MISSING_INPUT', `X credentials are incomplete: ${missing[2]} (or x.${missing[0]} in --secrets-stdin) is required`, 'OAuth 1.0a needs the consumer key and secret and the access token and secret; an OAuth 2.0 token alone goes in x.oauth2 of --secrets-stdin');
    }
    if (raw.meta && !raw.meta.accessToken) throw usageError('MISSING_INPUT', 'Meta credentials are incomplete: --meta-access-token-file (or meta.accessToken in --secrets-stdin) is required', 'give the Meta access token');
    if (!raw.x && !raw.meta) {
      throw usageError('MISSING_INPUT', 'no credentials given: pass --secrets-stdin or --x-*-file / --meta-access-token-file', 'e.g. adctl profile add acme --meta-access-token-file token.txt (on a terminal without --no-input, a wizard asks instead)');
    }
    const secrets = ProfileSecretsSchema.safeParse(raw);
    if (!secrets.success) throw usageError('INVALID_SECRETS', `the secrets are invalid: ${secrets.error.issues[0]?.path.join('.') ?? ''} ${secrets.error.issues[0]?.message ?? ''}`, 'see `adctl profile add --help`');
    const maxDailyBudget: Record<string, string> = {};
    for (const v of o.maxDailyBudget ?? []) {
      const m = /^(\d+(?:\.\d+)?)\s+([A-Z]{3})$/.exec(v.trim());
      if (!m) throw usageError('INVALID_MONEY', `--max-daily-budget "${v}" must look like "500 USD"`, 'an exact amount and an ISO currency code');
      maxDailyBudget[m[2]!] = m[1]!;
    }
    const pct = o.maxIncreasePct === undefined ? undefined : Number(o.maxIncreasePct);
    if (pct !== undefined && !(pct > 0)) throw usageError('INVALID_PERCENT', `--max-increase-pct "${o.maxIncreasePct}" must be a positive number`, 'e.g. --max-increase-pct 20');
    const plugins = o.plugins === undefined ? undefined : Object.fromEntries(['x', 'meta'].map((p) => [p, o.plugins!.split(',').map((s) => s.trim()).includes(p)]));
    const clean = <T extends object>(v: T) => (Object.values(v).some((x) => x !== undefined) ? (JSON.parse(JSON.stringify(v)) as T) : undefined);
    const { ProfileSchema } = await import('../../core/profiles.js');
    const profileData = ProfileSchema.safeParse(JSON.parse(JSON.stringify({
      x: clean({ adsAccountId: o.xAdsAccount, userId: o.xUserId }),
      meta: clean({ adAccountId: o.metaAdAccount, pageId: o.metaPage, igUserId: o.metaIgUser, appId: o.metaAppId }),
      timeZone: o.timeZone,
      plugins,
      guardrails: clean({ maxDailyBudget: Object.keys(maxDailyBudget).length ? maxDailyBudget : undefined, maxIncreasePct: pct }),
    })));
    if (!profileData.success) throw usageError('INVALID_PROFILE', `invalid profile: ${profileData.error.issues[0]?.path.join('.') ?? ''} ${profileData.error.issues[0]?.message ?? ''}`, 'see `adctl profile add --help`');
    const svc = await service(ctx.env);
    await svc.add(name, profileData.data, secrets.data, !!o.force);
    const store = svc.secrets.where(name);
    if (ctx.out.json) return ctx.out.data({ name, store });
    const where = Object.entries(store).map(([p, k]) => `${p} in the ${k === 'keyring' ? 'OS keyring' : `0600 file ${svc.secrets.path}`}`).join(', ');
    ctx.out.notice(`profile ${name} added; secrets: ${where}`);
    if (svc.secrets.fellBack) ctx.out.notice('the OS keyring did not answer, so secrets went to the 0600 credentials file instead');
  }));
  examples(add, [
    'adctl profile add acme --meta-access-token-file meta.txt --meta-ad-account act_1001',
    'echo \'{"x":{"apiKey":"…","apiSecret":"…","accessToken":"…","accessSecret":"…"}}\' | adctl profile add acme --secrets-stdin --x-ads-account 18ce54d4x5t',
    'adctl profile add acme --secrets-stdin --max-daily-budget "500 USD" --max-increase-pct 20 < secrets.json',
    'adctl profile add acme   # on a terminal with no secrets given: a wizard asks for them',
  ]);

  const use = profile.command('use').description('make a profile the active one for every shell').argument('<name>');
  use.action(action(async (ctx) => {
    const name = use.args[0]!;
    await (await service(ctx.env)).use(name);
    if (ctx.out.json) return ctx.out.data({ active: name });
    ctx.out.notice(`active profile: ${name}`);
  }));
  examples(use, ['adctl profile use acme', 'adctl profile use acme --json']);

  const show = profile.command('show').description('show a profile; secrets are never printed, only where they are stored').argument('<name>');
  show.action(action(async (ctx) => {
    const v = (await service(ctx.env)).show(show.args[0]!);
    if (ctx.out.json) return ctx.out.data(v);
    ctx.out.table(['FIELD', 'VALUE'], [
      ['name', v.name], ['active', v.active ? 'yes' : 'no'],
      ['x ads account', v.profile.x?.adsAccountId ?? '-'], ['x user id', v.profile.x?.userId ?? '-'],
      ['meta ad account', v.profile.meta?.adAccountId ?? '-'], ['meta page', v.profile.meta?.pageId ?? '-'], ['meta ig user', v.profile.meta?.igUserId ?? '-'],
      ['time zone', v.profile.timeZone ?? '-'],
      ['x credentials', v.secrets.store.x ? `[REDACTED] (${v.secrets.store.x} store)` : 'none'],
      ['meta credentials', v.secrets.store.meta ? `[REDACTED] (${v.secrets.store.meta} store)` : 'none'],
      ['guardrails', JSON.stringify(v.profile.guardrails ?? {})],
    ]);
  }));
  examples(show, ['adctl profile show acme', 'adctl profile show acme --json']);

  const remove = profile.command('remove').description('delete a profile and its stored secrets').argument('<name>');
  remove.action(action(async (ctx) => {
    const name = remove.args[0]!;
    await (await service(ctx.env)).remove(name);
    if (ctx.out.json) return ctx.out.data({ removed: name });
    ctx.out.notice(`profile ${name} removed`);
  }));
  examples(remove, ['adctl profile remove acme', 'adctl profile remove acme --json']);

  const rename = profile.command('rename').description('rename a profile, keeping its secrets').argument('<old>').argument('<new>');
  rename.action(action(async (ctx) => {
    const [from, to] = [rename.args[0]!, rename.args[1]!];
    await (await service(ctx.env)).rename(from, to);
    if (ctx.out.json) return ctx.out.data({ from, to });
    ctx.out.notice(`profile ${from} renamed to ${to}`);
  }));
  examples(rename, ['adctl profile rename acme acme-eu', 'adctl profile rename acme acme-eu --json']);

  const env = profile.command('env').description('print a line for eval that switches only the current shell').argument('<name>');
  env.action(action(async (ctx) => {
    const name = env.args[0]!;
    (await service(ctx.env)).show(name); // unknown → exit 78
    if (ctx.out.json) return ctx.out.data({ ADCTL_PROFILE: name });
    ctx.io.stdout.write(`export ADCTL_PROFILE=${name}\n`);
  }));
  examples(env, ['eval "$(adctl profile env acme)"', 'adctl profile env acme --json']);
}
