/**
 * Every environment variable adctl reads, in one documented registry (DESIGN §5). `adctl help
 * environment`, `.env.example` and the README are generated from or checked against this list.
 * Plain data: no imports, so help stays fast.
 */

export interface EnvVarDoc {
  name: string;
  group: 'selection' | 'x' | 'meta' | 'endpoints' | 'behaviour';
  secret: boolean;
  doc: string;
}

export const ENV_VARS: readonly EnvVarDoc[] = [
  { name: 'ADCTL_PROFILE', group: 'selection', secret: false, doc: 'profile to use (overrides the active one; --profile overrides it)' },
  { name: 'ADCTL_CONFIG_DIR', group: 'selection', secret: false, doc: 'where config, profiles, sandbox state and ledgers live (default: the platform config dir, e.g. ~/.config/adctl)' },
  { name: 'ADCTL_X_API_KEY', group: 'x', secret: true, doc: 'X app consumer key (OAuth 1.0a user context, needed for the Ads API)' },
  { name: 'ADCTL_X_API_SECRET', group: 'x', secret: true, doc: 'X app consumer secret' },
  { name: 'ADCTL_X_ACCESS_TOKEN', group: 'x', secret: true, doc: 'X user access token' },
  { name: 'ADCTL_X_ACCESS_SECRET', group: 'x', secret: true, doc: 'X user access token secret' },
  { name: 'ADCTL_X_ADS_ACCOUNT_ID', group: 'x', secret: false, doc: 'X Ads account id, e.g. 18ce54d4x5t' },
  { name: 'ADCTL_META_ACCESS_TOKEN', group: 'meta', secret: true, doc: 'Meta user or system-user access token' },
  { name: 'ADCTL_META_APP_SECRET', group: 'meta', secret: true, doc: 'Meta app secret; when set, appsecret_proof is sent with every call' },
  { name: 'ADCTL_META_AD_ACCOUNT_ID', group: 'meta', secret: false, doc: 'Meta ad account id, act_… (the act_ prefix is optional)' },
  { name: 'ADCTL_META_PAGE_ID', group: 'meta', secret: false, doc: 'Facebook Page id for posts' },
  { name: 'ADCTL_META_IG_USER_ID', group: 'meta', secret: false, doc: 'Instagram account id for posts' },
  { name: 'ADCTL_X_API_URL', group: 'endpoints', secret: false, doc: 'X API base URL (default https://api.x.com); http:// only for loopback hosts' },
  { name: 'ADCTL_X_ADS_API_URL', group: 'endpoints', secret: false, doc: 'X Ads API base URL (default https://ads-api.x.com)' },
  { name: 'ADCTL_X_UPLOAD_URL', group: 'endpoints', secret: false, doc: 'X upload base URL (default https://upload.x.com)' },
  { name: 'ADCTL_META_GRAPH_URL', group: 'endpoints', secret: false, doc: 'Meta Graph base URL (default https://graph.facebook.com)' },
  { name: 'ADCTL_META_API_VERSION', group: 'endpoints', secret: false, doc: 'Graph API version, e.g. v26.0 (default v26.0; v24.0 and older have expired)' },
  { name: 'ADCTL_KEYRING', group: 'behaviour', secret: false, doc: 'off: keep profile secrets in the 0600 credentials file, never the OS keyring (tests, CI)' },
  { name: 'ADCTL_NO_INPUT', group: 'behaviour', secret: false, doc: 'never prompt (also implied by CI)' },
  { name: 'ADCTL_TZ', group: 'behaviour', secret: false, doc: 'default IANA time zone for times you type' },
  { name: 'ADCTL_DEBUG', group: 'behaviour', secret: false, doc: '1 or http: redacted HTTP trace on stderr (same as --debug)' },
  { name: 'ADCTL_TIMEOUT', group: 'behaviour', secret: false, doc: 'per-request timeout as a duration: 500ms, 5s, 2m (default 30s)' },
  { name: 'CI', group: 'behaviour', secret: false, doc: 'when set: no prompts, and no fallback to the sandbox without --sandbox' },
  { name: 'NO_COLOR', group: 'behaviour', secret: false, doc: 'when set: no colour' },
];

/** Secret variables also accept NAME_FILE: a path to a file holding the value. */
export const SECRET_ENV_NAMES: readonly string[] = ENV_VARS.filter((v) => v.secret).map((v) => v.name);
