// Bulk benchmark (issue 6): 1,000 campaign budget updates, 500 on X and 500 on Meta, through the
// real adapters and the bulk service against the sandbox, with 50 ms injected latency on every
// request (sandbox latency fault). Runs in this process on the built dist/ so process start-up is
// not part of the figure.
//
// Lower bound = (requests needed ÷ allowed concurrency) × latency, with core's limits
// (services/bulk.ts CONCURRENCY.total). The sequential baseline sends one request per item, one
// at a time; it runs on a 100-item subset and is scaled to 1,000 (said in the output).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const imp = (p) => import(new URL(p, dist).href);

export async function runBulkBench({ items = 1000, latencyMs = 50, sequentialSample = 100, runs = 5 } = {}) {
  const { SANDBOX_X, SANDBOX_META } = await imp('sandbox/credentials.js');
  const { Session } = await imp('services/session.js');
  const { bulkCampaigns, batchRequests, CONCURRENCY } = await imp('services/bulk.js');
  const { getAccount } = await imp('services/accounts.js');

  const half = items / 2;
  const child = spawn(process.execPath, [new URL('./bulk-sandbox.mjs', import.meta.url).pathname, String(half + sequentialSample / 2)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(JSON.parse(buf.slice(0, buf.indexOf('\n'))));
    });
    child.on('exit', (code) => reject(new Error(`the benchmark sandbox exited with ${code}`)));
  });
  const sandbox = {
    url: first.url,
    control: (method, what, body) => globalThis.fetch(`${first.url}/__sandbox/${what}`, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) }).then((r) => r.json()),
  };
  try {
    const xIds = first.x;
    const metaIds = first.meta;
    const env = {
      ADCTL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'adctl-bench-bulk-')),
      ADCTL_X_API_KEY: SANDBOX_X.apiKey, ADCTL_X_API_SECRET: SANDBOX_X.apiSecret,
      ADCTL_X_ACCESS_TOKEN: SANDBOX_X.accessToken, ADCTL_X_ACCESS_SECRET: SANDBOX_X.accessSecret,
      ADCTL_X_ADS_ACCOUNT_ID: SANDBOX_X.adsAccountId,
      ADCTL_META_ACCESS_TOKEN: SANDBOX_META.accessToken, ADCTL_META_APP_SECRET: SANDBOX_META.appSecret,
      ADCTL_META_AD_ACCOUNT_ID: SANDBOX_META.adAccountId,
      ADCTL_X_API_URL: sandbox.url, ADCTL_X_ADS_API_URL: sandbox.url, ADCTL_X_UPLOAD_URL: sandbox.url, ADCTL_META_GRAPH_URL: sandbox.url,
    };
    const session = await Session.open(env, {}, { notice: () => {}, trace: () => {} });
    // Warm-up outside the timing: load both adapters and cache the accounts' currencies (a real
    // run pays these reads once per machine, not per bulk command).
    await getAccount(session, 'x');
    await getAccount(session, 'meta');
    const op = (amount) => ({ kind: 'update', budget: { period: 'daily', text: amount } });
    await bulkCampaigns(session, [`x:${xIds.at(-1)}`, `meta:${metaIds.at(-1)}`], op('60'));

    await sandbox.control('POST', 'faults', { action: { type: 'latency', ms: latencyMs } });
    const refs = [...xIds.slice(0, half).map((id) => `x:${id}`), ...metaIds.slice(0, half).map((id) => `meta:${id}`)];
    // Several timed runs (each sets a new budget on all 1,000), reported as the median: one run
    // on a shared machine is at the mercy of whatever else is running.
    const walls = [];
    let sent = 0;
    let results = [];
    for (let run = 0; run < runs; run++) {
      // A fresh session per run, as a new adctl process has: nothing a previous run read in memory
      // (the Meta adapter's ad set budget snapshot) is reused. Opening it is outside the timing.
      const fresh = await Session.open(env, {}, { notice: () => {}, trace: () => {} });
      await sandbox.control('DELETE', 'requests');
      const t0 = performance.now();
      results = await bulkCampaigns(fresh, refs, op(String(75 + run)));
      walls.push(performance.now() - t0);
      await fresh.close();
      const log = (await sandbox.control('GET', 'requests')).data;
      sent = log.length;
      if (process.env.BENCH_DEBUG) console.error(log.map((q) => `${q.method} ${q.path}`).join('\n'));
    }
    const wallMs = [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)];
    const failed = results.filter((r) => !r.ok).length;

    const xAdapter = await session.adapter('x', 'budgets.write');
    const metaAdapter = await session.adapter('meta', 'budgets.write');
    // Meta also needs two reads before its batches, sent together: the ad account (its currency,
    // once per run) and the account's ad set budgets, for Meta's rule that a campaign whose ad sets
    // have budgets takes no campaign budget (one page here).
    const needed = batchRequests(half, xAdapter.batchSize) + batchRequests(half, metaAdapter.batchSize) + 2;
    const lowerMs = (needed / CONCURRENCY.total) * latencyMs;

    // Sequential baseline: one request per item (a one-item batch call), one at a time.
    const budget = async (p) => ({ period: 'daily', money: { currency: (await getAccount(session, p)).currency, minor: 8000 } });
    const xb = await budget('x');
    const mb = await budget('meta');
    const sample = [...xIds.slice(half).map((id) => [xAdapter, id, xb]), ...metaIds.slice(half).map((id) => [metaAdapter, id, mb])];
    const s0 = performance.now();
    for (const [adapter, id, b] of sample) {
      const [r] = await adapter.updateCampaignsBatch([{ id, patch: { budget: b } }]);
      if (!r.ok) throw new Error(`sequential update of ${id} failed: ${r.error?.message}`);
    }
    const sampleMs = performance.now() - s0;
    const sequentialMs = (sampleMs / sample.length) * items;
    await session.close();
    return { items, latencyMs, wallMs, walls, sent, needed, concurrency: CONCURRENCY.total, lowerMs, ratio: wallMs / lowerMs, sampleSize: sample.length, sampleMs, sequentialMs, speedup: sequentialMs / wallMs, failed };
  } finally {
    child.stdin.end();
  }
}

export function printBulkBench(r) {
  console.log(`bulk benchmark: ${r.items} campaign budget updates (${r.items / 2} X + ${r.items / 2} Meta) against the sandbox, ${r.latencyMs} ms injected latency per request`);
  console.log('');
  console.log(`  wall time (median of ${r.walls.length})        ${r.wallMs.toFixed(0).padStart(7)} ms   (runs: ${r.walls.map((w) => w.toFixed(0)).join(', ')} ms; ${r.sent} requests sent per run, ${r.failed} items failed)`);
  console.log(`  lower bound                   ${r.lowerMs.toFixed(0).padStart(7)} ms   = (${r.needed} requests needed ÷ concurrency ${r.concurrency}) × ${r.latencyMs} ms`);
  console.log(`  ratio to lower bound          ${r.ratio.toFixed(2).padStart(7)}x`);
  console.log(`  sequential, 1 request/item    ${r.sequentialMs.toFixed(0).padStart(7)} ms   (measured on ${r.sampleSize} items: ${r.sampleMs.toFixed(0)} ms, scaled to ${r.items})`);
  console.log(`  speed-up over sequential      ${r.speedup.toFixed(1).padStart(7)}x`);
  console.log('');
  console.log(`target: within 1.5x of the lower bound: ${r.ratio <= 1.5 ? 'met' : 'NOT met'} (${r.ratio.toFixed(2)}x); at least 20x faster than sequential: ${r.speedup >= 20 ? 'met' : 'NOT met'} (${r.speedup.toFixed(1)}x)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printBulkBench(await runBulkBench());
}
