/**
 * doctor's pure parts (the API-version end-date table, clock skew from Date headers) as golden
 * tables, and two service runs that need no platform: a corrupted config is reported with the
 * loader's backup path and left as it was; an unavailable keyring warns when the file fallback
 * holds the profile's secrets.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/core/config.js';
import { apiVersionStatus, clockSkewStatus, runDoctor, type DateSample } from '../../src/services/doctor.js';
import { ProfileService } from '../../src/services/profiles.js';
import { Session } from '../../src/services/session.js';

const at = (iso: string) => Date.parse(iso);

describe('apiVersionStatus (known end dates)', () => {
  const NOW = at('2026-11-29T12:00:00Z');
  it.each([
    ['meta', 'v26.0', 'OK', 'Meta Marketing API v26.0: no end date announced'],
    ['meta', 'v27.0', 'OK', 'Meta Marketing API v27.0: no end date announced'],
    ['meta', 'v25.0', 'WARN', 'Meta Marketing API v25.0 ends on 2027-02-23 (in 86 days)'],
    ['meta', 'v24.0', 'FAIL', 'Meta Marketing API v24.0 ended on 2026-11-10'],
    ['meta', 'v23.0', 'FAIL', 'Meta Marketing API v23.0 ended on 2026-06-09'],
    // Not in the table, but older than a version that has ended.
    ['meta', 'v18.0', 'FAIL', 'Meta Marketing API v18.0 is older than v19.0, which ended on 2025-02-04'],
    ['x-ads', '12', 'OK', 'X Ads API 12: no end date announced'],
  ] as const)('%s %s → %s', (api, version, status, detail) => {
    expect(apiVersionStatus(api, version, NOW)).toEqual({ status, detail });
  });

  it('v25.0 is OK more than 90 days before its end, WARN from 90 days, FAIL from the end date on', () => {
    expect(apiVersionStatus('meta', 'v25.0', at('2026-11-24T00:00:00Z')).status).toBe('OK'); // 91 days
    expect(apiVersionStatus('meta', 'v25.0', at('2026-11-25T00:00:00Z')).status).toBe('WARN'); // 90 days
    expect(apiVersionStatus('meta', 'v25.0', at('2027-02-22T23:59:59Z')).status).toBe('WARN');
    expect(apiVersionStatus('meta', 'v25.0', at('2027-02-23T00:00:00Z')).status).toBe('FAIL');
  });
});

describe('clockSkewStatus (Date headers against local time)', () => {
  const sample = (platform: 'x' | 'meta', skewMs: number): DateSample => {
    const server = at('2026-11-29T03:00:00Z');
    return { platform, date: new Date(server).toUTCString(), localMs: server + skewMs };
  };
  it.each([
    [[sample('x', 400), sample('meta', 0)], 'OK', 'local clock agrees with x and meta (within 1 s)'],
    [[sample('x', 30_000)], 'OK', 'local clock is 30 s ahead of x\'s'],
    [[sample('x', 31_000)], 'WARN', 'local clock is 31 s ahead of x\'s'],
    [[sample('meta', -120_000)], 'WARN', 'local clock is 120 s behind meta\'s'],
    [[sample('x', 300_000)], 'WARN', 'local clock is 300 s ahead of x\'s'],
    [[sample('x', 2_000), sample('meta', -301_000)], 'FAIL', 'local clock is 301 s behind meta\'s'],
    [[{ platform: 'x', date: null, localMs: 0 }], 'WARN', 'no platform answered with a Date header, so the skew is unknown'],
    [[], 'WARN', 'no platform answered with a Date header, so the skew is unknown'],
  ] as const)('%#: %s', (samples, status, detail) => {
    expect(clockSkewStatus([...samples])).toEqual({ status, detail });
  });
});

const io = { notice: () => undefined, trace: () => undefined };

describe('runDoctor without platforms', () => {
  it('a corrupted config is FAIL with the backup path, exit 78, and the file is not reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-doctor-'));
    writeFileSync(join(dir, 'config.json'), '{"profiles": {');
    const env = { ADCTL_CONFIG_DIR: dir, ADCTL_KEYRING: 'off' };
    const r = await runDoctor({ env, openSession: () => Session.open(env, {}, io) });
    expect(r.exitCode).toBe(78);
    const config = r.checks.find((c) => c.check === 'config')!;
    expect(config.status).toBe('FAIL');
    const backup = readdirSync(dir).find((f) => f.startsWith('config.json.corrupt-'))!;
    expect(config.hint).toContain(join(dir, backup));
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"profiles": {');
    // Nothing that needs the config ran.
    expect(r.checks.map((c) => c.check)).toEqual(['config', 'secrets file', 'keyring']);
  });

  it('a credentials file that is not valid JSON is FAIL with exit 78, and is left as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-doctor-'));
    writeFileSync(join(dir, 'credentials.json'), '{"acme": ', { mode: 0o600 });
    const env = { ADCTL_CONFIG_DIR: dir, ADCTL_KEYRING: 'off' };
    const r = await runDoctor({ env, openSession: () => Session.open(env, { sandbox: true }, io) });
    expect(r.checks.find((c) => c.check === 'secrets file')).toMatchObject({ status: 'FAIL', detail: `the credentials file ${join(dir, 'credentials.json')} is not valid JSON` });
    expect(r.exitCode).toBe(78);
    expect(readFileSync(join(dir, 'credentials.json'), 'utf8')).toBe('{"acme": ');
  });

  it('an unavailable keyring is WARN when the profile\'s secrets are in the 0600 file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-doctor-'));
    const svc = new ProfileService(await ConfigStore.open(dir), { ADCTL_KEYRING: 'off' });
    await svc.add('acme', { plugins: { x: false, meta: false } }, { meta: { accessToken: 'EAAdoctorUnitToken' } });
    const env = { ADCTL_CONFIG_DIR: dir };
    const r = await runDoctor({ env, openSession: () => Session.open(env, { profile: 'acme' }, io), keyringProbe: () => false });
    const byName = Object.fromEntries(r.checks.map((c) => [c.check, c]));
    expect(byName['secrets store']).toMatchObject({ status: 'OK', detail: `profile acme: meta in the 0600 file ${join(dir, 'credentials.json')}` });
    expect(byName.keyring).toMatchObject({ status: 'WARN', detail: `the OS keyring is not available; secrets are in the 0600 file ${join(dir, 'credentials.json')} instead` });
    expect(byName.keyring!.hint).toMatch(/Secret Service/);
    expect(byName.plugins!.status).toBe('WARN');
    expect(r.exitCode).toBe(0);
    expect(JSON.stringify(r.checks)).not.toContain('EAAdoctorUnitToken');
  });
});
