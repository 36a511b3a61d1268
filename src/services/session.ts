/**
 * A session is one command run: resolved settings, the config, the plugin registry, and lazily
 * loaded adapters. It is the composition root: the only place that knows the built-in plugins
 * and the sandbox, so core stays free of both.
 *
 * In sandbox mode the sandbox runs in this process on 127.0.0.1 (started on first use, stopped by
 * `close()`), with its state under `<config dir>/sandbox/`.
 */
import { join } from 'node:path';
import type { AdapterContext, Capability, HttpObserver, PlatformAdapter, WireRequest, WireResponse } from '../core/adapter.js';
import { createAdapterContext, secretsOf } from '../core/context.js';
import { ConfigStore } from '../core/config.js';
import { AdctlError, ExitCode } from '../core/errors.js';
import type { Platform } from '../core/model.js';
import { PluginRegistry } from '../core/registry.js';
import { RateGovernor, rateLimitFile } from '../core/rate-limit.js';
import { Redactor } from '../core/redact.js';
import { defaultConfigDir, resolveSettings, type Env, type Settings, type SettingsFlags } from '../core/settings.js';
import { BUILTIN_PLUGINS } from '../plugins/index.js';
import { SANDBOX_META, SANDBOX_X } from '../sandbox/credentials.js';
import type { SandboxServer } from '../sandbox/server.js';

export interface SessionIO {
  /** One human line on stderr. */
  notice(line: string): void;
  /** One `--debug` line on stderr (already redacted). */
  trace(line: string): void;
}

export interface SessionOptions extends SettingsFlags {
  dryRun?: boolean;
  verbose?: boolean;
}

export class Session {
  readonly redactor = new Redactor();
  /** The environment the session was opened with (profile and secret-store lookups). */
  env: Env = {};
  /** The platform request id (fbtrace_id, x-transaction-id) of the latest response, per platform. */
  readonly lastRequestId = new Map<Platform, string>();
  private sandbox: Promise<SandboxServer> | undefined;
  /** Shared with every other adctl process through the config dir (issue 7, throttling). */
  private readonly governor: RateGovernor;
  private sandboxNoticeShown = false;

  private constructor(
    readonly settings: Settings,
    readonly config: ConfigStore,
    readonly registry: PluginRegistry,
    readonly options: SessionOptions,
    private readonly io: SessionIO,
  ) {
    this.governor = new RateGovernor({
      file: rateLimitFile(settings.configDir),
      onWait: (bucket, ms) => {
        if (options.verbose || settings.debug) io.notice(`${bucket}: close to the rate limit; waiting ${(ms / 1000).toFixed(1)} s`);
      },
    });
    for (const p of [settings.x, settings.meta]) {
      if (!p) continue;
      secretsOf(p.credentials).forEach((s) => this.redactor.add(s));
    }
    // The sandbox's demo tokens are redacted too: no token is ever printed, whatever its origin.
    [SANDBOX_X.apiKey, SANDBOX_X.apiSecret, SANDBOX_X.accessToken, SANDBOX_X.accessSecret, SANDBOX_META.accessToken, SANDBOX_META.appSecret]
      .forEach((s) => this.redactor.add(s));
  }

  /** The credentials and endpoints a platform call would use (sandbox origin in sandbox mode); for auth status/login, which speak to auth endpoints outside the adapters. */
  async connection(platform: Platform): Promise<Pick<AdapterContext, 'credentials' | 'endpoints'>> {
    this.registry.check(platform);
    return this.contextInputs(platform);
  }

  static async open(env: Env, options: SessionOptions, io: SessionIO): Promise<Session> {
    const config = await ConfigStore.open(defaultConfigDir(env));
    const { loadProfileForRun } = await import('./profiles.js');
    const loaded = loadProfileForRun(config, env, options);
    const settings = resolveSettings(env, options, loaded?.profile);
    // Per-profile plugin switches narrow the global ones: a plugin runs only if both allow it.
    const registry = new PluginRegistry(BUILTIN_PLUGINS, (id) => config.pluginEnabled(id) && loaded?.plugins[id] !== false);
    const session = new Session(settings, config, registry, options, io);
    session.env = env;
    for (const secret of loaded?.secrets ?? []) session.redactor.add(secret);
    return session;
  }

  get dryRun(): boolean {
    return !!this.options.dryRun;
  }

  /** The profile and account a state-changing command acts on, for its stderr line (DESIGN §9). */
  describeTarget(platform: Platform): string {
    const account = this.accountId(platform) ?? '(account not set)';
    return `profile ${this.settings.profile} · ${platform}:${account}`;
  }

  accountId(platform: Platform): string | undefined {
    const chosen = this.settings.accounts[platform];
    if (chosen) return chosen;
    if (this.settings.mode === 'sandbox') return platform === 'x' ? SANDBOX_X.adsAccountId : SANDBOX_META.adAccountId;
    return undefined;
  }

  /** Where posts go: settings (env > profile), with the sandbox's Page and accounts in sandbox mode. */
  channelIds(): { xUserId: string | undefined; pageId: string | undefined; igUserId: string | undefined } {
    const c = this.settings.channels;
    if (this.settings.mode !== 'sandbox') return { ...c };
    return { xUserId: c.xUserId ?? SANDBOX_X.userId, pageId: c.pageId ?? SANDBOX_META.pageId, igUserId: c.igUserId ?? SANDBOX_META.igUserId };
  }

  /** Platforms a fan-out command covers: enabled, and with credentials (all enabled in sandbox mode). */
  fanOutPlatforms(filter?: Platform): Platform[] {
    if (filter) {
      this.registry.check(filter);
      return [filter];
    }
    return this.registry.enabled().filter((p) => this.settings.mode === 'sandbox' || this.settings[p] !== undefined);
  }

  /** Load the adapter for `platform`, checking enablement, capability and credentials first. */
  async adapter(platform: Platform, capability?: Capability): Promise<PlatformAdapter> {
    this.registry.check(platform, capability);
    const ctxBase = await this.contextInputs(platform);
    return this.registry.load(platform, capability, () => this.makeContext(platform, ctxBase));
  }

  async close(): Promise<void> {
    if (this.sandbox) await (await this.sandbox).close();
  }

  private async contextInputs(platform: Platform): Promise<Pick<AdapterContext, 'credentials' | 'endpoints'>> {
    const s = this.settings;
    if (s.mode === 'sandbox') {
      let endpoints = s.endpoints;
      if (s.endpointsFromEnv) {
        this.sandboxNotice(`Using the sandbox at ${s.endpoints.xAdsApi} / ${s.endpoints.metaGraph} with its demo credentials.`);
      } else {
        const sandbox = await this.startSandbox();
        endpoints = { ...s.endpoints, xApi: sandbox.url, xAdsApi: sandbox.url, xUpload: sandbox.url, metaGraph: sandbox.url };
      }
      const credentials = platform === 'x'
        ? { kind: 'x-oauth1' as const, apiKey: SANDBOX_X.apiKey, apiSecret: SANDBOX_X.apiSecret, accessToken: SANDBOX_X.accessToken, accessSecret: SANDBOX_X.accessSecret }
        : { kind: 'meta-token' as const, accessToken: SANDBOX_META.accessToken, appSecret: SANDBOX_META.appSecret };
      return { credentials, endpoints };
    }
    const p = s[platform];
    if (!p) {
      const vars = platform === 'x' ? 'ADCTL_X_API_KEY, ADCTL_X_API_SECRET, ADCTL_X_ACCESS_TOKEN and ADCTL_X_ACCESS_SECRET' : 'ADCTL_META_ACCESS_TOKEN';
      // A stored profile gets its tokens with `auth login`; env-only setups set the variables.
      const login = s.profile !== 'env' ? `run \`adctl auth login --platform ${platform} --profile ${s.profile}\`, or ` : '';
      throw new AdctlError('AUTH_MISSING', `no ${platform} credentials are configured${s.profile !== 'env' ? ` in profile ${s.profile}` : ''}`, ExitCode.AUTH, {
        hint: `${login}set ${vars} (see \`adctl help environment\`)`,
      });
    }
    if (p.credentials.kind !== 'meta-token' && s.profile !== 'env') {
      // A refreshable X OAuth 2.0 token close to expiry is refreshed and stored before any use (issue 3).
      const { freshXCredentials } = await import('./x-oauth2.js');
      p.credentials = await freshXCredentials(
        { endpoints: s.endpoints, timeoutMs: s.timeoutMs, redactor: this.redactor },
        { configDir: s.configDir, env: this.env, profile: s.profile },
        p.credentials,
        () => { if (this.options.verbose || s.debug) this.io.notice(`x: refreshed the OAuth 2.0 token of profile ${s.profile}`); },
      );
    }
    return { credentials: p.credentials, endpoints: s.endpoints };
  }

  private makeContext(platform: Platform, base: Pick<AdapterContext, 'credentials' | 'endpoints'>): AdapterContext {
    const observer: HttpObserver = {
      request: (req: WireRequest) => {
        if (this.settings.debug) {
          const body = req.body === undefined ? '' : ` ${typeof req.body === 'string' ? req.body : JSON.stringify(req.body)}`;
          this.io.trace(this.redactor.redact(`→ ${req.method} ${req.url}${body}`));
        }
      },
      response: (res: WireResponse) => {
        if (res.requestId) this.lastRequestId.set(platform, res.requestId);
        if (res.rateLimit) this.governor.observe(res.rateLimit.bucket, res.rateLimit.state);
        if (this.settings.debug) {
          this.io.trace(this.redactor.redact(`← ${res.status} ${res.method} ${res.url} (${res.ms} ms${res.requestId ? `, request id ${res.requestId}` : ''})`));
        }
      },
    };
    return createAdapterContext({
      platform,
      credentials: base.credentials,
      accountId: this.accountId(platform),
      channelIds: this.channelIds(),
      endpoints: base.endpoints,
      timeoutMs: this.settings.timeoutMs,
      dryRun: this.dryRun,
      observer,
      redactor: this.redactor,
      codeCacheDir: join(this.settings.configDir, 'cache', 'code'),
      policy: {
        governor: this.governor,
        onRetry: ({ label, attempt, waitMs, failure }) => {
          if (this.options.verbose || this.settings.debug) {
            this.io.notice(this.redactor.redact(`${platform}: ${label} failed (${failure.message}); retry ${attempt} in ${(waitMs / 1000).toFixed(1)} s`));
          }
        },
      },
    });
  }

  private sandboxNotice(line: string): void {
    if (this.sandboxNoticeShown) return;
    this.sandboxNoticeShown = true;
    this.io.notice(line);
  }

  private startSandbox(): Promise<SandboxServer> {
    this.sandboxNotice(
      this.settings.sandboxReason === 'flag'
        ? 'Using the built-in sandbox (--sandbox): nothing reaches X or Meta.'
        : 'Using the built-in sandbox: no credentials are configured, so nothing reaches X or Meta. See `adctl help environment` to use real accounts.',
    );
    this.sandbox ??= import('../sandbox/server.js').then((m) =>
      m.startSandbox({ stateFile: join(this.settings.configDir, 'sandbox', 'state.json') }),
    );
    return this.sandbox;
  }
}
