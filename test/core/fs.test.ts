import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { acquireLockSync, readFileIfExists, writeFileAtomic } from '../../src/core/fs.js';
import { AdctlError } from '../../src/core/errors.js';

describe('atomic files and locks', () => {
  it('writes atomically with mode 0600 and leaves no temp files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-fs-'));
    const f = join(dir, 'sub', 'state.json');
    writeFileAtomic(f, '{"a":1}');
    writeFileAtomic(f, '{"a":2}');
    expect(readFileIfExists(f)).toBe('{"a":2}');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['state.json']);
  });

  it('without fsync (advisory state) still writes whole files with mode 0600 and no temp files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-fs-'));
    const f = join(dir, 'rate-limits.json');
    writeFileAtomic(f, '{"a":1}', 0o600, { durable: false });
    writeFileAtomic(f, '{"a":22}', 0o600, { durable: false });
    expect(readFileIfExists(f)).toBe('{"a":22}');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['rate-limits.json']);
  });

  it('serialises read-modify-write across processes: no lost update', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-lock-'));
    const counter = join(dir, 'counter.json');
    writeFileSync(counter, '0');
    const script = join(dir, 'inc.mjs');
    // The built module: `npm test` builds dist/ first, and child processes run plain Node.
    const fsModule = new URL('../../dist/core/fs.js', import.meta.url).pathname;
    writeFileSync(script, `
      const { withFileLockSync, writeFileAtomic, readFileIfExists } = await import(${JSON.stringify(fsModule)});
      for (let i = 0; i < 25; i++) {
        withFileLockSync(process.argv[2], () => {
          const n = Number(readFileIfExists(process.argv[2]));
          writeFileAtomic(process.argv[2], String(n + 1));
        });
      }
    `);
    const runs = Array.from({ length: 4 }, () => new Promise<number>((resolve) => {
      const p = spawn(process.execPath, [script, counter], { stdio: 'inherit' });
      p.on('exit', (code) => resolve(code ?? 1));
    }));
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    expect(readFileIfExists(counter)).toBe('100');
  });

  it('takes over a lock whose owner process is gone, at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-lock-'));
    const target = join(dir, 'config.json');
    // A pid far above any pid_max: no such process.
    writeFileSync(`${target}.lock`, `2147483646 ${Date.now()} dead\n`);
    const release = acquireLockSync(target, { timeoutMs: 200 });
    expect(readFileIfExists(`${target}.lock`)).toMatch(new RegExp(`^${process.pid} `));
    release();
    expect(readFileIfExists(`${target}.lock`)).toBeUndefined();
  });

  it('a lock held by a live process times out as LOCK_TIMEOUT (exit 75) with a hint, and stays in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-lock-'));
    const target = join(dir, 'config.json');
    const release = acquireLockSync(target);
    let caught: unknown;
    try {
      acquireLockSync(target, { timeoutMs: 50 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AdctlError);
    expect(caught).toMatchObject({ code: 'LOCK_TIMEOUT', exitCode: 75, hint: expect.stringContaining('lock file') });
    expect(readFileIfExists(`${target}.lock`)).toMatch(new RegExp(`^${process.pid} `));
    release();
  });

  it('a holder that was taken over does not delete its successor\'s lock on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adctl-lock-'));
    const target = join(dir, 'state.json');
    const releaseOld = acquireLockSync(target);
    // The successor's lock replaced ours (as after a stale takeover).
    writeFileSync(`${target}.lock`, `${process.pid} ${Date.now()} successor\n`);
    releaseOld();
    expect(readFileIfExists(`${target}.lock`)).toContain('successor');
  });
});
