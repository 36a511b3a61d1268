/**
 * Campaigns as code (issue 6) through the built binary against a sandbox started by the test:
 * plan/apply/plan-again on both platforms, one budget = one update, drift, stale saved plans,
 * import → no changes, and a SIGKILLed apply that completes on rerun without duplicate creates.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import type { Plan } from '../../src/services/plan/types.js';
import { useSandbox } from '../helpers/sandbox.js';
import { BIN, clockEnv, parseJson, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

let sandbox: SandboxServer;
let configDir: string;
let specFile: string;
const cli = (args: string[]) => runCli(args, { env: sandboxEnv(sandbox), configDir });

useSandbox((s) => (sandbox = s), () => {
  configDir = tempConfigDir();
  specFile = join(configDir, 'campaigns.yaml');
});

const metaCampaigns = () => (sandbox.state.read().meta as { campaigns: Array<{ id: string; name: string; status: string; daily_budget: string | null }> }).campaigns;
const xCampaigns = () => xOf(sandbox.state.read()).campaigns.filter((c) => !c.deleted);
const writes = () => sandbox.requests.filter((q) => q.method !== 'GET');

/** Three campaigns per platform (ad groups join once the ad group plugins land). */
function spec(xBudget = '50 USD'): string {
  const c = (key: string, platform: string, name: string, budget: string, status = 'paused') =>
    `  - key: ${key}\n    platform: ${platform}\n    name: ${name}\n    objective: traffic\n    status: ${status}\n    budget: { daily: "${budget}" }\n`;
  return `version: 1\ncampaigns:\n${c('x-espresso', 'x', 'Spec Espresso', xBudget)}${c('x-latte', 'x', 'Spec Latte', '20 USD')}${c('x-mocha', 'x', 'Spec Mocha', '30.50 USD', 'active')}`
    + `${c('meta-ramen', 'meta', 'Spec Ramen', '5000 JPY')}${c('meta-gyoza', 'meta', 'Spec Gyoza', '3000')}${c('meta-udon', 'meta', 'Spec Udon', '4000 JPY')}`;
}

const SPEC_NAMES = ['Spec Espresso', 'Spec Latte', 'Spec Mocha', 'Spec Ramen', 'Spec Gyoza', 'Spec Udon'];
const countByName = () => {
  const names = [...xCampaigns().map((c) => c.name), ...metaCampaigns().filter((c) => c.status !== 'DELETED').map((c) => c.name)];
  return Object.fromEntries(SPEC_NAMES.map((n) => [n, names.filter((x) => x === n).length]));
};

describe('plan and apply', () => {
  it('plan → apply → plan again shows no changes; changing one budget gives exactly one update', async () => {
    writeFileSync(specFile, spec());
    const first = await cli(['plan', '-f', specFile, '--detailed-exitcode']);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toMatch(/Plan: 6 to create, 0 to update/);

    const applied = await cli(['apply', '-f', specFile, '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(parseJson<{ results: Array<{ ok: boolean; op: string }> }>(applied.stdout).results.map((r) => r.op)).toEqual(Array(6).fill('create'));
    expect(countByName()).toEqual(Object.fromEntries(SPEC_NAMES.map((n) => [n, 1])));
    expect(xCampaigns().find((c) => c.name === 'Spec Mocha')!.entity_status).toBe('ACTIVE');
    expect(metaCampaigns().find((c) => c.name === 'Spec Gyoza')!.daily_budget).toBe('3000');
    // Every create is in the audit log.
    const audit = readFileSync(join(configDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { operation: string; outcome: string });
    expect(audit.filter((e) => e.operation === 'campaign.create' && e.outcome === 'ok')).toHaveLength(6);

    const again = await cli(['plan', '-f', specFile, '--detailed-exitcode', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(parseJson<Plan>(again.stdout).actions).toEqual([]);

    writeFileSync(specFile, spec('75.25 USD'));
    const one = await cli(['plan', '-f', specFile, '--detailed-exitcode', '--json']);
    expect(one.code).toBe(2);
    const plan = parseJson<Plan>(one.stdout);
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({ op: 'update', key: 'x-espresso', changes: [{ field: 'budget', from: 'daily 50.00 USD', to: 'daily 75.25 USD' }] });
    sandbox.requests.length = 0;
    expect((await cli(['apply', '-f', specFile, '--yes'])).code).toBe(0);
    expect(writes()).toHaveLength(1);
    expect(xCampaigns().find((c) => c.name === 'Spec Espresso')!.daily_budget_amount_local_micro).toBe(75_250_000);
  });

  it('a change made directly in the sandbox shows as drift, and apply puts the spec back', async () => {
    writeFileSync(specFile, spec());
    expect((await cli(['apply', '-f', specFile, '--yes'])).code).toBe(0);
    sandbox.state.mutate((s) => {
      const c = (s.meta as { campaigns: Array<{ name: string; daily_budget: string | null }> }).campaigns.find((k) => k.name === 'Spec Ramen')!;
      c.daily_budget = '9999';
    });
    const r = await cli(['plan', '-f', specFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Drift \(changed outside adctl\):/);
    expect(r.stdout).toMatch(/campaign meta-ramen \(meta:\d+\) budget: daily 5000 JPY \(last applied\) → daily 9999 JPY \(live\)/);
    expect(r.stdout).toMatch(/~ update\s+campaign meta-ramen/);
    expect((await cli(['apply', '-f', specFile, '--yes'])).code).toBe(0);
    expect(metaCampaigns().find((c) => c.name === 'Spec Ramen')!.daily_budget).toBe('5000');
  });

  it('a saved plan applies without a prompt; a stale one exits 5 and sends nothing', async () => {
    writeFileSync(specFile, spec());
    const planFile = join(configDir, 'plan.json');
    const saved = await cli(['plan', '-f', specFile, '-o', planFile, '--no-input']);
    expect(saved.code, saved.stderr).toBe(0);
    // Live state moves after the plan was made.
    sandbox.state.mutate((s) => { xOf(s).campaigns.find((c) => c.id === '8wku2')!.name = 'Renamed in the UI'; });
    sandbox.requests.length = 0;
    const stale = await cli(['apply', planFile, '--no-input', '--json']);
    expect(stale.code).toBe(5);
    expect(parseJson<{ error: { code: string } }>(stale.stderr.trim().split('\n').at(-1)!).error.code).toBe('PLAN_STALE');
    expect(writes()).toHaveLength(0);
    expect(countByName()['Spec Espresso']).toBe(0);

    const fresh = await cli(['plan', '-f', specFile, '-o', planFile]);
    expect(fresh.code).toBe(0);
    const ok = await cli(['apply', planFile, '--no-input']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(countByName()).toEqual(Object.fromEntries(SPEC_NAMES.map((n) => [n, 1])));
  });

  it('apply -f without --yes and without a TTY refuses (exit 77) and sends nothing', async () => {
    writeFileSync(specFile, spec());
    sandbox.requests.length = 0;
    const r = await cli(['apply', '-f', specFile, '--no-input']);
    expect(r.code).toBe(77);
    expect(writes()).toHaveLength(0);
  });

  it('an invalid spec exits 64 with every problem and its path, and sends nothing', async () => {
    writeFileSync(specFile, 'version: 1\ncampaigns:\n  - key: a\n    platform: x\n    name: A\n    budget: { daily: "5.001 USD" }\n  - key: a\n    platform: meta\n');
    const r = await cli(['plan', '-f', specFile]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/campaigns\[1\]\.name: required/);
    expect(sandbox.requests).toHaveLength(0);
    // The JSON Schema of the same format, for editors and CI linters.
    const schema = await cli(['schema', 'campaigns']);
    expect(schema.code).toBe(0);
    expect(parseJson<{ title: string; required: string[] }>(schema.stdout)).toMatchObject({ title: 'adctl campaign spec', required: ['version', 'campaigns'] });
  });

  it('import writes a spec and a state file; plan right after shows no changes', async () => {
    const out = join(configDir, 'imported.yaml');
    const r = await cli(['import', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/name: Holiday Espresso/);
    expect(text).toMatch(/name: Winter Ramen/);
    const plan = await cli(['plan', '-f', out, '--detailed-exitcode', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(parseJson<Plan>(plan.stdout)).toMatchObject({ actions: [], drift: [] });
    // A rename in the spec is an update of the same object, never delete + create.
    writeFileSync(out, text.replace('name: Holiday Espresso', 'name: Holiday Espresso 2'));
    const renamed = parseJson<Plan>((await cli(['plan', '-f', out, '--json'])).stdout);
    expect(renamed.actions).toEqual([expect.objectContaining({ op: 'update', ref: 'x:8wku2', changes: [{ field: 'name', from: 'Holiday Espresso', to: 'Holiday Espresso 2' }] })]);
    expect((await cli(['import', '-o', out])).code).toBe(64); // never overwrites without --force
  });

  it('apply killed halfway (SIGKILL) completes on rerun with no duplicate creates', async () => {
    writeFileSync(specFile, spec());
    // Slow creates so the kill lands with one create in flight at the sandbox.
    sandbox.addFault({ method: 'POST', action: { type: 'latency', ms: 400 } });
    const child = spawn(process.execPath, [BIN, 'apply', '-f', specFile, '--yes'], { env: { PATH: process.env.PATH ?? '', HOME: configDir, ADCTL_CONFIG_DIR: configDir, ...clockEnv(), ...sandboxEnv(sandbox) }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const creates = () => sandbox.requests.filter((q) => q.method === 'POST' && /\/campaigns$/.test(q.path));
    // Wait for two finished creates and a third one in flight, then kill.
    const deadline = Date.now() + 20_000;
    while (!(creates().filter((q) => q.status === 200).length >= 2 && creates().some((q) => q.status === 0))) {
      if (Date.now() > deadline) throw new Error('apply never got halfway');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    // Let the in-flight create land at the platform (its answer goes nowhere).
    while (creates().some((q) => q.status === 0)) await new Promise((r) => setTimeout(r, 20));
    sandbox.clearFaults();
    const before = Object.values(countByName()).reduce((a, b) => a + b, 0);
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(6);
    const state = JSON.parse(readFileSync(`${specFile}.state.json`, 'utf8')) as { objects: Record<string, { ref: string | null; pending?: unknown }> };
    expect(Object.values(state.objects).some((e) => e.ref === null && e.pending)).toBe(true);

    const rerun = await cli(['apply', '-f', specFile, '--yes']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/= adopt/);
    expect(countByName()).toEqual(Object.fromEntries(SPEC_NAMES.map((n) => [n, 1])));
    const after = await cli(['plan', '-f', specFile, '--detailed-exitcode']);
    expect(after.code, after.stdout).toBe(0);
  });

  it('Ctrl-C during apply exits 130 and says how many steps were applied', async () => {
    writeFileSync(specFile, spec());
    sandbox.addFault({ method: 'POST', action: { type: 'latency', ms: 300 } });
    const child = spawn(process.execPath, [BIN, 'apply', '-f', specFile, '--yes'], { env: { PATH: process.env.PATH ?? '', HOME: configDir, ADCTL_CONFIG_DIR: configDir, ...clockEnv(), ...sandboxEnv(sandbox) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!sandbox.requests.some((q) => q.method === 'POST' && q.status === 200)) {
      if (Date.now() > deadline) throw new Error('apply never created anything');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted: [1-5] of 6 steps applied; run the same apply again/);
  });

  // Issue 6 acceptance with ad groups (Meta ad sets, X line items; both plugins declare adgroups.write).
  it('6 campaigns with 12 ad groups on both platforms: apply, plan again = no changes, one ad group budget = one update', async () => {
    const g = (key: string, name: string, budget: string, country: string) =>
      `      - key: ${key}\n        name: ${name}\n        budget: { daily: "${budget}" }\n        targeting: { countries: [${country}] }\n`;
    const c = (key: string, platform: string, name: string, budget: string, cur: string, country: string) =>
      // Meta: budgets on the ad sets only (a campaign budget would make Meta own the ad set budgets).
      `  - key: ${key}\n    platform: ${platform}\n    name: ${name}\n    objective: traffic\n${platform === 'x' ? `    budget: { daily: "${budget}" }\n` : ''}    adgroups:\n`
      + g('a', `${name} A`, `10 ${cur}`, country) + g('b', `${name} B`, `12 ${cur}`, country);
    const text = (first: string) => `version: 1\ncampaigns:\n${c('x1', 'x', 'AG X1', '50 USD', 'USD', 'US')}${c('x2', 'x', 'AG X2', '60 USD', 'USD', 'US')}${c('x3', 'x', 'AG X3', '70 USD', 'USD', 'CA')}`
      + `${c('m1', 'meta', 'AG M1', '5000 JPY', 'JPY', 'JP').replace('10 JPY', first).replace('12 JPY', '1200 JPY')}${c('m2', 'meta', 'AG M2', '6000 JPY', 'JPY', 'JP').replace(/1[02] JPY/g, '2000 JPY')}${c('m3', 'meta', 'AG M3', '7000 JPY', 'JPY', 'JP').replace(/1[02] JPY/g, '3000 JPY')}`;
    writeFileSync(specFile, text('1000 JPY'));
    const applied = await cli(['apply', '-f', specFile, '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    const ops = parseJson<{ results: Array<{ op: string; key: string }> }>(applied.stdout).results;
    expect(ops.filter((r) => r.op === 'create')).toHaveLength(18);
    // Dependency order: every campaign before any ad group.
    expect(ops.findIndex((r) => r.key.includes('/'))).toBe(6);
    const again = await cli(['plan', '-f', specFile, '--detailed-exitcode', '--json']);
    expect(again.code, again.stdout).toBe(0);
    writeFileSync(specFile, text('1500 JPY'));
    const one = parseJson<Plan>((await cli(['plan', '-f', specFile, '--json'])).stdout);
    expect(one.actions).toEqual([expect.objectContaining({ op: 'update', kind: 'adgroup', key: 'm1/a', changes: [{ field: 'budget', from: 'daily 1000 JPY', to: 'daily 1500 JPY' }] })]);
    sandbox.requests.length = 0;
    const once = await cli(['apply', '-f', specFile, '--yes', '--json']);
    expect(once.code, once.stderr).toBe(0);
    expect(parseJson<{ results: Array<{ op: string; key: string }> }>(once.stdout).results.map((r) => `${r.op} ${r.key}`)).toEqual(['update m1/a']);
    expect(sandbox.requests.filter((q) => q.method !== 'GET')).toHaveLength(1);
  });
});
