import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AdctlError } from '../../src/core/errors.js';
import { parseDuration, resolveSettings } from '../../src/core/settings.js';

const X = { ADCTL_X_API_KEY: 'k', ADCTL_X_API_SECRET: 's', ADCTL_X_ACCESS_TOKEN: 't', ADCTL_X_ACCESS_SECRET: 'ts' };
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return [(e as AdctlError).code, (e as AdctlError).exitCode];
  }
  return undefined;
};

describe('resolveSettings', () => {
  it('falls back to the sandbox with no credentials, outside CI', () => {
    const s = resolveSettings({ ADCTL_CONFIG_DIR: '/tmp/a' });
    expect(s.mode).toBe('sandbox');
    expect(s.sandboxReason).toBe('no-credentials');
  });

  it('never falls back in CI: exit 4 unless --sandbox', () => {
    expect(code(() => resolveSettings({ CI: 'true' }))).toEqual(['NO_CREDENTIALS', 4]);
    expect(resolveSettings({ CI: 'true' }, { sandbox: true }).mode).toBe('sandbox');
  });

  it('reads credentials from env, with the env profile', () => {
    const s = resolveSettings({ ...X, ADCTL_X_ADS_ACCOUNT_ID: 'abc' });
    expect(s.mode).toBe('live');
    expect(s.profile).toBe('env');
    expect(s.x?.credentials).toMatchObject({ apiKey: 'k', accessSecret: 'ts' });
    expect(s.x?.accountId).toBe('abc');
    expect(s.meta).toBeUndefined();
  });

  it('reads secrets from _FILE variants and refuses both forms at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-settings-'));
    const f = join(dir, 'token');
    writeFileSync(f, 'EAAfromfile\n');
    expect(resolveSettings({ ADCTL_META_ACCESS_TOKEN_FILE: f }).meta?.credentials.accessToken).toBe('EAAfromfile');
    expect(code(() => resolveSettings({ ADCTL_META_ACCESS_TOKEN_FILE: f, ADCTL_META_ACCESS_TOKEN: 'x' }))).toEqual(['AMBIGUOUS_SECRET', 78]);
    expect(code(() => resolveSettings({ ADCTL_META_ACCESS_TOKEN_FILE: join(dir, 'missing') }))).toEqual(['SECRET_FILE_UNREADABLE', 78]);
  });

  it('refuses incomplete X credentials, naming what is missing', () => {
    expect(code(() => resolveSettings({ ADCTL_X_API_KEY: 'k' }))).toEqual(['INCOMPLETE_CREDENTIALS', 78]);
  });

  it('accepts http:// only for loopback hosts', () => {
    expect(resolveSettings({ ...X, ADCTL_X_ADS_API_URL: 'http://127.0.0.1:4010/' }).endpoints.xAdsApi).toBe('http://127.0.0.1:4010');
    expect(code(() => resolveSettings({ ...X, ADCTL_X_ADS_API_URL: 'http://ads.example.com' }))).toEqual(['INVALID_ENDPOINT', 78]);
    expect(code(() => resolveSettings({ ...X, ADCTL_META_GRAPH_URL: 'not a url' }))).toEqual(['INVALID_ENDPOINT', 78]);
  });

  it('defaults Meta to a Graph version that has not expired', () => {
    const v = resolveSettings({}).endpoints.metaApiVersion;
    expect(Number(v.slice(1))).toBeGreaterThanOrEqual(25);
    expect(code(() => resolveSettings({ ADCTL_META_API_VERSION: '26' }))).toEqual(['INVALID_API_VERSION', 78]);
  });

  it('lets --account override env per platform', () => {
    const s = resolveSettings({ ...X, ADCTL_X_ADS_ACCOUNT_ID: 'abc' }, { account: 'x:zzz' });
    expect(s.x?.accountId).toBe('zzz');
    expect(code(() => resolveSettings({}, { account: 'zzz' }))).toEqual(['INVALID_ACCOUNT', 64]);
  });

  it('parses durations', () => {
    expect(parseDuration('500ms', 't')).toBe(500);
    expect(parseDuration('5s', 't')).toBe(5000);
    expect(parseDuration('2m', 't')).toBe(120_000);
    expect(code(() => parseDuration('5 minutes', 'ADCTL_TIMEOUT'))).toEqual(['INVALID_DURATION', 78]);
    expect(code(() => parseDuration('5 minutes', '--timeout'))).toEqual(['INVALID_DURATION', 64]);
    expect(code(() => parseDuration('0s', '--timeout'))).toEqual(['INVALID_DURATION', 64]);
  });
});
