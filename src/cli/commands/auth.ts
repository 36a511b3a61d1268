/**
 * `adctl auth status|login|logout`. Thin: logic is in services/auth.ts, loaded inside the actions.
 * Tokens come from stdin or a file, never from flag values (DESIGN §11).
 */
import { Option, type Command } from '../commander.js';
import { action, examples, type RunContext } from '../run.js';

interface LoginOptions {
  platform: 'x' | 'meta'; tokenStdin?: boolean; tokenFile?: string; appSecretFile?: string; appId?: string;
  flow?: 'pin' | 'pkce'; apiKeyFile?: string; apiSecretFile?: string; pinStdin?: boolean; clientId?: string; clientSecretFile?: string; scopes: string; redirectPort: string;
}

/** How long the PKCE login waits for the browser to come back. */
const PKCE_WAIT_MS = 5 * 60_000;

/** One line from stdin (the PIN), without waiting for EOF: the process keeps running. */
async function readLine(stdin: NodeJS.ReadableStream): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: stdin });
  try {
    for await (const line of rl) if (line.trim()) return line;
    return '';
  } finally {
    rl.close();
  }
}

async function xLogin(ctx: RunContext<LoginOptions>, file: (path: string, flag: string) => string): Promise<void> {
  const o = ctx.opts;
  const { usageError } = await import('../../core/errors.js');
  const flow = o.flow ?? (o.clientId ? 'pkce' : 'pin');
  const session = await ctx.session();
  const { requireProfile, xConsumer, xLoginPin, xLoginPkce } = await import('../../services/auth.js');
  const profile = requireProfile(session);
  if (flow === 'pin') {
    // Decide how the PIN arrives before anything is sent: a missing way to enter it is exit 64.
    if (!o.pinStdin && !ctx.canPrompt()) throw usageError('MISSING_INPUT', 'the PIN cannot be prompted for here', 'pass --pin-stdin and write the PIN to stdin once the URL is shown');
    const consumer = xConsumer(session, profile, {
      key: o.apiKeyFile ? file(o.apiKeyFile, '--api-key-file') : undefined,
      secret: o.apiSecretFile ? file(o.apiSecretFile, '--api-secret-file') : undefined,
    });
    const r = await xLoginPin(session, profile, consumer,
      (url) => ctx.out.notice(`Open this URL, authorize the app, then enter the PIN X shows:\n  ${url}`),
      async () => {
        if (o.pinStdin) return readLine(ctx.io.stdin);
        const { input } = await import('@inquirer/prompts');
        return input({ message: 'PIN' }, { input: ctx.io.stdin, output: ctx.io.stderr });
      });
    if (ctx.out.json) return ctx.out.data({ profile, platform: 'x', flow: 'pin', userId: r.userId ?? null, store: r.store });
    ctx.out.notice(`x OAuth 1.0a token stored for profile ${profile}${r.userId ? ` (user ${r.userId})` : ''} in the ${r.store} store; it does not expire`);
    return;
  }
  const port = Number(o.redirectPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError('INVALID_PORT', `--redirect-port "${o.redirectPort}" is not a port`, 'use a number from 0 to 65535');
  const scopes = o.scopes.split(/[\s,]+/).filter(Boolean);
  const r = await xLoginPkce(session, profile, {
    clientId: o.clientId, clientSecret: o.clientSecretFile ? file(o.clientSecretFile, '--client-secret-file') : undefined, scopes, port, waitMs: PKCE_WAIT_MS,
    onUrl: (url) => ctx.out.notice(`Open this URL in a browser and authorize the app; adctl waits for the redirect:\n  ${url}`),
  });
  if (ctx.out.json) return ctx.out.data({ profile, platform: 'x', flow: 'pkce', expiresAt: r.expiresAt, scopes: r.scopes, refreshable: r.refreshable, store: r.store });
  ctx.out.notice(`x OAuth 2.0 token stored for profile ${profile} in the ${r.store} store; expires ${r.expiresAt ?? 'never'}${r.refreshable ? ', refreshed automatically before that' : ' (no refresh token: ask for offline.access to get one)'}`);
}

export function registerAuthCommands(program: Command): void {
  const auth = program.command('auth').description('check, add and remove platform tokens of a profile');

  const status = auth.command('status').description('validity, expiry, scopes and store of each token; exit 4 when one is expired or lacks a scope')
    .option('--all-profiles', 'every stored profile\'s own tokens (credential variables are ignored), not just the profile in effect');
  status.action(action<{ allProfiles?: boolean }>(async (ctx) => {
    const { allStatus, everyProfileStatus } = await import('../../services/auth.js');
    const rows = ctx.opts.allProfiles
      ? await everyProfileStatus(ctx.env, ctx.opts.timeout, { notice: (l) => ctx.out.notice(l), trace: (l) => ctx.out.trace(l) })
      : await allStatus(await ctx.session());
    if (ctx.opts.allProfiles && !rows.length && !ctx.out.json) ctx.out.notice('no stored profiles; add one with `adctl profile add NAME`');
    if (ctx.out.json) ctx.out.data(rows);
    else {
      ctx.out.table(['PROFILE', 'PLATFORM', 'STATE', 'EXPIRES', 'SCOPES', 'STORE'], rows.map((r) => [
        r.profile, r.credential ? `${r.platform} (${r.credential})` : r.platform, r.state, r.state === 'missing' ? '-' : r.expiresAt ?? 'never', r.scopes ? r.scopes.join(',') : '-', r.state === 'missing' ? '-' : r.store,
      ]));
    }
    for (const r of rows) {
      if (r.state === 'expiring') ctx.out.warn(`the ${r.platform} token of profile ${r.profile} expires ${r.expiresAt}; renew it with \`adctl auth login --platform ${r.platform} --profile ${r.profile}\``);
    }
    const bad = rows.filter((r) => r.state !== 'ok' && r.state !== 'expiring');
    if (bad.length) {
      const { AdctlError, ExitCode } = await import('../../core/errors.js');
      const b = bad[0]!;
      const why = b.state === 'missing-scope' ? `lacks the scope ${b.missingScopes.join(', ')}` : b.state === 'expired' ? 'has expired' : b.state === 'missing' ? 'is not set' : 'is not valid';
      const flow = b.credential === 'oauth2' ? ' --flow pkce' : b.credential === 'oauth1' ? ' --flow pin' : '';
      throw new AdctlError('AUTH_EXPIRED', `the ${b.platform}${b.credential ? ` ${b.credential === 'oauth2' ? 'OAuth 2.0' : 'OAuth 1.0a'}` : ''} token of profile ${b.profile} ${why}`, ExitCode.AUTH, {
        hint: `run \`adctl auth login --platform ${b.platform}${flow} --profile ${b.profile}\` to store a new token`,
      });
    }
  }));
  examples(status, ['adctl auth status', 'adctl auth status --profile acme --json', 'adctl auth status --all-profiles']);

  const login = auth.command('login').description('store a token for a profile: Meta (exchanged for a long-lived one when app id and secret are known), or X through the OAuth 1.0a PIN flow (Ads API) or OAuth 2.0 PKCE with a loopback redirect (posts)')
    .addOption(new Option('--platform <platform>', 'platform').choices(['x', 'meta']).makeOptionMandatory())
    .option('--token-stdin', 'Meta: read the access token from stdin')
    .option('--token-file <path>', 'Meta: read the access token from a file')
    .option('--app-id <id>', 'Meta app id (with the app secret: exchange for a long-lived token)')
    .option('--app-secret-file <path>', 'file holding the Meta app secret')
    .addOption(new Option('--flow <flow>', 'X: pin (OAuth 1.0a, needed for the Ads API) or pkce (OAuth 2.0 user token with refresh, for posts); default pkce with --client-id, else pin').choices(['pin', 'pkce']))
    .option('--api-key-file <path>', 'X pin: file holding the app\'s consumer key (default: the profile\'s, then ADCTL_X_API_KEY)')
    .option('--api-secret-file <path>', 'X pin: file holding the app\'s consumer secret')
    .option('--pin-stdin', 'X pin: read the PIN from stdin after the URL is printed (no prompt; for scripts)')
    .option('--client-id <id>', 'X pkce: the app\'s OAuth 2.0 client id')
    .option('--client-secret-file <path>', 'X pkce: file holding the client secret (confidential clients only)')
    .option('--scopes <list>', 'X pkce: space- or comma-separated scopes', 'tweet.read tweet.write users.read media.write offline.access')
    .option('--redirect-port <port>', 'X pkce: loopback port of the redirect URI http://127.0.0.1:PORT/callback registered for the app (0: any free port)', '8765');
  login.action(action<LoginOptions>(async (ctx) => {
    const { readFileSync } = await import('node:fs');
    const { usageError } = await import('../../core/errors.js');
    const o = ctx.opts;
    const file = (path: string, flag: string) => {
      try {
        return readFileSync(path, 'utf8').trim();
      } catch {
        throw usageError('SECRET_FILE_UNREADABLE', `cannot read ${flag} ${path}`, 'check the path and its permissions');
      }
    };
    if (o.platform === 'x') return xLogin(ctx, file);
    let token: string | undefined;
    if (o.tokenFile) token = file(o.tokenFile, '--token-file');
    else if (o.tokenStdin) {
      const { readAll } = await import('../io.js');
      token = (await readAll(ctx.io.stdin)).trim();
    }
    if (!token) throw usageError('MISSING_INPUT', 'no token given: pass --token-stdin or --token-file', 'e.g. adctl auth login --platform meta --profile acme --token-file token.txt');
    const appSecret = o.appSecretFile ? file(o.appSecretFile, '--app-secret-file') : undefined;
    const session = await ctx.session();
    session.redactor.add(token);
    const { metaLogin, metaStatus, requireProfile } = await import('../../services/auth.js');
    const profile = requireProfile(session);
    const r = await metaLogin(session, profile, token, { id: o.appId, secret: appSecret });
    const { Session } = await import('../../services/session.js');
    const fresh = await Session.open(ctx.env, { profile, timeout: ctx.opts.timeout }, { notice: (l) => ctx.out.notice(l), trace: () => undefined });
    const st = await metaStatus(fresh);
    await fresh.close();
    if (ctx.out.json) return ctx.out.data({ profile, platform: 'meta', exchanged: r.exchanged, expiresAt: st.expiresAt, store: st.store });
    ctx.out.notice(`meta token stored for profile ${profile} (${st.store} store${r.exchanged ? ', exchanged for a long-lived token' : ''}); expires ${st.expiresAt ?? 'never'}`);
  }));
  examples(login, [
    'adctl auth login --platform meta --profile acme --token-file token.txt',
    'pbpaste | adctl auth login --platform meta --profile acme --token-stdin --app-id 4001 --app-secret-file app-secret.txt',
    'adctl auth login --platform x --profile acme --api-key-file key.txt --api-secret-file secret.txt',
    'adctl auth login --platform x --profile acme --flow pkce --client-id YOUR_CLIENT_ID --redirect-port 8765',
  ]);

  const logout = auth.command('logout').description('remove a platform token from a profile')
    .addOption(new Option('--platform <platform>', 'platform').choices(['x', 'meta']).makeOptionMandatory());
  logout.action(action<{ platform: 'x' | 'meta' }>(async (ctx) => {
    const session = await ctx.session();
    const { logout: doLogout, requireProfile } = await import('../../services/auth.js');
    const profile = requireProfile(session);
    await doLogout(session, profile, ctx.opts.platform);
    if (ctx.out.json) return ctx.out.data({ profile, platform: ctx.opts.platform, removed: true });
    ctx.out.notice(`${ctx.opts.platform} credentials removed from profile ${profile}`);
  }));
  examples(logout, ['adctl auth logout --platform meta --profile acme', 'adctl auth logout --platform x --json']);
}
