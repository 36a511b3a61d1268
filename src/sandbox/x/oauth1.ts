/**
 * OAuth 1.0a verification for the X sandbox (RFC 5849 §3.4, HMAC-SHA1). The signature covers the
 * request URL as the client saw it, every query parameter, form-encoded body parameters and the
 * oauth_* header parameters; JSON bodies are not signed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest } from '../types.js';

export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parse `Authorization: OAuth k="v", …` into a map; undefined when it is not OAuth. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) out[m[1]!] = decodeURIComponent(m[2]!);
  return out;
}

export function signatureBase(req: SandboxRequest, oauth: Record<string, string>): string {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of req.query) pairs.push([k, v]);
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.rawBody.toString('utf8'))) pairs.push([k, v]);
  }
  for (const [k, v] of Object.entries(oauth)) if (k !== 'oauth_signature' && k !== 'realm') pairs.push([k, v]);
  const normalized = pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const host = String(req.headers.host ?? new URL(req.origin).host).toLowerCase();
  const baseUrl = `${new URL(req.origin).protocol}//${host}${req.path}`;
  return [req.method.toUpperCase(), rfc3986(baseUrl), rfc3986(normalized)].join('&');
}

export function verifySignature(req: SandboxRequest, oauth: Record<string, string>, consumerSecret: string, tokenSecret: string): boolean {
  const key = `${rfc3986(consumerSecret)}&${rfc3986(tokenSecret)}`;
  const expected = createHmac('sha1', key).update(signatureBase(req, oauth)).digest();
  const given = Buffer.from(oauth.oauth_signature ?? '', 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
