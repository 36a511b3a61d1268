/**
 * Redaction for every output path: `--debug`, `--dry-run`, errors and logs (DESIGN §11).
 *
 * Two layers: structural rules (Authorization headers, OAuth 1.0a parameters, Meta's token and
 * proof query parameters, client secrets, refresh tokens) and the literal values of every secret
 * adctl knows about, wherever they appear (for example inside an SDK error's URL).
 */

const SECRET_PARAMS = [
  'access_token', 'input_token', 'appsecret_proof', 'client_secret', 'refresh_token', 'fb_exchange_token',
  'oauth_token', 'oauth_signature', 'oauth_consumer_key', 'oauth_token_secret', 'oauth_verifier', 'code_verifier',
];

const PARAM_RE = new RegExp(`((?:^|[?&"'\\s,{])(?:${SECRET_PARAMS.join('|')})["']?\\s*[=:]\\s*["']?)([^&"'\\s,}]+)`, 'gi');
// A header as JSON (`"authorization":"…"`, escapes included) or as a plain `Authorization: …` line.
const AUTH_JSON_RE = /("(?:proxy-)?authorization"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi;
const AUTH_LINE_RE = /(\b(?:proxy-)?authorization\s*[:=]\s*)(?!["'\s])([^\n]*)/gi;

export const REDACTED = '[REDACTED]';

/** Show at most a short prefix and suffix of a secret, and nothing of a short one. */
export function mask(secret: string): string {
  if (secret.length < 16) return REDACTED;
  return `${secret.slice(0, 3)}…${secret.slice(-2)}`;
}

export class Redactor {
  private readonly secrets: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Register a secret value. Values shorter than 4 characters are ignored (too common to hide). */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4 || this.secrets.includes(secret)) return;
    this.secrets.push(secret);
    // Longest first, so a secret containing another is hidden whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      out = out.split(s).join(REDACTED);
      const enc = encodeURIComponent(s);
      if (enc !== s) out = out.split(enc).join(REDACTED);
    }
    const scheme = (v: string) => /^(Bearer|Basic|OAuth)\b/i.exec(v)?.[1];
    out = out.replace(AUTH_JSON_RE, (_m, pre: string, v: string, post: string) => `${pre}${scheme(v) ? `${scheme(v)} ` : ''}${REDACTED}${post}`);
    out = out.replace(AUTH_LINE_RE, (_m, pre: string, v: string) => `${pre}${scheme(v) ? `${scheme(v)} ` : ''}${REDACTED}`);
    out = out.replace(PARAM_RE, (_m, pre: string) => `${pre}${REDACTED}`);
    return out;
  }

  /** Redact any JSON-able value by round-tripping through text. */
  redactValue<T>(value: T): T {
    if (value === undefined) return value;
    try {
      return JSON.parse(this.redact(JSON.stringify(value))) as T;
    } catch {
      return REDACTED as unknown as T;
    }
  }
}
