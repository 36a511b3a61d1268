/**
 * `adctl log` in-process: damaged lines of the audit log are reported on stderr with their line
 * numbers (never dropped silently), the entries around them still show, and JSON stays an array.
 */
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appendAudit, auditPath } from '../../src/services/audit.js';
import { tempConfigDir } from '../e2e/helpers.js';
import { runInProcess } from '../helpers/cli.js';

describe('adctl log', () => {
  it('names the lines it could not read, and still lists the others', async () => {
    const configDir = tempConfigDir();
    const base = { time: '2026-11-28T09:00:00.000Z', profile: 'acme', platform: 'x' as const, ref: 'x:8wku2', operation: 'campaign.update' as const, before: { status: 'active' as const }, after: { status: 'paused' as const }, requestId: null, outcome: 'ok' as const };
    appendAudit(configDir, { id: 'lx1-aaaaaa', ...base }, (s) => s);
    appendFileSync(auditPath(configDir), '{"id": broken\n');
    appendAudit(configDir, { id: 'lx2-bbbbbb', ...base }, (s) => s);
    const json = await runInProcess(['log', '--json'], { configDir });
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((e) => e.id)).toEqual(['lx1-aaaaaa', 'lx2-bbbbbb']);
    expect(json.stderr).toContain('1 line of');
    expect(json.stderr).toContain('could not be read and is not shown: line 2 (not JSON)');
    const table = await runInProcess(['log'], { configDir });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('lx2-bbbbbb');
    expect(table.stderr).toContain('line 2 (not JSON)');
  });
});
