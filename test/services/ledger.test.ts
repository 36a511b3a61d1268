import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdctlError } from '../../src/core/errors.js';
import { defaultLedgerPath, foldRecords, Ledger, LedgerLock, readLedger, type LedgerRecord } from '../../src/services/ledger.js';

const dir = () => mkdtempSync(join(tmpdir(), 'adctl-ledger-'));
const base = { v: 1 as const, id: 'a', channel: 'x' as const, hash: 'h1', run: 'r' };

describe('ledger records', () => {
  it('folds intent → outcome per id + channel; an intent without an outcome is pending', () => {
    const recs: LedgerRecord[] = [
      { ...base, kind: 'intent', time: '2026-12-01T09:00:00Z', op: 'publish', text: 'hi', at: '2026-12-01T09:00:00Z' },
      { ...base, kind: 'outcome', time: '2026-12-01T09:00:01Z', status: 'unknown', postId: null, url: null, via: 'create' },
      { ...base, channel: 'facebook', kind: 'intent', time: '2026-12-01T09:00:00Z', op: 'publish', text: 'hi', at: '2026-12-01T09:00:00Z' },
      { ...base, kind: 'outcome', time: '2026-12-01T09:01:00Z', status: 'published', postId: '19', url: 'https://x.com/i/web/status/19', via: 'reconcile' },
    ];
    const state = foldRecords(recs);
    expect(state.get('a\u0000x')).toMatchObject({ status: 'published', postId: '19', text: 'hi', intentTime: '2026-12-01T09:00:00Z' });
    expect(state.get('a\u0000facebook')).toMatchObject({ status: 'pending' });
  });

  it('appends fsync\'d lines and reads them back; a torn last line is ignored and cut before the next append', () => {
    const path = join(dir(), 'l.jsonl');
    const l = Ledger.open(path);
    l.intent({ id: 'a', channel: 'x', hash: 'h1', op: 'publish', text: 'hi', at: '2026-12-01T09:00:00Z' });
    l.outcome({ id: 'a', channel: 'x', hash: 'h1', status: 'published', postId: '19', url: null, via: 'create' });
    expect(l.get('a', 'x')?.status).toBe('published');
    appendFileSync(path, '{"v":1,"kind":"outc');
    expect(readLedger(path)).toMatchObject({ tornTail: true, records: [{ kind: 'intent' }, { kind: 'outcome' }] });
    const again = Ledger.open(path);
    expect(again.get('a', 'x')?.status).toBe('published');
    again.outcome({ id: 'b', channel: 'x', hash: 'h2', status: 'failed', postId: null, url: null, via: 'create' });
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).map((s) => (JSON.parse(s) as { id: string }).id)).toEqual(['a', 'a', 'b']);
  });

  it('refuses a damaged line that is not the last (exit 78), and an invalid record', () => {
    const path = join(dir(), 'l.jsonl');
    writeFileSync(path, 'garbage\n{"v":1}\n');
    expect(() => Ledger.open(path)).toThrow(expect.objectContaining({ code: 'LEDGER_CORRUPT', exitCode: 78, message: expect.stringMatching(/line 1/) }));
    writeFileSync(path, '{"v":1,"kind":"outcome"}\n');
    expect(() => Ledger.open(path)).toThrow(expect.objectContaining({ code: 'LEDGER_CORRUPT' }));
  });

  it('a default ledger lives under the config dir, one per posts file', () => {
    expect(defaultLedgerPath('/cfg', '/repo/posts.yaml')).toMatch(/^\/cfg\/ledgers\/posts-[0-9a-f]{8}\.jsonl$/);
    expect(defaultLedgerPath('/cfg', '/repo/posts.yaml')).not.toBe(defaultLedgerPath('/cfg', '/other/posts.yaml'));
  });
});

describe('ledger lock', () => {
  it('is exclusive: a second taker waits, then fails with exit 75 while the owner lives', async () => {
    const path = join(dir(), 'l.jsonl');
    const first = await LedgerLock.acquire(path, { timeoutMs: 1000 });
    let waited = false;
    const err = await LedgerLock.acquire(path, { timeoutMs: 100, onWait: () => (waited = true) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdctlError);
    expect(err).toMatchObject({ code: 'LEDGER_LOCKED', exitCode: 75 });
    expect(waited).toBe(true);
    first.release();
    const second = await LedgerLock.acquire(path, { timeoutMs: 100 });
    second.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('takes over the lock of a process that is gone (killed, even with SIGKILL)', async () => {
    const path = join(dir(), 'l.jsonl');
    const gone = spawnSync(process.execPath, ['-e', 'process.kill(process.pid, "SIGKILL")']);
    expect(gone.signal).toBe('SIGKILL');
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: gone.pid, host: hostname(), start: null, token: 'dead', since: '2026-01-01T00:00:00Z' }));
    const lock = await LedgerLock.acquire(path, { timeoutMs: 2000 });
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('tells a reused pid from the owner by the process start time', async () => {
    const path = join(dir(), 'l.jsonl');
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), start: '1', token: 'old', since: '2026-01-01T00:00:00Z' }));
    const hasProc = existsSync(`/proc/${process.pid}/stat`);
    const r = await LedgerLock.acquire(path, { timeoutMs: 150 }).then((l) => (l.release(), 'taken'), (e: unknown) => (e as AdctlError).code);
    expect(r).toBe(hasProc ? 'taken' : 'LEDGER_LOCKED');
  });

  it('release never removes a lock that another run took over', async () => {
    const path = join(dir(), 'l.jsonl');
    const mine = await LedgerLock.acquire(path, { timeoutMs: 100 });
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), start: null, token: 'theirs', since: '2026-01-01T00:00:00Z' }));
    mine.release();
    expect(existsSync(`${path}.lock`)).toBe(true);
  });
});
