/**
 * Extra credential sets for tests: two profiles with different credentials must both be accepted
 * by one sandbox, and the request log's `identity` then shows which set each request used.
 * Reached through `SandboxServer.addCredentials` and `POST /__sandbox/credentials`.
 */
import * as z from '../core/zod.js';
import { SANDBOX_X } from './credentials.js';
import type { StateStore } from './state.js';

export const CredentialSetSchema = z.discriminatedUnion('platform', [
  z.object({
    platform: z.literal('x'),
    apiKey: z.string().min(1),
    apiSecret: z.string().min(1),
    accessToken: z.string().min(1),
    accessSecret: z.string().min(1),
    userId: z.string().default(SANDBOX_X.userId),
    /** null: never expires; otherwise an ISO time after which the sandbox answers 401. */
    expiresAt: z.string().datetime().nullable().default(null),
  }).strict(),
  z.object({
    platform: z.literal('meta'),
    accessToken: z.string().min(1),
    appSecret: z.string().min(1).nullable().default(null),
    userId: z.string().default('3001'),
    expiresAt: z.string().datetime().nullable().default(null),
    /** Scopes debug_token reports; default: the demo scopes (sandbox/meta/auth.ts). */
    scopes: z.array(z.string()).optional(),
  }).strict(),
]);
export type CredentialSet = z.input<typeof CredentialSetSchema>;

/** Add (or replace, by token) one credential set; it sees the same accounts as the demo set. */
export function addCredentialSet(state: StateStore, input: unknown): void {
  const spec = CredentialSetSchema.parse(input);
  state.mutate((s) => {
    if (spec.platform === 'x') {
      const x = s.x as { credentials: Array<Record<string, unknown>> };
      const demo = x.credentials.find((c) => c.apiKey === SANDBOX_X.apiKey) ?? {};
      x.credentials = x.credentials.filter((c) => !(c.apiKey === spec.apiKey && c.accessToken === spec.accessToken));
      x.credentials.push({ ...demo, apiKey: spec.apiKey, apiSecret: spec.apiSecret, accessToken: spec.accessToken, accessSecret: spec.accessSecret, userId: spec.userId, expiresAt: spec.expiresAt });
    } else {
      const meta = s.meta as { tokens: Array<Record<string, unknown>> };
      meta.tokens = meta.tokens.filter((t) => t.token !== spec.accessToken);
      meta.tokens.push({ token: spec.accessToken, appSecret: spec.appSecret, userId: spec.userId, expiresAt: spec.expiresAt, ...(spec.scopes ? { scopes: spec.scopes } : {}) });
    }
  });
}
