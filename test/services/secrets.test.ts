/**
 * The secret store: ADCTL_KEYRING=off keeps secrets in a 0600 file; with the keyring on the file
 * records only where the secrets are, never their values. The keyring here is an in-memory
 * KeyringBackend: tests never touch the OS keyring of whoever runs them (test/helpers/keyring-setup.ts).
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyringBackend } from '../../src/services/keyring.js';
import { SecretStore } from '../../src/services/secrets.js';

const SECRETS = { meta: { accessToken: 'EAAunitSecretToken', appSecret: 'unit-app-secret' } };

/** An in-memory keyring; `working: false` makes every call fail, as a locked or absent keyring does. */
function memoryKeyring(working = true): KeyringBackend & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  return {
    entries,
    get: (service, account) => (working ? entries.get(key(service, account)) ?? null : undefined),
    set: (service, account, value) => {
      if (!working) return false;
      entries.set(key(service, account), value);
      return true;
    },
    delete: (service, account) => working && entries.delete(key(service, account)),
  };
}

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

  it('keyring on: the file holds no secret value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-secrets-'));
    const backend = memoryKeyring();
    const store = new SecretStore(dir, {}, backend);
    const profile = `unit-${process.pid}`;
    await store.set(profile, SECRETS);
    expect(store.where(profile)).toEqual({ meta: 'keyring' });
    expect(readFileSync(store.path, 'utf8')).not.toContain(SECRETS.meta.accessToken);
    expect(backend.get('adctl:meta', profile)).toBe(JSON.stringify(SECRETS.meta));
    expect(store.get(profile)).toEqual(SECRETS);
    await store.set(profile, undefined);
    expect(backend.get('adctl:meta', profile)).toBeNull();
    expect(backend.entries.size).toBe(0);
  });

  it('a keyring that fails: secrets go to the 0600 file and the store says it fell back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-secrets-'));
    const store = new SecretStore(dir, {}, memoryKeyring(false));
    await store.set('a', SECRETS);
    expect(store.fellBack).toBe(true);
    expect(store.where('a')).toEqual({ meta: 'file' });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(store.get('a')).toEqual(SECRETS);
  });

  it('secrets held by a keyring that stops answering: KEYRING_UNAVAILABLE (exit 78), never an empty profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-secrets-'));
    await new SecretStore(dir, {}, memoryKeyring()).set('a', SECRETS);
    const later = new SecretStore(dir, {}, memoryKeyring(false));
    expect(() => later.get('a')).toThrow(expect.objectContaining({ code: 'KEYRING_UNAVAILABLE', exitCode: 78 }));
  });
});
