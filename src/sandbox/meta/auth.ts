/**
 * Meta auth endpoints for the sandbox (issue 3): `GET /vX/debug_token`, `GET /vX/oauth/access_token`
 * (fb_exchange_token) and `GET /vX/me`. Wraps metaModule: the same token store, errors and
 * headers; `oauth/access_token` authenticates with the app secret instead of a user token.
 * Tokens may carry `scopes`; without them a token has the demo scopes below.
 */
import { createHash } from 'node:crypto';
import type { SandboxState } from '../state.js';
import type { PlatformModule, SandboxRequest, SandboxResponse } from '../types.js';
import { metaModule } from './index.js';

export const DEMO_SCOPES = ['ads_management', 'ads_read', 'business_management', 'pages_manage_posts', 'pages_read_engagement', 'instagram_basic', 'instagram_content_publish'];
export const SANDBOX_META_APP_ID = '4001';
const LONG_LIVED_SEC = 60 * 24 * 3600;

interface Token { token: string; appSecret: string | null; userId: string; expiresAt: string | null; scopes?: string[] }
const tokensOf = (s: SandboxState) => (s.meta as { tokens: Token[] }).tokens;

const AUTH_PATH = /^\/v\d+\.\d+\/(debug_token|oauth\/access_token|me)$/;

function oauthError(message: string): SandboxResponse {
  return { status: 400, body: { error: { message, type: 'OAuthException', code: 101, fbtrace_id: 'sandboxauth' } } };
}

export const metaAuthModule: PlatformModule = {
  ...metaModule,
  owns: (path) => AUTH_PATH.test(path),

  authenticate(req, store) {
    if (req.path.endsWith('/oauth/access_token')) {
      const known = tokensOf(store.read()).find((t) => t.token === req.params.fb_exchange_token);
      if (!known || !known.appSecret || known.appSecret !== req.params.client_secret || req.params.client_id !== SANDBOX_META_APP_ID) {
        return { error: oauthError('Error validating client secret or exchange token') };
      }
      return { identity: `app:${req.params.client_id}` };
    }
    return metaModule.authenticate(req, store);
  },

  async handle(req: SandboxRequest, ctx) {
    const what = AUTH_PATH.exec(req.path)?.[1];
    if (req.method !== 'GET') return undefined;
    const state = ctx.state;
    if (what === 'me') {
      const t = tokensOf(state.read()).find((k) => k.token === (req.params.access_token ?? ''));
      return { status: 200, body: { id: t?.userId ?? '3001', name: 'Sandbox User' } };
    }
    if (what === 'debug_token') {
      const t = tokensOf(state.read()).find((k) => k.token === req.params.input_token);
      if (!t) return { status: 200, body: { data: { is_valid: false, scopes: [], error: { code: 190, message: 'Invalid OAuth access token.' } } } };
      const expiresAt = t.expiresAt ? Math.floor(Date.parse(t.expiresAt) / 1000) : 0;
      const valid = !t.expiresAt || Date.parse(t.expiresAt) > ctx.now().getTime();
      return {
        status: 200,
        body: { data: { app_id: SANDBOX_META_APP_ID, type: 'USER', application: 'adctl sandbox', is_valid: valid, expires_at: expiresAt, data_access_expires_at: expiresAt, scopes: t.scopes ?? DEMO_SCOPES, user_id: t.userId } },
      };
    }
    if (what === 'oauth/access_token') {
      if (req.params.grant_type !== 'fb_exchange_token') return oauthError('Unsupported grant_type');
      const old = req.params.fb_exchange_token!;
      const token = `EAALONG${createHash('sha256').update(`${old}|${ctx.now().toISOString()}`).digest('hex').slice(0, 24)}`;
      state.mutate((s) => {
        const list = tokensOf(s);
        const prev = list.find((k) => k.token === old)!;
        list.push({ ...prev, token, expiresAt: new Date(ctx.now().getTime() + LONG_LIVED_SEC * 1000).toISOString() });
      });
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: LONG_LIVED_SEC } };
    }
    return undefined;
  },
};
