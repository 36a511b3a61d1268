/**
 * The audit log's file contract (src/services/audit.ts): appends never glue onto a torn line,
 * damaged lines are reported with their numbers, and a log that is a symlink or open to others
 * is refused.
 */
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, appendAuditManyAsync, auditPath, describeDamage, readAudit, readAuditLog, type AuditEntry } from '../../src/services/audit.js';

const same = (s: string) => s;
const dir = () => mkdtempSync(join(tmpdir(), 'adctl-audit-'));
const entry = (id: string): AuditEntry => ({
  id, time: '2026-11-28T09:00:00.000Z', profile: 'acme', platform: 'x', ref: 'x:8wku2', operation: 'campaign.update',
  before: { status: 'active' }, after: { status: 'paused' }, requestId: 'r-1', outcome: 'ok',
});

describe('audit log', () => {
  it('creates the log with mode 0600', () => {
    const d = dir();
    appendAudit(d, entry('a'), same);
    expect(statSync(auditPath(d)).mode & 0o777).toBe(0o600);
    expect(readAudit(d).map((e) => e.id)).toEqual(['a']);
  });

  it('a torn last line (a killed write) is cut before the next append, so no later entry is lost', async () => {
    const d = dir();
    appendAudit(d, entry('a'), same);
    appendFileSync(auditPath(d), JSON.stringify(entry('torn')).slice(0, 40));
    // Before the next append, the fragment is reported as torn, not dropped silently.
    expect(readAuditLog(d).damaged).toEqual([{ line: 2, reason: 'torn' }]);
    appendAudit(d, entry('b'), same);
    await appendAuditManyAsync(d, [entry('c'), entry('d')], same);
    const { entries, damaged } = readAuditLog(d);
    expect(entries.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(damaged).toEqual([]);
    expect(readFileSync(auditPath(d), 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('reports every damaged line with its number and reason, and still reads the entries around them', () => {
    const d = dir();
    appendAudit(d, entry('a'), same);
    appendFileSync(auditPath(d), 'garbage\n{"not":"an entry"}\n');
    appendAudit(d, entry('b'), same);
    const { entries, damaged } = readAuditLog(d);
    expect(entries.map((e) => e.id)).toEqual(['a', 'b']);
    expect(damaged).toEqual([{ line: 2, reason: 'not JSON' }, { line: 3, reason: 'not an entry' }]);
    expect(describeDamage(d, damaged)).toBe(`2 lines of ${auditPath(d)} could not be read and are not shown: line 2 (not JSON), 3 (not an entry)`);
    expect(describeDamage(d, [])).toBeUndefined();
    // Filters do not hide damage: it is reported whatever is asked for.
    expect(readAuditLog(d, { ref: 'x:nothing' })).toEqual({ entries: [], damaged });
  });

  it('refuses a symlinked log (exit 78) and leaves its target alone', () => {
    const d = dir();
    const target = join(dir(), 'elsewhere.txt');
    writeFileSync(target, 'not yours\n', { mode: 0o600 });
    symlinkSync(target, auditPath(d));
    const refusal = expect.objectContaining({ code: 'AUDIT_LOG_UNSAFE', exitCode: 78, message: expect.stringContaining('symbolic link') });
    expect(() => appendAudit(d, entry('a'), same)).toThrow(refusal);
    expect(() => readAuditLog(d)).toThrow(refusal);
    expect(readFileSync(target, 'utf8')).toBe('not yours\n');
  });

  it('refuses a log readable by others, with the chmod that fixes it', async () => {
    const d = dir();
    appendAudit(d, entry('a'), same);
    chmodSync(auditPath(d), 0o644);
    const refusal = expect.objectContaining({ code: 'AUDIT_LOG_UNSAFE', exitCode: 78, hint: `chmod 600 "${auditPath(d)}"` });
    expect(() => appendAudit(d, entry('b'), same)).toThrow(refusal);
    await expect(appendAuditManyAsync(d, [entry('c')], same)).rejects.toThrow(refusal);
    expect(() => readAuditLog(d)).toThrow(refusal);
    chmodSync(auditPath(d), 0o600);
    expect(readAudit(d).map((e) => e.id)).toEqual(['a']);
  });
});
