/**
 * The OS keyring through @napi-rs/keyring (DESIGN §11, DEPENDENCIES §7). The native calls are
 * synchronous and can hang on a broken desktop session, so each call runs in a child process that
 * is killed after KEYRING_TIMEOUT_MS. Without D-Bus the first call in a process fails and a second
 * one succeeds (kernel keyutils), so the child retries once before reporting failure; callers then
 * fall back to the 0600 file. Service `adctl:<platform>`, account `<profile>`.
 * `ADCTL_KEYRING=off` turns the keyring off entirely (tests and CI).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export const KEYRING_TIMEOUT_MS = 3000;

const CHILD = `
const { Entry } = require(process.env.ADCTL_KEYRING_MODULE);
const [op, service, account] = JSON.parse(process.argv[1]);
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const run = () => {
    const e = new Entry(service, account);
    if (op === 'get') return e.getPassword() ?? null;
    if (op === 'set') { e.setPassword(input); return true; }
    return e.deletePassword();
  };
  let result;
  try { result = run(); } catch { try { result = run(); } catch (err) { process.stdout.write(JSON.stringify({ ok: false })); return; } }
  process.stdout.write(JSON.stringify({ ok: true, result }));
});`;

export function keyringDisabled(env: NodeJS.ProcessEnv): boolean {
  const v = env.ADCTL_KEYRING?.toLowerCase();
  return v === 'off' || v === '0' || v === 'false';
}

function call(op: 'get' | 'set' | 'delete', service: string, account: string, input = ''): { ok: boolean; result?: unknown } {
  let modulePath: string;
  try {
    modulePath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
  } catch {
    return { ok: false };
  }
  // The secret travels on stdin, never in argv or the environment, so `ps` cannot show it.
  const r = spawnSync(process.execPath, ['-e', CHILD, JSON.stringify([op, service, account])], {
    input, timeout: KEYRING_TIMEOUT_MS, encoding: 'utf8', env: { ...process.env, ADCTL_KEYRING_MODULE: modulePath }, stdio: ['pipe', 'pipe', 'ignore'],
  });
  if (r.error || r.status !== 0) return { ok: false };
  try {
    return JSON.parse(r.stdout) as { ok: boolean; result?: unknown };
  } catch {
    return { ok: false };
  }
}

/** What the secret store needs of a keyring; the OS one below, or a stand-in in tests. */
export interface KeyringBackend {
  /** The stored value, null when absent, undefined when the keyring failed or timed out. */
  get(service: string, account: string): string | null | undefined;
  /** True when stored. */
  set(service: string, account: string, value: string): boolean;
  delete(service: string, account: string): boolean;
}

export const keyring = {
  /** The stored value, null when absent, undefined when the keyring failed or timed out. */
  get(service: string, account: string): string | null | undefined {
    const r = call('get', service, account);
    if (!r.ok) return undefined;
    return typeof r.result === 'string' ? r.result : null;
  },
  /** True when stored. */
  set(service: string, account: string, value: string): boolean {
    return call('set', service, account, value).ok;
  },
  delete(service: string, account: string): boolean {
    return call('delete', service, account).ok;
  },
  /** Probe for `doctor`: write, read back and delete a throwaway entry. */
  available(): boolean {
    const account = `probe-${process.pid}`;
    if (!keyring.set('adctl:probe', account, 'ok')) return false;
    const back = keyring.get('adctl:probe', account);
    keyring.delete('adctl:probe', account);
    return back === 'ok';
  },
};
