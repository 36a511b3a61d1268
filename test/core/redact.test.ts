import { describe, expect, it } from 'vitest';
import { Redactor, mask } from '../../src/core/redact.js';

describe('Redactor', () => {
  const secret = 'EAABsecretTOKENvalue123456';
  const r = new Redactor([secret, 'consumer-secret-xyz']);

  it('hides known secret values anywhere, plain or URL-encoded', () => {
    const out = r.redact(`failed: https://graph/v26.0/act_1?x=1&foo=${secret} and ${encodeURIComponent('consumer-secret-xyz')}`);
    expect(out).not.toContain(secret);
    expect(out).not.toContain('consumer-secret-xyz');
  });

  it('hides secret-bearing parameters and headers even for unknown values', () => {
    const text = [
      'GET /v26.0/me?access_token=UNKNOWN1234&appsecret_proof=abcd1234&fields=id',
      'Authorization: OAuth oauth_consumer_key="ck123", oauth_token="tok-9", oauth_signature="sig%3D"',
      '{"authorization":"Bearer zzzTOKENzzz","refresh_token":"rt-123456","client_secret":"cs-1"}',
      'input_token=itok999',
    ].join('\n');
    const out = r.redact(text);
    for (const leaked of ['UNKNOWN1234', 'abcd1234', 'ck123', 'tok-9', 'sig%3D', 'zzzTOKENzzz', 'rt-123456', 'cs-1', 'itok999']) {
      expect(out, leaked).not.toContain(leaked);
    }
    expect(out).toContain('fields=id');
  });

  it('masks to at most a short prefix and suffix', () => {
    expect(mask('short')).toBe('[REDACTED]');
    expect(mask('EAABsecretTOKENvalue123456')).toBe('EAA…56');
  });

  it('redacts structured values', () => {
    expect(JSON.stringify(r.redactValue({ url: `x?access_token=${secret}` }))).not.toContain(secret);
  });
});
