/**
 * Profile schemas (DESIGN §5, §8, §11). A profile's non-secret part lives in config.json under
 * `profiles`; its secrets live in the secret store (services/secrets.ts), never in config.json.
 */
import * as z from './zod.js';

export const PROFILE_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** `env` and `sandbox` name the profile in effect for env credentials and the sandbox default. */
export const RESERVED_PROFILE_NAMES = new Set(['env', 'sandbox']);

export const ProfileName = z.string().regex(PROFILE_NAME_RE, 'use lowercase letters, digits, - and _ (up to 64)');

/** Exact decimal money, e.g. "500" or "49.99": never a float. */
const MoneyAmount = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal amount like 500 or 49.99');

export const ProfileSchema = z.object({
  x: z.object({ adsAccountId: z.string().min(1).optional(), userId: z.string().min(1).optional() }).strict().optional(),
  meta: z.object({
    adAccountId: z.string().regex(/^act_\d+$/).optional(),
    pageId: z.string().min(1).optional(),
    igUserId: z.string().min(1).optional(),
    appId: z.string().min(1).optional(),
  }).strict().optional(),
  timeZone: z.string().min(1).optional(),
  plugins: z.partialRecord(z.enum(['x', 'meta']), z.boolean()).optional(),
  guardrails: z.object({
    maxDailyBudget: z.record(z.string().regex(/^[A-Z]{3}$/), MoneyAmount).optional(),
    maxIncreasePct: z.number().positive().max(10_000).optional(),
  }).strict().optional(),
}).strict();
export type Profile = z.infer<typeof ProfileSchema>;

export const ProfilesSectionSchema = z.object({
  profiles: z.record(z.string(), ProfileSchema).default({}),
  activeProfile: z.string().optional(),
});

/** An X OAuth 2.0 user token as stored (see XOAuth2Token in core/adapter.ts). */
export const XOAuth2SecretsSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  scopes: z.array(z.string().min(1)).optional(),
}).strict();
export type XOAuth2Secrets = z.infer<typeof XOAuth2SecretsSchema>;

/** X: the OAuth 1.0a set (Ads API), an OAuth 2.0 user token (X API v2), or both. */
export const XSecretsSchema = z.union([
  z.object({
    apiKey: z.string().min(1),
    apiSecret: z.string().min(1),
    accessToken: z.string().min(1),
    accessSecret: z.string().min(1),
    oauth2: XOAuth2SecretsSchema.optional(),
  }).strict(),
  z.object({ oauth2: XOAuth2SecretsSchema }).strict(),
]);
export type XSecrets = z.infer<typeof XSecretsSchema>;
export const MetaSecretsSchema = z.object({ accessToken: z.string().min(1), appSecret: z.string().min(1).optional() }).strict();
export const ProfileSecretsSchema = z.object({ x: XSecretsSchema.optional(), meta: MetaSecretsSchema.optional() }).strict();
export type ProfileSecrets = z.infer<typeof ProfileSecretsSchema>;

/** Every secret string in a profile's secrets, for the redactor. */
export function secretValues(s: ProfileSecrets): string[] {
  const out: string[] = [];
  if (s.x && 'apiKey' in s.x) out.push(s.x.apiKey, s.x.apiSecret, s.x.accessToken, s.x.accessSecret);
  const o2 = s.x?.oauth2;
  if (o2) out.push(o2.accessToken, ...(o2.refreshToken ? [o2.refreshToken] : []), ...(o2.clientSecret ? [o2.clientSecret] : []));
  if (s.meta) out.push(s.meta.accessToken, ...(s.meta.appSecret ? [s.meta.appSecret] : []));
  return out;
}
