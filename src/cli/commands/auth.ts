/**
 * `adctl auth status|login|logout`. Thin: logic is in services/auth.ts, loaded inside the actions.
 * Tokens come from stdin or a file, never from flag values (DESIGN §11).
 */
import { Option, type Command } from '../commander.js';
import { action, examples } from '../run.js';

interface LoginOptions { platform: 'meta'; tokenStdin?: boolean; tokenFile?: string; appSecretFile?: string; appId?: string }

export function registerAuthCommands(program: Command): void {
  const auth = program.command('auth').description('check, add and remove platform tokens of a profile');

  const status = auth.command('status').description('validity, expiry, scopes and store of each token; exit 4 when one is expired or lacks a scope');
  status.action(action(async (ctx) => {
    const session = await ctx.session();
    const { allStatus } = await import('../../services/auth.js');
    const rows = await allStatus(session);
    if (ctx.out.json) ctx.out.data(rows);
    else {
      ctx.out.table(['PROFILE', 'PLATFORM', 'STATE', 'EXPIRES', 'SCOPES', 'STORE'], rows.map((r) => [
        r.profile, r.platform, r.state, r.state === 'missing' ? '-' : r.expiresAt ?? 'never', r.scopes ? r.scopes.join(',') : '-', r.state === 'missing' ? '-' : r.store,
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
      throw new AdctlError('AUTH_EXPIRED', `the ${b.platform} token of profile ${b.profile} ${why}`, ExitCode.AUTH, {
        hint: `run \`adctl auth login --platform ${b.platform} --profile ${b.profile}\` to store a new token`,
      });
    }
  }));
  examples(status, ['adctl auth status', 'adctl auth status --profile acme --json']);

  const login = auth.command('login').description('store a Meta token for a profile, exchanged for a long-lived one when the app id and secret are known')
    .addOption(new Option('--platform <platform>', 'platform').choices(['meta']).makeOptionMandatory())
    .option('--token-stdin', 'read the access token from stdin')
    .option('--token-file <path>', 'read the access token from a file')
    .option('--app-id <id>', 'Meta app id (with the app secret: exchange for a long-lived token)')
    .option('--app-secret-file <path>', 'file holding the Meta app secret');
  login.action(action<LoginOptions>(async (ctx) => {
    const { readFileSync } = await import('node:fs');
    const { usageError } = await import('../../core/errors.js');
    const o = ctx.opts;
    let token: string | undefined;
    if (o.tokenFile) token = readFileSync(o.tokenFile, 'utf8').trim();
    else if (o.tokenStdin) {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      token = Buffer.concat(chunks).toString('utf8').trim();
    }
    if (!token) throw usageError('MISSING_INPUT', 'no token given: pass --token-stdin or --token-file', 'e.g. adctl auth login --platform meta --profile acme --token-file token.txt');
    const appSecret = o.appSecretFile ? readFileSync(o.appSecretFile, 'utf8').trim() : undefined;
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
