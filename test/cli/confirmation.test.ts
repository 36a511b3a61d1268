/**
 * One confirmation port for every write (services/write/confirm.ts, built once in cli/run.ts):
 * each entry point that can change a budget refuses a guardrail breach with exit 77 and sends
 * nothing without `--confirm`, and sends with it; undo restores a budget only under the same
 * rule; post delete needs --yes without a terminal. Writes are counted in the sandbox's request log.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { sandboxEnv, tempConfigDir } from '../e2e/helpers.js';
import { runInProcess } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { addGuardedProfile } from '../helpers/profiles.js';

let sandbox: SandboxServer;
let configDir: string;
useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
});

const writes = () => sandbox.requests.filter((q) => q.method !== 'GET');
const cli = (args: string[], input?: string) => runInProcess(['--profile', 'acme', '--no-input', ...args], { env: sandboxEnv(sandbox), configDir, input });
const campaign = (id: string) => xOf(sandbox.state.read()).campaigns.find((c) => c.id === id)!;
const lineItem = (id: string) => xOf(sandbox.state.read()).lineItems.find((l) => l.id === id)!;

/** A profile capping daily budgets at 100 USD, with steps of at most +50 %; the request log starts empty. */
async function addProfile(): Promise<void> {
  await addGuardedProfile((args, input) => runInProcess(args, { env: sandboxEnv(sandbox), configDir, input }));
  sandbox.requests.length = 0;
}

/** Exit 77 naming the flag, and not one write sent. */
async function refused(args: string[], ref: string): Promise<void> {
  const r = await cli(args);
  expect(r.code, r.stderr).toBe(77);
  expect(r.stderr).toContain(`--confirm=${ref}`);
  expect(writes()).toEqual([]);
}

const lastEntry = async (ref: string): Promise<string> => {
  const log = await cli(['log', '--ref', ref, '--json']);
  const entries = JSON.parse(log.stdout) as Array<{ id: string }>;
  return entries[entries.length - 1]!.id;
};

describe('guardrails at every entry point', () => {
  it('campaign update', async () => {
    await addProfile();
    await refused(['campaign', 'update', 'x:8wku2', '--daily-budget', '150 USD'], 'x:8wku2');
    const ok = await cli(['campaign', 'update', 'x:8wku2', '--daily-budget', '150 USD', '--confirm', 'x:8wku2']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(campaign('8wku2').daily_budget_amount_local_micro).toBe(150_000_000);
  });

  it('adgroup update', async () => {
    await addProfile();
    await refused(['adgroup', 'update', 'x:l1a02', '--daily-budget', '150 USD'], 'x:l1a02');
    const ok = await cli(['adgroup', 'update', 'x:l1a02', '--daily-budget', '150 USD', '--confirm=x:l1a02']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(lineItem('l1a02').daily_budget_amount_local_micro).toBe(150_000_000);
  });

  it('budget set (a comma list confirms too)', async () => {
    await addProfile();
    await refused(['budget', 'set', 'x:8wku2', '--daily', '150 USD'], 'x:8wku2');
    const ok = await cli(['budget', 'set', 'x:8wku2', '--daily', '150 USD', '--confirm=x:8wku3,x:8wku2']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(campaign('8wku2').daily_budget_amount_local_micro).toBe(150_000_000);
  });

  it('bulk update', async () => {
    await addProfile();
    await refused(['campaign', 'update', 'x:8wku2', 'x:8wku3', '--daily-budget', '150 USD'], 'x:8wku2');
    const ok = await cli(['campaign', 'update', 'x:8wku2', 'x:8wku3', '--daily-budget', '150 USD', '--confirm', 'x:8wku2', 'x:8wku3']);
    expect(ok.code, ok.stderr).toBe(0);
    expect([campaign('8wku2').daily_budget_amount_local_micro, campaign('8wku3').daily_budget_amount_local_micro]).toEqual([150_000_000, 150_000_000]);
  });

  it('apply', async () => {
    await addProfile();
    const spec = join(configDir, 'c.yaml');
    writeFileSync(spec, 'version: 1\ncampaigns:\n  - key: big\n    platform: x\n    name: Big\n    objective: traffic\n    budget: { daily: "150 USD" }\n');
    await refused(['apply', '-f', spec, '--yes'], 'big');
    const ok = await cli(['apply', '-f', spec, '--yes', '--confirm=big']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(xOf(sandbox.state.read()).campaigns.find((c) => c.name === 'Big')!.daily_budget_amount_local_micro).toBe(150_000_000);
  });

  it('undo of a campaign budget change restores a budget above the cap only when confirmed', async () => {
    await addProfile();
    expect((await cli(['campaign', 'update', 'x:8wku2', '--daily-budget', '150 USD', '--confirm', 'x:8wku2'])).code).toBe(0);
    expect((await cli(['campaign', 'update', 'x:8wku2', '--daily-budget', '40 USD'])).code).toBe(0);
    const entry = await lastEntry('x:8wku2');
    sandbox.requests.length = 0;
    await refused(['undo', entry, '--yes'], 'x:8wku2');
    expect(campaign('8wku2').daily_budget_amount_local_micro).toBe(40_000_000);
    const ok = await cli(['undo', entry, '--yes', '--confirm', 'x:8wku2']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(campaign('8wku2').daily_budget_amount_local_micro).toBe(150_000_000);
  });

  it('undo of an ad group budget change is checked too (it used to be waved through)', async () => {
    await addProfile();
    expect((await cli(['adgroup', 'update', 'x:l1a02', '--daily-budget', '150 USD', '--confirm', 'x:l1a02'])).code).toBe(0);
    expect((await cli(['adgroup', 'update', 'x:l1a02', '--daily-budget', '40 USD'])).code).toBe(0);
    const entry = await lastEntry('x:l1a02');
    sandbox.requests.length = 0;
    await refused(['undo', entry, '--yes'], 'x:l1a02');
    const ok = await cli(['undo', entry, '--yes', '--confirm', 'x:l1a02']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(lineItem('l1a02').daily_budget_amount_local_micro).toBe(150_000_000);
  });

  it('post delete: without a terminal it needs --yes (exit 77, nothing sent); with it the delete is sent', async () => {
    await addProfile();
    const created = await cli(['post', 'create', '--to', 'x', '--text', 'confirmation port', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const ref = (JSON.parse(created.stdout) as { results: Array<{ ref: string }> }).results[0]!.ref;
    sandbox.requests.length = 0;
    const no = await cli(['post', 'delete', ref]);
    expect(no.code).toBe(77);
    expect(no.stderr).toContain('--yes');
    expect(writes()).toEqual([]);
    const yes = await cli(['post', 'delete', ref, '--yes']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(writes().map((q) => q.method)).toEqual(['DELETE']);
  });
});
