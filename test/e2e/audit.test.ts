/**
 * Issue 7 (audit log) end to end: the built binary records a budget change, `adctl log` shows it
 * with before and after values, and `adctl undo` restores it, checked against sandbox state. Both
 * platforms, the refusals and the file's mode and redaction run in-process in
 * test/cli/audit.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

interface Entry { id: string; operation: string; ref: string; outcome: string; before: { budget?: { amount: string } | null } | null; after: { budget?: { amount: string } | null } | null }

let sandbox: SandboxServer;
let configDir: string;
const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

describe('audit log and undo', () => {
  it('the built binary logs a budget change and undo restores it in the sandbox', async () => {
    const created = await cli(['campaign', 'create', '--platform', 'x', '--name', 'Audited', '--objective', 'traffic', '--daily-budget', '60 USD', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { ref, id } = parseJson<{ ref: string; id: string }>(created.stdout);
    expect((await cli(['campaign', 'update', ref, '--daily-budget', '80 USD'])).code).toBe(0);
    const daily = () => xOf(sandbox.state.read()).campaigns.find((c) => c.id === id)?.daily_budget_amount_local_micro;
    expect(daily()).toBe(80_000_000);

    const log = await cli(['log', '--ref', ref, '--json']);
    expect(log.code, log.stderr).toBe(0);
    const entries = parseJson<Entry[]>(log.stdout);
    expect(entries.map((e) => [e.operation, e.outcome])).toEqual([['campaign.create', 'ok'], ['campaign.update', 'ok']]);
    expect([entries[1]!.before!.budget!.amount, entries[1]!.after!.budget!.amount]).toEqual(['60.00', '80.00']);

    const undo = await cli(['undo', entries[1]!.id, '--yes', '--json']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(parseJson<{ entry: string; ref: string }>(undo.stdout)).toMatchObject({ entry: entries[1]!.id, ref });
    expect(daily()).toBe(60_000_000);
  });
});
