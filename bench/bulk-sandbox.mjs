// The sandbox for the bulk benchmark, in its own process (as a real platform is): its CPU time is
// not charged to the client being measured. Prints one JSON line {url, x, meta} (the seeded
// campaign ids) and serves until stdin closes.
const dist = new URL('../dist/', import.meta.url);
const imp = (p) => import(new URL(p, dist).href);
const { startSandbox } = await imp('sandbox/server.js');
const { addXCampaigns } = await imp('sandbox/x/batch.js');
const { addMetaCampaigns } = await imp('sandbox/meta/batch.js');
const perPlatform = Number(process.argv[2] ?? 550);
const sandbox = await startSandbox();
const x = addXCampaigns(sandbox.state, perPlatform, 'Bench');
const meta = addMetaCampaigns(sandbox.state, perPlatform, 'Bench');
process.stdout.write(`${JSON.stringify({ url: sandbox.url, x, meta })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void sandbox.close().then(() => process.exit(0)));
