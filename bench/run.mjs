#!/usr/bin/env node
// npm run bench: start-up cost, measured side by side in one run.
// Runs each command RUNS times, interleaved (so host noise hits all of them alike), and prints the
// median wall time and its ratio to bare `node -e 0`. NODE_EXTRA_CA_CERTS is unset for every
// child: on some machines it adds ~50 ms to every Node start and would hide the differences.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 2;
const bin = new URL('../bin/adctl.js', import.meta.url).pathname;
const configDir = mkdtempSync(join(tmpdir(), 'adctl-bench-'));
const env = { ...process.env, ADCTL_CONFIG_DIR: configDir, NO_COLOR: '1', NO_PROXY: '127.0.0.1,localhost' };
delete env.NODE_EXTRA_CA_CERTS;
delete env.CI;
for (const k of Object.keys(env)) if (k.startsWith('ADCTL_') && k !== 'ADCTL_CONFIG_DIR') delete env[k];

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'adctl --help', args: [bin, '--help'] },
  { name: 'adctl --version', args: [bin, '--version'] },
  { name: 'adctl plugin list', args: [bin, 'plugin', 'list'] },
  { name: 'adctl campaign list --sandbox --json', args: [bin, 'campaign', 'list', '--sandbox', '--json'] },
];

function once(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const times = new Map(cases.map((c) => [c.name, []]));
for (let i = 0; i < WARMUP + RUNS; i++) {
  for (const c of cases) {
    const ms = once(c.args);
    if (i >= WARMUP) times.get(c.name).push(ms);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = median(times.get('node -e 0'));
console.log(`adctl start-up benchmark: ${RUNS} runs each, interleaved, after ${WARMUP} warm-up rounds (node ${process.version})`);
console.log('');
console.log(`${'command'.padEnd(40)}${'median ms'.padStart(10)}${'vs node -e 0'.padStart(14)}`);
for (const c of cases) {
  const m = median(times.get(c.name));
  console.log(`${c.name.padEnd(40)}${m.toFixed(1).padStart(10)}${`${(m / base).toFixed(2)}x`.padStart(14)}`);
}
const help = median(times.get('adctl --help')) / base;
console.log('');
console.log(`target: adctl --help within 2x bare node: ${help <= 2 ? 'met' : 'NOT met'} (${help.toFixed(2)}x)`);

// Bulk operations (issue 6): batching and concurrency against 50 ms of injected latency.
const { runBulkBench, printBulkBench } = await import('./bulk.mjs');
console.log('');
printBulkBench(await runBulkBench());
