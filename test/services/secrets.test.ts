/**
 * The secret store: ADCTL_KEYRING=off keeps secrets in a 0600 file; with the keyring on (when this
 * machine has one) the file records only where the secrets are, never their values.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyring } from '../../src/services/keyring.js';
import { SecretStore } from '../../src/services/secrets.js';

const SECRETS = { meta: { accessToken: 'EAAunitSecretToken', appSecret: 'unit-app-secret' } };

describe('SecretStore', () => {
  it('ADCTL_KEYRING=off: 0600 file, read back, rename and delete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-secrets-'));
    const store = new SecretStore(dir, { ADCTL_KEYRING: 'off' });
    await store.set('a', SECRETS);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(store.get('a')).toEqual(SECRETS);
    expect(store.where('a')).toEqual({ meta: 'file' });
    await store.rename('a', 'b');
    expect(store.get('a')).toEqual({});
    expect(store.get('b')).toEqual(SECRETS);
    await store.set('b', undefined);
    expect(store.get('b')).toEqual({});
  });

  it.runIf(keyring.available())('keyring on: the file holds no secret value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-secrets-'));
    const store = new SecretStore(dir, {});
    const profile = `unit-${process.pid}`;
    await store.set(profile, SECRETS);
    expect(store.where(profile)).toEqual({ meta: 'keyring' });
    expect(readFileSync(store.path, 'utf8')).not.toContain(SECRETS.meta.accessToken);
    expect(store.get(profile)).toEqual(SECRETS);
    await store.set(profile, undefined);
    expect(keyring.get('adctl:meta', profile)).toBeNull();
  });
});
