/**
 * Campaigns as code (issue 6) through the built binary against a sandbox started by the test: a
 * SIGKILLed apply that completes on rerun without duplicate creates (and plan then shows no
 * changes), and Ctrl-C during apply. Plan, apply, drift, saved plans and import run in-process:
 * test/cli/plan-apply.test.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/server.js';
import { xOf } from '../../src/sandbox/x/seed.js';
import { useSandbox } from '../helpers/sandbox.js';
import { BIN, cliEnv, runCli, sandboxEnv, tempConfigDir } from './helpers.js';

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
  it('apply killed halfway (SIGKILL) completes on rerun with no duplicate creates', async () => {
    writeFileSync(specFile, spec());
    // Slow creates so the kill lands with one create in flight at the sandbox.
    sandbox.addFault({ method: 'POST', action: { type: 'latency', ms: 400 } });
    const child = spawn(process.execPath, [BIN, 'apply', '-f', specFile, '--yes'], { env: cliEnv(configDir, sandboxEnv(sandbox)), stdio: 'ignore' });
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
    const child = spawn(process.execPath, [BIN, 'apply', '-f', specFile, '--yes'], { env: cliEnv(configDir, sandboxEnv(sandbox)), stdio: ['ignore', 'ignore', 'pipe'] });
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
});
