/**
 * Graph refuses a field that does not exist on the node's type instead of leaving it out:
 * `GET /<ad set id>?fields=objective` answers 400 `(#100) Tried accessing nonexisting field
 * (objective) on node type (AdSet)`. Clients rely on that to tell a campaign id from an ad set id
 * (ids share one namespace), so the sandbox does the same for the fields of the other type.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxResponse } from '../types.js';

// Built here rather than imported from pages.ts: index.ts imports this file, and pages.ts imports
// index.ts, so importing pages.ts here made a cycle in which pages.ts spread a metaModule that was
// not initialised yet (its routes then had no commonHeaders).
const graphError = (code: number, message: string): SandboxResponse => ({
  status: 400,
  body: { error: { message, type: 'GraphMethodException', code, fbtrace_id: randomBytes(8).toString('base64url') } },
});

/** Fields only a campaign has, and fields only an ad set has (both from the Marketing API reference). */
const ONLY: Record<'Campaign' | 'AdSet', readonly string[]> = {
  Campaign: ['objective', 'stop_time', 'special_ad_categories', 'buying_type', 'spend_cap'],
  AdSet: ['campaign_id', 'targeting', 'optimization_goal', 'billing_event', 'bid_amount', 'end_time'],
};

/** The 400 for the first requested field that the `nodeType` lacks, or undefined when all exist. */
export function nonexistingField(fields: string[], nodeType: 'Campaign' | 'AdSet'): SandboxResponse | undefined {
  const other = ONLY[nodeType === 'Campaign' ? 'AdSet' : 'Campaign'];
  const bad = fields.find((f) => other.includes(f));
  return bad ? graphError(100, `(#100) Tried accessing nonexisting field (${bad}) on node type (${nodeType})`) : undefined;
}
